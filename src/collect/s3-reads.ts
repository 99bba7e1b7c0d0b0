/**
 * The S3 reads the tool makes, once: each operation's IAM permission and the error codes that
 * are AWS's "not configured" answer for it (aws-s3-logging-reference.md §3.4). Collection
 * classifies failures with it; the fix engine's re-reads (apply, verify, undo) use the same
 * entries. No AWS SDK here: plain data.
 */

/** One S3 read. */
export interface S3Read {
  /** The S3 API operation. */
  readonly operation: string;
  /** The IAM action that allows it. */
  readonly permission: string;
  /** Error codes that mean "not configured" (data, not a failure). */
  readonly absentCodes: readonly string[];
}

function read(operation: string, permission: string, absentCodes: readonly string[] = []): S3Read {
  return { operation, permission, absentCodes };
}

/** Every S3 read, by operation name. */
export const S3_READS = {
  ListBuckets: read("ListBuckets", "s3:ListAllMyBuckets"),
  GetBucketLocation: read("GetBucketLocation", "s3:GetBucketLocation"),
  /** Existence of a bucket: a 404 is not "not configured" but "no such bucket" (isNoSuchBucket). */
  HeadBucket: read("HeadBucket", "s3:ListBucket"),
  GetBucketLogging: read("GetBucketLogging", "s3:GetBucketLogging"),
  GetBucketPolicy: read("GetBucketPolicy", "s3:GetBucketPolicy", ["NoSuchBucketPolicy"]),
  GetBucketAcl: read("GetBucketAcl", "s3:GetBucketAcl"),
  GetBucketOwnershipControls: read("GetBucketOwnershipControls", "s3:GetBucketOwnershipControls", ["OwnershipControlsNotFoundError"]),
  GetBucketEncryption: read("GetBucketEncryption", "s3:GetEncryptionConfiguration", ["ServerSideEncryptionConfigurationNotFoundError"]),
  GetObjectLockConfiguration: read("GetObjectLockConfiguration", "s3:GetBucketObjectLockConfiguration", ["ObjectLockConfigurationNotFoundError"]),
  GetBucketRequestPayment: read("GetBucketRequestPayment", "s3:GetBucketRequestPayment"),
  GetPublicAccessBlock: read("GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock", ["NoSuchPublicAccessBlockConfiguration"]),
  GetBucketLifecycleConfiguration: read("GetBucketLifecycleConfiguration", "s3:GetLifecycleConfiguration", ["NoSuchLifecycleConfiguration"]),
  /** The delivery check: a log bucket's listing and a log object's first bytes. */
  ListObjectsV2: read("ListObjectsV2", "s3:ListBucket"),
  GetObject: read("GetObject", "s3:GetObject"),
} as const satisfies Record<string, S3Read>;

export type S3ReadOperation = keyof typeof S3_READS;

/** True when `code` is AWS's "not configured" answer for `operation`. */
export function isAbsentCode(operation: string, code: string): boolean {
  const r = (S3_READS as Record<string, S3Read | undefined>)[operation];
  return r?.absentCodes.includes(code) ?? false;
}

/** The codes of a HeadBucket 404 (HEAD answers have no body: the SDK names them NotFound). */
const NO_SUCH_BUCKET_CODES: readonly string[] = ["NotFound", "NoSuchBucket"];

/** True when a HeadBucket failure says the bucket does not exist (HTTP 404 or its codes). */
export function isNoSuchBucket(httpStatus: number | undefined, code: string): boolean {
  return httpStatus === 404 || NO_SUCH_BUCKET_CODES.includes(code);
}
