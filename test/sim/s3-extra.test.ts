/** Smaller S3 and Organizations behaviours: grant headers, versioning with Object Lock, list parameters, delegated admins. */
import { describe, expect, it } from "vitest";
import {
  GetBucketAclCommand,
  ListBucketsCommand,
  ListObjectsV2Command,
  PutBucketAclCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from "@aws-sdk/client-s3";
import { ListAccountsCommand } from "@aws-sdk/client-organizations";
import type { Scenario } from "../../src/sim/index.js";
import { A, KEY_A, alphaOrganization, creds, failure, orgs, s3, simulatorForFile } from "./helpers.js";

/** The delegated administrator of the organization. */
const D = "210987654321";
const KEY_D = "AKIATESTDELEGATED001";

function scenario(): Scenario {
  return alphaOrganization(
    [
      { name: "extra-acl", region: "us-east-1", ownership: "BucketOwnerPreferred" },
      { name: "extra-locked", region: "us-east-1", objectLock: {} },
      { name: "extra-objects", region: "us-east-1", objects: ["a", "b", "c", "d/1", "d/2", "e"].map((key) => ({ key, size: 1 })) },
    ],
    [{ id: D, name: "security", accessKeys: [KEY_D] }],
    { id: "o-extratest001", delegatedAdministrators: [D] },
  );
}

const { sim } = simulatorForFile(scenario);
const east = () => s3(sim(), "us-east-1", creds(KEY_A));

describe("more S3", () => {
  it("PutBucketAcl from x-amz-grant-* headers", async () => {
    await east().send(new PutBucketAclCommand({ Bucket: "extra-acl", GrantWrite: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"', GrantReadACP: 'uri="http://acs.amazonaws.com/groups/s3/LogDelivery"' }));
    const acl = await east().send(new GetBucketAclCommand({ Bucket: "extra-acl" }));
    expect(acl.Grants).toEqual([
      { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "WRITE" },
      { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "READ_ACP" },
    ]);
  });

  it("versioning cannot be suspended on an Object Lock bucket", async () => {
    const e = await failure(east().send(new PutBucketVersioningCommand({ Bucket: "extra-locked", VersioningConfiguration: { Status: "Suspended" } })));
    expect([e.name, e.$metadata?.httpStatusCode]).toEqual(["InvalidBucketState", 409]);
  });

  it("ListObjectsV2 honours StartAfter and Delimiter with MaxKeys; a bad continuation token is refused", async () => {
    const after = await east().send(new ListObjectsV2Command({ Bucket: "extra-objects", StartAfter: "c" }));
    expect(after.Contents?.map((c) => c.Key)).toEqual(["d/1", "d/2", "e"]);
    expect(after.StartAfter).toBe("c");
    const page1 = await east().send(new ListObjectsV2Command({ Bucket: "extra-objects", Delimiter: "/", MaxKeys: 4 }));
    expect(page1.Contents?.map((c) => c.Key)).toEqual(["a", "b", "c"]);
    expect(page1.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["d/"]);
    expect(page1.IsTruncated).toBe(true);
    const page2 = await east().send(new ListObjectsV2Command({ Bucket: "extra-objects", Delimiter: "/", MaxKeys: 4, ContinuationToken: page1.NextContinuationToken }));
    expect(page2.Contents?.map((c) => c.Key)).toEqual(["e"]);
    expect(page2.IsTruncated).toBe(false);
    await east().send(new PutObjectCommand({ Bucket: "extra-objects", Key: "0-first", Body: "" }));
    expect((await east().send(new ListObjectsV2Command({ Bucket: "extra-objects", MaxKeys: 1 }))).Contents?.[0]?.Key).toBe("0-first");
    const bad = await failure(east().send(new ListBucketsCommand({ ContinuationToken: "", MaxBuckets: 5 })));
    expect(bad.name).toBe("InvalidArgument");
  });
});

describe("delegated administrators", () => {
  it("may list the organization's accounts", async () => {
    const res = await orgs(sim(), creds(KEY_D)).send(new ListAccountsCommand({}));
    expect(res.Accounts?.map((a) => a.Id)).toEqual([A, D]);
  });
});
