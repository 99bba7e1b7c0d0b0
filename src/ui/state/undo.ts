/**
 * Live status of each journaled write while the session undoes its run in place (from
 * `undoJournal`'s events, through the application layer). Pure; rows appear as the engine
 * reaches them (it reads the journal itself, newest write first).
 */
import type { UndoEvent, UndoSummary } from "../../model/journal.js";
import type { Tone } from "./tone.js";

export type UndoStatus = Exclude<UndoEvent["type"], "started"> | "running";

export interface UndoRow {
  seq: number;
  stepId: string;
  bucket: string;
  resource: string;
  status: UndoStatus;
  /** Why it was kept, skipped or failed. */
  detail?: string;
}

export interface UndoState {
  rows: UndoRow[];
  /** seq of the row whose status changed last (the view follows it). */
  lastChanged?: number;
  summary?: UndoSummary;
  /** The undo could not run at all (unreadable journal, ...). */
  error?: string;
}

export const initialUndoState: UndoState = { rows: [] };

function detailOf(e: UndoEvent): string | undefined {
  switch (e.type) {
    case "bucket-not-empty":
      return "created by the fix but holds objects: delete it yourself if wanted";
    case "bucket-not-proven":
      return `not provably created by this run (${e.reason}); never deleted`;
    case "bucket-in-use":
      return `still the log target of ${e.sources.join(", ")}`;
    case "skipped-drifted":
      return "changed since the fix: not clobbered";
    case "failed":
      return `${e.error.code}: ${e.error.message}`;
    case "unrestorable":
      return `AWS refuses the prior configuration (${e.error.code}); the fixed one is kept`;
    case "not-run":
      return e.reason;
    default:
      return undefined;
  }
}

/** Applies one engine event to the rows. */
export function undoEventReducer(s: UndoState, e: UndoEvent): UndoState {
  const r = e.record;
  const row: UndoRow = { seq: r.seq, stepId: r.stepId, bucket: r.bucket, resource: r.resource, status: e.type === "started" ? "running" : e.type };
  const detail = detailOf(e);
  if (detail) row.detail = detail;
  const i = s.rows.findIndex((x) => x.seq === r.seq);
  const rows = i < 0 ? [...s.rows, row] : s.rows.map((x, k) => (k === i ? row : x));
  return { ...s, rows, lastChanged: r.seq };
}

export const UNDO_MARK: Record<UndoStatus, { mark: string; label: string; tone: Tone }> = {
  running: { mark: "…", label: "restoring", tone: "heading" },
  restored: { mark: "✓", label: "restored", tone: "ok" },
  "already-restored": { mark: "=", label: "already as before", tone: "ok" },
  "bucket-deleted": { mark: "✓", label: "bucket deleted", tone: "ok" },
  "covered-by-delete": { mark: "✓", label: "with the bucket", tone: "ok" },
  "bucket-not-empty": { mark: "!", label: "bucket kept", tone: "warn" },
  "bucket-not-proven": { mark: "!", label: "bucket kept", tone: "warn" },
  "bucket-in-use": { mark: "!", label: "bucket kept", tone: "warn" },
  "skipped-drifted": { mark: "~", label: "skipped (drift)", tone: "warn" },
  failed: { mark: "✗", label: "failed", tone: "error" },
  unrestorable: { mark: "!", label: "not restorable", tone: "warn" },
  "not-run": { mark: "-", label: "not run", tone: "dim" },
};

/** One line per journaled write reached so far. */
export function undoLines(s: UndoState): { text: string; tone: Tone }[] {
  if (s.rows.length === 0 && !s.summary) return [{ text: "Reading the journal…", tone: "dim" }];
  return s.rows.map((r) => {
    const m = UNDO_MARK[r.status];
    return { text: `${m.mark} ${m.label.padEnd(17)} ${r.stepId} ${r.bucket}: ${r.resource}${r.detail ? ` — ${r.detail}` : ""}`, tone: m.tone };
  });
}

/** Exit-worthy trouble in an undo: something failed, drifted or was kept. */
export function undoTroubled(s: UndoSummary): boolean {
  return s.aborted || s.failed + s.skippedDrifted + s.bucketsNotEmpty + s.bucketsNotProven + s.bucketsInUse + s.unrestorable > 0;
}
