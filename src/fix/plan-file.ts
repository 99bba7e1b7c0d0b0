/** The plan file: versioned JSON; loading validates it fully (one-line error, exit 2). */
import picomatch from "picomatch";
import { InputError } from "../base/errors.js";
import { safeJsonStringify } from "../base/text.js";
import { PLAN_KIND, PLAN_SCHEMA_VERSION, PlanSchema, type Plan } from "../model/plan.js";
import { logBucketName } from "./plan.js";

/** The plan file's JSON text. */
export function serializePlan(plan: Plan): string {
  return `${safeJsonStringify(plan, 2)}\n`;
}

/** Parses and validates a plan file's text; throws InputError (one line) when invalid. */
export function parsePlan(text: string, source = "plan"): Plan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${source}: not a valid plan file (invalid JSON: ${(err as Error).message.split("\n")[0]})`);
  }
  const head = (json ?? {}) as { kind?: unknown; schemaVersion?: unknown };
  if (typeof json !== "object" || json === null || head.kind !== PLAN_KIND)
    throw new InputError(`${source}: not an ${PLAN_KIND} file (kind is ${JSON.stringify(head.kind ?? null)})`);
  if (head.schemaVersion !== PLAN_SCHEMA_VERSION)
    throw new InputError(
      `${source}: plan schema version ${JSON.stringify(head.schemaVersion ?? null)} is not supported (expected ${PLAN_SCHEMA_VERSION}); re-create the plan with this version`,
    );
  const parsed = PlanSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join(".") || "(root)" : "(root)";
    throw new InputError(`${source}: invalid plan file at ${where}: ${issue?.message ?? "invalid"}`);
  }
  const plan = parsed.data;
  const problem = dependencyProblem(plan) ?? stepProblem(plan) ?? scopeProblem(plan);
  if (problem) throw new InputError(`${source}: invalid plan file: ${problem}`);
  return plan;
}

/** Duplicate ids, and dependencies that are unknown, on the step itself or on a later step (a cycle). */
function dependencyProblem(plan: Plan): string | undefined {
  const ids = new Set(plan.steps.map((s) => s.id));
  const seen = new Set<string>();
  for (const s of plan.steps) {
    if (seen.has(s.id)) return `duplicate step id ${s.id}`;
    for (const d of s.dependsOn) {
      if (d === s.id) return `step ${s.id} depends on itself`;
      if (!ids.has(d)) return `step ${s.id} depends on ${d}, which is not a step of the plan`;
      if (!seen.has(d)) return `step ${s.id} depends on ${d}, which comes after it (steps are in dependency order; a cycle cannot be applied)`;
    }
    seen.add(s.id);
  }
  return undefined;
}

/** A step whose parts disagree: a bucket created in another Region than the step's. */
function stepProblem(plan: Plan): string | undefined {
  for (const s of plan.steps) {
    if (s.operation === "CreateBucket" && s.after.region !== s.region)
      return `step ${s.id} creates ${s.bucket} in ${s.after.region} but is a step in ${s.region}`;
  }
  return undefined;
}

/** Every bucket ARN (`arn:PARTITION:s3:::NAME`) named anywhere in a value: the sources a policy statement admits. */
function bucketArnNames(value: unknown, out: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") {
    const m = /^arn:[\w-]+:s3:::([^/]+)$/.exec(value);
    if (m?.[1]) out.add(m[1]);
  } else if (Array.isArray(value)) for (const v of value) bucketArnNames(v, out);
  else if (value && typeof value === "object") for (const v of Object.values(value)) bucketArnNames(v, out);
  return out;
}

/**
 * A step outside the plan's own scope. Accounts: every step is in one of them. Buckets: a step
 * writes a bucket matching the globs, or a log target the plan itself links to one — the log
 * bucket its template names for that account and Region, the target of a matching source's
 * logging step, or a target whose delivery statement admits a matching source. Manual steps
 * are never written and are not checked.
 */
function scopeProblem(plan: Plan): string | undefined {
  const { accounts, buckets } = plan.scope;
  for (const s of plan.steps) {
    if (accounts && accounts.length > 0 && !accounts.includes(s.account))
      return `step ${s.id} is in account ${s.account}, outside the plan's scope (accounts ${accounts.join(", ")})`;
  }
  if (!buckets || buckets.length === 0) return undefined;
  const matches = picomatch(buckets, { dot: true });
  const key = (account: string, bucket: string) => `${account}/${bucket}`;
  const linked = new Set<string>();
  for (const s of plan.steps) {
    if (s.operation !== "PutBucketLogging" || !matches(s.bucket)) continue;
    for (const cfg of [s.before, s.after]) if (cfg) linked.add(key(s.account, cfg.targetBucket));
  }
  for (const s of plan.steps) {
    if (s.manual || matches(s.bucket) || linked.has(key(s.account, s.bucket))) continue;
    if (logBucketName(plan.options.logBucketTemplate, s.account, s.region) === s.bucket) continue;
    if (s.operation === "PutBucketPolicy" && [...bucketArnNames([s.after, s.patch])].some((n) => matches(n))) continue;
    return `step ${s.id} writes bucket ${s.bucket}, outside the plan's scope (buckets ${buckets.join(", ")}) and not a log target of a bucket in it`;
  }
  return undefined;
}
