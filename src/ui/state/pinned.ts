/**
 * The lines pinned under the apply, rescan and undo screens (outcome, journal, how to undo), and
 * the body of the undo confirmation. Pure: state and the session's journal/undo facts in, lines out.
 */
import { describeUndoSummary } from "../../fix/describe.js";
import { wrapText } from "../../output/style.js";
import { summaryText } from "./apply.js";
import { hardWrap, wrapShellWords, type Line } from "./lines.js";
import { sessionRuns, type SessionState } from "./session.js";

/** What the pinned lines say about undoing (from the application layer's services). */
export interface UndoFacts {
  /** Journal of the first run (until a summary names the actual one). */
  journalPath: string;
  /** Shell words of the undo command for a journal; undefined when none works after the session. */
  undoCommand?: (journal: string) => string[];
}

/** Lines that never exceed `width` (only a word longer than the line is folded). */
function fit(texts: readonly string[], width: number, tone: Line["tone"]): Line[] {
  return texts.flatMap((t) => hardWrap(t, width)).map((text) => ({ text, tone }));
}

/**
 * `label path` on one line, or the path on a line of its own when both do not fit; a path longer
 * than the whole line is shortened in the middle (the full path is printed when the session ends).
 */
function labelled(label: string, path: string, width: number): Line[] {
  const one = `${label} ${path}`;
  if ([...one].length <= width) return [{ text: one, tone: "text" }];
  const chars = [...path];
  const room = width - 2;
  const shown = chars.length <= room ? path : `${chars.slice(0, Math.ceil((room - 1) / 2)).join("")}…${chars.slice(chars.length - Math.floor((room - 1) / 2)).join("")}`;
  return [
    { text: label, tone: "text" },
    { text: `  ${shown}`, tone: "text" },
  ];
}

/** The journal of the run on screen: the summary's (the actual path), else the planned one. */
export function runJournal(s: SessionState, facts: UndoFacts): string {
  return s.apply?.summary?.journalPath ?? facts.journalPath;
}

/**
 * How this run can be undone: `u` in place, and the command after the session when one works,
 * broken only between shell words; when a word does not fit the screen at all, the screen points
 * to the command printed on exit instead of folding it.
 */
export function undoHintLines(journal: string, facts: UndoFacts, width: number): Line[] {
  if (!facts.undoCommand) return fit(wrapText("Undo: u here, in place (the simulated organization ends with the session: no command could undo it later)", width), width, "text");
  const cmd = wrapShellWords(facts.undoCommand(journal), width - 2).map((l) => `  ${l}`);
  if (cmd.some((l) => [...l].length > width)) return fit(wrapText("Undo: u here, or the undo command printed when you quit", width), width, "text");
  return [{ text: "Undo: u here, or after quitting:", tone: "text" }, ...cmd.map((text) => ({ text, tone: "text" as const }))];
}

/** Summary, progress, errors, journal and undo lines under the step list. */
export function pinnedLines(s: SessionState, facts: UndoFacts, width: number): Line[] {
  const out: Line[] = [];
  const sum = s.apply?.summary;
  if (s.apply?.error) out.push({ text: `Apply failed: ${s.apply.error}`, tone: "error" });
  if (sum) {
    const bad = sum.failed + sum.skippedDrifted + sum.skippedDependent > 0;
    for (const t of wrapText(`Done: ${summaryText(sum)}`, width)) out.push({ text: t, tone: bad ? "warn" : "ok" });
    if (sum.aborted) {
      for (const t of wrapText("Interrupted: stopped after the step in flight; the journal is complete up to there.", width)) out.push({ text: t, tone: "warn" });
    }
  } else if (s.phase === "applying") {
    const done = Object.values(s.apply?.steps ?? {}).filter((x) => x.status !== "pending" && x.status !== "running").length;
    out.push({ text: `Applying ${s.plan?.steps.length ?? 0} step(s): ${done} done${s.aborting ? " · stopping after the step in flight" : ""}`, tone: "heading" });
  }
  if (s.error) out.push({ text: s.error, tone: "error" });
  const journal = runJournal(s, facts);
  if (sum && sum.writes === 0) out.push({ text: NOTHING_WRITTEN, tone: "text" });
  else out.push(...labelled("Journal:", journal, width));
  const undo = s.undo;
  if (s.phase === "undoing" && undo) {
    const done = undo.rows.filter((r) => r.status !== "running").length;
    out.push({ text: `Undoing: ${done} write(s) handled${s.aborting ? " · stopping after the restore in flight" : ""}`, tone: "heading" });
  } else if (undo?.error) out.push(...fit(wrapText(`Undo failed: ${undo.error}`, width), width, "error"));
  else if (undo?.summary) {
    const u = undo.summary;
    const bad = u.aborted || u.failed + u.skippedDrifted + u.bucketsNotEmpty + u.bucketsNotProven > 0;
    for (const t of wrapText(`Undone: ${describeUndoSummary(u)}`, width)) out.push({ text: t, tone: bad ? "warn" : "ok" });
    out.push(...labelled("Undo journal:", u.journalPath, width));
  } else if (sum && sum.writes > 0) out.push(...undoHintLines(journal, facts, width));
  return out;
}

/** A run that wrote nothing leaves no journal (the file is created at the first write). */
const NOTHING_WRITTEN = "Nothing was written to AWS: nothing to undo, no journal written.";

/** The body of the undo confirmation (`u`). */
export function confirmUndoLines(s: SessionState, facts: UndoFacts, width: number): Line[] {
  const writes = s.apply?.summary?.writes ?? 0;
  const para = (t: string, tone: Line["tone"] = "text") => fit(wrapText(t, width), width, tone);
  return [
    { text: "Undo this run in place?", tone: "heading" },
    { text: "", tone: "text" },
    ...para(`It restores the ${writes} AWS write(s) of this run to their journaled prior state, newest first, with the checks of the undo command:`),
    ...para("  · a resource changed since the fix is skipped (reported), never clobbered;"),
    ...para("  · a log bucket the fix created is deleted only when it is empty and nothing logs into it;"),
    ...para("  · undo journals its own writes."),
    { text: "", tone: "text" },
    ...labelled("Journal:", runJournal(s, facts), width),
  ];
}

/** Why a demo run prints no undo command (its simulator ends with the session). */
export function demoUndoNote(width: number, inPlace = "u undoes in place while it runs"): string[] {
  return wrapText(
    `Undo: no command is printed, the simulated organization ended with the session (${inPlace}). The \`s3-log-auditor undo JOURNAL\` command applies to the real-AWS case only: after \`s3-log-auditor fix\` it is printed here.`,
    width,
  );
}

/**
 * What stays in the scrollback after the session: every run's outcome, journal and how to undo it
 * (the command on lines of its own, broken only between shell words), or, for the demo, why no
 * command is printed.
 */
export function exitSummary(s: SessionState, facts: UndoFacts, demo: boolean, width: number): string {
  const out: string[] = [];
  const runs = sessionRuns(s);
  runs.forEach((r, i) => {
    const tag = runs.length > 1 ? `Run ${i + 1}: ` : "";
    if (r.applyError) out.push(...wrapText(`${tag}apply failed: ${r.applyError}`, width));
    if (!r.apply) return;
    out.push(...wrapText(`${tag}${summaryText(r.apply)}`, width));
    if (r.apply.writes === 0) {
      out.push(...wrapText(NOTHING_WRITTEN, width));
      return;
    }
    out.push(`Journal: ${r.apply.journalPath}`);
    if (r.undo) {
      out.push(...wrapText(`Undone in the session: ${describeUndoSummary(r.undo)}`, width));
      out.push(`Undo journal: ${r.undo.journalPath}`);
    } else if (r.apply.writes > 0 && facts.undoCommand) {
      out.push("Undo with:", ...wrapShellWords(facts.undoCommand(r.apply.journalPath), width - 2).map((l) => `  ${l}`));
    } else if (r.apply.writes > 0 && demo) {
      out.push(...demoUndoNote(width));
    }
  });
  if (s.rescan) out.push(`Rescan: ${s.rescan.passing} of ${s.rescan.rows.length} affected bucket(s) now passing`);
  if (demo && runs.some((r) => r.apply)) out.push(...wrapText("(demo: the simulated organization lived in this process; it and its changes are gone now)", width));
  return out.length > 0 ? `${out.join("\n")}\n` : "";
}
