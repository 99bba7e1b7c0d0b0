/** Human-readable views of a plan: one-line step descriptions, unified diffs, the plan summary. */
import { createTwoFilesPatch } from "diff";
import { escapeControl, safeJsonStringify } from "../base/text.js";
import type { LifecycleRule, LoggingConfig } from "../model/snapshot.js";
import { policyMergeCounts } from "./merge.js";
import { canonicalJson } from "./state.js";
import type { Plan, PlanStep, PolicyDocument } from "../model/plan.js";

function loggingText(c: LoggingConfig | null): string {
  if (!c) return "logging off";
  const fmt = c.keyFormat.type === "partitioned" ? `partitioned ${c.keyFormat.partitionDateSource}` : "simple";
  const grants = c.targetGrants.length > 0 ? `, ${c.targetGrants.length} target grant(s)` : "";
  return `s3://${c.targetBucket}/${c.targetPrefix} (${fmt}${grants})`;
}

/** What a lifecycle merge does, counted from before → after (true counts, never assumed). */
function lifecycleChange(before: LifecycleRule[] | null, after: LifecycleRule[]): string {
  const old = (before ?? []).map((r) => canonicalJson(r));
  const kept = old.filter((r) => after.some((a) => canonicalJson(a) === r)).length;
  const replaced = old.length - kept;
  return replaced > 0 ? `update its own log expiration rule (keeps ${kept} other rule(s))` : `add log expiration rule (keeps ${kept} existing rule(s))`;
}

/** What a policy merge does, counted from before → after. */
function policyChange(before: PolicyDocument | null, after: PolicyDocument): string {
  const { kept, updated } = policyMergeCounts(before, after);
  return updated > 0
    ? `widen its own log-delivery statement (keeps ${kept} other statement(s))`
    : `merge log-delivery statement (keeps ${kept} existing statement(s))`;
}

/**
 * One line: `[manual] account/region bucket: Operation — what changes`. Control characters in
 * AWS data (prefixes, target names, reasons) are shown escaped.
 */
export function describeStep(step: PlanStep): string {
  const where = `${step.account} ${step.region} ${step.bucket}`;
  let what: string;
  switch (step.operation) {
    case "CreateBucket":
      what = `create log bucket in ${step.after.region}`;
      break;
    case "PutBucketOwnershipControls":
      what = `object ownership ${step.before ?? "(none)"} → ${step.after}`;
      break;
    case "PutPublicAccessBlock":
      what = "turn on all four Block Public Access settings";
      break;
    case "PutBucketEncryption":
      what = `default encryption ${step.before?.algorithm ?? "(none)"} → ${step.after.algorithm} (SSE-S3)`;
      break;
    case "PutBucketLifecycleConfiguration":
      what = step.beforeKnown ? lifecycleChange(step.before, step.after) : "add log expiration rule (keeps every existing rule)";
      break;
    case "PutBucketPolicy":
      if (step.manual) what = "bucket policy";
      else if (!step.beforeKnown) what = "merge log-delivery statement (keeps every existing statement)";
      else what = policyChange(step.before, step.after);
      break;
    case "PutBucketLogging":
      what = `logging ${loggingText(step.before)} → ${loggingText(step.after)}`;
      break;
  }
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
