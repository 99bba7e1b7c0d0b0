import { describe, expect, it } from "vitest";
import type { ApplySummary, PlanStep } from "../../../src/model/plan.js";
import { emptyUndoSummary } from "../../../src/model/journal.js";
import { applyEventReducer, initialApplyState, statusCounts, summaryText } from "../../../src/ui/state/apply.js";
import { keyIntent, splitKeys } from "../../../src/ui/state/keys.js";
import { applyLines, reviewLines, rescanLines } from "../../../src/ui/state/lines.js";
import {
  affectedBuckets,
  detailPlanOf,
  detailPlanWanted,
  highlightedFinding,
  initialSessionState,
  rescanScope,
  sessionReducer,
  sessionStart,
  writesPerAccount,
  type SessionAction,
  type SessionState,
} from "../../../src/ui/state/session.js";
import { A, B, finding, plan, sample, sampleWithPassing, standing } from "../fixtures.js";

const logging = (target: string) => ({
  targetBucket: target,
  targetPrefix: "loop/",
  targetGrants: [],
  keyFormat: { type: "simple" as const },
  keyFormatExplicit: false,
});

function step(id: string, account: string, bucket: string, extra: Partial<PlanStep> = {}): PlanStep {
  return {
    id,
    account,
    region: "us-east-1",
    bucket,
    resolves: [],
    dependsOn: [],
    beforeKnown: true,
    reasons: [],
    operation: "PutBucketLogging",
    before: logging(bucket),
    after: logging("logs"),
    ...extra,
  } as PlanStep;
}

const PLAN = plan([
  step("s-1", B, "logs", { operation: "CreateBucket", before: null, after: { region: "us-east-1" } }),
  step("s-2", B, "loop", { dependsOn: ["s-1"] }),
  step("s-3", A, "data", { manual: { reason: "an explicit Deny statement blocks delivery" } }),
]);

const SUMMARY: ApplySummary = {
  applied: 2,
  alreadyApplied: 0,
  skippedDrifted: 0,
  skippedDependent: 0,
  failed: 0,
  manual: 1,
  notRun: 0,
  writes: 2,
  aborted: false,
  journalPath: "/tmp/j.jsonl",
  outcomes: { "s-1": "applied", "s-2": "applied", "s-3": "manual" },
};

const run = (s: SessionState, ...actions: SessionAction[]) => actions.reduce(sessionReducer, s);

function scanned(): SessionState {
  const { snapshot, findings } = sample();
  return run(initialSessionState, { type: "scan-done", snapshot, findings });
}

describe("session transitions", () => {
  it("scanning: progress events update the scan view, scan-done opens the findings", () => {
    let s = run(initialSessionState, { type: "progress", event: { type: "accounts", total: 2, elapsedMs: 5 } });
    s = run(s, { type: "progress", event: { type: "buckets-found", account: A, count: 3, elapsedMs: 6 } });
    expect(s.phase).toBe("scanning");
    expect(s.progress.accountsTotal).toBe(2);
    expect(s.progress.bucketsFound).toBe(3);
    const { snapshot, findings } = sample();
    s = run(s, { type: "scan-done", snapshot, findings });
    expect(s.phase).toBe("findings");
    expect(s.browser?.cursor).toBe(`a:${B}`);
    expect(run(initialSessionState, { type: "scan-failed", message: "boom" })).toMatchObject({ phase: "scan-failed", error: "boom" });
  });

  it("browser actions only act in the findings view; moving resets the detail scroll", () => {
    let s = run(scanned(), { type: "scroll-detail", delta: 10 });
    expect(s.detailScroll).toBe(10);
    s = run(s, { type: "browser", action: { type: "move", delta: 1 } });
    expect(s.detailScroll).toBe(0);
    s = run(s, { type: "scroll-detail", delta: -5 });
    expect(s.detailScroll).toBe(0);
  });

  it("the detail pane's plan is asked for once per failing fixable finding and kept by fingerprint", () => {
    let s = scanned();
    expect(highlightedFinding(s)).toBeUndefined(); // the cursor starts on an account row
    expect(detailPlanWanted(s)).toBeUndefined();
    for (let i = 0; i < 10 && !detailPlanWanted(s); i++) s = run(s, { type: "browser", action: { type: "move", delta: 1 } });
    const f = detailPlanWanted(s);
    expect(f?.status).toBe("fail");
    expect(f?.fixable).toBe(true);
    expect(highlightedFinding(s)).toBe(f);
    expect(detailPlanOf(s, f)).toBeUndefined();
    s = run(s, { type: "detail-plan", fingerprint: f!.fingerprint, plan: PLAN });
    expect(detailPlanWanted(s)).toBeUndefined();
    expect(detailPlanOf(s, f)).toBe(PLAN);
    // A finding that cannot be planned is remembered too (null), so it is not planned again.
    s = run(s, { type: "detail-plan", fingerprint: "other", plan: null });
    expect(s.detailPlans).toEqual({ [f!.fingerprint]: PLAN, other: null });
  });

  it("scroll offsets stay within the pane (max from the view); following the apply starts from the shown offset", () => {
    let s = run(scanned(), { type: "scroll-detail", delta: 10, max: 4 });
    expect(s.detailScroll).toBe(4);
    s = run(s, { type: "scroll-detail", delta: -1, max: 4 });
    expect(s.detailScroll).toBe(3);
    s = run(s, { type: "scroll-apply", delta: -1, max: 30, from: 20 });
    expect(s.applyScroll).toBe(19);
    s = run(s, { type: "scroll-apply", delta: 50, max: 30, from: 0 });
    expect(s.applyScroll).toBe(30);
  });

  it("review → back → review → apply: events set step statuses, done keeps the summary", () => {
    let s = run(scanned(), { type: "browser", action: { type: "select-all" } }, { type: "review", plan: PLAN });
    expect(s.phase).toBe("review");
    expect(s.planned.map((f) => f.ruleId)).toEqual(["target-not-source", "log-bucket-retention", "logging-enabled"]);
    s = run(s, { type: "back" });
    expect(s.phase).toBe("findings");
    expect(s.browser?.selected.size).toBe(3); // the selection survives
    s = run(s, { type: "review", plan: PLAN }, { type: "apply-start" });
    expect(s.phase).toBe("applying");
    expect(s.apply?.steps["s-1"]).toEqual({ status: "pending" });
    const [s1, s2, s3] = PLAN.steps as [PlanStep, PlanStep, PlanStep];
    s = run(
      s,
      { type: "apply-event", event: { type: "started", step: s1 } },
      { type: "apply-event", event: { type: "applied", step: s1 } },
      { type: "apply-event", event: { type: "started", step: s2 } },
    );
    expect(s.apply?.steps["s-1"]?.status).toBe("applied");
    expect(s.apply?.steps["s-2"]?.status).toBe("running");
    expect(s.apply?.lastChanged).toBe("s-2");
    s = run(
      s,
      { type: "apply-event", event: { type: "failed", step: s2, error: { code: "AccessDenied", message: "no" } } },
      { type: "apply-event", event: { type: "manual", step: s3, reason: "explicit deny" } },
      { type: "apply-done", summary: SUMMARY },
    );
    expect(s.phase).toBe("applied");
    expect(s.apply?.steps["s-2"]).toEqual({ status: "failed", detail: "AccessDenied: no" });
    expect(s.apply?.summary).toBe(SUMMARY);
    expect(applyLines(PLAN, s.apply!).map((l) => l.text.slice(0, 20))).toEqual(["✓ applied         s-", "✗ failed          s-", "! manual          s-"]);
  });

  it("y outside the review and apply events outside an apply change nothing", () => {
    const s = scanned();
    expect(run(s, { type: "apply-start" })).toBe(s);
    expect(run(s, { type: "apply-event", event: { type: "started", step: PLAN.steps[0]! } })).toBe(s);
    expect(run(s, { type: "rescan-start" })).toBe(s);
  });

  it("Ctrl-C during the apply marks it as stopping; an aborted summary ends it", () => {
    let s = run(scanned(), { type: "browser", action: { type: "select-all" } }, { type: "review", plan: PLAN }, { type: "apply-start" }, { type: "abort" });
    expect(s.aborting).toBe(true);
    s = run(s, { type: "apply-event", event: { type: "not-run", step: PLAN.steps[2]!, reason: "interrupted" } }, { type: "apply-done", summary: { ...SUMMARY, aborted: true, notRun: 1 } });
    expect(s.aborting).toBe(false);
    expect(s.apply?.steps["s-3"]).toEqual({ status: "not-run", detail: "interrupted" });
    expect(summaryText(s.apply!.summary!)).toContain("1 not run (interrupted)");
  });

  it("rescan: start, progress, done compares bucket by bucket", () => {
    let s = run(scanned(), { type: "browser", action: { type: "select-all" } }, { type: "review", plan: PLAN }, { type: "apply-start" }, { type: "apply-done", summary: SUMMARY });
    s = run(s, { type: "rescan-start" }, { type: "rescan-progress", event: { type: "accounts", total: 2, elapsedMs: 1 } });
    expect(s.phase).toBe("rescanning");
    expect(s.rescanProgress.accountsTotal).toBe(2);
    const after = [finding(A, "us-east-1", "data", "logging-enabled", "medium"), finding(B, "us-east-1", "loop", "target-not-source", "critical", { status: "pass" })];
    s = run(s, { type: "rescan-done", findings: after });
    expect(s.phase).toBe("rescanned");
    expect(s.rescan?.passing).toBe(2);
    expect(s.rescan?.rows.map((r) => [r.bucket, r.remaining.length, r.fixed])).toEqual([
      ["data", 1, []],
      ["logs", 0, []],
      ["loop", 0, ["target-not-source", "log-bucket-retention"]],
    ]);
    expect(rescanLines(s.rescan!).map((l) => l.text)).toEqual([
      "2 of 3 affected bucket(s) now passing",
      `✗ failing  data (${A}) · still: logging-enabled`,
      `✓ passing  logs (${B})`,
      `✓ passing  loop (${B}) · fixed: target-not-source, log-bucket-retention`,
    ]);
  });
});

describe("plan views", () => {
  it("affected buckets and the rescan scope come from the steps and the selection", () => {
    const planned = [finding(B, "eu-west-1", "plain", "delivery-permitted", "high")];
    expect(affectedBuckets(PLAN, planned).map((b) => `${b.account}/${b.bucket}`)).toEqual([`${A}/data`, `${B}/logs`, `${B}/loop`, `${B}/plain`]);
    expect(rescanScope(PLAN, planned)).toEqual({ accounts: [A, B], buckets: ["data", "logs", "loop", "plain"] });
  });

  it("counts writes per account (manual steps apart) and shows them in the review", () => {
    expect(writesPerAccount(PLAN)).toEqual([
      { account: A, writes: 0, manual: 1 },
      { account: B, writes: 2, manual: 0 },
    ]);
    const text = reviewLines(PLAN, [], 100).map((l) => l.text);
    expect(text[0]).toBe("2 AWS write(s) and 1 manual step(s) on 3 bucket(s) for 0 selected finding(s)");
    expect(text).toContain(`  account ${B}: 2 write(s)`);
    expect(text).toContain("  manual: an explicit Deny statement blocks delivery");
    expect(text).toContain('  -  "targetBucket": "loop",');
    expect(text).toContain('  +  "targetBucket": "logs",');
  });

  it("apply statuses are counted", () => {
    const a = applyEventReducer(initialApplyState(PLAN), { type: "verified", step: PLAN.steps[0]!, ok: false });
    expect(a.steps["s-1"]?.status).toBe("verify-failed");
    expect(statusCounts(a)).toMatchObject({ pending: 2, "verify-failed": 1 });
  });
});

describe("keys", () => {
  const findings = scanned();
  it("maps keys per screen", () => {
    expect(keyIntent(findings, "j", {})).toEqual({ type: "action", action: { type: "browser", action: { type: "move", delta: 1 } } });
    expect(keyIntent(findings, "", { upArrow: true })).toEqual({ type: "action", action: { type: "browser", action: { type: "move", delta: -1 } } });
    expect(keyIntent(findings, "", { leftArrow: true })).toMatchObject({ action: { action: { type: "collapse" } } });
    expect(keyIntent(findings, " ", {})).toMatchObject({ action: { action: { type: "toggle" } } });
    expect(keyIntent(findings, "", { return: true })).toEqual({ type: "open-review" });
    expect(keyIntent(findings, "q", {})).toEqual({ type: "quit" });
    expect(keyIntent(findings, "c", { ctrl: true })).toEqual({ type: "interrupt" });
    expect(keyIntent(findings, "?", {})).toEqual({ type: "action", action: { type: "help" } });
    const review = { ...findings, phase: "review" as const };
    expect(keyIntent(review, "y", {})).toEqual({ type: "apply" });
    expect(keyIntent(review, "", { escape: true })).toEqual({ type: "action", action: { type: "back" } });
    expect(keyIntent({ ...findings, phase: "applied" }, "r", {})).toEqual({ type: "rescan" });
    expect(keyIntent({ ...findings, phase: "applying" }, "q", {})).toEqual({ type: "none" });
  });

  it("while typing a filter, letters are text and enter keeps it", () => {
    const typing = run(findings, { type: "browser", action: { type: "filter-open" } });
    expect(keyIntent(typing, "q", {})).toMatchObject({ action: { action: { type: "filter-input", text: "q" } } });
    expect(keyIntent(typing, "", { return: true })).toMatchObject({ action: { action: { type: "filter-commit" } } });
    expect(keyIntent(typing, "", { escape: true })).toMatchObject({ action: { action: { type: "filter-cancel" } } });
  });

  it("splits keys that arrived in one chunk", () => {
    expect(splitKeys("a\r", {})).toEqual([
      { input: "a", key: {} },
      { input: "", key: { return: true } },
    ]);
    expect(splitKeys("jj", {})).toHaveLength(2);
    expect(splitKeys("\u001b[B", { downArrow: true })).toEqual([{ input: "\u001b[B", key: { downArrow: true } }]);
  });
});

describe("space on a row without an automatic fix", () => {
  const noFix = new Map([[`delivery-permitted|${B}|plain`, "delivery-permitted: its fix does not apply to this bucket"]]);
  const onPlain = () => {
    const { snapshot, findings } = sample();
    let s = run(initialSessionState, { type: "scan-done", snapshot, findings, noFix });
    s = run(s, { type: "browser", action: { type: "filter-open" } }, ...[..."plain"].map((c): SessionAction => ({ type: "browser", action: { type: "filter-input", text: c } })), { type: "browser", action: { type: "filter-commit" } });
    return s;
  };

  it("a finding row: the footer note gives the application layer's reason; nothing is selected", () => {
    let s = onPlain();
    s = run(s, ...Array.from({ length: 3 }, (): SessionAction => ({ type: "browser", action: { type: "move", delta: 1 } })));
    s = run(s, { type: "browser", action: { type: "toggle" } });
    expect(s.browser?.selected.size).toBe(0);
    expect(s.note).toBe("cannot select: delivery-permitted: its fix does not apply to this bucket");
    // The next key clears it.
    expect(run(s, { type: "browser", action: { type: "move", delta: -1 } }).note).toBeUndefined();
  });

  it("a group row with nothing fixable says so; a row that can be selected gets no note", () => {
    let s = onPlain();
    s = run(s, { type: "browser", action: { type: "toggle" } });
    expect(s.note).toBe("cannot select: none of the 1 finding(s) here has an automatic fix (highlight one to see why)");
    s = run(scanned(), { type: "browser", action: { type: "toggle" } });
    expect(s.note).toBeUndefined();
    expect(s.browser?.selected.size).toBeGreaterThan(0);
  });

  it("a finding that could not be evaluated: the reason names the failed read", () => {
    const { snapshot, findings } = sample();
    let s = run(initialSessionState, { type: "scan-done", snapshot, findings, noFix: new Map([[`logging-enabled|${A}|denied`, "logging-enabled could not be evaluated, so there is nothing to fix yet: GetBucketLogging AccessDenied"]]) });
    s = run(s, { type: "browser", action: { type: "filter-open" } }, ...[..."denied"].map((c): SessionAction => ({ type: "browser", action: { type: "filter-input", text: c } })), { type: "browser", action: { type: "filter-commit" } });
    s = run(s, ...Array.from({ length: 3 }, (): SessionAction => ({ type: "browser", action: { type: "move", delta: 1 } })), { type: "browser", action: { type: "toggle" } });
    expect(s.note).toContain("could not be evaluated, so there is nothing to fix yet: GetBucketLogging AccessDenied");
  });
});

describe("undo in place and back to the findings", () => {
  const UNDO = { ...emptyUndoSummary("/tmp/j-undo.jsonl"), restored: 2, writes: 2 };
  const applied = () => run(scanned(), { type: "browser", action: { type: "select-all" } }, { type: "review", plan: PLAN }, { type: "apply-start" }, { type: "apply-done", summary: SUMMARY });

  it("u asks first; esc keeps the run; y undoes with a live status per write; u again is refused", () => {
    let s = run(applied(), { type: "undo-ask" });
    expect(s.phase).toBe("confirm-undo");
    expect(keyIntent(s, "y", {})).toEqual({ type: "undo" });
    expect(keyIntent(s, "", { escape: true })).toEqual({ type: "action", action: { type: "undo-cancel" } });
    expect(run(s, { type: "undo-cancel" }).phase).toBe("applied");
    s = run(s, { type: "undo-start" });
    expect(s.phase).toBe("undoing");
    s = run(s, { type: "abort" });
    expect(s.aborting).toBe(true);
    s = run(s, { type: "undo-done", summary: UNDO });
    expect(s).toMatchObject({ phase: "undone", aborting: false, undo: { summary: UNDO } });
    expect(keyIntent(s, "u", {})).toEqual({ type: "none" });
    expect(keyIntent(s, "b", {})).toEqual({ type: "back-to-findings" });
  });

  it("nothing to undo when the run wrote nothing; undo from the rescan screen returns there on esc", () => {
    let s = run(scanned(), { type: "browser", action: { type: "select-all" } }, { type: "review", plan: PLAN }, { type: "apply-start" }, { type: "apply-done", summary: { ...SUMMARY, writes: 0 } });
    s = run(s, { type: "undo-ask" });
    expect(s.phase).toBe("applied");
    expect(s.note).toBe("nothing to undo: this run made no AWS write");
    s = run(applied(), { type: "rescan-start" }, { type: "rescan-done", findings: [] }, { type: "undo-ask" }, { type: "undo-cancel" });
    expect(s.phase).toBe("rescanned");
  });

  it("b keeps the run in the history and starts over with a scan; the exit code covers every run", async () => {
    const { sessionExitCode } = await import("../../../src/ui/facade.js");
    let s = run(applied(), { type: "undo-ask" }, { type: "undo-start" }, { type: "undo-done", summary: { ...UNDO, skippedDrifted: 1 } }, { type: "restart" });
    expect(s.phase).toBe("scanning");
    expect(s.history).toEqual([{ apply: SUMMARY, undo: { ...UNDO, skippedDrifted: 1 } }]);
    expect(s.apply).toBeUndefined();
    expect(s.plan).toBeUndefined();
    const { snapshot, findings } = sample();
    s = run(s, { type: "scan-done", snapshot, findings });
    expect(s.phase).toBe("findings");
    expect(s.browser?.selected.size).toBe(0);
    // The undo left a drifted resource: exit 1, as the undo command would.
    expect(sessionExitCode(s)).toBe(1);
    // A manual step left (SUMMARY has one) is exit 1 too; a clean run is 0.
    expect(sessionExitCode(run(applied(), { type: "restart" }))).toBe(1);
    const clean = run(scanned(), { type: "browser", action: { type: "select-all" } }, { type: "review", plan: PLAN }, { type: "apply-start" }, { type: "apply-done", summary: { ...SUMMARY, manual: 0 } }, { type: "restart" });
    expect(sessionExitCode(clean)).toBe(0);
    expect(run(scanned(), { type: "restart" }).phase).toBe("findings");
  });
});

describe("the delivery check (d) and the all-buckets list (v) in the session", () => {
  const scannedWithPassing = (delivery = { on: true, windowHours: 48 }) => {
    const { snapshot, findings, buckets } = sampleWithPassing();
    return run(sessionStart(delivery), { type: "scan-done", snapshot, findings, buckets });
  };

  it("starts with the delivery check as the application layer set it up", () => {
    expect(sessionStart({ on: true, windowHours: 12 }).delivery).toEqual({ on: true, windowHours: 12 });
    expect(sessionStart({ on: false, windowHours: 48 })).toMatchObject({ phase: "scanning", delivery: { on: false, windowHours: 48 } });
  });

  it("d switches the check and scans again; the new list keeps the view and the filter, not the selection or the detail plans", () => {
    let s = run(
      scannedWithPassing(),
      { type: "browser", action: { type: "view-toggle" } },
      { type: "browser", action: { type: "filter-open" } },
      { type: "browser", action: { type: "filter-input", text: "us-east-1" } },
      { type: "browser", action: { type: "filter-commit" } },
      { type: "browser", action: { type: "select-all" } },
      { type: "detail-plan", fingerprint: "x", plan: PLAN },
    );
    expect(s.browser?.selected.size).toBeGreaterThan(0);
    s = run(s, { type: "delivery-toggle" });
    expect(s.phase).toBe("scanning");
    expect(s.delivery).toEqual({ on: false, windowHours: 48 });
    expect(s.keep).toEqual({ view: "all", filter: "us-east-1" });
    // Progress of the new scan is shown; the old list is not browsed meanwhile.
    s = run(s, { type: "progress", event: { type: "accounts", total: 2, elapsedMs: 1 } }, { type: "browser", action: { type: "view-toggle" } });
    expect(s.progress.accountsTotal).toBe(2);
    const { snapshot, findings, buckets } = sampleWithPassing();
    s = run(s, { type: "scan-done", snapshot, findings, buckets });
    expect(s.phase).toBe("findings");
    expect(s.browser).toMatchObject({ view: "all", filter: "us-east-1" });
    expect(s.browser?.selected.size).toBe(0);
    expect(s.detailPlans).toEqual({});
    expect(s.keep).toBeUndefined();
    expect(run(s, { type: "delivery-toggle" }).delivery.on).toBe(true);
  });

  it("d does nothing outside the findings list", () => {
    const s = { ...scannedWithPassing(), phase: "review" as const };
    expect(run(s, { type: "delivery-toggle" })).toBe(s);
  });

  it("b (restart) keeps the delivery check and the list's view for the scan again", () => {
    let s = run(scannedWithPassing(), { type: "browser", action: { type: "view-toggle" } }, { type: "browser", action: { type: "select-all" } }, { type: "review", plan: PLAN });
    s = run(s, { type: "apply-start" }, { type: "apply-done", summary: SUMMARY }, { type: "restart" });
    expect(s).toMatchObject({ phase: "scanning", delivery: { on: true, windowHours: 48 }, keep: { view: "all", filter: "" } });
    expect(s.history).toHaveLength(1);
  });

  it("space on a passing row says why from the application layer's words; on a group of passing buckets, that they pass", () => {
    let s = run(scannedWithPassing(), { type: "browser", action: { type: "view-toggle" } }, { type: "browser", action: { type: "move-to", where: "last" } });
    expect(s.browser?.cursor).toBe(`b:${A}/us-east-1/quiet`);
    s = run(s, { type: "browser", action: { type: "toggle" } });
    expect(s.note).toBe("cannot select: passes every rule evaluated: nothing to fix");
    s = run(s, { type: "browser", action: { type: "move", delta: -1 } }, { type: "browser", action: { type: "toggle" } });
    expect(s.note).toBe("cannot select: passes every rule evaluated, delivery delivered: nothing to fix");
    const { snapshot, findings, buckets } = sampleWithPassing();
    buckets.push(standing("333333333333", "us-west-2", "calm"), standing("333333333333", "us-west-2", "still"));
    s = run(sessionStart({ on: false, windowHours: 48 }), { type: "scan-done", snapshot, findings, buckets }, { type: "browser", action: { type: "view-toggle" } });
    s = run(s, { type: "browser", action: { type: "move-to", where: "last" } }, { type: "browser", action: { type: "move", delta: -2 } }, { type: "browser", action: { type: "toggle" } });
    expect(s.browser?.cursor).toBe("r:333333333333/us-west-2");
    expect(s.note).toBe("cannot select: the 2 bucket(s) here pass every rule evaluated: nothing to fix");
  });
});
