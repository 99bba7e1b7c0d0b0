import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Snapshot } from "../../src/model/snapshot.js";
import type { ProgressEvent } from "../../src/progress/events.js";
import { initialProgressState, progressReducer } from "../../src/progress/index.js";
import type { BucketSpec } from "../../src/sim/index.js";
import { bucket, collect, ops, sim, type RunningSim, type Scenario } from "./helpers.js";

const MGMT = "100000000001";
const A = "100000000002"; // healthy, role requires an external id
const B = "100000000003"; // no audit role: AssumeRole denied
const C = "100000000004"; // throttled
const D = "100000000005"; // one denied bucket read, one denied target read
const E = "100000000006"; // SUSPENDED
const F = "100000000007"; // PENDING_CLOSURE
const H = "100000000008"; // ap-southeast-2 fails as a whole

const ROLE = { name: "OrganizationAccountAccessRole" };

function sources(prefix: string, n: number, region: string, target: string): BucketSpec[] {
  return Array.from({ length: n }, (_, i) => ({
    name: `${prefix}-${i}`,
    region,
    logging: { targetBucket: target, targetPrefix: `${prefix}-${i}/` },
  }));
}

function logs(name: string, region: string): BucketSpec {
  return { name, region, publicAccessBlock: true, lifecycle: [{ ID: "x", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 30 } }] };
}

const scenario: Scenario = {
  organization: { id: "o-testorg00001", managementAccount: MGMT },
  accounts: [
    { id: MGMT, name: "mgmt", buckets: [logs("mgmt-logs", "us-east-1"), ...sources("mgmt-src", 3, "us-east-1", "mgmt-logs")] },
    {
      id: A,
      name: "a",
      roles: [{ ...ROLE, externalId: "ext-123" }],
      buckets: [logs("a-logs-use1", "us-east-1"), logs("a-logs-euw1", "eu-west-1"), ...sources("a-use1", 4, "us-east-1", "a-logs-use1"), ...sources("a-euw1", 4, "eu-west-1", "a-logs-euw1")],
    },
    { id: B, name: "b-no-role", buckets: [logs("b-logs", "us-east-1"), ...sources("b-src", 2, "us-east-1", "b-logs")] },
    { id: C, name: "c-throttled", roles: [ROLE], buckets: [logs("c-logs", "us-east-1"), ...sources("c-src", 12, "us-east-1", "c-logs")] },
    {
      id: D,
      name: "d-denied",
      roles: [ROLE],
      buckets: [logs("d-logs", "us-east-1"), ...sources("d-src", 3, "us-east-1", "d-logs"), { name: "d-secret", region: "us-east-1", logging: { targetBucket: "d-logs", targetPrefix: "s/" } }],
    },
    { id: E, name: "e-suspended", state: "SUSPENDED", roles: [ROLE], buckets: [logs("e-logs", "us-east-1")] },
    { id: F, name: "f-closing", state: "PENDING_CLOSURE", roles: [ROLE], buckets: [logs("f-logs", "us-east-1")] },
    {
      id: H,
      name: "h-region",
      roles: [ROLE],
      buckets: [logs("h-logs-use1", "us-east-1"), ...sources("h-use1", 3, "us-east-1", "h-logs-use1"), logs("h-ap-logs", "ap-southeast-2"), ...sources("h-ap-src", 5, "ap-southeast-2", "h-ap-logs")],
    },
  ],
  faults: {
    seed: 7,
    rules: [
      { effect: "throttle", account: C, rate: 0.25 },
      { effect: "deny", account: D, bucket: "d-secret", operation: "GetBucketLogging" },
      { effect: "deny", account: D, bucket: "d-logs", operation: "GetBucketPolicy" },
      { effect: "error", account: H, bucket: "h-ap-*", code: "InvalidToken", status: 400, message: "The provided token is malformed or otherwise invalid." },
    ],
  },
};

let s: RunningSim;
let snap: Snapshot;
const events: ProgressEvent[] = [];

beforeAll(async () => {
  s = await sim(scenario);
  snap = await collect(s, { org: true, externalId: "ext-123", concurrency: 8, perAccountConcurrency: 3, onProgress: (e) => events.push(e) });
});
afterAll(async () => {
  await s.close();
});

describe("collect --org: partial failures", () => {
  it("scans exactly the ACTIVE accounts", () => {
    expect(snap.scope.accounts).toEqual([MGMT, A, B, C, D, H]);
    expect(snap.accounts.map((a) => [a.id, a.name, a.status])).toEqual([
      [MGMT, "mgmt", "ok"],
      [A, "a", "ok"],
      [B, "b-no-role", "error"],
      [C, "c-throttled", "ok"],
      [D, "d-denied", "partial"],
      [H, "h-region", "partial"],
    ]);
    expect(snap.buckets.some((b) => b.account === E || b.account === F)).toBe(false);
  });

  it("records each failure exactly once in errors", () => {
    expect(snap.errors.map(({ message: _m, ...rest }) => rest)).toEqual([
      { account: B, operation: "AssumeRole", code: "AccessDenied" },
      { account: D, region: "us-east-1", bucket: "d-logs", operation: "GetBucketPolicy", code: "AccessDenied" },
      { account: D, region: "us-east-1", bucket: "d-secret", operation: "GetBucketLogging", code: "AccessDenied" },
      { account: H, region: "ap-southeast-2", operation: "GetBucketLogging", code: "InvalidToken" },
    ]);
    for (const e of snap.errors) expect(e.message.length).toBeGreaterThan(0);
  });

  it("keeps a denied read as an error value, and everything else of that account complete", () => {
    expect(bucket(snap, "d-secret").logging).toMatchObject({ status: "error", operation: "GetBucketLogging", code: "AccessDenied" });
    const logsFacts = bucket(snap, "d-logs").targetFacts;
    expect(logsFacts?.policy).toMatchObject({ status: "error", operation: "GetBucketPolicy", code: "AccessDenied" });
    expect(logsFacts?.acl.status).toBe("ok");
    expect(logsFacts?.publicAccessBlock.status).toBe("ok");
    for (const name of ["d-src-0", "d-src-1", "d-src-2"]) {
      expect(bucket(snap, name).logging).toMatchObject({ status: "ok", value: { targetBucket: "d-logs" } });
    }
  });

  it("an account whose role cannot be assumed has no buckets and is not called further", () => {
    expect(snap.buckets.some((b) => b.account === B)).toBe(false);
    expect(s.metrics().byAccount[B] ?? {}).toEqual({});
  });

  it("completes a throttled account through retries, with every read ok", () => {
    const cBuckets = snap.buckets.filter((b) => b.account === C);
    expect(cBuckets.length).toBe(13);
    for (const b of cBuckets) expect(b.logging.status).toBe("ok");
    const facts = bucket(snap, "c-logs").targetFacts;
    for (const read of Object.values(facts ?? {})) expect(["ok", "absent"]).toContain(read.status);
    const cCalls = Object.values(s.metrics().byAccount[C] ?? {}).reduce((a, b) => a + b, 0);
    const unthrottled = 1 + 13 + 8 + 1; // AssumeRole, ListBuckets, GetBucketLogging ×13, facts ×8
    expect(cCalls).toBeGreaterThan(unthrottled); // retries happened
  });

  it("a failing Region yields one errors entry; its buckets are errors; other Regions complete", () => {
    for (let i = 0; i < 5; i++) {
      expect(bucket(snap, `h-ap-src-${i}`).logging).toMatchObject({ status: "error", code: "InvalidToken" });
    }
    for (let i = 0; i < 3; i++) expect(bucket(snap, `h-use1-${i}`).logging.status).toBe("ok");
    expect(bucket(snap, "h-logs-use1").targetFacts?.policy.status).toBe("absent");
    expect(snap.accounts.find((a) => a.id === H)?.regions).toEqual(["ap-southeast-2", "us-east-1"]);
  });

  it("assumes roles with the external id", () => {
    expect(snap.buckets.filter((b) => b.account === A).length).toBe(10);
    expect(bucket(snap, "a-euw1-0").region).toBe("eu-west-1");
    expect(bucket(snap, "a-logs-euw1").targetFacts).toBeDefined();
  });

  it("reports progress consistent with the snapshot", () => {
    const final = events.reduce(progressReducer, initialProgressState);
    expect(final.accountsTotal).toBe(6);
    expect(final.accountsDone).toBe(6);
    expect(final.errors).toBe(snap.errors.length);
    expect(final.bucketsFound).toBe(snap.buckets.length);
    expect(final.bucketsRead).toBe(snap.buckets.length);
    expect(final.done).toBe(true);
    expect(final.inFlight).toBe(0);
    const maxInFlight = Math.max(...events.filter((e) => e.type === "calls").map((e) => (e.type === "calls" ? e.inFlight : 0)));
    expect(maxInFlight).toBeLessThanOrEqual(8);
    expect(final.finished.map((f) => f.account).sort()).toEqual(snap.scope.accounts);
    // Every request the simulator saw (retries included) went through the pools, except the
    // first GetCallerIdentity.
    expect(final.callsCompleted).toBe(s.metrics().total - 1);
  });

  it("made no GetBucketLocation call and one ListBuckets per reachable account", () => {
    const m = ops(s);
    expect(m.GetBucketLocation ?? 0).toBe(0);
    expect(m.ListBuckets).toBe(5);
  });
});
