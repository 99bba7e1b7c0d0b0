import { describe, expect, it } from "vitest";
import { accountState, fnv1a, selectAccounts, shardOf } from "../../src/collect/accounts.js";
import { parseShard } from "../../src/collect/target-syntax.js";
import { endpointOverridden, memoizeCredentials } from "../../src/collect/clients.js";
import { classifyFailure, errorCode, errorHeader, errorMessage, isRegionLevel } from "../../src/collect/errors.js";
import { normaliseLocation, normaliseLogging, normaliseEncryption, normaliseLifecycle } from "../../src/collect/normalise.js";
import { Scheduler } from "../../src/collect/scheduler.js";

function sdkError(name: string, status: number, message = `${name} message`, headers: Record<string, string> = {}) {
  const e = new Error(message) as Error & { $metadata: unknown; $response: unknown };
  e.name = name;
  e.$metadata = { httpStatusCode: status };
  e.$response = { statusCode: status, headers };
  return e;
}

describe("error classification", () => {
  it("treats an operation's own 'not configured' code as absent data", () => {
    expect(classifyFailure("GetBucketPolicy", sdkError("NoSuchBucketPolicy", 404))).toEqual({ status: "absent", code: "NoSuchBucketPolicy" });
    expect(classifyFailure("GetBucketOwnershipControls", sdkError("OwnershipControlsNotFoundError", 404)).status).toBe("absent");
    expect(classifyFailure("GetBucketEncryption", sdkError("ServerSideEncryptionConfigurationNotFoundError", 404)).status).toBe("absent");
    expect(classifyFailure("GetObjectLockConfiguration", sdkError("ObjectLockConfigurationNotFoundError", 404)).status).toBe("absent");
    expect(classifyFailure("GetPublicAccessBlock", sdkError("NoSuchPublicAccessBlockConfiguration", 404)).status).toBe("absent");
    expect(classifyFailure("GetBucketLifecycleConfiguration", sdkError("NoSuchLifecycleConfiguration", 404)).status).toBe("absent");
  });

  it("treats everything else, including another operation's absent code, as an error with operation and code", () => {
    expect(classifyFailure("GetBucketLogging", sdkError("AccessDenied", 403, "Access Denied\nmore"))).toEqual({
      status: "error",
      operation: "GetBucketLogging",
      code: "AccessDenied",
      message: "Access Denied",
    });
    expect(classifyFailure("GetBucketAcl", sdkError("NoSuchBucketPolicy", 404)).status).toBe("error");
    expect(classifyFailure("GetBucketPolicy", sdkError("SlowDown", 503)).status).toBe("error");
  });

  it("derives a code from Node network errors and bare HTTP statuses", () => {
    const net = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:1"), { code: "ECONNREFUSED" });
    expect(errorCode(net)).toBe("ECONNREFUSED");
    expect(isRegionLevel("ECONNREFUSED")).toBe(true);
    const bare = sdkError("Error", 500, "");
    expect(errorCode(bare)).toBe("Http500");
    expect(errorMessage(bare)).toBe("HTTP 500");
    expect(errorCode(undefined)).toBe("UnknownError");
    expect(errorMessage(new Error("x".repeat(1000))).length).toBeLessThanOrEqual(300);
    expect(errorHeader(sdkError("Forbidden", 403, "", { "X-Amz-Bucket-Region": "eu-west-1" }), "x-amz-bucket-region")).toBe("eu-west-1");
    expect(isRegionLevel("AccessDenied")).toBe(false);
  });
});

describe("normalisation", () => {
  it("normalises GetBucketLocation's legacy values", () => {
    expect(normaliseLocation(undefined)).toBe("us-east-1");
    expect(normaliseLocation(null)).toBe("us-east-1");
    expect(normaliseLocation("")).toBe("us-east-1");
    expect(normaliseLocation("EU")).toBe("eu-west-1");
    expect(normaliseLocation("ap-south-1")).toBe("ap-south-1");
  });

  it("normalises logging configurations, key formats and grants", () => {
    const base = { $metadata: {} };
    expect(normaliseLogging({ ...base })).toBeNull();
    expect(normaliseLogging({ ...base, LoggingEnabled: { TargetBucket: "t", TargetPrefix: "p/" } })).toEqual({
      targetBucket: "t",
      targetPrefix: "p/",
      targetGrants: [],
      keyFormat: { type: "simple" },
      keyFormatExplicit: false,
    });
    expect(
      normaliseLogging({
        ...base,
        LoggingEnabled: {
          TargetBucket: "t",
          TargetPrefix: "",
          TargetGrants: [{ Grantee: { Type: "Group", URI: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, Permission: "WRITE" }],
          TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: "DeliveryTime" } },
        },
      }),
    ).toEqual({
      targetBucket: "t",
      targetPrefix: "",
      targetGrants: [{ grantee: { type: "Group", uri: "http://acs.amazonaws.com/groups/s3/LogDelivery" }, permission: "WRITE" }],
      keyFormat: { type: "partitioned", partitionDateSource: "DeliveryTime" },
      keyFormatExplicit: true,
    });
    expect(normaliseLogging({ ...base, LoggingEnabled: { TargetBucket: "t", TargetPrefix: "", TargetObjectKeyFormat: { SimplePrefix: {} } } })?.keyFormatExplicit).toBe(true);
  });

  it("keeps encryption and lifecycle as plain JSON", () => {
    expect(
      normaliseEncryption({
        $metadata: {},
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: "aws:kms", KMSMasterKeyID: "k" }, BucketKeyEnabled: true }],
        },
      }),
    ).toEqual({ status: "ok", value: { algorithm: "aws:kms", kmsKeyId: "k", bucketKeyEnabled: true } });
    const rules = normaliseLifecycle({
      $metadata: {},
      Rules: [{ ID: "r", Status: "Enabled", Expiration: { Date: new Date("2030-01-01T00:00:00Z") }, Filter: { Prefix: "" } }],
    });
    expect(rules).toEqual([{ ID: "r", Status: "Enabled", Expiration: { Date: "2030-01-01T00:00:00.000Z" }, Filter: { Prefix: "" } }]);
  });
});

describe("accounts and shards", () => {
  it("reads State and falls back to Status", () => {
    expect(accountState({ State: "SUSPENDED", Status: "ACTIVE" })).toBe("SUSPENDED");
    expect(accountState({ Status: "ACTIVE" })).toBe("ACTIVE");
    expect(accountState({})).toBeUndefined();
  });

  it("parses I/N and rejects anything else", () => {
    expect(parseShard("2/3")).toEqual({ index: 2, count: 3 });
    for (const bad of ["0/3", "4/3", "1/0", "a/b", "1", "1/2/3", "-1/2"]) expect(parseShard(bad)).toBeUndefined();
  });

  it("partitions any account list exactly and stably", () => {
    const ids = Array.from({ length: 500 }, (_, i) => String(100000000000 + i * 7919));
    const accounts = ids.map((id) => ({ id }));
    const shards = [1, 2, 3].map((index) => selectAccounts(accounts, [], { index, count: 3 }).map((a) => a.id));
    expect(shards.flat().sort()).toEqual([...ids].sort());
    for (const s of shards) expect(s.length).toBeGreaterThan(100); // roughly balanced
    expect(new Set(shards.flat()).size).toBe(ids.length);
    expect(shardOf(ids[0] as string, 3)).toBe(shardOf(ids[0] as string, 3));
    expect(fnv1a("")).toBe(0x811c9dc5);
  });

  it("applies exclusions and removes duplicates", () => {
    const out = selectAccounts([{ id: "1" }, { id: "2", name: "b" }, { id: "1" }, { id: "3" }], ["3"], undefined);
    expect(out).toEqual([{ id: "1" }, { id: "2", name: "b" }]);
  });
});

describe("client options", () => {
  it("uses path-style whenever an endpoint override is in effect", () => {
    expect(endpointOverridden("http://127.0.0.1:1", {})).toBe(true);
    expect(endpointOverridden(undefined, {})).toBe(false);
    expect(endpointOverridden(undefined, { AWS_ENDPOINT_URL: "http://127.0.0.1:1" })).toBe(true);
    expect(endpointOverridden(undefined, { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:1" })).toBe(true);
    expect(endpointOverridden(undefined, { AWS_ENDPOINT_URL_S3: "x", AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" })).toBe(false);
  });

  it("memoises credentials, shares one call in flight and refreshes before expiry", async () => {
    let calls = 0;
    let expiresIn = 3_600_000;
    const provider = memoizeCredentials(async () => {
      calls++;
      return { accessKeyId: `k${calls}`, secretAccessKey: "s", expiration: new Date(Date.now() + expiresIn) };
    });
    const [a, b] = await Promise.all([provider(), provider()]);
    expect(calls).toBe(1);
    expect(a).toBe(b);
    expect((await provider()).accessKeyId).toBe("k1");
    expiresIn = 60_000; // next credentials are inside the 5-minute refresh window
    const fresh = memoizeCredentials(async () => {
      calls++;
      return { accessKeyId: `k${calls}`, secretAccessKey: "s", expiration: new Date(Date.now() + expiresIn) };
    });
    await fresh();
    await fresh();
    expect(calls).toBe(3);
    let failures = 0;
    const failing = memoizeCredentials(async () => {
      failures++;
      throw new Error("denied");
    });
    await expect(failing()).rejects.toThrow("denied");
    await expect(failing()).rejects.toThrow("denied");
    expect(failures).toBe(2);
  });
});

describe("scheduler", () => {
  it("bounds calls globally and per account, and counts them", async () => {
    let inFlight = 0;
    let maxGlobal = 0;
    const perAccount = new Map<string, number>();
    const maxPerAccount = new Map<string, number>();
    const seen: number[] = [];
    const s = new Scheduler(6, 2, (n) => seen.push(n));
    const task = (acct: string) => async () => {
      inFlight++;
      perAccount.set(acct, (perAccount.get(acct) ?? 0) + 1);
      maxGlobal = Math.max(maxGlobal, inFlight);
      maxPerAccount.set(acct, Math.max(maxPerAccount.get(acct) ?? 0, perAccount.get(acct) ?? 0));
      await new Promise((r) => setImmediate(r));
      inFlight--;
      perAccount.set(acct, (perAccount.get(acct) ?? 0) - 1);
      return acct;
    };
    const jobs: Promise<string>[] = [];
    for (const acct of ["a", "b", "c", "d", "e"]) {
      const run = s.forAccount(acct);
      for (let i = 0; i < 10; i++) jobs.push(run(task(acct)));
    }
    await Promise.all(jobs);
    expect(maxGlobal).toBe(6);
    for (const m of maxPerAccount.values()) expect(m).toBeLessThanOrEqual(2);
    expect(s.completed).toBe(50);
    expect(s.inFlight).toBe(0);
    expect(Math.max(...seen)).toBe(6);
  });
});
