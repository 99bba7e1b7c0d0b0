/**
 * The fix engine's AWS calls that are not a resource kind's read or write (those are in the
 * table of ./resources.ts): whether a bucket is empty, and its creation date (undo's proofs).
 */
import { ListObjectsV2Command, paginateListBuckets } from "@aws-sdk/client-s3";
import { stepFailure as fail, type Target } from "./resources.js";

/** True when the bucket holds no object (ListObjectsV2, one key). */
export async function bucketIsEmpty(t: Target): Promise<boolean> {
  try {
    const out = await t.client.send(new ListObjectsV2Command({ Bucket: t.bucket, ExpectedBucketOwner: t.account, MaxKeys: 1 }));
    return (out.KeyCount ?? out.Contents?.length ?? 0) === 0;
  } catch (err) {
    throw fail("ListObjectsV2", err);
  }
}

/**
 * The bucket's `CreationDate` as ListBuckets reports it for the account (exact name match on a
 * prefix-filtered, paginated listing); undefined when the account does not list the bucket.
 */
export async function bucketCreationDate(t: Target): Promise<Date | undefined> {
  try {
    for await (const page of paginateListBuckets({ client: t.client, pageSize: 1000 }, { Prefix: t.bucket, MaxBuckets: 1000 })) {
      const hit = page.Buckets?.find((b) => b.Name === t.bucket);
      if (hit) return hit.CreationDate;
    }
    return undefined;
  } catch (err) {
    throw fail("ListBuckets", err);
  }
}
