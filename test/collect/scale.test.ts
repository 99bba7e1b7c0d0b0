import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ListBucketsCommand } from "@aws-sdk/client-s3";
import { ClientPool, collectSnapshot } from "../../src/collect/index.js";
import type { Snapshot } from "../../src/model/snapshot.js";
import { generateScenario } from "../../src/sim/index.js";
import { CREDS, collect, ops, sim, type RunningSim, type Scenario } from "./helpers.js";

function strip(snap: Snapshot) {
  const { startedAt: _s, finishedAt: _f, scope: _scope, ...rest } = snap;
  return rest;
}

describe("collect: sharding", () => {
  let s: RunningSim;
  beforeAll(async () => {
    // 25 accounts: ListAccounts needs two pages (20 per page); 3 of them suspended.
    s = await sim(generateScenario({ accounts: 25, bucketsPerAccount: 2, suspendedAccounts: 3, seed: 3 }));
  });
  afterAll(async () => {
    await s.close();
  });

  it("shards 1/3, 2/3, 3/3 partition the accounts exactly and together equal the full scan", async () => {
    const full = await collect(s, { org: true });
    expect(full.scope.accounts.length).toBe(22);
    expect(full.errors).toEqual([]);
    const shards = await Promise.all([1, 2, 3].map((index) => collect(s, { org: true, shard: { index, count: 3 } })));
    const ids = shards.map((x) => x.scope.accounts);
    for (const list of ids) expect(list.length).toBeGreaterThan(0);
    expect(ids.flat().sort()).toEqual(full.scope.accounts);
    expect(new Set(ids.flat()).size).toBe(22);
    const merged = {
      accounts: shards.flatMap((x) => x.accounts).sort((a, b) => a.id.localeCompare(b.id)),
      buckets: shards.flatMap((x) => x.buckets).sort((a, b) => a.account.localeCompare(b.account) || a.name.localeCompare(b.name)),
      externalTargets: shards.flatMap((x) => x.externalTargets).sort((a, b) => a.account.localeCompare(b.account) || a.name.localeCompare(b.name)),
      errors: shards.flatMap((x) => x.errors),
    };
    const f = strip(full);
    expect(merged.accounts).toEqual(f.accounts);
    expect(merged.buckets).toEqual(f.buckets);
    expect(merged.externalTargets).toEqual(f.externalTargets);
    expect(merged.errors).toEqual(f.errors);
    // The same shard twice is the same subset.
    const again = await collect(s, { org: true, shard: { index: 2, count: 3 } });
    expect(again.scope.accounts).toEqual(ids[1]);
  });
});

describe("collect: API economy", () => {
  // One account: N sources over K distinct targets (3 owned + 1 missing), no BucketRegion lookups.
  const N = 60;
  const owned = ["econ-logs-1", "econ-logs-2", "econ-logs-3"];
  const scenario: Scenario = {
    accounts: [
      {
        id: "123456789012",
        name: "econ",
        buckets: [
          ...owned.map((name) => ({ name, region: "us-east-1" })),
          ...Array.from({ length: N }, (_, i) => ({
            name: `econ-src-${i}`,
            region: "us-east-1",
            logging: { targetBucket: i % 20 === 0 ? "econ-missing" : (owned[i % 3] as string), targetPrefix: `econ-src-${i}/` },
          })),
        ],
      },
    ],
  };
  let s: RunningSim;
  beforeAll(async () => {
    s = await sim(scenario);
  });
  afterAll(async () => {
    await s.close();
  });

  it("≤ one GetBucketLogging per bucket, no GetBucketLocation, target reads ∝ distinct targets", async () => {
    s.resetMetrics();
    const snap = await collect(s);
    const m = ops(s);
    const buckets = N + owned.length;
    expect(snap.buckets.length).toBe(buckets);
    expect(m.GetBucketLogging).toBe(buckets);
    expect(m.GetBucketLocation ?? 0).toBe(0);
    expect(m.ListBuckets).toBe(1);
    for (const op of ["GetBucketPolicy", "GetBucketAcl", "GetBucketOwnershipControls", "GetBucketEncryption", "GetObjectLockConfiguration", "GetBucketRequestPayment", "GetPublicAccessBlock", "GetBucketLifecycleConfiguration"]) {
      expect(m[op], op).toBe(owned.length);
    }
    expect(m.HeadBucket).toBe(1);
    expect(snap.externalTargets).toEqual([{ account: "123456789012", name: "econ-missing", state: "missing" }]);
    const total = Object.values(m).reduce((a, b) => a + b, 0);
    // STS GetCallerIdentity + ListBuckets + N+3 logging + 8 per owned target + 1 HeadBucket
    expect(total).toBe(1 + 1 + buckets + 8 * owned.length + 1);
  });

  it("falls back to GetBucketLocation only when ListBuckets gives no BucketRegion", async () => {
    // A pool whose ListBuckets answers lose BucketRegion, as with endpoints that do not send it.
    class NoRegionPool extends ClientPool {
      override s3Sync(account: string, region: string) {
        const client = super.s3Sync(account, region);
        if (!(client as { _stripped?: boolean })._stripped) {
          (client as { _stripped?: boolean })._stripped = true;
          client.middlewareStack.add(
            (next, context) => async (args) => {
              const out = await next(args);
              if (context.commandName === ListBucketsCommand.name) {
                for (const b of (out.output as { Buckets?: { BucketRegion?: string }[] }).Buckets ?? []) delete b.BucketRegion;
              }
              return out;
            },
            { step: "initialize", name: "stripBucketRegion" },
          );
        }
        return client;
      }
    }
    s.resetMetrics();
    const pool = new NoRegionPool({ endpointUrl: s.endpoint, credentials: CREDS });
    try {
      const snap = await collectSnapshot({ pool, bucketGlobs: ["econ-src-1*", "econ-logs-*"] });
      const m = ops(s);
      const inScope = snap.buckets.filter((b) => b.inScope !== false);
      // Only buckets matching --buckets need their Region (plus targets they name, already among them).
      expect(m.GetBucketLocation).toBe(inScope.length);
      for (const b of snap.buckets) expect(b.region).toBe("us-east-1");
      expect(snap.errors).toEqual([]);
    } finally {
      pool.destroy();
    }
  });
});
