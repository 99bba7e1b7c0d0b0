/** Human-readable views of a plan: one-line step descriptions, unified diffs, the plan summary; the undo summary. */
import { createTwoFilesPatch } from "diff";
import { escapeControl, safeJsonStringify } from "../base/text.js";
import type { ResourceKind, UndoSummary } from "../model/journal.js";
import type { Plan, PlanStep } from "../model/plan.js";
import { describeChange, resourceOf, sameState } from "./resources.js";

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

/**
 * The state AWS gives a new general purpose bucket, for the hardening steps a plan makes on a
 * bucket it creates: Bucket owner enforced and SSE-S3 are documented defaults (reference §1, §5);
 * Block Public Access on is what AWS and the simulator do since 2023 but is not in the reference.
 * None is assumed: apply re-reads each one and writes what differs, so these count as "may".
 */
const NEW_BUCKET_DEFAULTS: Partial<Record<ResourceKind, unknown>> = {
  ownership: "BucketOwnerEnforced",
  "public-access-block": { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
  encryption: { algorithm: "AES256" },
};

/** What a step is expected to do: create a bucket, change a resource, nothing (in place), or wait for the user. */
export type StepKind = "create" | "change" | "in-place" | "may-be-in-place" | "manual";

/** The kind of a step, from the plan alone (no AWS call). */
export function stepKind(step: PlanStep): StepKind {
  if (step.manual) return "manual";
  if (step.operation === "CreateBucket") return "create";
  const resource = resourceOf(step.operation);
  if (step.beforeKnown && sameState(resource, step.before, step.after)) return "in-place";
  if (step.createdBucket && resource in NEW_BUCKET_DEFAULTS && sameState(resource, NEW_BUCKET_DEFAULTS[resource], step.after))
    return "may-be-in-place";
  return "change";
}

export interface PlanCounts {
  create: number;
  change: number;
  manual: number;
  /** Known no-ops: the plan's `before` already equals `after`. */
  inPlace: number;
  /** Steps on a bucket the plan creates that AWS's new-bucket defaults normally make no-ops. */
  mayBeInPlace: number;
}

/** Counts of the steps by kind. */
export function planCounts(steps: readonly PlanStep[]): PlanCounts {
  const c: PlanCounts = { create: 0, change: 0, manual: 0, inPlace: 0, mayBeInPlace: 0 };
  for (const s of steps) {
    const k = stepKind(s);
    if (k === "in-place") c.inPlace++;
    else if (k === "may-be-in-place") c.mayBeInPlace++;
    else c[k]++;
  }
  return c;
}

/** Number of AWS writes the steps make: at least `writes`, at most `upTo`. */
export function writeRange(c: PlanCounts): { writes: number; upTo: number } {
  return { writes: c.create + c.change, upTo: c.create + c.change + c.mayBeInPlace };
}

/**
 * The one-line count shown by `fix show`, after `fix --plan-out` and in the session's review:
 * `Plan: 2 to create, 33 to change, 0 already in place, 1 manual: up to 41 AWS write(s) (6 may already be in place).`
 */
export function planCountLine(steps: readonly PlanStep[]): string {
  const c = planCounts(steps);
  return `Plan: ${c.create} to create, ${c.change} to change, ${c.inPlace} already in place, ${c.manual} manual: ${writesText(steps)}.`;
}

/** "35 AWS write(s)", or "up to 41 AWS write(s) (6 may already be in place)" when a created bucket's defaults may make some needless. */
export function writesText(steps: readonly PlanStep[]): string {
  const c = planCounts(steps);
  const { writes, upTo } = writeRange(c);
  return upTo > writes ? `up to ${upTo} AWS write(s) (${c.mayBeInPlace} may already be in place)` : `${writes} AWS write(s)`;
}

/** The lines of a step's unified diff that a reader needs (no `Index:`/`===` banner, no "no newline" marker). */
export function stepDiffLines(step: PlanStep): string[] {
  return stepDiff(step)
    .split("\n")
    .filter((d) => d !== "" && !d.startsWith("====") && !d.startsWith("Index:") && !d.startsWith("\\ No newline"));
}

/** Counts and one line per step, ending with the count line. */
export function summarizePlan(plan: Plan): string {
  const buckets = new Set(plan.steps.map((s) => `${s.account}/${s.bucket}`)).size;
  const resolves = new Set(plan.steps.flatMap((s) => s.resolves)).size;
  const lines = [`Plan for ${buckets} bucket(s), resolving ${resolves} finding(s):`];
  for (const s of plan.steps) {
    const deps = s.dependsOn.length > 0 ? ` (after ${s.dependsOn.join(", ")})` : "";
    lines.push(`  ${s.id} ${describeStep(s)}${deps}`);
  }
  if (plan.steps.length === 0) lines.push("  nothing to do");
  lines.push(planCountLine(plan.steps));
  return lines.join("\n");
}

/** One line of a plan view, with what it is (for colouring). */
export interface ViewLine {
  text: string;
  tone: "heading" | "text" | "dim" | "warn" | "add" | "del" | "hunk";
}

/** What a line of a unified diff is (for colouring). */
export function diffTone(d: string): ViewLine["tone"] {
  if (d.startsWith("+++") || d.startsWith("---")) return "dim";
  if (d.startsWith("@@")) return "hunk";
  if (d.startsWith("+")) return "add";
  if (d.startsWith("-")) return "del";
  return "text";
}

/** A step as the session's review shows it: its line, its dependencies, then its diff (or why it is manual). */
export function stepView(step: PlanStep, indent = "  "): ViewLine[] {
  const out: ViewLine[] = [{ text: `${step.id} ${describeStep(step)}`, tone: step.manual ? "warn" : "heading" }];
  if (step.dependsOn.length > 0) out.push({ text: `${indent}after ${step.dependsOn.join(", ")}`, tone: "dim" });
  if (step.reasons.length > 0) out.push({ text: escapeControl(`${indent}why: ${step.reasons.join("; ")}`), tone: "dim" });
  if (step.manual) {
    const st = step.manual.statement ? ` (statement ${step.manual.statement})` : "";
    out.push({ text: escapeControl(`${indent}manual${st}: not applied automatically; make the change yourself, then rescan`), tone: "warn" });
    return out;
  }
  const kind = stepKind(step);
  if (kind === "may-be-in-place") out.push({ text: `${indent}a new bucket normally has this already: apply re-reads it and writes only if it differs`, tone: "dim" });
  if (kind === "in-place") out.push({ text: `${indent}already in place: apply writes nothing`, tone: "dim" });
  for (const d of stepDiffLines(step)) out.push({ text: `${indent}${d}`, tone: diffTone(d) });
  return out;
}

/**
 * `fix show`: the plan's header, its steps grouped by account and bucket (accounts and buckets in
 * name order, steps in plan order) with their diffs, and the count line last.
 */
export function planView(plan: Plan, source: string): ViewLine[] {
  const out: ViewLine[] = [];
  const o = plan.options;
  out.push({ text: `Plan ${source}: made ${plan.createdAt} by ${plan.tool.name} ${plan.tool.version} from a scan of ${plan.snapshotAt} (partition ${plan.partition})`, tone: "heading" });
  out.push({ text: `Options: log bucket ${o.logBucketTemplate}, log retention ${o.logRetentionDays} day(s), key format ${o.keyFormat}`, tone: "dim" });
  const scope = [
    plan.scope.accounts ? `accounts ${plan.scope.accounts.join(",")}` : "",
    plan.scope.buckets ? `buckets ${plan.scope.buckets.join(",")}` : "",
    plan.scope.rules ? `rules ${plan.scope.rules.join(",")}` : "",
  ].filter(Boolean);
  out.push({ text: `Scope: ${scope.length > 0 ? scope.join("; ") : "every failing finding of the scan"}`, tone: "dim" });
  const byAccount = new Map<string, Map<string, PlanStep[]>>();
  for (const s of plan.steps) {
    let buckets = byAccount.get(s.account);
    if (!buckets) byAccount.set(s.account, (buckets = new Map<string, PlanStep[]>()));
    let steps = buckets.get(s.bucket);
    if (!steps) buckets.set(s.bucket, (steps = []));
    steps.push(s);
  }
  const byName = <T,>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [account, buckets] of byName(byAccount)) {
    const all = [...buckets.values()].flat();
    out.push({ text: "", tone: "text" });
    out.push({ text: `account ${account}: ${planCountLine(all).replace(/^Plan: /, "")}`, tone: "heading" });
    for (const [bucket, steps] of byName(buckets)) {
      const created = steps.some((s) => s.operation === "CreateBucket") ? ", created by this plan" : "";
      out.push({ text: "", tone: "text" });
      out.push({ text: `  bucket ${bucket} (${steps[0]!.region}${created})`, tone: "heading" });
      for (const s of steps) out.push(...stepView(s, "      ").map((l, i) => ({ ...l, text: `${i === 0 ? "    " : ""}${l.text}` })));
    }
  }
  if (plan.steps.length === 0) out.push({ text: "", tone: "text" }, { text: "Nothing to do: the plan has no steps.", tone: "text" });
  out.push({ text: "", tone: "text" });
  out.push({ text: planCountLine(plan.steps), tone: "heading" });
  // Account ids, bucket names and reasons come from the file: never a raw control character.
  return out.map((l) => ({ ...l, text: escapeControl(l.text) }));
}

/** The outcome of an undo in one sentence (the `undo` command and the session's in-place undo). */
export function describeUndoSummary(s: UndoSummary): string {
  return (
    `${s.restored} restored, ${s.alreadyRestored} already as before, ${s.bucketsDeleted} bucket(s) deleted, ` +
    `${s.bucketsNotEmpty + s.bucketsInUse + s.bucketsNotProven} bucket(s) kept (not empty, in use or not created by this run), ${s.skippedDrifted} skipped (drifted), ${s.failed} failed` +
    `${s.unrestorable > 0 ? `, ${s.unrestorable} not restorable (AWS refuses the broken prior configuration)` : ""}` +
    `${s.notRun > 0 ? `, ${s.notRun} not run (interrupted)` : ""}.`
  );
}
