/** Public API of the fix engine (the CLI and the interactive UI use only this module). */
import type { Finding } from "../model/finding.js";
import type { Snapshot } from "../model/snapshot.js";
import type {
  ApplyOptions,
  ApplySummary,
  Plan,
  PlanFixesOptions,
  PlanStep,
  UndoOptions,
  UndoSummary,
} from "./types.js";

export * from "./types.js";

/** Pure: turns the failing findings' fix intents into an ordered, merged plan. */
export function planFixes(_snapshot: Snapshot, _findings: readonly Finding[], _options?: PlanFixesOptions): Plan {
  throw new Error("not implemented");
}

/** Applies a plan: drift check, journal (fsync'd) before each write, write, verify. */
export async function applyPlan(_plan: Plan, _options: ApplyOptions): Promise<ApplySummary> {
  throw new Error("not implemented");
}

/** Restores every resource a journal changed, newest first, with a drift check. */
export async function undoJournal(_journalPath: string, _options: UndoOptions): Promise<UndoSummary> {
  throw new Error("not implemented");
}

/** One line: operation, bucket, what changes. */
export function describeStep(_step: PlanStep): string {
  throw new Error("not implemented");
}

/** Unified diff of before → after (pretty-printed JSON). */
export function stepDiff(_step: PlanStep): string {
  throw new Error("not implemented");
}

/** Parses and validates a plan file's text; throws UsageError (one line) when invalid. */
export function parsePlan(_text: string, _source?: string): Plan {
  throw new Error("not implemented");
}

/** The plan file's JSON text. */
export function serializePlan(_plan: Plan): string {
  throw new Error("not implemented");
}

/** Readable multi-line summary of a plan (counts, then one line per step). */
export function summarizePlan(_plan: Plan): string {
  throw new Error("not implemented");
}
