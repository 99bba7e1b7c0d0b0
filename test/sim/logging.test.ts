/** PutBucketLogging / GetBucketLogging fidelity, and the object calls used for delivered-log checks. */
import { describe, expect, it } from "vitest";
import {
  GetBucketLoggingCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketLoggingCommand,
  PutObjectCommand,
  DeleteObjectCommand,
} from "@aws-sdk/client-s3";
import type { Scenario } from "../../src/sim/index.js";
import { B, alphaOrganization, failure, simulatorForFile } from "./helpers.js";

function scenario(): Scenario {
  return alphaOrganization(
    [
      { name: "src-east", region: "us-east-1" },
      { name: "src-eu", region: "eu-west-1" },
      { name: "logs-east", region: "us-east-1" },
      { name: "logs-east-acl", region: "us-east-1", ownership: "BucketOwnerPreferred" },
      { name: "logs-east-no-controls", region: "us-east-1", ownership: null },
      { name: "logs-eu", region: "eu-west-1" },
      { name: "logs-no-permission", region: "us-east-1", policy: null },
      { name: "src-configured", region: "us-east-1", logging: { targetBucket: "logs-east", targetPrefix: "src-configured/" } },
    ],
    [{ id: B, name: "beta", buckets: [{ name: "beta-logs-east", region: "us-east-1" }] }],
  );
}

const { sim, east, eu } = simulatorForFile(scenario);

const enable = (Bucket: string, TargetBucket: string, extra: Record<string, unknown> = {}) =>
  new PutBucketLoggingCommand({ Bucket, BucketLoggingStatus: { LoggingEnabled: { TargetBucket, TargetPrefix: `${Bucket}/`, ...extra } } });

describe("GetBucketLogging", () => {
  it("omits LoggingEnabled when logging is off and TargetObjectKeyFormat when it was not set", async () => {
    expect((await east().send(new GetBucketLoggingCommand({ Bucket: "src-east" }))).LoggingEnabled).toBeUndefined();
    expect((await east().send(new GetBucketLoggingCommand({ Bucket: "src-configured" }))).LoggingEnabled).toEqual({ TargetBucket: "logs-east", TargetPrefix: "src-configured/" });
  });
});

describe("PutBucketLogging validations", () => {
  it("accepts a same-account, same-Region target with partitioned keys, and round-trips it", async () => {
    await east().send(enable("src-east", "logs-east", { TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: "DeliveryTime" } } }));
    expect((await east().send(new GetBucketLoggingCommand({ Bucket: "src-east" }))).LoggingEnabled).toEqual({
      TargetBucket: "logs-east",
      TargetPrefix: "src-east/",
      TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: "DeliveryTime" } },
    });
    await east().send(enable("src-east", "logs-east", { TargetObjectKeyFormat: { SimplePrefix: {} } }));
    expect((await east().send(new GetBucketLoggingCommand({ Bucket: "src-east" }))).LoggingEnabled?.TargetObjectKeyFormat).toEqual({ SimplePrefix: {} });
  });

  it("accepts a target that grants no delivery permission (as AWS does today)", async () => {
    await east().send(enable("src-east", "logs-no-permission"));
    expect(sim().state.buckets.get("src-east")?.logging?.targetBucket).toBe("logs-no-permission");
  });

  it("accepts the source itself as target (a loop is not an API error)", async () => {
    await east().send(enable("src-east", "src-east"));
    expect((await east().send(new GetBucketLoggingCommand({ Bucket: "src-east" }))).LoggingEnabled?.TargetBucket).toBe("src-east");
  });

  it("refuses a missing target: InvalidTargetBucketForLogging 400 with <TargetBucket>", async () => {
    const e = await failure(east().send(enable("src-east", "does-not-exist-anywhere")));
    expect(e.name).toBe("InvalidTargetBucketForLogging");
    expect(e.$metadata?.httpStatusCode).toBe(400);
    expect(e.message).toBe("The target bucket for logging does not exist");
    expect(e.TargetBucket).toBe("does-not-exist-anywhere");
  });

  it("refuses a target in another Region: CrossLocationLoggingProhibitted 403 with locations", async () => {
    const fromEast = await failure(east().send(enable("src-east", "logs-eu")));
    expect(fromEast.name).toBe("CrossLocationLoggingProhibitted");
    expect(fromEast.$metadata?.httpStatusCode).toBe(403);
    expect(fromEast.TargetBucketLocation).toBe("eu-west-1");
    expect(fromEast.SourceBucketLocation).toBeUndefined();
    const fromEu = await failure(eu().send(enable("src-eu", "logs-east")));
    expect(fromEu.TargetBucketLocation).toBe("us-east-1");
    expect(fromEu.SourceBucketLocation).toBe("eu-west-1");
  });

  it("refuses a target of another account", async () => {
    const e = await failure(east().send(enable("src-east", "beta-logs-east")));
    expect(e.name).toBe("InvalidTargetBucketForLogging");
    expect(e.message).toBe("The owner for the bucket to be logged and the target bucket must be the same");
  });

  it("refuses TargetGrants on a BucketOwnerEnforced target, accepts them where ACLs are enabled", async () => {
    const grants = [{ Grantee: { Type: "Group" as const, URI: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers" }, Permission: "READ" as const }];
    const e = await failure(east().send(enable("src-east", "logs-east", { TargetGrants: grants })));
    expect(e.name).toBe("InvalidTargetBucketForLogging");
    expect(e.message).toBe("Target grants not allowed for bucket owner enforced buckets");
    await east().send(enable("src-east", "logs-east-acl", { TargetGrants: grants }));
    await east().send(enable("src-configured", "logs-east-no-controls", { TargetGrants: grants }));
    expect((await east().send(new GetBucketLoggingCommand({ Bucket: "src-east" }))).LoggingEnabled?.TargetGrants).toEqual(grants);
  });

  it("refuses email-address grantees (405 since October 2025)", async () => {
    const e = await failure(east().send(enable("src-east", "logs-east-acl", { TargetGrants: [{ Grantee: { Type: "AmazonCustomerByEmail", EmailAddress: "a@example.com" }, Permission: "READ" }] })));
    expect(e.$metadata?.httpStatusCode).toBe(405);
  });

  it("an empty BucketLoggingStatus disables logging", async () => {
    await east().send(new PutBucketLoggingCommand({ Bucket: "src-configured", BucketLoggingStatus: {} }));
    expect((await east().send(new GetBucketLoggingCommand({ Bucket: "src-configured" }))).LoggingEnabled).toBeUndefined();
  });

  it("checks the source bucket first: missing source is NoSuchBucket, wrong Region is PermanentRedirect", async () => {
    expect((await failure(east().send(enable("no-such-source-bucket", "logs-east")))).name).toBe("NoSuchBucket");
    expect((await failure(eu().send(enable("src-east", "logs-east")))).name).toBe("PermanentRedirect");
  });
});

describe("objects", () => {
  it("PutObject (plain and streamed), GetObject, ListObjectsV2 with prefix, max-keys and continuation, DeleteObject", async () => {
    for (let i = 0; i < 7; i++) await east().send(new PutObjectCommand({ Bucket: "logs-east", Key: `src-east/2026-01-0${i + 1}-00-00-00-ABC${i}`, Body: `log line ${i}\n` }));
    await east().send(new PutObjectCommand({ Bucket: "logs-east", Key: "other/x", Body: "x" }));
    const { Readable } = await import("node:stream");
    await east().send(new PutObjectCommand({ Bucket: "logs-east", Key: "other/streamed", Body: Readable.from([Buffer.from("stream-"), Buffer.from("body")]), ContentLength: 11 }));
    const got = await east().send(new GetObjectCommand({ Bucket: "logs-east", Key: "other/streamed" }));
    expect(await got.Body?.transformToString()).toBe("stream-body");

    const keys: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await east().send(new ListObjectsV2Command({ Bucket: "logs-east", Prefix: "src-east/", MaxKeys: 3, ...(token ? { ContinuationToken: token } : {}) }));
      expect(page.KeyCount).toBe(page.Contents?.length ?? 0);
      keys.push(...(page.Contents ?? []).map((c) => c.Key as string));
      expect(page.IsTruncated).toBe(page.NextContinuationToken !== undefined);
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(keys).toHaveLength(7);
    expect(keys[0]).toBe("src-east/2026-01-01-00-00-00-ABC0");
    const first = await east().send(new ListObjectsV2Command({ Bucket: "logs-east", Prefix: "src-east/", MaxKeys: 1 }));
    expect(first.Contents?.[0]?.Size).toBe(11);
    expect(first.Contents?.[0]?.LastModified).toBeInstanceOf(Date);
    const delim = await east().send(new ListObjectsV2Command({ Bucket: "logs-east", Delimiter: "/" }));
    expect(delim.CommonPrefixes?.map((p) => p.Prefix)).toEqual(["other/", "src-east/"]);
    await east().send(new DeleteObjectCommand({ Bucket: "logs-east", Key: "other/x" }));
    expect((await east().send(new ListObjectsV2Command({ Bucket: "logs-east", Prefix: "other/" }))).Contents?.map((c) => c.Key)).toEqual(["other/streamed"]);
    const missing = await failure(east().send(new GetObjectCommand({ Bucket: "logs-east", Key: "nope" })));
    expect(missing.name).toBe("NoSuchKey");
  });

  it("PutObject into another account's bucket is AccessDenied", async () => {
    expect((await failure(east().send(new PutObjectCommand({ Bucket: "beta-logs-east", Key: "k", Body: "b" })))).name).toBe("AccessDenied");
  });
});
