/** S3 bucket configuration reads and writes through the real SDK client. */
import { describe, expect, it } from "vitest";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketRequestPaymentCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketRequestPaymentCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
} from "@aws-sdk/client-s3";
import type { Scenario } from "../../src/sim/index.js";
import { A, B, KEY_A, KEY_B, alphaOrganization, creds, failure, s3, simulatorForFile } from "./helpers.js";

function scenario(): Scenario {
  return alphaOrganization(
    [
      { name: "alpha-east", region: "us-east-1" },
      { name: "alpha-eu", region: "eu-west-1" },
      { name: "alpha-syd", region: "ap-southeast-2" },
      { name: "alpha-bare", region: "us-east-1", ownership: null, encryption: null, publicAccessBlock: null },
      { name: "alpha-legacy", region: "us-east-1", ownership: "ObjectWriter", aclGrants: [{ type: "Group", uri: "LogDelivery", permission: "WRITE" }] },
      { name: "alpha-locked", region: "us-east-1", objectLock: { defaultRetention: { mode: "COMPLIANCE", years: 1 } } },
      { name: "alpha-pays", region: "us-east-1", requestPayment: "Requester" },
      { name: "alpha-kms", region: "us-east-1", encryption: { algorithm: "aws:kms", kmsKeyId: "arn:aws:kms:us-east-1:123456789012:key/abc", bucketKeyEnabled: true } },
      {
        name: "alpha-life",
        region: "us-east-1",
        lifecycle: [
          { ID: "expire", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 30 } },
          { ID: "archive", Status: "Disabled", Filter: { And: { Prefix: "a/", Tags: [{ Key: "k", Value: "v" }] } }, Transitions: [{ Days: 60, StorageClass: "GLACIER" }] },
        ],
        policy: { Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "arn:aws:s3:::alpha-life/*", Condition: { Bool: { "aws:SecureTransport": "false" } } }] },
      },
    ],
    [{ id: B, name: "beta", accessKeys: [KEY_B], buckets: [{ name: "beta-east", region: "us-east-1" }] }],
  );
}

const { sim, east, eu } = simulatorForFile(scenario);

describe("defaults of a bucket created today", () => {
  it("has BucketOwnerEnforced, SSE-S3, full Block Public Access, BucketOwner pays, owner-only ACL", async () => {
    const own = await east().send(new GetBucketOwnershipControlsCommand({ Bucket: "alpha-east" }));
    expect(own.OwnershipControls?.Rules).toEqual([{ ObjectOwnership: "BucketOwnerEnforced" }]);
    const enc = await east().send(new GetBucketEncryptionCommand({ Bucket: "alpha-east" }));
    expect(enc.ServerSideEncryptionConfiguration?.Rules).toEqual([{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" }, BucketKeyEnabled: false }]);
    const pab = await east().send(new GetPublicAccessBlockCommand({ Bucket: "alpha-east" }));
    expect(pab.PublicAccessBlockConfiguration).toEqual({ BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
    const pay = await east().send(new GetBucketRequestPaymentCommand({ Bucket: "alpha-east" }));
    expect(pay.Payer).toBe("BucketOwner");
    const acl = await east().send(new GetBucketAclCommand({ Bucket: "alpha-east" }));
    expect(acl.Owner?.ID).toMatch(/^[0-9a-f]{64}$/);
    expect(acl.Grants).toEqual([{ Grantee: { Type: "CanonicalUser", ID: acl.Owner?.ID }, Permission: "FULL_CONTROL" }]);
  });

  it("answers AWS's not-configured codes", async () => {
    const cases: [Promise<unknown>, string][] = [
      [east().send(new GetBucketPolicyCommand({ Bucket: "alpha-east" })), "NoSuchBucketPolicy"],
      [east().send(new GetBucketOwnershipControlsCommand({ Bucket: "alpha-bare" })), "OwnershipControlsNotFoundError"],
      [east().send(new GetBucketEncryptionCommand({ Bucket: "alpha-bare" })), "ServerSideEncryptionConfigurationNotFoundError"],
      [east().send(new GetObjectLockConfigurationCommand({ Bucket: "alpha-east" })), "ObjectLockConfigurationNotFoundError"],
      [east().send(new GetPublicAccessBlockCommand({ Bucket: "alpha-bare" })), "NoSuchPublicAccessBlockConfiguration"],
      [east().send(new GetBucketLifecycleConfigurationCommand({ Bucket: "alpha-east" })), "NoSuchLifecycleConfiguration"],
      [east().send(new GetBucketPolicyCommand({ Bucket: "no-such-bucket-here" })), "NoSuchBucket"],
    ];
    for (const [p, code] of cases) {
      const e = await failure(p);
      expect(e.name).toBe(code);
      expect(e.$metadata?.httpStatusCode).toBe(404);
    }
  });
});

describe("reads of configured buckets", () => {
  it("returns scenario configurations in SDK shapes", async () => {
    const lock = await east().send(new GetObjectLockConfigurationCommand({ Bucket: "alpha-locked" }));
    expect(lock.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "COMPLIANCE", Years: 1 } } });
    expect((await east().send(new GetBucketVersioningCommand({ Bucket: "alpha-locked" }))).Status).toBe("Enabled");
    expect((await east().send(new GetBucketRequestPaymentCommand({ Bucket: "alpha-pays" }))).Payer).toBe("Requester");
    const kms = await east().send(new GetBucketEncryptionCommand({ Bucket: "alpha-kms" }));
    expect(kms.ServerSideEncryptionConfiguration?.Rules?.[0]).toEqual({
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "arn:aws:kms:us-east-1:123456789012:key/abc" },
      BucketKeyEnabled: true,
    });
    const life = await east().send(new GetBucketLifecycleConfigurationCommand({ Bucket: "alpha-life" }));
    expect(life.Rules).toEqual([
      { ID: "expire", Status: "Enabled", Filter: { Prefix: "logs/" }, Expiration: { Days: 30 } },
      { ID: "archive", Status: "Disabled", Filter: { And: { Prefix: "a/", Tags: [{ Key: "k", Value: "v" }] } }, Transitions: [{ Days: 60, StorageClass: "GLACIER" }] },
    ]);
    const pol = await east().send(new GetBucketPolicyCommand({ Bucket: "alpha-life" }));
    expect(JSON.parse(pol.Policy as string).Statement[0].Condition).toEqual({ Bool: { "aws:SecureTransport": "false" } });
    const acl = await east().send(new GetBucketAclCommand({ Bucket: "alpha-legacy" }));
    expect(acl.Grants?.[1]).toEqual({ Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "WRITE" });
  });

  it("GetBucketLocation: empty for us-east-1, the Region otherwise, from any Region", async () => {
    expect((await east().send(new GetBucketLocationCommand({ Bucket: "alpha-east" }))).LocationConstraint).toBeUndefined();
    expect((await east().send(new GetBucketLocationCommand({ Bucket: "alpha-eu" }))).LocationConstraint).toBe("eu-west-1");
    expect((await eu().send(new GetBucketLocationCommand({ Bucket: "alpha-syd" }))).LocationConstraint).toBe("ap-southeast-2");
  });

  it("HeadBucket: region header for own, 403 with header for another account's, 404 for a missing bucket, 301 for the wrong Region", async () => {
    expect((await eu().send(new HeadBucketCommand({ Bucket: "alpha-eu" }))).BucketRegion).toBe("eu-west-1");
    const other = await failure(east().send(new HeadBucketCommand({ Bucket: "beta-east" })));
    expect(other.$metadata?.httpStatusCode).toBe(403);
    expect(other.$response?.headers["x-amz-bucket-region"]).toBe("us-east-1");
    const missing = await failure(east().send(new HeadBucketCommand({ Bucket: "nothing-here-at-all" })));
    expect(missing.name).toBe("NotFound");
    expect(missing.$metadata?.httpStatusCode).toBe(404);
    const wrong = await failure(east().send(new HeadBucketCommand({ Bucket: "alpha-syd" })));
    expect(wrong.$metadata?.httpStatusCode).toBe(301);
    expect(wrong.$response?.headers["x-amz-bucket-region"]).toBe("ap-southeast-2");
  });

  it("wrong Region: 301 PermanentRedirect with x-amz-bucket-region; followRegionRedirects recovers", async () => {
    const e = await failure(east().send(new GetBucketPolicyCommand({ Bucket: "alpha-eu" })));
    expect(e.name).toBe("PermanentRedirect");
    expect(e.$metadata?.httpStatusCode).toBe(301);
    expect(e.$response?.headers["x-amz-bucket-region"]).toBe("eu-west-1");
    const follow = s3(sim(), "us-east-1", creds(KEY_A), { followRegionRedirects: true });
    const own = await follow.send(new GetBucketOwnershipControlsCommand({ Bucket: "alpha-eu" }));
    expect(own.OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe("BucketOwnerEnforced");
  });

  it("another account's bucket is AccessDenied; ExpectedBucketOwner mismatch is AccessDenied", async () => {
    const e = await failure(east().send(new GetBucketPolicyCommand({ Bucket: "beta-east" })));
    expect(e.name).toBe("AccessDenied");
    expect(e.$metadata?.httpStatusCode).toBe(403);
    const m = await failure(east().send(new GetBucketEncryptionCommand({ Bucket: "alpha-east", ExpectedBucketOwner: B })));
    expect(m.name).toBe("AccessDenied");
    const okRes = await east().send(new GetBucketEncryptionCommand({ Bucket: "alpha-east", ExpectedBucketOwner: A }));
    expect(okRes.ServerSideEncryptionConfiguration).toBeDefined();
  });
});

describe("ListBuckets", () => {
  it("includes BucketRegion only when a parameter is sent", async () => {
    const plain = await east().send(new ListBucketsCommand({}));
    expect(plain.Buckets?.map((b) => b.Name)).toEqual([...(plain.Buckets ?? []).map((b) => b.Name)].sort());
    expect(plain.Buckets?.length).toBe(9);
    expect(plain.Buckets?.every((b) => b.BucketRegion === undefined)).toBe(true);
    expect(plain.ContinuationToken).toBeUndefined();
    const withParam = await east().send(new ListBucketsCommand({ MaxBuckets: 1000 }));
    expect(withParam.Buckets?.find((b) => b.Name === "alpha-syd")?.BucketRegion).toBe("ap-southeast-2");
    expect(withParam.Buckets?.[0]?.CreationDate).toBeInstanceOf(Date);
  });

  it("paginates with MaxBuckets and ContinuationToken, filters by Prefix and BucketRegion", async () => {
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await east().send(new ListBucketsCommand({ MaxBuckets: 2, ...(token ? { ContinuationToken: token } : {}) }));
      expect(page.Buckets!.length).toBeLessThanOrEqual(2);
      names.push(...page.Buckets!.map((b) => b.Name as string));
      token = page.ContinuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(5);
    expect(names).toHaveLength(9);
    expect(new Set(names).size).toBe(9);
    const pref = await east().send(new ListBucketsCommand({ Prefix: "alpha-l" }));
    expect(pref.Buckets?.map((b) => b.Name)).toEqual(["alpha-legacy", "alpha-life", "alpha-locked"]);
    expect(pref.Prefix).toBe("alpha-l");
    const byRegion = await eu().send(new ListBucketsCommand({ BucketRegion: "eu-west-1", MaxBuckets: 10 }));
    expect(byRegion.Buckets?.map((b) => b.Name)).toEqual(["alpha-eu"]);
    const bad = await failure(east().send(new ListBucketsCommand({ MaxBuckets: 0 })));
    expect(bad.name).toBe("InvalidArgument");
  });

  it("lists only the caller's account", async () => {
    const beta = await s3(sim(), "us-east-1", creds(KEY_B)).send(new ListBucketsCommand({ MaxBuckets: 100 }));
    expect(beta.Buckets?.map((b) => b.Name)).toEqual(["beta-east"]);
  });
});

describe("CreateBucket and DeleteBucket", () => {
  it("creates with a LocationConstraint and today's defaults; header chooses ownership", async () => {
    await eu().send(new CreateBucketCommand({ Bucket: "alpha-new-eu", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } }));
    expect((await eu().send(new HeadBucketCommand({ Bucket: "alpha-new-eu" }))).BucketRegion).toBe("eu-west-1");
    expect((await eu().send(new GetBucketOwnershipControlsCommand({ Bucket: "alpha-new-eu" }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe("BucketOwnerEnforced");
    expect((await eu().send(new GetBucketEncryptionCommand({ Bucket: "alpha-new-eu" }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
    await east().send(new CreateBucketCommand({ Bucket: "alpha-new-east", ObjectOwnership: "ObjectWriter" }));
    expect((await east().send(new GetBucketOwnershipControlsCommand({ Bucket: "alpha-new-east" }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe("ObjectWriter");
    expect((await east().send(new ListBucketsCommand({ Prefix: "alpha-new" }))).Buckets?.map((b) => b.Name)).toEqual(["alpha-new-east", "alpha-new-eu"]);
    expect(sim().state.buckets.get("alpha-new-eu")?.account).toBe(A);
  });

  it("SDK adds the LocationConstraint from the client Region; us-east-1 needs none", async () => {
    const syd = s3(sim(), "ap-southeast-2", creds(KEY_A));
    await syd.send(new CreateBucketCommand({ Bucket: "alpha-new-syd" }));
    expect((await syd.send(new GetBucketLocationCommand({ Bucket: "alpha-new-syd" }))).LocationConstraint).toBe("ap-southeast-2");
  });

  it("refuses bad names and Region mismatches", async () => {
    expect((await failure(east().send(new CreateBucketCommand({ Bucket: "Bad_Name" })))).name).toBe("InvalidBucketName");
    const mismatch = await failure(eu().send(new CreateBucketCommand({ Bucket: "alpha-mismatch", CreateBucketConfiguration: { LocationConstraint: "ap-southeast-2" } })));
    expect(mismatch.name).toBe("IllegalLocationConstraintException");
    const explicitUse1 = await failure(east().send(new CreateBucketCommand({ Bucket: "alpha-use1", CreateBucketConfiguration: { LocationConstraint: "us-east-1" as never } })));
    expect(explicitUse1.name).toBe("InvalidLocationConstraint");
  });

  it("BucketAlreadyOwnedByYou outside us-east-1, BucketAlreadyExists for another account's name", async () => {
    const own = await failure(eu().send(new CreateBucketCommand({ Bucket: "alpha-eu", CreateBucketConfiguration: { LocationConstraint: "eu-west-1" } })));
    expect(own.name).toBe("BucketAlreadyOwnedByYou");
    expect(own.$metadata?.httpStatusCode).toBe(409);
    const taken = await failure(east().send(new CreateBucketCommand({ Bucket: "beta-east" })));
    expect(taken.name).toBe("BucketAlreadyExists");
    expect(taken.$metadata?.httpStatusCode).toBe(409);
  });

  it("refuses ACLs on a BucketOwnerEnforced create; object lock at create enables versioning", async () => {
    const e = await failure(east().send(new CreateBucketCommand({ Bucket: "alpha-acl-create", ACL: "log-delivery-write" as never })));
    expect(e.name).toBe("InvalidBucketAclWithObjectOwnership");
    await east().send(new CreateBucketCommand({ Bucket: "alpha-acl-create", ACL: "log-delivery-write" as never, ObjectOwnership: "BucketOwnerPreferred" }));
    const acl = await east().send(new GetBucketAclCommand({ Bucket: "alpha-acl-create" }));
    expect(acl.Grants?.map((g) => g.Permission)).toEqual(["FULL_CONTROL", "WRITE", "READ_ACP"]);
    await east().send(new CreateBucketCommand({ Bucket: "alpha-lock-create", ObjectLockEnabledForBucket: true }));
    const lock = await east().send(new GetObjectLockConfigurationCommand({ Bucket: "alpha-lock-create" }));
    expect(lock.ObjectLockConfiguration).toEqual({ ObjectLockEnabled: "Enabled" });
  });

  it("DeleteBucket removes the bucket; BucketNotEmpty when it holds objects", async () => {
    await east().send(new CreateBucketCommand({ Bucket: "alpha-to-delete" }));
    await east().send(new DeleteBucketCommand({ Bucket: "alpha-to-delete" }));
    expect((await failure(east().send(new HeadBucketCommand({ Bucket: "alpha-to-delete" })))).$metadata?.httpStatusCode).toBe(404);
    await east().send(new CreateBucketCommand({ Bucket: "alpha-full" }));
    sim().state.buckets.get("alpha-full")!.objects.set("x", { key: "x", size: 1, etag: '"x"', lastModified: new Date() });
    const e = await failure(east().send(new DeleteBucketCommand({ Bucket: "alpha-full" })));
    expect(e.name).toBe("BucketNotEmpty");
    expect(e.$metadata?.httpStatusCode).toBe(409);
  });
});

describe("configuration writes", () => {
  it("policy: put, get, delete; MalformedPolicy for bad JSON; BlockPublicPolicy refuses public policies", async () => {
    const policy = JSON.stringify({ Version: "2012-10-17", Statement: [{ Sid: "Logs", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::alpha-east/*", Condition: { StringEquals: { "aws:SourceAccount": A } } }] });
    await east().send(new PutBucketPolicyCommand({ Bucket: "alpha-east", Policy: policy }));
    expect((await east().send(new GetBucketPolicyCommand({ Bucket: "alpha-east" }))).Policy).toBe(policy);
    const bad = await failure(east().send(new PutBucketPolicyCommand({ Bucket: "alpha-east", Policy: "{not json" })));
    expect(bad.name).toBe("MalformedPolicy");
    expect(bad.$metadata?.httpStatusCode).toBe(400);
    const badRes = await failure(east().send(new PutBucketPolicyCommand({ Bucket: "alpha-east", Policy: policy.replace("alpha-east/*", "other-bucket/*") })));
    expect(badRes.name).toBe("MalformedPolicy");
    const pub = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::alpha-east/*" }] });
    expect((await failure(east().send(new PutBucketPolicyCommand({ Bucket: "alpha-east", Policy: pub })))).name).toBe("AccessDenied");
    await east().send(new PutBucketPolicyCommand({ Bucket: "alpha-bare", Policy: pub.replace(/alpha-east/g, "alpha-bare") }));
    await east().send(new DeleteBucketPolicyCommand({ Bucket: "alpha-east" }));
    expect((await failure(east().send(new GetBucketPolicyCommand({ Bucket: "alpha-east" })))).name).toBe("NoSuchBucketPolicy");
  });

  it("ACL: refused on BucketOwnerEnforced, accepted with ACLs enabled (canned and explicit)", async () => {
    const e = await failure(east().send(new PutBucketAclCommand({ Bucket: "alpha-east", ACL: "log-delivery-write" as never })));
    expect(e.name).toBe("AccessControlListNotSupported");
    await east().send(new PutBucketAclCommand({ Bucket: "alpha-east", ACL: "private" }));
    const owner = (await east().send(new GetBucketAclCommand({ Bucket: "alpha-legacy" }))).Owner!;
    await east().send(
      new PutBucketAclCommand({
        Bucket: "alpha-legacy",
        AccessControlPolicy: {
          Owner: owner,
          Grants: [
            { Grantee: { Type: "CanonicalUser", ID: owner.ID }, Permission: "FULL_CONTROL" },
            { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "WRITE" },
            { Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "READ_ACP" },
          ],
        },
      }),
    );
    const acl = await east().send(new GetBucketAclCommand({ Bucket: "alpha-legacy" }));
    expect(acl.Grants?.map((g) => `${g.Grantee?.Type}:${g.Permission}`)).toEqual(["CanonicalUser:FULL_CONTROL", "Group:WRITE", "Group:READ_ACP"]);
    expect((await failure(east().send(new PutBucketAclCommand({ Bucket: "alpha-legacy", ACL: "public-read" })))).name).toBe("AccessDenied");
  });

  it("ownership controls: put, delete, and the ACL conflict", async () => {
    const e = await failure(east().send(new PutBucketOwnershipControlsCommand({ Bucket: "alpha-legacy", OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerEnforced" }] } })));
    expect(e.name).toBe("InvalidBucketAclWithObjectOwnership");
    await east().send(new PutBucketOwnershipControlsCommand({ Bucket: "alpha-bare", OwnershipControls: { Rules: [{ ObjectOwnership: "BucketOwnerPreferred" }] } }));
    expect((await east().send(new GetBucketOwnershipControlsCommand({ Bucket: "alpha-bare" }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership).toBe("BucketOwnerPreferred");
    await east().send(new DeleteBucketOwnershipControlsCommand({ Bucket: "alpha-bare" }));
    expect((await failure(east().send(new GetBucketOwnershipControlsCommand({ Bucket: "alpha-bare" })))).name).toBe("OwnershipControlsNotFoundError");
  });

  it("encryption: put SSE-KMS, reject a key with AES256, delete falls back to SSE-S3", async () => {
    await east().send(
      new PutBucketEncryptionCommand({
        Bucket: "alpha-east",
        ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms:dsse" }, BucketKeyEnabled: false }] },
      }),
    );
    expect((await east().send(new GetBucketEncryptionCommand({ Bucket: "alpha-east" }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault).toEqual({ SSEAlgorithm: "aws:kms:dsse" });
    const e = await failure(
      east().send(new PutBucketEncryptionCommand({ Bucket: "alpha-east", ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "AES256", KMSMasterKeyID: "k" } }] } })),
    );
    expect(e.name).toBe("InvalidArgument");
    await east().send(new DeleteBucketEncryptionCommand({ Bucket: "alpha-east" }));
    expect((await east().send(new GetBucketEncryptionCommand({ Bucket: "alpha-east" }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm).toBe("AES256");
  });

  it("object lock: needs a lock-enabled (or versioned) bucket; sets and clears default retention", async () => {
    const cfg = { ObjectLockEnabled: "Enabled" as const, Rule: { DefaultRetention: { Mode: "GOVERNANCE" as const, Days: 7 } } };
    const e = await failure(east().send(new PutObjectLockConfigurationCommand({ Bucket: "alpha-pays", ObjectLockConfiguration: cfg })));
    expect(e.name).toBe("InvalidBucketState");
    expect(e.$metadata?.httpStatusCode).toBe(409);
    await east().send(new PutObjectLockConfigurationCommand({ Bucket: "alpha-locked", ObjectLockConfiguration: cfg }));
    expect((await east().send(new GetObjectLockConfigurationCommand({ Bucket: "alpha-locked" }))).ObjectLockConfiguration?.Rule).toEqual({ DefaultRetention: { Mode: "GOVERNANCE", Days: 7 } });
    await east().send(new PutObjectLockConfigurationCommand({ Bucket: "alpha-locked", ObjectLockConfiguration: { ObjectLockEnabled: "Enabled" } }));
    expect((await east().send(new GetObjectLockConfigurationCommand({ Bucket: "alpha-locked" }))).ObjectLockConfiguration).toEqual({ ObjectLockEnabled: "Enabled" });
    const both = await failure(
      east().send(new PutObjectLockConfigurationCommand({ Bucket: "alpha-locked", ObjectLockConfiguration: { ObjectLockEnabled: "Enabled", Rule: { DefaultRetention: { Mode: "GOVERNANCE", Days: 1, Years: 1 } } } })),
    );
    expect(both.name).toBe("MalformedXML");
    await east().send(new PutBucketVersioningCommand({ Bucket: "alpha-pays", VersioningConfiguration: { Status: "Enabled" } }));
    await east().send(new PutObjectLockConfigurationCommand({ Bucket: "alpha-pays", ObjectLockConfiguration: cfg }));
    expect((await east().send(new GetObjectLockConfigurationCommand({ Bucket: "alpha-pays" }))).ObjectLockConfiguration?.ObjectLockEnabled).toBe("Enabled");
  });

  it("request payment and public access block: put, get, delete", async () => {
    await east().send(new PutBucketRequestPaymentCommand({ Bucket: "alpha-east", RequestPaymentConfiguration: { Payer: "Requester" } }));
    expect((await east().send(new GetBucketRequestPaymentCommand({ Bucket: "alpha-east" }))).Payer).toBe("Requester");
    await east().send(new PutPublicAccessBlockCommand({ Bucket: "alpha-east", PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false } }));
    expect((await east().send(new GetPublicAccessBlockCommand({ Bucket: "alpha-east" }))).PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    });
    await east().send(new DeletePublicAccessBlockCommand({ Bucket: "alpha-east" }));
    expect((await failure(east().send(new GetPublicAccessBlockCommand({ Bucket: "alpha-east" })))).name).toBe("NoSuchPublicAccessBlockConfiguration");
  });

  it("lifecycle: put keeps every rule, duplicate IDs refused, delete", async () => {
    const rules = [
      { ID: "expire-logs", Status: "Enabled" as const, Filter: { Prefix: "" }, Expiration: { Days: 90 } },
      { ID: "abort-mpu", Status: "Enabled" as const, Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 3 } },
      { ID: "noncurrent", Status: "Enabled" as const, Filter: { Prefix: "v/" }, NoncurrentVersionExpiration: { NoncurrentDays: 10 }, NoncurrentVersionTransitions: [{ NoncurrentDays: 5, StorageClass: "STANDARD_IA" as const }] },
    ];
    await east().send(new PutBucketLifecycleConfigurationCommand({ Bucket: "alpha-east", LifecycleConfiguration: { Rules: rules } }));
    const got = await east().send(new GetBucketLifecycleConfigurationCommand({ Bucket: "alpha-east" }));
    expect(got.Rules).toEqual(rules);
    const dup = await failure(east().send(new PutBucketLifecycleConfigurationCommand({ Bucket: "alpha-east", LifecycleConfiguration: { Rules: [rules[0]!, rules[0]!] } })));
    expect(dup.name).toBe("InvalidArgument");
    const noAction = await failure(east().send(new PutBucketLifecycleConfigurationCommand({ Bucket: "alpha-east", LifecycleConfiguration: { Rules: [{ ID: "x", Status: "Enabled", Filter: {} }] } })));
    expect(noAction.name).toBe("MalformedXML");
    await east().send(new DeleteBucketLifecycleCommand({ Bucket: "alpha-east" }));
    expect((await failure(east().send(new GetBucketLifecycleConfigurationCommand({ Bucket: "alpha-east" })))).name).toBe("NoSuchLifecycleConfiguration");
  });

  it("writes to another account's bucket are AccessDenied", async () => {
    const e = await failure(east().send(new PutBucketRequestPaymentCommand({ Bucket: "beta-east", RequestPaymentConfiguration: { Payer: "Requester" } })));
    expect(e.name).toBe("AccessDenied");
    expect(sim().state.buckets.get("beta-east")?.requestPayer).toBe("BucketOwner");
  });
});
