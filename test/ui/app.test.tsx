/**
 * The interactive fix session rendered with ink-testing-library on a REAL scan of the simulated
 * demo organization (real SDK clients against the simulator), driven with keystrokes.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { render } from "ink-testing-library";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { ScanOptions } from "../../src/app/options.js";
import { FixApp } from "../../src/ui/components/app.js";
import { initialSessionState, sessionReducer, type SessionState } from "../../src/ui/state/session.js";
import { CREDENTIALS, KEYS, press, servicesOn, tempDir, useDemoSim, type Sim } from "./helpers.js";

const WAIT = { timeout: 20_000, interval: 20 };

function lines(frame: string | undefined): string[] {
  return (frame ?? "").split("\n");
}
/** The highlighted row of the list. */
function cursorLine(frame: string | undefined): string {
  return lines(frame).find((l) => l.startsWith("›")) ?? "";
}

/** The session state after a real scan of the simulator (shared by the read-only tests). */
async function scanOnce(sim: Sim): Promise<SessionState> {
  const services = servicesOn(sim, join(tempDir(), "unused.jsonl"));
  try {
    const r = await services.scan(undefined, () => {}, new AbortController().signal);
    return sessionReducer(initialSessionState, { type: "scan-done", snapshot: r.snapshot, findings: r.findings, noFix: r.noFix });
  } finally {
    services.close();
  }
}

async function scannedApp(sim: Sim, size: { columns: number; rows: number } = { columns: 100, rows: 40 }, initial?: SessionState, scan: Partial<ScanOptions> = {}) {
  const journal = join(tempDir(), "journal.jsonl");
  const services = servicesOn(sim, journal, scan);
  let final: SessionState | undefined;
  const app = render(
    <FixApp services={services} color={false} columns={size.columns} rows={size.rows} onExit={(s) => (final = s)} {...(initial ? { initial } : {})} />,
  );
  await vi.waitFor(() => expect(app.lastFrame()).toMatch(/\d+ failing · \d+ buckets · 4 accounts/), WAIT);
  return { ...app, services, journal, final: () => final };
}

describe("fix session (ink) on the scanned demo organization", () => {
  const demo = useDemoSim();
  let sim: Sim;
  let scanned: SessionState;
  beforeAll(async () => {
    sim = demo();
    scanned = await scanOnce(sim);
  });

  it("shows live scan progress, then the grouped findings with badges, counts and the cursor", async () => {
    const journal = join(tempDir(), "j.jsonl");
    const services = servicesOn(sim, journal);
    const app = render(<FixApp services={services} color={false} columns={100} rows={40} />);
    await vi.waitFor(() => expect(app.frames.some((f) => f.includes("Scanning…") && /accounts \d+\/(\?|\d+)/.test(f))).toBe(true), WAIT);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("failing ·"), WAIT);
    const frame = app.lastFrame()!;
    // Worst account first: its row carries the severity counts and the selection count.
    expect(cursorLine(frame)).toMatch(/^›▾ \d{12} \(\w+\) \d+ CRIT .* · 0\/\d+ selected$/);
    expect(frame).toMatch(/\[ \] CRIT (target-not-source|no-logging-cycle)/);
    expect(frame).toContain("─ detail");
    expect(frame).toContain("↑↓ move ←→ fold space select a all n none / filter v all d delivery enter review ? help q quit");
    expect(lines(frame).length).toBeLessThanOrEqual(39);
    app.unmount();
    services.close();
  });

  it("q during the scan quits cleanly: the aborted scan is not reported as a failure", async () => {
    const services = servicesOn(sim, join(tempDir(), "j.jsonl"));
    let final: SessionState | undefined;
    let calls = 0;
    const app = render(
      <FixApp
        services={services}
        color={false}
        columns={100}
        rows={30}
        onExit={(s) => {
          calls++;
          final = s;
        }}
      />,
    );
    await press(app.stdin, "q");
    await vi.waitFor(() => expect(final).toBeDefined(), WAIT);
    await new Promise((r) => setTimeout(r, 200));
    expect(calls).toBe(1);
    expect(final?.phase).toBe("scanning");
    const { sessionExitCode } = await import("../../src/ui/facade.js");
    expect(sessionExitCode(final)).toBe(0);
    app.unmount();
    services.close();
  });

  it("space selects the highlighted finding ([x]) or a whole group; n clears; ? shows help", async () => {
    const app = await scannedApp(sim, undefined, scanned);
    await press(app.stdin, KEYS.down, KEYS.down, KEYS.down); // account → Region → bucket → first finding
    await vi.waitFor(() => expect(cursorLine(app.lastFrame())).toMatch(/^›\s+\[ \] CRIT /), WAIT);
    await press(app.stdin, KEYS.space);
    await vi.waitFor(() => expect(cursorLine(app.lastFrame())).toMatch(/^›\s+\[x\] CRIT /), WAIT);
    expect(app.lastFrame()).toContain("· 1 selected");
    // The bucket row above (a group): space selects every fixable finding of the bucket.
    await press(app.stdin, "k", KEYS.space);
    await vi.waitFor(() => expect(cursorLine(app.lastFrame())).toMatch(/· (\d+)\/\1 selected$/), WAIT);
    await press(app.stdin, "n");
    await vi.waitFor(() => expect(app.lastFrame()).toContain("· 0 selected"), WAIT);
    expect(app.lastFrame()).not.toContain("[x]");
    // ← collapses the bucket (▸), → opens it again.
    await press(app.stdin, KEYS.left);
    await vi.waitFor(() => expect(cursorLine(app.lastFrame())).toMatch(/^›\s+▸ /), WAIT);
    await press(app.stdin, KEYS.right);
    await vi.waitFor(() => expect(cursorLine(app.lastFrame())).toMatch(/^›\s+▾ /), WAIT);
    await press(app.stdin, "?");
    await vi.waitFor(() => expect(app.lastFrame()).toContain("select every fixable finding (that the filter shows)"), WAIT);
    await press(app.stdin, "?");
    await vi.waitFor(() => expect(app.lastFrame()).toContain("─ detail"), WAIT);
    app.unmount();
    app.services.close();
  });

  it("filters by rule, and the detail pane shows title, rationale, logging, target facts and the engine's diff", async () => {
    const app = await scannedApp(sim, undefined, scanned);
    await press(app.stdin, "/", ..."rule:target-not-source", KEYS.enter);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("filter: rule:target-not-source"), WAIT);
    const rows = lines(app.lastFrame()).filter((l) => /\[.\] (CRIT|HIGH|MED |LOW )/.test(l));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((l) => l.includes("target-not-source"))).toBe(true);
    await press(app.stdin, KEYS.down, KEYS.down, KEYS.down);
    await vi.waitFor(() => expect(cursorLine(app.lastFrame())).toContain("target-not-source"), WAIT);
    const meta = app.services.rules.get("target-not-source")!;
    let frame = app.lastFrame()!;
    expect(frame).toContain(`CRITICAL target-not-source — ${meta.title}`);
    expect(frame).toContain(`Why: ${meta.rationale.split(" ").slice(0, 5).join(" ")}`);
    expect(frame).toMatch(/logging now: s3:\/\/(\S+)\/\S* · key format/);
    expect(frame).toMatch(/this bucket: encryption \w+/);
    // Page down to the proposed change: the retarget's before/after logging configuration.
    for (let i = 0; i < 12 && !/"targetBucket": "s3-access-logs-/.test(app.lastFrame() ?? ""); i++) await press(app.stdin, KEYS.pageDown);
    frame = app.lastFrame()!;
    expect(frame).toMatch(/^\s+\+\s+"targetBucket": "s3-access-logs-\d{12}-[a-z0-9-]+",$/m);
    expect(frame).toMatch(/^\s+-\s+"targetBucket": "/m);
    // esc clears the filter.
    await press(app.stdin, KEYS.escape);
    await vi.waitFor(() => expect(app.lastFrame()).not.toContain("filter:"), WAIT);
    app.unmount();
    app.services.close();
  });

  it("fits an 80×24 terminal: no line wider than 80, at most 23 lines, names cut with …", async () => {
    const app = await scannedApp(sim, { columns: 80, rows: 24 }, scanned);
    const frame = app.lastFrame()!;
    expect(lines(frame).length).toBeLessThanOrEqual(23);
    for (const l of lines(frame)) expect([...l].length).toBeLessThanOrEqual(80);
    expect(frame).toContain("…");
    // The full bucket name is in the detail pane.
    await press(app.stdin, KEYS.down, KEYS.down);
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/^bucket \S+$/m), WAIT);
    app.unmount();
    app.services.close();
  });

  it("d turns the delivery check off and on again, scanning through the app layer each time; v lists every bucket", async () => {
    const app = await scannedApp(sim, undefined, undefined, { delivery: { windowHours: 48 } });
    expect(app.lastFrame()).toContain("· delivery check: on (window 48 h)");
    const failingWith = Number(/(\d+) failing · /.exec(app.lastFrame()!)![1]);
    await press(app.stdin, "d");
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/\d+ failing · .*· delivery check: off/), WAIT);
    expect(app.frames.some((f) => f.includes("Scanning…") && f.includes("delivery check: off"))).toBe(true);
    // logs-delivered no longer runs: fewer failing findings.
    expect(Number(/(\d+) failing · /.exec(app.lastFrame()!)![1])).toBeLessThan(failingWith);
    await press(app.stdin, "v", "/", ..."demo-prod-orders", KEYS.enter, "j", "j");
    await vi.waitFor(() => expect(cursorLine(app.lastFrame())).toMatch(/^›\s+demo-prod-orders ✓ passing$/), WAIT);
    expect(app.lastFrame()).toContain("delivery: not checked (d checks that its log objects arrive)");
    await press(app.stdin, "d");
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/· delivery check: on \(window 48 h\) · filter: demo-prod-orders$/m), WAIT);
    // The list kept its view and filter; the row shows the state, the detail the newest key and its age.
    await press(app.stdin, "j", "j");
    await vi.waitFor(() => expect(cursorLine(app.lastFrame())).toMatch(/^›\s+demo-prod-orders ✓ passing · delivery delivered 6 h$/), WAIT);
    expect(app.lastFrame()).toMatch(/^delivery: delivered · newest demo-prod-orders\/\S+ \(6 h old\)$/m);
    await press(app.stdin, KEYS.space);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("cannot select: passes every rule evaluated, delivery delivered: nothing to fix"), WAIT);
    app.unmount();
    app.services.close();
  });

  it("d when logs-delivered is the only rule chosen: the app layer refuses to turn the check off, the footer says why", async () => {
    const app = await scannedApp(sim, undefined, undefined, { delivery: { windowHours: 48 }, rules: ["logs-delivered"] });
    await press(app.stdin, "d");
    await vi.waitFor(() => expect(app.lastFrame()).toContain("the delivery check cannot be turned off: logs-delivered is the only rule chosen"), WAIT);
    expect(app.lastFrame()).toContain("delivery check: on (window 48 h)");
    app.unmount();
    app.services.close();
  });

  it("enter without a selection explains; q quits", async () => {
    const app = await scannedApp(sim, undefined, scanned);
    await press(app.stdin, KEYS.enter);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("nothing selected: space selects a fix"), WAIT);
    await press(app.stdin, "q");
    await vi.waitFor(() => expect(app.final()?.phase).toBe("findings"), WAIT);
    app.services.close();
  });
});

describe("fix session (ink): review → apply → rescan on a fresh demo organization", () => {
  const sim = useDemoSim();

  it("a selects all, enter reviews the engine's plan, esc goes back, y applies with live statuses, r rescans", async () => {
    const app = await scannedApp(sim());
    await press(app.stdin, "a");
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/· [1-9]\d* selected/), WAIT);
    await press(app.stdin, KEYS.enter);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("review the plan"), WAIT);
    let frame = app.lastFrame()!;
    // The demo's new log buckets: their hardening steps may already be in place (AWS's defaults), so "up to".
    expect(frame).toMatch(/^up to \d+ AWS write\(s\) \(\d+ may already be in place\)( and \d+ manual step\(s\))? on \d+ bucket\(s\) for \d+/m);
    expect(frame).toMatch(/^ {2}account \d{12}: (up to )?\d+ write\(s\)/m);
    expect(frame).toMatch(/^step-001 .*CreateBucket — create log/m);
    expect(frame).toMatch(/^ {2}\+\s+"region": "/m);
    expect(frame).toContain("Apply these changes? · lines 1–");
    expect(frame).toContain("y apply · esc back · ↑↓ line");
    await press(app.stdin, KEYS.escape);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("─ detail"), WAIT);
    await press(app.stdin, KEYS.enter);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("review the plan"), WAIT);
    await press(app.stdin, "y");
    await vi.waitFor(() => expect(app.lastFrame()).toContain("Done: "), WAIT);
    expect(app.frames.some((f) => f.includes("Applying "))).toBe(true);
    frame = app.lastFrame()!;
    expect(frame).toMatch(/Done: \d+ applied, \d+ already applied, 0 skipped, 0 failed/);
    expect(frame).toMatch(/^✓ applied\s+step-\d+ /m);
    const joined = frame.replace(/\n/g, "");
    expect(joined).toContain(`Journal: ${app.journal}`);
    // The command is broken only between shell words (a flag with its value), continued with " \".
    const after = frame.slice(frame.indexOf("Undo: u here, or after quitting:")).split("\n").slice(1);
    const cmd = after.slice(0, after.findIndex((l) => !l.endsWith(" \\")) + 1).map((l) => l.trim().replace(/ \\$/, ""));
    expect(cmd.join(" ")).toBe(`s3-log-auditor undo ${app.journal} --endpoint-url ${sim().endpoint}`);
    expect(cmd.at(-1)).toMatch(new RegExp(`(^| )--endpoint-url ${sim().endpoint.replace(/[.]/g, "\\.")}$`));
    expect(existsSync(app.journal)).toBe(true);
    expect(readFileSync(app.journal, "utf8")).toContain('"type":"write"');
    await press(app.stdin, "r");
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/\d+ of \d+ affected bucket\(s\) now passing/), WAIT);
    frame = app.lastFrame()!;
    expect(frame).toMatch(/^✓ passing {2}demo-\S+ \(\d{12}\) · fixed: /m);
    await press(app.stdin, "q");
    await vi.waitFor(() => expect(app.final()?.rescan?.passing).toBeGreaterThan(0), WAIT);
    const final = app.final()!;
    // Every bucket the fix touched passes, apart from findings without an automatic fix.
    for (const row of final.rescan!.rows) {
      for (const f of row.remaining) expect(f.fixable && final.planned.some((p) => p.fingerprint === f.fingerprint)).toBe(false);
    }
    app.services.close();
  });
});

describe("fix session (ink): unreadable buckets", () => {
  const sim = useDemoSim({ faults: { rules: [{ effect: "deny", service: "s3", operation: "GetBucketLogging", bucket: "demo-dev-scratch" }] } });

  it("shows a bucket whose logging could not be read distinctly (ERR, ! unreadable) with the operation and code", async () => {
    const app = await scannedApp(sim());
    expect(app.lastFrame()).toMatch(/ · \d+ ERR · /);
    await press(app.stdin, "/", ..."scratch", KEYS.enter);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("filter: scratch"), WAIT);
    const frame = app.lastFrame()!;
    expect(frame).toMatch(/▾ demo-dev-scratch ! unreadable/);
    expect(frame).toMatch(/ ! {2}ERR {2}logging-enabled/);
    // The bucket row's detail names the failed read.
    await press(app.stdin, KEYS.down, KEYS.down);
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/could not be read: GetBucketLogging AccessDenied/), WAIT);
    // An error finding cannot be selected.
    await press(app.stdin, KEYS.down, KEYS.space);
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/could not be evaluated: /), WAIT);
    expect(app.lastFrame()).toContain("· 0 selected");
    app.unmount();
    app.services.close();
  });
});

describe("fix session (ink): Ctrl-C during the apply", () => {
  const sim = useDemoSim();

  it("stops after the step in flight: the rest is not run, the summary says interrupted, the exit code is 130", async () => {
    const app = await scannedApp(sim());
    await press(app.stdin, "a", KEYS.enter);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("Apply these changes?"), WAIT);
    sim().setFaults({ latencyMs: 150 }); // slow AWS: the apply is still running when Ctrl-C comes
    await press(app.stdin, "y");
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/^… running/m), WAIT);
    await press(app.stdin, "\u0003");
    await vi.waitFor(() => expect(app.lastFrame()).toContain("Interrupted: stopped after the step in flight"), WAIT);
    expect(app.lastFrame()).toMatch(/^- not run\s+step-\d+ /m);
    expect(app.frames.some((f) => f.includes("stopping after the step in flight"))).toBe(true);
    sim().setFaults({});
    await press(app.stdin, "q");
    await vi.waitFor(() => expect(app.final()).toBeDefined(), WAIT);
    const { sessionExitCode } = await import("../../src/ui/facade.js");
    expect(sessionExitCode(app.final())).toBe(130);
    app.services.close();
  });
});

describe("fix session (ink): the scan cannot start", () => {
  const sim = useDemoSim({ faults: { rules: [{ effect: "deny", service: "sts" }] } });

  it("leaves at once with the error's message and exit code (printed by the facade after the screen is restored)", async () => {
    const services = servicesOn(sim(), join(tempDir(), "j.jsonl"));
    let final: SessionState | undefined;
    const app = render(<FixApp services={services} color={false} columns={100} rows={30} onExit={(s) => (final = s)} />);
    await vi.waitFor(() => expect(final?.phase).toBe("scan-failed"), WAIT);
    expect(final?.error).toMatch(/AccessDenied|denied/i);
    const { sessionExitCode } = await import("../../src/ui/facade.js");
    expect(sessionExitCode(final)).toBe(final?.scanExitCode);
    expect(sessionExitCode(final)).toBeGreaterThan(0);
    app.unmount();
    services.close();
  });
});

describe("fix session (ink): u undoes the run in place, b goes back to the rescanned findings", () => {
  const sim = useDemoSim();

  it("asks first, then restores step by step with undo's drift checks (a changed resource is skipped), and b rescans", async () => {
    const app = await scannedApp(sim());
    const before = /(\d+) failing · /.exec(app.lastFrame()!)![1];
    await press(app.stdin, "a", KEYS.enter);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("Apply these changes?"), WAIT);
    await press(app.stdin, "y");
    await vi.waitFor(() => expect(app.lastFrame()).toContain("Done: "), WAIT);
    expect(app.lastFrame()).toContain("u here, or after quitting:");
    expect(app.lastFrame()).toContain("r rescan · u undo this run · b back to findings");

    // Someone changes a fixed bucket after the fix: undo must not clobber it.
    const { ClientPool } = await import("../../src/collect/index.js");
    const { PutBucketLoggingCommand } = await import("@aws-sdk/client-s3");
    const pool = new ClientPool({ endpointUrl: sim().endpoint, credentials: async () => CREDENTIALS, region: "us-east-1" });
    const s3 = await pool.s3("222222222222", "us-east-1");
    await s3.send(
      new PutBucketLoggingCommand({
        Bucket: "demo-prod-no-logging",
        BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "s3-access-logs-222222222222-us-east-1", TargetPrefix: "changed-by-hand/" } },
      }),
    );
    pool.destroy();

    await press(app.stdin, "u");
    await vi.waitFor(() => expect(app.lastFrame()).toContain("Undo this run in place?"), WAIT);
    expect(app.lastFrame()).toContain("y undo the run · esc keep it");
    await press(app.stdin, KEYS.escape);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("Done: "), WAIT);
    await press(app.stdin, "u");
    await vi.waitFor(() => expect(app.lastFrame()).toContain("Undo this run in place?"), WAIT);
    await press(app.stdin, "y");
    await vi.waitFor(() => expect(app.lastFrame()).toContain("Undone: "), WAIT);
    expect(app.frames.some((f) => /^… restoring\s+step-\d+ /m.test(f) || f.includes("Undoing: "))).toBe(true);
    let frame = app.lastFrame()!;
    expect(frame).toMatch(/Undone: [1-9]\d* restored, .* 1 skipped \(drifted\), 0 failed/s);
    const undoJournal = app.journal.replace(/\.jsonl$/, "-undo.jsonl");
    expect(frame.replace(/\n/g, "")).toContain(`Undo journal: ${undoJournal}`);
    const header = JSON.parse(readFileSync(undoJournal, "utf8").split("\n")[0]!) as { command: string; undoOf?: string };
    expect(header.command).toBe("undo");
    // The drifted one is listed (scroll to it if needed).
    for (let i = 0; i < 10 && !/~ skipped \(drift\)\s+step-\d+ demo-prod-no-logging: logging/.test(app.lastFrame() ?? ""); i++) await press(app.stdin, KEYS.up, KEYS.up, KEYS.up);
    expect(app.lastFrame()).toMatch(/~ skipped \(drift\)\s+step-\d+ demo-prod-no-logging: logging/);
    await press(app.stdin, "u");
    await new Promise((r) => setTimeout(r, 50));
    expect(app.lastFrame()).not.toContain("Undo this run in place?");

    await press(app.stdin, "b");
    await vi.waitFor(() => expect(app.lastFrame()).toMatch(/\d+ failing · \d+ buckets · 4 accounts · 0 selected/), WAIT);
    frame = app.lastFrame()!;
    // The list is the state after the undo: the bucket changed by hand keeps its logging (no logging-enabled finding).
    await press(app.stdin, "/", ..."demo-prod-no-logging", KEYS.enter);
    await vi.waitFor(() => expect(app.lastFrame()).toContain("filter: demo-prod-no-logging"), WAIT);
    expect(app.lastFrame()).not.toMatch(/logging-enabled/);
    expect(Number(/(\d+) failing · /.exec(frame)![1])).toBeLessThan(Number(before));
    await press(app.stdin, "q");
    await vi.waitFor(() => expect(app.final()).toBeDefined(), WAIT);
    const final = app.final()!;
    expect(final.history).toHaveLength(1);
    expect(final.history[0]?.undo?.skippedDrifted).toBe(1);
    const { sessionExitCode } = await import("../../src/ui/facade.js");
    // A drifted resource left as it is: like the undo command, exit 1.
    expect(sessionExitCode(final)).toBe(1);
    app.services.close();
  });
});
