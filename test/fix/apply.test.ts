/**
 * Apply and undo through the real SDK clients against the simulator: round trip, idempotence,
 * drift, failures midway, abort, journal consistency.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { ClientPool } from "../../src/collect/index.js";
import {
  applyPlan,
  readJournal,
  undoJournal,
  type ApplyEvent,
  type Plan,
} from "../../src/fix/index.js";
import { startSimulator } from "../../src/sim/index.js";
import { CreateBucketCommand, PutBucketLoggingCommand, PutBucketPolicyCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { collectSnapshot } from "../../src/collect/index.js";
import { comparable, expectNothingLost, failing, planFixes, poolFor, snapshotOf, tempDir, type Sim } from "./helpers.js";
import { LOGS_POLICY, MEMBER, MGMT, fixScenario } from "./scenario.js";

let sim: Sim;
let pool: ClientPool;
let dir: string;

beforeEach(async () => {
  sim = await startSimulator({ scenario: fixScenario(), port: 0 });
  pool = poolFor(sim);
  dir = tempDir();
});
afterEach(async () => {
  pool.destroy();
  await sim.close();
});

const clients = () => (account: string, region: string) => pool.s3(account, region);

async function planNow(): Promise<Plan> {
  const s = await snapshotOf(sim);
  return planFixes(s, failing(s));
}

describe("apply + undo round trip (engine)", () => {
  it("fixes every fixable finding, keeps every statement and rule, is idempotent, and undo restores the snapshot", async () => {
    const before = await snapshotOf(sim);
    const fixable = failing(before).filter((f) => f.fixable);
    expect(fixable.length).toBeGreaterThan(5);
    const plan = planFixes(before, failing(before));
    const events: ApplyEvent[] = [];
    const journalPath = join(dir, "j.jsonl");
    const summary = await applyPlan(plan, { clients: clients(), journalPath, onEvent: (e) => events.push(e) });
    expect(summary.failed).toBe(0);
    expect(summary.skippedDrifted).toBe(0);
    expect(summary.applied + summary.alreadyApplied).toBe(plan.steps.filter((s) => !s.manual).length);
    expect(events.filter((e) => e.type === "verified").every((e) => e.type === "verified" && e.ok)).toBe(true);

    const after = await snapshotOf(sim);
    expect(failing(after).filter((f) => f.fixable)).toEqual([]);
    await expectNothingLost(pool, before);
    // Log buckets were created in each account+Region that needed one.
    const names = after.buckets.map((b) => b.name);
    expect(names).toContain(`s3-access-logs-${MGMT}-us-east-1`);
    expect(names).toContain(`s3-access-logs-${MGMT}-eu-west-1`);
    expect(names).toContain(`s3-access-logs-${MEMBER}-us-east-1`);

    // Second apply of the same plan: nothing written.
    const again = await applyPlan(plan, { clients: clients(), journalPath: join(dir, "j2.jsonl") });
    expect(again.writes).toBe(0);
    expect(again.failed + again.skippedDrifted).toBe(0);
    // A fresh plan is empty.
    expect((await planNow()).steps.filter((s) => !s.manual)).toEqual([]);

    const undo = await undoJournal(journalPath, { clients: clients(), journalPath: join(dir, "u.jsonl") });
    expect(undo.failed + undo.skippedDrifted + undo.bucketsNotEmpty).toBe(0);
    expect(undo.bucketsDeleted).toBe(3);
    expect(comparable(await snapshotOf(sim))).toEqual(comparable(before));
    // Undo journaled its own writes.
    const uj = readJournal(join(dir, "u.jsonl"));
    expect(uj.headers[0]?.command).toBe("undo");
    expect(uj.entries.length).toBe(undo.writes);
  });

  it("journals the prior state before each write (fsync'd JSON lines)", async () => {
    const plan = await planNow();
    const journalPath = join(dir, "j.jsonl");
    const summary = await applyPlan(plan, { clients: clients(), journalPath });
    const lines = readFileSync(journalPath, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string; seq?: number });
    expect(lines[0]).toMatchObject({ type: "header", kind: "s3-log-auditor-journal", schemaVersion: 1, command: "fix" });
    const writes = lines.filter((l) => l.type === "write");
    expect(writes).toHaveLength(summary.writes);
    // every write record is followed (later) by its result
    for (const w of writes) {
      const i = lines.indexOf(w);
      expect(lines.slice(i + 1).some((l) => l.type === "result" && l.seq === w.seq)).toBe(true);
    }
    const policyWrite = readJournal(journalPath).entries.find((e) => e.write.bucket === "team-logs" && e.write.resource === "policy");
    expect(policyWrite?.write.priorRaw).toBeDefined();
    expect(JSON.parse(policyWrite!.write.priorRaw!)).toEqual(LOGS_POLICY);
  });
});

describe("selection and appended runs", () => {
  it("applies a selection with its dependencies; two runs appended to one journal are undone together", async () => {
    const before = await snapshotOf(sim);
    const plan = planFixes(before, failing(before));
    const journalPath = join(dir, "j.jsonl");
    const app = plan.steps.find((x) => x.bucket === "app-data" && x.operation === "PutBucketLogging")!;
    const first = await applyPlan(plan, { clients: clients(), journalPath, stepIds: [app.id] });
    // the selected step plus the log bucket steps it depends on
    expect(Object.keys(first.outcomes).sort()).toEqual([app.id, ...app.dependsOn].sort());
    expect(first.failed).toBe(0);
    const second = await applyPlan(plan, { clients: clients(), journalPath });
    for (const id of Object.keys(first.outcomes)) expect(second.outcomes[id]).toBe("already-applied");
    expect(second.applied).toBeGreaterThan(0);
    const j = readJournal(journalPath);
    expect(j.headers).toHaveLength(2);
    await undoJournal(journalPath, { clients: clients(), journalPath: join(dir, "u.jsonl") });
    expect(comparable(await snapshotOf(sim))).toEqual(comparable(before));
  });
});

describe("narrowed scans", () => {
  it("a --buckets-filtered scan that does not list the existing log bucket merges into it", async () => {
    await applyPlan(await planNow(), { clients: clients(), journalPath: join(dir, "j.jsonl") });
    const client = await pool.s3(MGMT, "us-east-1");
    await client.send(new CreateBucketCommand({ Bucket: "late-bucket" }));
    const pool2 = poolFor(sim);
    let s;
    try {
      s = await collectSnapshot({ pool: pool2, bucketGlobs: ["late-*"], endpointUrl: sim.endpoint, region: "us-east-1" });
    } finally {
      pool2.destroy();
    }
    const lb = `s3-access-logs-${MGMT}-us-east-1`;
    expect(s.buckets.map((b) => b.name)).toEqual(["late-bucket"]);
    const plan = planFixes(s, failing(s));
    expect(plan.steps.find((x) => x.bucket === lb && x.operation === "PutBucketPolicy")?.beforeKnown).toBe(false);
    const events: ApplyEvent[] = [];
    const summary = await applyPlan(plan, { clients: clients(), journalPath: join(dir, "j2.jsonl"), onEvent: (e) => events.push(e) });
    expect(summary.failed + summary.skippedDrifted + summary.skippedDependent).toBe(0);
    expect(events.filter((e) => e.type === "applied").map((e) => `${e.step.bucket}:${e.step.operation}`)).toEqual([
      `${lb}:PutBucketPolicy`,
      "late-bucket:PutBucketLogging",
    ]);
    const after = await snapshotOf(sim);
    expect(failing(after).filter((f) => f.fixable)).toEqual([]);
    const pol = after.buckets.find((b) => b.name === lb)?.targetFacts?.policy;
    expect(pol?.status === "ok" && pol.value).toContain("arn:aws:s3:::late-bucket");
    expect(pol?.status === "ok" && pol.value).toContain("arn:aws:s3:::app-data");
  });
});

describe("faults", () => {
  it("a failed write midway: that step fails, its dependents are skipped, unrelated steps apply; undo works", async () => {
    const before = await snapshotOf(sim);
    const plan = planFixes(before, failing(before));
    // The EU log bucket's policy write fails (one-shot InternalError) → EU source logging is skipped.
    sim.setFaults({ rules: [{ effect: "error", service: "s3", operation: "PutBucketPolicy", bucket: `s3-access-logs-${MGMT}-eu-west-1`, code: "InternalError", status: 500, times: 10 }] });
    const events: ApplyEvent[] = [];
    const journalPath = join(dir, "j.jsonl");
    const summary = await applyPlan(plan, { clients: clients(), journalPath, onEvent: (e) => events.push(e) });
    sim.setFaults({});
    expect(summary.failed).toBe(1);
    const failed = events.find((e) => e.type === "failed");
    expect(failed?.step.bucket).toBe(`s3-access-logs-${MGMT}-eu-west-1`);
    expect(failed?.type === "failed" && failed.error.code).toBe("InternalError");
    const dependent = events.filter((e) => e.type === "skipped-dependent").map((e) => e.step.bucket);
    expect(dependent).toEqual(["eu-reports"]);
    expect(summary.applied).toBeGreaterThan(8);
    // journal: the failed write is recorded with its result
    const j = readJournal(journalPath);
    const fe = j.entries.find((e) => e.write.stepId === failed!.step.id);
    expect(fe?.result?.outcome).toBe("failed");
    // undo restores everything, including the half-built EU log bucket
    const undo = await undoJournal(journalPath, { clients: clients(), journalPath: join(dir, "u.jsonl") });
    expect(undo.failed + undo.skippedDrifted).toBe(0);
    expect(comparable(await snapshotOf(sim))).toEqual(comparable(before));
  });

  it("a resource changed between plan and apply is skipped as drifted (and its dependents)", async () => {
    const plan = await planNow();
    const client = await pool.s3(MGMT, "us-east-1");
    // Someone points app-data's logging somewhere else after the plan was made.
    await client.send(
      new PutBucketLoggingCommand({ Bucket: "app-data", BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "team-logs", TargetPrefix: "app-data/" } } }),
    );
    // ... and edits team-logs' policy.
    await client.send(
      new PutBucketPolicyCommand({ Bucket: "team-logs", Policy: JSON.stringify({ Version: "2012-10-17", Statement: [LOGS_POLICY.Statement[1]] }) }),
    );
    const events: ApplyEvent[] = [];
    const summary = await applyPlan(plan, { clients: clients(), journalPath: join(dir, "j.jsonl"), onEvent: (e) => events.push(e) });
    const drifted = events.filter((e) => e.type === "skipped-drifted").map((e) => `${e.step.bucket}:${e.step.operation}`);
    expect(drifted.sort()).toEqual(["app-data:PutBucketLogging", "team-logs:PutBucketPolicy"]);
    expect(events.filter((e) => e.type === "skipped-dependent").map((e) => e.step.bucket)).toContain("web-front");
    expect(summary.skippedDrifted).toBe(2);
    expect(summary.failed).toBe(0);
    // the drifted resources were not touched
    const s = await snapshotOf(sim);
    const app = s.buckets.find((b) => b.name === "app-data");
    expect(app?.logging).toMatchObject({ status: "ok", value: { targetBucket: "team-logs", targetPrefix: "app-data/" } });
  });

  it("checks the policy size limit before a merge made at apply time (failed, nothing written)", async () => {
    const plan = await planNow();
    const i = plan.steps.findIndex((x) => x.bucket === "team-logs" && x.operation === "PutBucketPolicy");
    const big = { Sid: "S3ServerAccessLogsDelivery", Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::team-logs/${"x".repeat(21_000)}` };
    const step = { ...plan.steps[i]!, beforeKnown: false, patch: { kind: "policy-statement" as const, statement: big } } as Plan["steps"][number];
    const events: ApplyEvent[] = [];
    const journalPath = join(dir, "j.jsonl");
    const summary = await applyPlan({ ...plan, steps: [step] }, { clients: clients(), journalPath, onEvent: (e) => events.push(e) });
    expect(summary.failed).toBe(1);
    expect(summary.writes).toBe(0);
    const failed = events.find((e) => e.type === "failed");
    expect(failed?.type === "failed" && failed.error.code).toBe("PolicyTooLarge");
    // nothing was written: no journal either
    expect(existsSync(journalPath)).toBe(false);
  });

  it("an abort stops after the step in flight; the journal is consistent and undo restores", async () => {
    const before = await snapshotOf(sim);
    const plan = planFixes(before, failing(before));
    const controller = new AbortController();
    let applied = 0;
    const summary = await applyPlan(plan, {
      clients: clients(),
      journalPath: join(dir, "j.jsonl"),
      signal: controller.signal,
      concurrency: 1,
      onEvent: (e) => {
        if (e.type === "applied" && ++applied === 3) controller.abort();
      },
    });
    expect(summary.aborted).toBe(true);
    expect(summary.applied).toBe(3);
    expect(summary.notRun).toBeGreaterThan(0);
    const j = readJournal(join(dir, "j.jsonl"));
    expect(j.entries).toHaveLength(3);
    expect(j.entries.every((e) => e.result?.outcome === "applied")).toBe(true);
    await undoJournal(join(dir, "j.jsonl"), { clients: clients(), journalPath: join(dir, "u.jsonl") });
    expect(comparable(await snapshotOf(sim))).toEqual(comparable(before));
  });

  it("undo does not clobber a resource changed since the fix, unless forced", async () => {
    const before = await snapshotOf(sim);
    const plan = planFixes(before, failing(before));
    const journalPath = join(dir, "j.jsonl");
    await applyPlan(plan, { clients: clients(), journalPath });
    const client = await pool.s3(MGMT, "us-east-1");
    await client.send(
      new PutBucketLoggingCommand({ Bucket: "app-data", BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "team-logs", TargetPrefix: "changed/" } } }),
    );
    // a log object arrives in the created log bucket → it must not be deleted
    const lb = `s3-access-logs-${MGMT}-us-east-1`;
    await client.send(new PutObjectCommand({ Bucket: lb, Key: "web-front/2026-01-01-00-00-00-AAAA", Body: "log" }));
    const u = await undoJournal(journalPath, { clients: clients(), journalPath: join(dir, "u.jsonl") });
    expect(u.skippedDrifted).toBe(1);
    expect(u.bucketsNotEmpty).toBe(1);
    expect((await snapshotOf(sim)).buckets.map((b) => b.name)).toContain(lb);
    const s = await snapshotOf(sim);
    expect(s.buckets.find((b) => b.name === "app-data")?.logging).toMatchObject({ status: "ok", value: { targetPrefix: "changed/" } });
    const forced = await undoJournal(journalPath, { clients: clients(), journalPath: join(dir, "u2.jsonl"), force: true });
    expect(forced.restored).toBeGreaterThanOrEqual(1);
    expect((await snapshotOf(sim)).buckets.find((b) => b.name === "app-data")?.logging).toMatchObject({ status: "ok", value: null });
  });
});
