/** Live status of each plan step while the engine applies it (from `applyPlan`'s events). */
import type { ApplyEvent, ApplySummary, Plan, StepOutcome } from "../../model/plan.js";

export type StepStatus = "pending" | "running" | "verifying" | StepOutcome | "verify-failed";

export interface StepProgress {
  status: StepStatus;
  /** Reason (skips, manual, not run) or error text (failed). */
  detail?: string;
}

export interface ApplyState {
  steps: Record<string, StepProgress>;
  /** Step ids in the order their status last changed (the view follows the newest). */
  lastChanged?: string;
  summary?: ApplySummary;
  /** applyPlan threw (it should not; shown as is). */
  error?: string;
}

export function initialApplyState(plan: Plan): ApplyState {
  const steps: Record<string, StepProgress> = {};
  for (const s of plan.steps) steps[s.id] = { status: "pending" };
  return { steps };
}

function statusOf(e: ApplyEvent): StepProgress {
  switch (e.type) {
    case "started":
      return { status: "running" };
    case "applied":
      return { status: "applied" };
    case "already-applied":
      return { status: "already-applied" };
    case "skipped-drifted":
      return { status: "skipped-drifted", detail: e.reason };
    case "skipped-dependent":
      return { status: "skipped-dependent", detail: e.reason };
    case "failed":
      return { status: "failed", detail: `${e.error.code}: ${e.error.message}` };
    case "manual":
      return { status: "manual", detail: e.reason };
    case "verified":
      return e.ok ? { status: "applied" } : { status: "verify-failed", detail: "the re-read differs from what was written" };
    case "not-run":
      return { status: "not-run", detail: e.reason };
  }
}

export function applyEventReducer(s: ApplyState, e: ApplyEvent): ApplyState {
  return { ...s, steps: { ...s.steps, [e.step.id]: statusOf(e) }, lastChanged: e.step.id };
}

/** Counts of the statuses so far (for the live header). */
export function statusCounts(s: ApplyState): Record<StepStatus, number> {
  const c: Record<StepStatus, number> = {
    pending: 0,
    running: 0,
    verifying: 0,
    applied: 0,
    "already-applied": 0,
    "skipped-drifted": 0,
    "skipped-dependent": 0,
    failed: 0,
    manual: 0,
    "not-run": 0,
    "verify-failed": 0,
  };
  for (const p of Object.values(s.steps)) c[p.status]++;
  return c;
}

/** The summary line shown when the apply is over. */
export function summaryText(s: ApplySummary): string {
  const skipped = s.skippedDrifted + s.skippedDependent;
  return (
    `${s.applied} applied, ${s.alreadyApplied} already applied, ${skipped} skipped, ${s.failed} failed, ` +
    `${s.manual} manual${s.notRun > 0 ? `, ${s.notRun} not run (interrupted)` : ""} · ${s.writes} AWS write(s)`
  );
}
