/** Fault injection (latency, throttling, denials, N-times errors, dropped connections), determinism and metrics. */
import { beforeEach, describe, expect, it, vi } from "vitest";
import { GetBucketLoggingCommand, GetBucketPolicyCommand, HeadBucketCommand, PutBucketPolicyCommand } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { ListAccountsCommand } from "@aws-sdk/client-organizations";
import { startSimulator, type Scenario } from "../../src/sim/index.js";
import { A, B, KEY_A, KEY_B, alphaOrganization, creds, failure, orgs, s3, simulatorForFile, sts } from "./helpers.js";

function scenario(): Scenario {
  return alphaOrganization(
    Array.from({ length: 10 }, (_, i) => ({ name: `alpha-${i}`, region: "us-east-1" })),
    [{ id: B, name: "beta", accessKeys: [KEY_B], buckets: [{ name: "beta-0", region: "us-east-1" }] }],
    { id: "o-faulttest001" },
  );
}

const POLICY = (b: string) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: `arn:aws:s3:::${b}/*`, Condition: { Bool: { "aws:SecureTransport": "false" } } }] });

const { sim } = simulatorForFile(scenario);
beforeEach(() => {
  sim().setFaults({});
  sim().resetMetrics();
});

const east = () => s3(sim(), "us-east-1", creds(KEY_A));

describe("latency", () => {
  it("adds the configured delay to every request, and per-operation latency rules add more", async () => {
    sim().setFaults({ latencyMs: 80 });
    let t = performance.now();
    await east().send(new GetBucketLoggingCommand({ Bucket: "alpha-0" }));
    expect(performance.now() - t).toBeGreaterThanOrEqual(75);
    sim().setFaults({ rules: [{ effect: "latency", operation: "GetBucketPolicy", latencyMs: 120 }] });
    t = performance.now();
    await failure(east().send(new GetBucketPolicyCommand({ Bucket: "alpha-0" })));
    expect(performance.now() - t).toBeGreaterThanOrEqual(115);
    t = performance.now();
    await east().send(new GetBucketLoggingCommand({ Bucket: "alpha-0" }));
    expect(performance.now() - t).toBeLessThan(100);
  });

  it("closing while delayed requests are pending ends them cleanly", async () => {
    const slow = await startSimulator({ scenario: scenario(), latencyMs: 150 });
    const pending = failure(s3(slow, "us-east-1", creds(KEY_A)).send(new GetBucketLoggingCommand({ Bucket: "alpha-0" })));
    // Close once the request has arrived (and waits out its latency), however loaded the machine.
    await vi.waitFor(() => expect(slow.metrics().total).toBe(1), { timeout: 5000, interval: 5 });
    await slow.close();
    expect((await pending).$metadata?.httpStatusCode).toBeUndefined();
    await new Promise((r) => setTimeout(r, 200));
    expect(slow.metrics().total).toBe(1);
  });

  it("startSimulator latencyMs applies from the start", async () => {
    const slow = await startSimulator({ scenario: scenario(), latencyMs: 60 });
    try {
      const t = performance.now();
      await sts(slow).send(new GetCallerIdentityCommand({}));
      expect(performance.now() - t).toBeGreaterThanOrEqual(55);
    } finally {
      await slow.close();
    }
  });
});

describe("throttling", () => {
  it("answers SlowDown 503 (S3), Throttling 400 (STS), TooManyRequestsException 400 (Organizations)", async () => {
    sim().setFaults({ throttleRate: 1 });
    const s = await failure(east().send(new GetBucketLoggingCommand({ Bucket: "alpha-0" })));
    expect([s.name, s.$metadata?.httpStatusCode]).toEqual(["SlowDown", 503]);
    const t = await failure(sts(sim()).send(new GetCallerIdentityCommand({})));
    expect([t.name, t.$metadata?.httpStatusCode]).toEqual(["Throttling", 400]);
    const o = await failure(orgs(sim()).send(new ListAccountsCommand({})));
    expect([o.name, o.$metadata?.httpStatusCode]).toEqual(["TooManyRequestsException", 400]);
  });

  it("a throttle rate affects about that fraction, deterministically per seed", async () => {
    const pattern = async (seed: number) => {
      const run = await startSimulator({ scenario: scenario(), throttleRate: 0.3, seed });
      const out: string[] = [];
      try {
        const c = s3(run, "us-east-1", creds(KEY_A));
        // concurrent requests: the outcome of the n-th request for a bucket does not depend on arrival order
        await Promise.all(
          Array.from({ length: 10 }, async (_, b) => {
            for (let i = 0; i < 10; i++) {
              try {
                await c.send(new GetBucketLoggingCommand({ Bucket: `alpha-${b}` }));
                out[b * 10 + i] = ".";
              } catch (err) {
                out[b * 10 + i] = (err as Error).name === "SlowDown" ? "T" : "?";
              }
            }
          }),
        );
        expect(run.metrics().byOperation.GetBucketLogging).toBe(100);
      } finally {
        await run.close();
      }
      return out.join("");
    };
    const a = await pattern(7);
    const again = await pattern(7);
    const other = await pattern(8);
    expect(again).toBe(a);
    expect(other).not.toBe(a);
    const throttled = [...a].filter((c) => c === "T").length;
    expect(throttled).toBeGreaterThan(15);
    expect(throttled).toBeLessThan(45);
    expect(a).not.toContain("?");
  });

  it("SDK retries absorb occasional throttling", async () => {
    sim().setFaults({ rules: [{ effect: "throttle", operation: "GetBucketLogging", times: 1 }] });
    const retrying = s3(sim(), "us-east-1", creds(KEY_A), { maxAttempts: 3 });
    await retrying.send(new GetBucketLoggingCommand({ Bucket: "alpha-1" }));
    expect(sim().metrics().byOperation.GetBucketLogging).toBe(2);
  });
});

describe("AccessDenied rules", () => {
  it("deny by operation and bucket glob, for writes and reads", async () => {
    sim().setFaults({ rules: [{ effect: "deny", operation: "PutBucketPolicy", bucket: "alpha-[0-4]" }] });
    const e = await failure(east().send(new PutBucketPolicyCommand({ Bucket: "alpha-3", Policy: POLICY("alpha-3") })));
    expect([e.name, e.$metadata?.httpStatusCode]).toEqual(["AccessDenied", 403]);
    expect(sim().state.buckets.get("alpha-3")?.policy).toBeUndefined();
    await east().send(new PutBucketPolicyCommand({ Bucket: "alpha-7", Policy: POLICY("alpha-7") }));
    await east().send(new GetBucketPolicyCommand({ Bucket: "alpha-7" }));
    sim().setFaults({ rules: [{ effect: "deny", operation: "Get*", bucket: "alpha-7" }] });
    expect((await failure(east().send(new GetBucketPolicyCommand({ Bucket: "alpha-7" })))).name).toBe("AccessDenied");
    expect((await east().send(new HeadBucketCommand({ Bucket: "alpha-7" }))).BucketRegion).toBe("us-east-1");
    sim().setFaults({ rules: [{ effect: "deny", operation: "HeadBucket" }] });
    const head = await failure(east().send(new HeadBucketCommand({ Bucket: "alpha-7" })));
    expect(head.$metadata?.httpStatusCode).toBe(403);
    expect(head.$response?.headers["x-amz-bucket-region"]).toBe("us-east-1");
  });

  it("deny by account and service", async () => {
    sim().setFaults({ rules: [{ effect: "deny", account: B }, { effect: "deny", service: "sts", operation: "AssumeRole" }] });
    expect((await failure(s3(sim(), "us-east-1", creds(KEY_B)).send(new GetBucketLoggingCommand({ Bucket: "beta-0" })))).name).toBe("AccessDenied");
    await east().send(new GetBucketLoggingCommand({ Bucket: "alpha-0" }));
    const ar = await failure(sts(sim()).send(new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${B}:role/R`, RoleSessionName: "denied" })));
    expect([ar.name, ar.$metadata?.httpStatusCode]).toEqual(["AccessDenied", 403]);
    const o = await failure(orgs(sim(), creds(KEY_B)).send(new ListAccountsCommand({})));
    expect(o.name).toBe("AccessDeniedException");
  });
});

describe("N-times failures", () => {
  it("fails the first call of an operation once, then succeeds", async () => {
    sim().setFaults({ rules: [{ effect: "error", operation: "GetBucketLogging", times: 1 }] });
    const e = await failure(east().send(new GetBucketLoggingCommand({ Bucket: "alpha-0" })));
    expect([e.name, e.$metadata?.httpStatusCode]).toEqual(["InternalError", 500]);
    await east().send(new GetBucketLoggingCommand({ Bucket: "alpha-0" }));
  });

  it("skip lets calls through before failing; custom codes and statuses; mid-apply failure of one bucket", async () => {
    sim().setFaults({ rules: [{ effect: "error", operation: "PutBucketPolicy", skip: 2, times: 1, code: "OperationAborted", status: 409 }] });
    const results: string[] = [];
    for (let i = 0; i < 5; i++) {
      try {
        await east().send(new PutBucketPolicyCommand({ Bucket: `alpha-${i}`, Policy: POLICY(`alpha-${i}`) }));
        results.push("ok");
      } catch (err) {
        results.push((err as Error).name);
      }
    }
    expect(results).toEqual(["ok", "ok", "OperationAborted", "ok", "ok"]);
    expect(sim().state.buckets.get("alpha-2")?.policy).toBeUndefined();
    expect(sim().state.buckets.get("alpha-3")?.policy).toBeDefined();
  });

  it("STS and Organizations failures use their own default codes", async () => {
    sim().setFaults({ rules: [{ effect: "error", service: "organizations", times: 1 }, { effect: "error", service: "sts", times: 1 }] });
    expect((await failure(orgs(sim()).send(new ListAccountsCommand({})))).name).toBe("ServiceException");
    expect((await failure(sts(sim()).send(new GetCallerIdentityCommand({})))).name).toBe("InternalFailure");
    expect((await orgs(sim()).send(new ListAccountsCommand({}))).Accounts).toHaveLength(2);
  });
});

describe("dropped connections", () => {
  it("destroys the socket without a response, by pattern and by rate", async () => {
    sim().setFaults({ rules: [{ effect: "drop", operation: "HeadBucket", times: 1 }] });
    const e = await failure(east().send(new HeadBucketCommand({ Bucket: "alpha-0" })));
    expect(e.$metadata?.httpStatusCode).toBeUndefined();
    expect(`${e.name} ${(e as { code?: string }).code ?? ""} ${e.message}`).toMatch(/ECONNRESET|socket hang up|aborted/i);
    expect((await east().send(new HeadBucketCommand({ Bucket: "alpha-0" }))).BucketRegion).toBe("us-east-1");
    sim().setFaults({ dropRate: 1 });
    await failure(east().send(new GetBucketLoggingCommand({ Bucket: "alpha-0" })));
    expect(sim().metrics().byOperation).toEqual({ HeadBucket: 2, GetBucketLogging: 1 });
  });
});

describe("metrics", () => {
  it("counts every request by operation and by account, over the API and over HTTP", async () => {
    await east().send(new GetBucketLoggingCommand({ Bucket: "alpha-0" }));
    await east().send(new GetBucketLoggingCommand({ Bucket: "alpha-1" }));
    await failure(east().send(new GetBucketPolicyCommand({ Bucket: "alpha-9" })));
    await s3(sim(), "us-east-1", creds(KEY_B)).send(new GetBucketLoggingCommand({ Bucket: "beta-0" }));
    await sts(sim()).send(new GetCallerIdentityCommand({}));
    await orgs(sim()).send(new ListAccountsCommand({}));
    const m = sim().metrics();
    expect(m.total).toBe(6);
    expect(m.byOperation).toEqual({ GetBucketLogging: 3, GetBucketPolicy: 1, GetCallerIdentity: 1, ListAccounts: 1 });
    expect(m.byAccount).toEqual({
      [A]: { GetBucketLogging: 2, GetBucketPolicy: 1, GetCallerIdentity: 1, ListAccounts: 1 },
      [B]: { GetBucketLogging: 1 },
    });
    const overHttp = (await (await fetch(`${sim().endpoint}/_sim/metrics`)).json());
    expect(overHttp).toEqual(m);
    sim().resetMetrics();
    expect(sim().metrics()).toEqual({ total: 0, byOperation: {}, byAccount: {} });
  });

  it("setFaults validates its input", () => {
    expect(() => sim().setFaults({ throttleRate: 2 })).toThrow(/faults\.throttleRate/);
    expect(() => sim().setFaults({ rules: [{ effect: "explode" as never }] })).toThrow(/faults\.rules\[0\]\.effect/);
  });
});
