import { describe, expect, it } from "vitest";
import type { ApplySummary } from "../../../src/model/plan.js";
import { emptyUndoSummary, type UndoSummary } from "../../../src/model/journal.js";
import { wrapShellWords } from "../../../src/ui/state/lines.js";
import { exitSummary, pinnedLines, undoHintLines } from "../../../src/ui/state/pinned.js";
import { initialSessionState, type SessionState } from "../../../src/ui/state/session.js";

const LONG = `/home/someone/.local/state/s3-log-auditor/journals/s3-log-auditor-journal-2026-12-01T11-22-33-444Z.jsonl`;
const words = (j: string) => ["s3-log-auditor", "undo", j, "--endpoint-url", "https://s3.example.internal:8443", "--profile", "audit"];
const real = { journalPath: LONG, undoCommand: words };
const demo = { journalPath: LONG };

const APPLIED: ApplySummary = {
  applied: 3,
  alreadyApplied: 0,
  skippedDrifted: 0,
  skippedDependent: 0,
  failed: 0,
  manual: 0,
  notRun: 0,
  writes: 3,
  aborted: false,
  journalPath: LONG,
  outcomes: {},
};
const UNDONE: UndoSummary = { ...emptyUndoSummary("/tmp/u.jsonl"), restored: 3, writes: 3 };
const applied: SessionState = { ...initialSessionState, phase: "applied", apply: { steps: {}, summary: APPLIED } };

/** Undoes the ` \` line continuations: the command as the shell reads it. */
const asShellReads = (lines: readonly string[]) => lines.map((l) => l.trim().replace(/ \\$/, "")).join(" ");

describe("the undo command is broken only between shell words", () => {
  it.each([30, 60, 80, 120])("at %i columns: every word whole, a flag with its value, continuations with \\", (w) => {
    const lines = wrapShellWords(words(LONG), w);
    expect(asShellReads(lines)).toBe(words(LONG).join(" "));
    for (const l of lines.slice(0, -1)) expect(l).toMatch(/ \\$/);
    expect(lines.some((l) => l.trim().replace(/ \\$/, "") === LONG)).toBe(true);
    expect(lines.some((l) => l.includes("--profile audit"))).toBe(true);
    if (w >= 60) expect(lines.some((l) => l.includes("--endpoint-url https://s3.example.internal:8443"))).toBe(true);
    // Only a word longer than the line may make it wider.
    for (const l of lines) if (l.trim().replace(/ \\$/, "").includes(" ")) expect([...l].length).toBeLessThanOrEqual(w);
  });

  it("a short command stays on one line", () => {
    expect(wrapShellWords(["s3-log-auditor", "undo", "/tmp/j.jsonl"], 80)).toEqual(["s3-log-auditor undo /tmp/j.jsonl"]);
  });
});

describe("what the session says about undoing", () => {
  it("real AWS: u in place, or the exact command after quitting, broken only between words", () => {
    const path = "/home/someone/.local/state/s3-log-auditor/journals/journal-1.jsonl";
    const lines = undoHintLines(path, real, 80).map((l) => l.text);
    expect(lines[0]).toBe("Undo: u here, or after quitting:");
    expect(lines.some((l) => l.trim() === `${path} \\`)).toBe(true);
    expect(asShellReads(lines.slice(1))).toBe(words(path).join(" "));
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
  });

  it("a journal path wider than the screen is never folded: the screen points to the command printed on exit", () => {
    const lines = pinnedLines({ ...applied, apply: { steps: {}, summary: APPLIED } }, real, 80).map((l) => l.text);
    for (const l of lines) expect([...l].length).toBeLessThanOrEqual(80);
    expect(lines).toContain("Undo: u here, or the undo command printed when you quit");
    expect(lines).toContain("Journal:");
    expect(lines.find((l) => l.includes("…"))).toMatch(/^ {2}\/home\/someone\/.*….*-444Z\.jsonl$/);
  });

  it("demo: u in place and no command (it could not work once the simulator is gone)", () => {
    const text = pinnedLines(applied, demo, 80).map((l) => l.text).join(" ");
    expect(text).toContain("Undo: u here, in place (the simulated organization ends with the session");
    expect(text).not.toContain("s3-log-auditor undo");
  });

  it("on exit, real AWS: the summary, the journal and the command on lines of its own", () => {
    const out = exitSummary(applied, real, false, 80);
    const lines = out.trimEnd().split("\n");
    expect(lines[0]).toBe("3 applied, 0 already applied, 0 skipped, 0 failed, 0 manual · 3 AWS write(s)");
    expect(lines[1]).toBe(`Journal: ${LONG}`);
    expect(lines[2]).toBe("Undo with:");
    expect(asShellReads(lines.slice(3))).toBe(words(LONG).join(" "));
  });

  it("on exit, demo: no command; the text says the command is for the real-AWS case only", () => {
    const out = exitSummary(applied, demo, true, 80).replace(/\s+/g, " ");
    expect(out).not.toContain("s3-log-auditor undo /");
    expect(out).toContain("The `s3-log-auditor undo JOURNAL` command applies to the real-AWS case only");
    expect(out).toContain("(demo: the simulated organization lived in this process; it and its changes are gone now)");
  });

  it("on exit, a run undone in place says so (and needs no command); earlier runs are numbered", () => {
    const undone: SessionState = { ...applied, phase: "undone", undo: { rows: [], summary: UNDONE }, history: [{ apply: { ...APPLIED, journalPath: "/tmp/first.jsonl" } }] };
    const out = exitSummary(undone, real, false, 200);
    expect(out).toContain("Run 1: 3 applied");
    expect(out).toContain("Journal: /tmp/first.jsonl\nUndo with:\n  s3-log-auditor undo /tmp/first.jsonl");
    expect(out).toContain("Run 2: 3 applied");
    expect(out).toContain("Undone in the session: 3 restored, 0 already as before");
    expect(out).toContain("Undo journal: /tmp/u.jsonl");
    expect(out.split("Undo with:")).toHaveLength(2);
  });

  it("a run that wrote nothing names no journal (none was written) and offers no undo", () => {
    const nothing: SessionState = { ...applied, apply: { steps: {}, summary: { ...APPLIED, applied: 0, alreadyApplied: 3, writes: 0 } } };
    const out = exitSummary(nothing, real, false, 80);
    expect(out).toContain("Nothing was written to AWS: nothing to undo, no journal written.");
    expect(out).not.toContain("Journal:");
    expect(out).not.toContain("Undo with:");
    const pinned = pinnedLines(nothing, real, 80).map((l) => l.text).join("\n");
    expect(pinned).toContain("Nothing was written to AWS");
    expect(pinned).not.toContain("Journal:");
  });
});
