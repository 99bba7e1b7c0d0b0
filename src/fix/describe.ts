/** Human-readable views of a plan: one-line step descriptions, unified diffs, the plan summary. */
import { createTwoFilesPatch } from "diff";
import { escapeControl, safeJsonStringify } from "../base/text.js";
import type { Plan, PlanStep } from "../model/plan.js";
import { describeChange } from "./resources.js";

/**
 * One line: `[manual] account/region bucket: Operation — what changes`. Control characters in
 * AWS data (prefixes, target names, reasons) are shown escaped.
 */
export function describeStep(step: PlanStep): string {
  const where = `${step.account} ${step.region} ${step.bucket}`;
  const what = describeChange(step);
  const manual = step.manual ? `[manual] ` : "";
  const tail = step.manual ? ` — ${step.manual.reason}` : "";
  return escapeControl(`${manual}${where}: ${step.operation} — ${what}${tail}`);
}

function pretty(v: unknown): string {
  return `${safeJsonStringify(v, 2)}\n`;
}

/** Unified diff of the step's before → after (pretty-printed JSON). */
export function stepDiff(step: PlanStep): string {
  const name = `${step.bucket} ${step.operation}`;
  const before = step.beforeKnown ? pretty(step.before) : "(read at apply time)\n";
  const after = step.beforeKnown || !step.patch ? pretty(step.after) : `(merged at apply time)\n${pretty(step.patch)}`;
  return createTwoFilesPatch(`${name} (before)`, `${name} (after)`, before, after, undefined, undefined, { context: 3 });
}

/** Counts and one line per step. */
export function summarizePlan(plan: Plan): string {
  const manual = plan.steps.filter((s) => s.manual).length;
  const auto = plan.steps.length - manual;
  const buckets = new Set(plan.steps.map((s) => `${s.account}/${s.bucket}`)).size;
  const resolves = new Set(plan.steps.flatMap((s) => s.resolves)).size;
  const lines = [
    `Plan: ${auto} write(s) and ${manual} manual step(s) on ${buckets} bucket(s), resolving ${resolves} finding(s).`,
  ];
  for (const s of plan.steps) {
    const deps = s.dependsOn.length > 0 ? ` (after ${s.dependsOn.join(", ")})` : "";
    lines.push(`  ${s.id} ${describeStep(s)}${deps}`);
  }
  if (plan.steps.length === 0) lines.push("  nothing to do");
  return lines.join("\n");
}
