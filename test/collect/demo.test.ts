import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SnapshotSchema, type Snapshot } from "../../src/model/snapshot.js";
import { DEMO_ACCOUNTS } from "../../src/sim/index.js";
import { bucket, collect, ops, sim, type RunningSim } from "./helpers.js";

let s: RunningSim;
const hosts: string[] = [];
let lookups = 0;
const originals = {
  http: http.Agent.prototype.createConnection,
  https: https.Agent.prototype.createConnection,
  lookup: dns.lookup,
};

beforeAll(async () => {
  s = await sim("demo");
  // Record every socket the SDK opens, and every DNS lookup: nothing may leave 127.0.0.1.
  for (const [proto, orig] of [
    [http.Agent.prototype, originals.http],
    [https.Agent.prototype, originals.https],
  ] as const) {
    (proto as { createConnection: unknown }).createConnection = function (this: unknown, options: { host?: string; hostname?: string }, ...rest: unknown[]) {
      hosts.push(String(options.host ?? options.hostname));
      return (orig as (...a: unknown[]) => unknown).call(this, options, ...rest);
    };
  }
  (dns as { lookup: unknown }).lookup = (...args: unknown[]) => {
    lookups++;
    return (originals.lookup as (...a: unknown[]) => unknown)(...args);
  };
});

afterAll(async () => {
  http.Agent.prototype.createConnection = originals.http;
  https.Agent.prototype.createConnection = originals.https;
  (dns as { lookup: unknown }).lookup = originals.lookup;
  await s.close();
});

describe("collect: the caller's account of the demo organization", () => {
  let snap: Snapshot;
  beforeAll(async () => {
    s.resetMetrics();
    snap = await collect(s);
  });

  it("produces a valid snapshot of exactly the caller's account", () => {
    expect(SnapshotSchema.parse(snap)).toEqual(snap);
    expect(snap.kind).toBe("s3-log-auditor-snapshot");
    expect(snap.partition).toBe("aws");
    expect(snap.scope).toEqual({ accounts: [DEMO_ACCOUNTS.management], regions: null });
    expect(snap.accounts).toEqual([{ id: DEMO_ACCOUNTS.management, status: "ok", regions: ["us-east-1"] }]);
    expect(snap.errors).toEqual([]);
    const expected = [...s.state.buckets.values()].filter((b) => b.account === DEMO_ACCOUNTS.management).map((b) => b.name).sort();
    expect(snap.buckets.map((b) => b.name)).toEqual(expected);
    for (const b of snap.buckets) expect(b.account).toBe(DEMO_ACCOUNTS.management);
  });

  it("takes Regions from ListBuckets and never calls GetBucketLocation", () => {
    const m = ops(s);
    expect(m.ListBuckets).toBe(1);
    expect(m.GetBucketLocation ?? 0).toBe(0);
    expect(m.GetBucketLogging).toBe(snap.buckets.length);
  });

  it("opened sockets only to 127.0.0.1 and looked up no host name", () => {
    expect(hosts.length).toBeGreaterThan(0);
    expect(new Set(hosts)).toEqual(new Set(["127.0.0.1"]));
    expect(lookups).toBe(0);
  });
});

describe("collect: the production account (many rule situations)", () => {
  let snap: Snapshot;
  beforeAll(async () => {
    s.resetMetrics();
    snap = await collect(s, { accounts: [DEMO_ACCOUNTS.production] });
  });

  it("attributes buckets to their Regions and reads logging configurations as configured", () => {
    const sim = s.state.buckets;
    for (const b of snap.buckets) {
      const truth = sim.get(b.name);
      expect(truth, b.name).toBeDefined();
      expect(b.region).toBe(truth?.region);
      expect(b.logging.status).toBe("ok");
      if (b.logging.status !== "ok") continue;
      if (!truth?.logging) expect(b.logging.value).toBeNull();
      else {
        expect(b.logging.value?.targetBucket).toBe(truth.logging.targetBucket);
        expect(b.logging.value?.targetPrefix).toBe(truth.logging.targetPrefix);
      }
    }
    expect(new Set(snap.buckets.map((b) => b.region))).toEqual(new Set(["us-east-1", "eu-west-1", "ap-southeast-2"]));
    expect(snap.accounts[0]?.regions).toEqual(["ap-southeast-2", "eu-west-1", "us-east-1"]);
    const partitioned = snap.buckets.find((b) => b.name === "demo-prod-syd-partitioned-noslash");
    expect(partitioned?.logging).toMatchObject({ status: "ok", value: { keyFormat: { type: "partitioned" }, keyFormatExplicit: true } });
    const grants = bucket(snap, "demo-prod-eu-grants-source");
    expect(grants.logging.status === "ok" && grants.logging.value?.targetGrants.length).toBeGreaterThan(0);
  });

  it("reads the 8 facts of each distinct target once, in the target's Region, and only for targets", () => {
    const targets = new Set<string>();
    for (const b of snap.buckets) if (b.logging.status === "ok" && b.logging.value) targets.add(b.logging.value.targetBucket);
    const owned = [...targets].filter((t) => snap.buckets.some((b) => b.name === t));
    for (const b of snap.buckets) expect(b.targetFacts !== undefined, b.name).toBe(owned.includes(b.name));
    const m = ops(s);
    for (const op of ["GetBucketPolicy", "GetBucketAcl", "GetBucketOwnershipControls", "GetBucketEncryption", "GetObjectLockConfiguration", "GetBucketRequestPayment", "GetPublicAccessBlock", "GetBucketLifecycleConfiguration"]) {
      expect(m[op], op).toBe(owned.length);
    }
    const kms = bucket(snap, "demo-target-sse-kms-222222222222").targetFacts;
    expect(kms?.encryption).toMatchObject({ status: "ok", value: { algorithm: "aws:kms" } });
    const lock = bucket(snap, "demo-target-object-lock-222222222222").targetFacts;
    expect(lock?.objectLock).toMatchObject({ status: "ok", value: { enabled: true, defaultRetention: { mode: "GOVERNANCE", days: 30 } } });
    const rp = bucket(snap, "demo-target-requester-pays-222222222222").targetFacts;
    expect(rp?.requestPayment).toEqual({ status: "ok", value: "Requester" });
    const central = bucket(snap, "demo-logs-222222222222-us-east-1").targetFacts;
    expect(central?.publicAccessBlock).toEqual({
      status: "ok",
      value: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
    });
    expect(central?.ownership).toEqual({ status: "ok", value: "BucketOwnerEnforced" });
    expect(central?.policy.status).toBe("ok");
    expect(central?.lifecycle.status === "ok" && central.lifecycle.value.length).toBeGreaterThan(0);
    // Absent configurations are data, not errors.
    const noGrant = snap.buckets.find((b) => b.targetFacts?.policy.status === "absent");
    expect(noGrant?.targetFacts?.policy).toEqual({ status: "absent", code: "NoSuchBucketPolicy" });
    expect(snap.errors).toEqual([]);
  });

  it("classifies targets outside the account: a deleted one is missing, another account's is foreign", () => {
    expect(snap.externalTargets).toEqual([
      { account: DEMO_ACCOUNTS.production, name: "demo-deleted-log-bucket-222222222222", state: "missing" },
      { account: DEMO_ACCOUNTS.production, name: "demo-logs-333333333333-us-east-1", state: "foreign", region: "us-east-1" },
    ]);
    expect(ops(s).HeadBucket).toBe(2);
  });
});

describe("collect: filters", () => {
  it("--regions and --buckets narrow the scan; targets they exclude are still collected, out of scope", async () => {
    s.resetMetrics();
    const snap = await collect(s, { accounts: [DEMO_ACCOUNTS.production], regions: ["eu-west-1"], bucketGlobs: ["demo-prod-eu-*"] });
    const inScope = snap.buckets.filter((b) => b.inScope !== false);
    expect(inScope.length).toBeGreaterThan(0);
    for (const b of inScope) {
      expect(b.region).toBe("eu-west-1");
      expect(b.name.startsWith("demo-prod-eu-")).toBe(true);
    }
    const outOfScope = snap.buckets.filter((b) => b.inScope === false);
    expect(outOfScope.length).toBeGreaterThan(0);
    for (const b of outOfScope) {
      // each is the target of an in-scope source, with its facts and its own logging read
      expect(inScope.some((src) => src.logging.status === "ok" && src.logging.value?.targetBucket === b.name)).toBe(true);
      expect(b.targetFacts).toBeDefined();
      expect(b.logging.status).toBe("ok");
    }
    expect(snap.scope).toEqual({ accounts: [DEMO_ACCOUNTS.production], regions: ["eu-west-1"], bucketGlobs: ["demo-prod-eu-*"] });
    expect(snap.accounts[0]?.regions).toEqual(["eu-west-1"]);
    expect(ops(s).GetBucketLogging).toBe(snap.buckets.length);
  });

  it("follows a logging chain out of scope far enough to see a cycle", async () => {
    const snap = await collect(s, { org: true, bucketGlobs: ["demo-loop3-a-*"] });
    const inScope = snap.buckets.filter((b) => b.inScope !== false).map((b) => b.name);
    expect(inScope.length).toBe(1);
    const names = snap.buckets.map((b) => b.name).sort();
    expect(names.filter((n) => n.startsWith("demo-loop3-")).length).toBe(3);
  });
});

describe("collect: interruption", () => {
  it("stops promptly with the abort reason when the signal fires", async () => {
    const controller = new AbortController();
    const started = performance.now();
    const run = collect(s, {
      org: true,
      signal: controller.signal,
      onProgress: (e) => {
        if (e.type === "bucket-read") controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
