/**
 * Full round trips through the built CLI (`dist/cli.js`, built by `npm test`) against the
 * simulator running in this process: fix --yes → scan → undo → scan, plan files, refusals,
 * faults and Ctrl-C.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PutBucketLoggingCommand } from "@aws-sdk/client-s3";
import { readJournal } from "../../src/fix/index.js";
import type { Snapshot } from "../../src/model/snapshot.js";
import { startSimulator } from "../../src/sim/index.js";
import { cliEnv, comparable, expectNothingLost, failing, runCli, snapshotOf, tempDir, type Sim, withPool } from "./helpers.js";
import { MGMT, fixScenario } from "./scenario.js";

const writeOps = (sim: Sim) =>
  Object.entries(sim.metrics().byOperation)
    .filter(([op, n]) => /^(Put|Create|Delete)/.test(op) && n > 0)
    .map(([op]) => op);

function bucketsWhere(s: Snapshot, pred: (b: Snapshot["buckets"][number]) => boolean): string[] {
  return s.buckets.filter(pred).map((b) => b.name).sort();
}

/** A demo organization of a describe block's own: started before its tests, closed after them. */
function demoOrganization(): { sim: Sim; dir: string } {
  const o = {} as { sim: Sim; dir: string };
  beforeAll(async () => {
    o.sim = await startSimulator({ scenario: "demo", port: 0 });
    o.dir = tempDir();
  });
  afterAll(async () => {
    await o.sim.close();
  });
  return o;
}

describe("fix --yes / undo on the demo organization (CLI round trip)", () => {
  const demo = demoOrganization();

  it("leaves no failing fixable finding, keeps every statement and rule; undo restores the snapshot", async () => {
    const env = cliEnv(demo.sim);
    const scan0 = await runCli(["scan", "--org", "--format", "json", "--fail-on", "none", "-q", "--save-snapshot", join(demo.dir, "before.json")], env);
    expect(scan0.code).toBe(0);
    const before = JSON.parse(readFileSync(join(demo.dir, "before.json"), "utf8")) as Snapshot;
    const fixableBefore = (JSON.parse(scan0.stdout) as { findings: { status: string; fixable: boolean }[] }).findings.filter(
      (f) => f.status === "fail" && f.fixable,
    );
    expect(fixableBefore.length).toBeGreaterThan(20);

    const journal = join(demo.dir, "journal.jsonl");
    const fix = await runCli(["fix", "--org", "--yes", "--journal", journal], env);
    expect(fix.stderr).not.toMatch(/FAILED/);
    expect(fix.code, "a manual step is left to do: exit 1").toBe(1);
    expect(fix.stdout).toMatch(/^Summary: \d+ applied, \d+ already applied, 0 skipped \(0 drifted, 0 dependent\), 0 failed, 1 manual\.$/m);
    expect(fix.stdout).toContain(`Undo with: s3-log-auditor undo ${journal}`);

    const scan1 = await runCli(["scan", "--org", "--format", "json", "--fail-on", "none", "-q"], env);
    const report = JSON.parse(scan1.stdout) as { findings: { ruleId: string; status: string; fixable: boolean; bucket: string }[] };
    const left = report.findings.filter((f) => f.status === "fail");
    expect(left.filter((f) => f.fixable)).toEqual([]);
    // Only the explicit Deny (manual, never rewritten) remains.
    expect(left.map((f) => f.ruleId)).toEqual(["delivery-permitted"]);
    await withPool(demo.sim, (pool) => expectNothingLost(pool, before));

    // Running the same fix again changes nothing.
    demo.sim.resetMetrics();
    const again = await runCli(["fix", "--org", "--yes", "--journal", join(demo.dir, "again.jsonl"), "-q"], env);
    expect(again.code, "the manual step is still left").toBe(1);
    expect(writeOps(demo.sim)).toEqual([]);

    const undo = await runCli(["undo", journal, "--journal", join(demo.dir, "undo.jsonl")], env);
    expect(undo.code, "something is not restorable and a bucket is kept: exit 1").toBe(1);
    expect(undo.stdout).toMatch(/0 skipped \(drifted\), 0 failed/);
    await runCli(["scan", "--org", "--format", "json", "--fail-on", "none", "-q", "--save-snapshot", join(demo.dir, "after.json")], env);
    const after = JSON.parse(readFileSync(join(demo.dir, "after.json"), "utf8")) as Snapshot;

    // AWS (and the simulator) refuse to write back a broken logging configuration: a target that
    // does not exist, belongs to another account, is in another Region, or grants on an
    // owner-enforced target. Undo reports exactly those and keeps their fixed configuration.
    const refused = [...undo.stderr.matchAll(/^not restorable\s+\S+ \d+ \S+ (\S+): logging/gm)].map((m) => m[1]!).sort();
    const brokenBefore = [
      ...new Set(
        failing(before)
          .filter((f) => ["target-exists", "target-same-account", "target-same-region", "target-grants-compatible"].includes(f.ruleId))
          .map((f) => f.bucket),
      ),
    ].sort();
    expect(refused, undo.stderr).toEqual(brokenBefore);
    expect(before.externalTargets.map((t) => t.name).sort()).toEqual(["demo-deleted-log-bucket-222222222222", "demo-logs-333333333333-us-east-1"]);
    // The log bucket they now log into is kept (created by the fix, still in use).
    const kept = [...undo.stderr.matchAll(/^kept bucket\s+\S+ \d+ \S+ (\S+): bucket: created by the fix and still the log target of/gm)].map((m) => m[1]!);
    expect(kept).toEqual(["s3-access-logs-222222222222-us-east-1"]);
    const strip = (s: Snapshot) => ({
      ...s,
      externalTargets: [], // only the refused configurations named external targets
      buckets: s.buckets
        .filter((b) => !kept.includes(b.name))
        .map((b) => (refused.includes(b.name) ? { ...b, logging: { status: "ok" as const, value: null } } : b)),
    });
    expect(comparable(strip(after) as Snapshot)).toEqual(comparable(strip(before) as Snapshot));
    // Everything else is exactly as before, and the refused ones keep a working configuration.
    expect(
      bucketsWhere(after, (b) => refused.includes(b.name) && b.logging.status === "ok" && b.logging.value !== null),
    ).toEqual(refused);
    expect(failing(after).filter((f) => refused.includes(f.bucket) && f.ruleId !== "delivery-permitted")).toEqual([]);
    expect(after.buckets.find((b) => b.name === kept[0])?.targetFacts?.policy.status).toBe("ok");
  });
});

describe("exit codes of apply and undo agree with their help and the README (issue 10 item 11)", () => {
  const demo = demoOrganization();

  it("fix and undo exit 0 when everything is done and restored", async () => {
    const env = cliEnv(demo.sim);
    const journal = join(demo.dir, "ok.jsonl");
    // first, on the untouched organization: one source without logging (log bucket created, then deleted by undo)
    const fix = await runCli(["fix", "--org", "--yes", "--journal", journal, "--buckets", "demo-prod-no-logging", "-q"], env);
    expect(fix.stdout).toMatch(/0 failed, 0 manual\.$/m);
    expect(fix.code).toBe(0);
    const undo = await runCli(["undo", journal, "--journal", join(demo.dir, "ok-u.jsonl"), "-q"], env);
    expect(undo.stdout).toMatch(/0 bucket\(s\) kept .* 0 skipped \(drifted\), 0 failed\.$/m);
    expect(undo.code).toBe(0);
  });

  it("fix --apply with a manual step left exits 1; undo with kept or not restorable exits 1; the help says so", async () => {
    const env = cliEnv(demo.sim);
    const planFile = join(demo.dir, "plan.json");
    expect((await runCli(["fix", "--org", "--plan-out", planFile, "-q"], env)).code).toBe(0);
    const manual = (JSON.parse(readFileSync(planFile, "utf8")) as { steps: { manual?: unknown }[] }).steps.filter((x) => x.manual);
    expect(manual).toHaveLength(1);
    const journal = join(demo.dir, "j.jsonl");
    const apply = await runCli(["fix", "--apply", planFile, "--yes", "--journal", journal, "-q"], env);
    expect(apply.stdout).toMatch(/0 skipped \(0 drifted, 0 dependent\), 0 failed, 1 manual\.$/m);
    expect(apply.code).toBe(1);
    const undo = await runCli(["undo", journal, "--journal", join(demo.dir, "u.jsonl"), "-q"], env);
    expect(undo.stdout).toMatch(/0 skipped \(drifted\), 0 failed, [1-9]\d* not restorable/);
    expect(undo.stdout).toMatch(/[1-9]\d* bucket\(s\) kept/);
    expect(undo.code).toBe(1);
    // undoing it again: everything is already as before except what was kept → still 1
    const again = await runCli(["undo", journal, "--journal", join(demo.dir, "u2.jsonl"), "-q"], env);
    expect(again.code).toBe(1);
    const fixHelp = (await runCli(["fix", "--help"], env)).stdout.replace(/\s+/g, " ");
    expect(fixHelp).toMatch(/1 a step failed or was skipped .* or a manual step is left to do/);
    const undoHelp = (await runCli(["undo", "--help"], env)).stdout.replace(/\s+/g, " ");
    expect(undoHelp).toMatch(/0 everything restored \(or already as before\), 1 something failed, was skipped \(drift\), kept .* or is not restorable/);
    const readme = readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8").replace(/\s+/g, " ");
    expect(readme).toMatch(/`undo` exits 0 when everything was restored .* 1 when anything failed, was skipped \(drift\), was kept or is not restorable/);
    expect(readme).toMatch(/\| 1 \|[^|]*a `manual` step is left to do/);
  });
});

describe("fix CLI: plans, refusals, faults, Ctrl-C", () => {
  let sim: Sim;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const fresh = async () => {
    await sim?.close();
    sim = await startSimulator({ scenario: fixScenario(), port: 0 });
    env = cliEnv(sim);
    dir = tempDir();
  };
  beforeAll(fresh);
  afterAll(async () => {
    await sim.close();
  });

  it("refuses to apply without --yes outside a terminal (exit 2, nothing done)", async () => {
    sim.resetMetrics();
    const r = await runCli(["fix", "--org"], env, { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toEqual([
      "s3-log-auditor: not a terminal: use --plan-out FILE to write the plan (then --apply FILE --yes), or --yes to plan and apply",
    ]);
    expect(sim.metrics().total).toBe(0);
  });

  it("--plan-out writes the plan and a summary, and writes nothing to AWS", async () => {
    sim.resetMetrics();
    const planFile = join(dir, "plan.json");
    const r = await runCli(["fix", "--org", "--plan-out", planFile, "-q"], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Plan for \d+ bucket\(s\), resolving \d+ finding\(s\):$/m);
    expect(r.stdout).toMatch(/^Plan: \d+ to create, \d+ to change, \d+ already in place, 0 manual: (up to )?\d+ AWS write\(s\)/m);
    expect(r.stdout).toContain(`apply with: s3-log-auditor fix --apply ${planFile} --yes`);
    const plan = JSON.parse(readFileSync(planFile, "utf8")) as { kind: string; schemaVersion: number; steps: unknown[] };
    expect(plan.kind).toBe("s3-log-auditor-plan");
    expect(plan.schemaVersion).toBe(1);
    expect(plan.steps.length).toBeGreaterThan(5);
    expect(writeOps(sim)).toEqual([]);
  });

  it("rejects a malformed plan or another schema version: one line, exit 2, nothing written", async () => {
    const bad = join(dir, "bad.json");
    const cases: [string, RegExp][] = [
      ["{ not json", /not a valid plan file \(invalid JSON/],
      [JSON.stringify({ kind: "s3-log-auditor-plan", schemaVersion: 2, steps: [] }), /plan schema version 2 is not supported \(expected 1\)/],
      [JSON.stringify({ kind: "s3-log-auditor-plan", schemaVersion: 1, steps: "x" }), /invalid plan file at /],
      [JSON.stringify({ kind: "something-else" }), /not an s3-log-auditor-plan file/],
    ];
    for (const [text, msg] of cases) {
      writeFileSync(bad, text);
      sim.resetMetrics();
      const r = await runCli(["fix", "--apply", bad, "--yes", "--journal", join(dir, "never.jsonl")], env);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(msg);
      expect(sim.metrics().total).toBe(0);
      expect(existsSync(join(dir, "never.jsonl"))).toBe(false);
    }
    const missing = await runCli(["fix", "--apply", join(dir, "nope.json"), "--yes"], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot read plan .*nope\.json: ENOENT/);
    const noYes = await runCli(["fix", "--apply", bad], env);
    expect(noYes.code).toBe(2);
  });

  it("a resource changed between plan and apply is skipped as drifted (exit 1)", async () => {
    await fresh();
    const planFile = join(dir, "plan.json");
    expect((await runCli(["fix", "--org", "--plan-out", planFile, "-q"], env)).code).toBe(0);
    await withPool(sim, async (pool) =>
      (await pool.s3(MGMT, "us-east-1")).send(
        new PutBucketLoggingCommand({ Bucket: "app-data", BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "team-logs", TargetPrefix: "x/" } } }),
      ),
    );
    const r = await runCli(["fix", "--apply", planFile, "--yes", "--journal", join(dir, "j.jsonl")], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^skipped \(drift\)\s+step-\d+ \d+ us-east-1 app-data: PutBucketLogging .*changed since the plan was made$/m);
    expect(r.stdout).toMatch(/1 skipped \(1 drifted, 0 dependent\), 0 failed/);
  });

  it("a write failing midway: that step fails, dependents skipped, the rest applied, exit 1; undo restores", async () => {
    await fresh();
    const before = await snapshotOf(sim);
    const lb = `s3-access-logs-${MGMT}-eu-west-1`;
    sim.setFaults({ rules: [{ effect: "error", service: "s3", operation: "PutBucketPolicy", bucket: lb, code: "InternalError", status: 500 }] });
    const journal = join(dir, "j.jsonl");
    const r = await runCli(["fix", "--org", "--yes", "--journal", journal], env);
    sim.setFaults({});
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^FAILED\\s+step-\\d+ ${MGMT} eu-west-1 ${lb}: PutBucketPolicy .*InternalError`, "m"));
    expect(r.stderr).toMatch(/^skipped\s+step-\d+ \d+ eu-west-1 eu-reports: PutBucketLogging .*depends on step-\d+ \(failed\)$/m);
    expect(r.stdout).toMatch(/1 skipped \(0 drifted, 1 dependent\), 1 failed/);
    const j = readJournal(journal);
    expect(j.entries.filter((e) => e.result?.outcome === "failed")).toHaveLength(1);
    expect(j.entries.every((e) => e.result !== undefined)).toBe(true);
    const u = await runCli(["undo", journal, "--journal", join(dir, "u.jsonl")], env);
    expect(u.code).toBe(0);
    expect(comparable(await snapshotOf(sim))).toEqual(comparable(before));
  });

  it("Ctrl-C mid-apply stops after the step in flight; the journal is usable by undo", async () => {
    await fresh();
    const before = await snapshotOf(sim);
    const planFile = join(dir, "plan.json");
    await runCli(["fix", "--org", "--plan-out", planFile, "-q"], env);
    const total = (JSON.parse(readFileSync(planFile, "utf8")) as { steps: unknown[] }).steps.length;
    sim.setFaults({ latencyMs: 60 });
    const journal = join(dir, "j.jsonl");
    let sent = false;
    const r = await runCli(["fix", "--apply", planFile, "--yes", "--journal", journal], env, {
      onStderr: (chunk, child) => {
        if (!sent && /^applied/m.test(chunk)) {
          sent = true;
          child.kill("SIGINT");
        }
      },
    });
    sim.setFaults({});
    expect(sent).toBe(true);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/not run \(interrupted\)/);
    expect(r.stdout).toMatch(/Interrupted: stopped after the step in flight/);
    const j = readJournal(journal);
    expect(j.entries.length).toBeGreaterThan(0);
    expect(j.entries.length).toBeLessThan(total);
    expect(j.entries.every((e) => e.result?.outcome === "applied")).toBe(true);
    const u = await runCli(["undo", journal, "--journal", join(dir, "u.jsonl")], env);
    expect(u.code).toBe(0);
    expect(comparable(await snapshotOf(sim))).toEqual(comparable(before));
  });

  it("undo of a missing or foreign file is a one-line error (exit 2)", async () => {
    const r = await runCli(["undo", join(dir, "none.jsonl")], env);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^s3-log-auditor: journal .*none\.jsonl does not exist$/);
    writeFileSync(join(dir, "x.jsonl"), '{"hello":1}\n');
    const x = await runCli(["undo", join(dir, "x.jsonl")], env);
    expect(x.code).toBe(2);
    expect(x.stderr.trim().split("\n")).toHaveLength(1);
  });
});
