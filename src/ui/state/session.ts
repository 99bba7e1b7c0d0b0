/**
 * The whole fix session as one pure reducer: scan → findings (browser + detail) → review → apply →
 * rescan. Effects (scanning, planning, applying) run in the app component, which dispatches their
 * results here; this module decides only what is shown.
 */
import type { ApplyEvent, ApplySummary, Plan } from "../../model/plan.js";
import type { Finding } from "../../model/finding.js";
import type { Snapshot } from "../../model/snapshot.js";
import type { ProgressEvent } from "../../progress/events.js";
import { initialProgressState, progressReducer, type ProgressState } from "../../progress/model.js";
import type { UndoEvent, UndoSummary } from "../../model/journal.js";
import { applyEventReducer, initialApplyState, type ApplyState } from "./apply.js";
import { initialUndoState, undoEventReducer, type UndoState } from "./undo.js";
import type { BucketStanding, DeliveryCheck } from "../../app/fix-session.js";
import { browserReducer, buildTree, currentRow, initialBrowserState, selectedFindings, type BrowserAction, type BrowserKeep, type BrowserState } from "./findings.js";

export type Phase =
  | "scanning"
  | "scan-failed"
  | "findings"
  | "review"
  | "applying"
  | "applied"
  | "rescanning"
  | "rescanned"
  | "confirm-undo"
  | "undoing"
  | "undone";

/** A finished run of the session (kept when `b` goes back to the findings): printed on exit. */
export interface PastRun {
  apply?: ApplySummary;
  applyError?: string;
  undo?: UndoSummary;
}

export interface RescanRow {
  account: string;
  region: string;
  bucket: string;
  /** Rule ids of the selected findings on this bucket that now pass. */
  fixed: string[];
  /** Findings of this bucket still failing (or not evaluable) after the fix. */
  remaining: Finding[];
}

export interface RescanResult {
  rows: RescanRow[];
  /** Buckets with no failing or error finding left. */
  passing: number;
}

export interface SessionState {
  phase: Phase;
  progress: ProgressState;
  snapshot?: Snapshot;
  findings: Finding[];
  browser?: BrowserState;
  /** Why a shown finding has no selectable fix (from the application layer), by fingerprint. */
  noFix?: ReadonlyMap<string, string>;
  /** The opt-in delivery check: on or off for the scans of the session (`d`), and its window. */
  delivery: { on: boolean; windowHours: number };
  /** What the next findings list keeps of the last one (its view and filter) after a scan again. */
  keep?: BrowserKeep;
  help: boolean;
  /** First line of the detail pane shown (it scrolls independently of the list). */
  detailScroll: number;
  plan?: Plan;
  /** The selection the plan was made from. */
  planned: Finding[];
  reviewScroll: number;
  apply?: ApplyState;
  /** User scrolled the apply list: stop following the newest step. */
  applyScroll: number | null;
  rescanProgress: ProgressState;
  rescan?: RescanResult;
  rescanScroll: number;
  /** The in-place undo of the run (`u`), once confirmed. */
  undo?: UndoState;
  /** Where `esc` on the undo confirmation returns. */
  undoFrom?: "applied" | "rescanned";
  undoScroll: number | null;
  /** Runs finished before `b` went back to the findings. */
  history: PastRun[];
  error?: string;
  /** One transient line for the footer ("nothing selected", ...). */
  note?: string;
  /** Ctrl-C was pressed during the apply: it stops after the step in flight. */
  aborting: boolean;
  /** The session was left with Ctrl-C (exit code 130). */
  interrupted: boolean;
  /** Exit code of a failed scan. */
  scanExitCode?: number;
  /**
   * Single-finding plans for the detail pane, by fingerprint (null: none can be made). Filled
   * outside render, in the dispatch path (`detailPlanWanted` names the one still missing).
   */
  detailPlans?: Readonly<Record<string, Plan | null>>;
}

export const initialSessionState: SessionState = {
  phase: "scanning",
  delivery: { on: false, windowHours: 48 },
  progress: initialProgressState,
  findings: [],
  help: false,
  detailScroll: 0,
  planned: [],
  reviewScroll: 0,
  applyScroll: null,
  rescanProgress: initialProgressState,
  rescanScroll: 0,
  undoScroll: null,
  history: [],
  aborting: false,
  interrupted: false,
};

/** The state a session starts in, with the delivery check as the application layer set it up. */
export function sessionStart(delivery: Pick<DeliveryCheck, "on" | "windowHours">): SessionState {
  return { ...initialSessionState, delivery: { on: delivery.on, windowHours: delivery.windowHours } };
}

export type SessionAction =
  | { type: "progress"; event: ProgressEvent }
  | { type: "scan-done"; snapshot: Snapshot; findings: Finding[]; noFix?: ReadonlyMap<string, string>; buckets?: readonly BucketStanding[] }
  /** `d`: switch the delivery check and scan again (the list keeps its view and filter). */
  | { type: "delivery-toggle" }
  /** `exitCode`: the error's own (2 for bad usage/configuration), else 1. */
  | { type: "scan-failed"; message: string; exitCode?: number }
  | { type: "browser"; action: BrowserAction }
  | { type: "help" }
  | { type: "scroll-detail"; delta: number; max?: number }
  | { type: "note"; text: string | undefined }
  | { type: "review"; plan: Plan }
  | { type: "back" }
  | { type: "scroll-review"; delta: number; max?: number }
  | { type: "apply-start" }
  | { type: "apply-event"; event: ApplyEvent }
  | { type: "apply-done"; summary: ApplySummary }
  | { type: "apply-failed"; message: string }
  | { type: "abort" }
  /** `from`: the offset on screen while following the newest step. */
  | { type: "scroll-apply"; delta: number; max?: number; from?: number }
  | { type: "rescan-start" }
  | { type: "rescan-progress"; event: ProgressEvent }
  | { type: "rescan-done"; findings: Finding[] }
  | { type: "rescan-failed"; message: string }
  | { type: "scroll-rescan"; delta: number; max?: number }
  | { type: "detail-plan"; fingerprint: string; plan: Plan | null }

  /** `u`: ask before undoing the run in place. */
  | { type: "undo-ask" }
  | { type: "undo-cancel" }
  | { type: "undo-start" }
  | { type: "undo-event"; event: UndoEvent }
  | { type: "undo-done"; summary: UndoSummary }
  | { type: "undo-failed"; message: string }
  | { type: "scroll-undo"; delta: number; max?: number; from?: number }
  /** `b`: keep this run in the history and scan again for a fresh findings list. */
  | { type: "restart" };

/** Scroll offsets stay within [0, max] (max: the last offset that still fills the window). */
const clampScroll = (n: number, max = Infinity) => {
  const v = Math.max(0, Math.min(n, max));
  return Number.isFinite(v) ? v : 0;
};

/** The highlighted finding of the browser, if the cursor is on a finding. */
export function highlightedFinding(s: SessionState): Finding | undefined {
  const row = s.browser ? currentRow(s.browser) : undefined;
  return row?.node.kind === "finding" ? row.node.finding : undefined;
}

/** The highlighted failing, fixable finding whose detail-pane plan is not made yet, if any. */
export function detailPlanWanted(s: SessionState): Finding | undefined {
  if (s.phase !== "findings" || !s.snapshot) return undefined;
  const f = highlightedFinding(s);
  if (!f || f.status !== "fail" || !f.fixable) return undefined;
  return s.detailPlans && Object.hasOwn(s.detailPlans, f.fingerprint) ? undefined : f;
}

/** The plan the detail pane shows for finding `f` (undefined: none, or not made yet). */
export function detailPlanOf(s: SessionState, f: Finding | undefined): Plan | undefined {
  return (f && s.detailPlans?.[f.fingerprint]) ?? undefined;
}

export function sessionReducer(s: SessionState, a: SessionAction): SessionState {
  switch (a.type) {
    case "progress":
      return s.phase === "scanning" ? { ...s, progress: progressReducer(s.progress, a.event) } : s;
    case "scan-done":
      return {
        ...s,
        phase: "findings",
        snapshot: a.snapshot,
        findings: a.findings,
        browser: initialBrowserState(buildTree(a.snapshot, a.findings, a.buckets), s.keep),
        ...(a.noFix ? { noFix: a.noFix } : {}),
        detailPlans: {},
        keep: undefined,
      };
    case "delivery-toggle":
      if (s.phase !== "findings") return s;
      return {
        ...s,
        phase: "scanning",
        progress: initialProgressState,
        delivery: { ...s.delivery, on: !s.delivery.on },
        note: undefined,
        detailScroll: 0,
        ...(s.browser ? { keep: { view: s.browser.view, filter: s.browser.filter } } : {}),
      };
    case "detail-plan":
      return { ...s, detailPlans: { ...s.detailPlans, [a.fingerprint]: a.plan } };
    case "scan-failed":
      return { ...s, phase: "scan-failed", error: a.message, scanExitCode: a.exitCode ?? 1 };
    case "browser": {
      if (s.phase !== "findings" || !s.browser) return s;
      const browser = browserReducer(s.browser, a.action);
      const moved = browser.cursor !== s.browser.cursor;
      // Space on a row with nothing to select says why, instead of doing nothing.
      const note = a.action.type === "toggle" && browser.selected === s.browser.selected ? noSelectionNote(s.browser, s.noFix) : undefined;
      return { ...s, browser, detailScroll: moved ? 0 : s.detailScroll, note };
    }
    case "help":
      return { ...s, help: !s.help };
    case "scroll-detail":
      return { ...s, detailScroll: clampScroll(s.detailScroll + a.delta, a.max) };
    case "note":
      return a.text === undefined ? { ...s, note: undefined } : { ...s, note: a.text };
    case "review":
      if (s.phase !== "findings" || !s.browser) return s;
      return { ...s, phase: "review", plan: a.plan, planned: selectedFindings(s.browser), reviewScroll: 0, note: undefined };
    case "back":
      if (s.help) return { ...s, help: false };
      return s.phase === "review" ? { ...s, phase: "findings" } : s;
    case "scroll-review":
      return { ...s, reviewScroll: clampScroll(s.reviewScroll + a.delta, a.max) };
    case "apply-start":
      if (s.phase !== "review" || !s.plan) return s;
      return { ...s, phase: "applying", apply: initialApplyState(s.plan), applyScroll: null };
    case "apply-event":
      return s.apply ? { ...s, apply: applyEventReducer(s.apply, a.event) } : s;
    case "apply-done":
      return s.apply ? { ...s, phase: "applied", apply: { ...s.apply, summary: a.summary }, aborting: false } : s;
    case "apply-failed":
      return { ...s, phase: "applied", apply: { ...(s.apply ?? { steps: {} }), error: a.message }, aborting: false };
    case "abort":
      return s.phase === "applying" || s.phase === "undoing" ? { ...s, aborting: true } : s;
    case "scroll-apply": {
      const from = s.applyScroll ?? a.from ?? 0;
      return { ...s, applyScroll: clampScroll(from + a.delta, a.max) };
    }
    case "rescan-start":
      if (s.phase !== "applied" && s.phase !== "rescanned") return s;
      return { ...s, phase: "rescanning", rescanProgress: initialProgressState, rescan: undefined, rescanScroll: 0, error: undefined };
    case "rescan-progress":
      return s.phase === "rescanning" ? { ...s, rescanProgress: progressReducer(s.rescanProgress, a.event) } : s;
    case "rescan-done":
      return s.plan ? { ...s, phase: "rescanned", rescan: rescanResult(s.plan, s.planned, a.findings) } : s;
    case "rescan-failed":
      return { ...s, phase: "applied", error: `rescan failed: ${a.message}` };
    case "scroll-rescan":
      return { ...s, rescanScroll: clampScroll(s.rescanScroll + a.delta, a.max) };
    case "undo-ask": {
      if (s.phase !== "applied" && s.phase !== "rescanned") return s;
      if (s.undo) return { ...s, note: "this run is already undone" };
      const sum = s.apply?.summary;
      if (!sum) return { ...s, note: "nothing to undo: the apply did not finish" };
      if (sum.writes === 0) return { ...s, note: "nothing to undo: this run made no AWS write" };
      return { ...s, phase: "confirm-undo", undoFrom: s.phase, note: undefined };
    }
    case "undo-cancel":
      return s.phase === "confirm-undo" ? { ...s, phase: s.undoFrom ?? "applied" } : s;
    case "undo-start":
      // The rescan described the state before the undo: it no longer holds.
      return s.phase === "confirm-undo" ? { ...s, phase: "undoing", undo: initialUndoState, undoScroll: null, aborting: false, rescan: undefined } : s;
    case "undo-event":
      return s.undo && s.phase === "undoing" ? { ...s, undo: undoEventReducer(s.undo, a.event) } : s;
    case "undo-done":
      return s.undo ? { ...s, phase: "undone", undo: { ...s.undo, summary: a.summary }, aborting: false } : s;
    case "undo-failed":
      return { ...s, phase: "undone", undo: { ...(s.undo ?? initialUndoState), error: a.message }, aborting: false };
    case "scroll-undo": {
      const from = s.undoScroll ?? a.from ?? 0;
      return { ...s, undoScroll: clampScroll(from + a.delta, a.max) };
    }
    case "restart": {
      if (s.phase !== "applied" && s.phase !== "rescanned" && s.phase !== "undone") return s;
      return { ...initialSessionState, delivery: s.delivery, history: [...s.history, pastRun(s)], ...(s.browser ? { keep: { view: s.browser.view, filter: s.browser.filter } } : {}) };
    }
  }
}

/** What a session's current run leaves for the history. */
export function pastRun(s: SessionState): PastRun {
  const r: PastRun = {};
  if (s.apply?.summary) r.apply = s.apply.summary;
  if (s.apply?.error) r.applyError = s.apply.error;
  if (s.undo?.summary) r.undo = s.undo.summary;
  return r;
}

/** Every run of the session, the current one last (for the summary printed on exit). */
export function sessionRuns(s: SessionState): PastRun[] {
  const cur = pastRun(s);
  return cur.apply || cur.applyError ? [...s.history, cur] : s.history;
}

/** Why the highlighted row has no fix to select (one footer line). */
export function noSelectionNote(b: BrowserState, noFix: ReadonlyMap<string, string> | undefined): string | undefined {
  const row = currentRow(b);
  if (!row) return undefined;
  const node = row.node;
  if (node.kind === "finding") return `cannot select: ${noFix?.get(node.finding.fingerprint) ?? `${node.finding.ruleId} has no automatic fix here`}`;
  if ((node.kind === "account" || node.kind === "bucket") && node.error) return `cannot select: could not be read (${node.error})`;
  if (node.kind === "bucket" && row.passing > 0 && node.standing?.noFix) return `cannot select: ${node.standing.noFix}`;
  const n = row.findings.length;
  if (n === 0 && row.passing > 0) return `cannot select: the ${row.passing} bucket(s) here pass every rule evaluated: nothing to fix`;
  return `cannot select: none of the ${n} finding(s) here has an automatic fix (highlight one to see why)`;
}

/** The buckets a plan touches plus the buckets of the findings it was made for. */
export function affectedBuckets(plan: Plan, planned: readonly Finding[]): { account: string; region: string; bucket: string }[] {
  const seen = new Map<string, { account: string; region: string; bucket: string }>();
  for (const x of [...plan.steps, ...planned]) {
    const k = `${x.account}/${x.bucket}`;
    if (!seen.has(k)) seen.set(k, { account: x.account, region: x.region, bucket: x.bucket });
  }
  return [...seen.values()].sort((a, b) => a.account.localeCompare(b.account) || a.bucket.localeCompare(b.bucket));
}

/** What a rescan restricted to the affected buckets should cover. */
export function rescanScope(plan: Plan, planned: readonly Finding[]): { accounts: string[]; buckets: string[] } {
  const affected = affectedBuckets(plan, planned);
  return {
    accounts: [...new Set(affected.map((b) => b.account))].sort(),
    buckets: [...new Set(affected.map((b) => b.bucket))].sort(),
  };
}

/** Compares the rescan's findings with the findings that were fixed, bucket by bucket. */
export function rescanResult(plan: Plan, planned: readonly Finding[], after: readonly Finding[]): RescanResult {
  const rows: RescanRow[] = [];
  let passing = 0;
  for (const b of affectedBuckets(plan, planned)) {
    const mine = after.filter((f) => f.account === b.account && f.bucket === b.bucket);
    const remaining = mine.filter((f) => f.status === "fail" || f.status === "error");
    const stillFailing = new Set(remaining.map((f) => f.fingerprint));
    const fixed = planned
      .filter((f) => f.account === b.account && f.bucket === b.bucket && !stillFailing.has(f.fingerprint))
      .map((f) => f.ruleId);
    if (remaining.length === 0) passing++;
    rows.push({ ...b, fixed, remaining });
  }
  // Buckets still failing first: they are what needs attention.
  rows.sort((a, b) => (a.remaining.length > 0 ? 0 : 1) - (b.remaining.length > 0 ? 0 : 1));
  return { rows, passing };
}

/** Number of AWS writes (automatic steps) and manual steps per account of a plan. */
export function writesPerAccount(plan: Plan): { account: string; writes: number; manual: number }[] {
  const m = new Map<string, { account: string; writes: number; manual: number }>();
  for (const s of plan.steps) {
    let e = m.get(s.account);
    if (!e) m.set(s.account, (e = { account: s.account, writes: 0, manual: 0 }));
    if (s.manual) e.manual++;
    else e.writes++;
  }
  return [...m.values()].sort((a, b) => a.account.localeCompare(b.account));
}
