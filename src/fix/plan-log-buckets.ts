/**
 * Planner, part 3: log buckets. Create the account+Region log bucket hardened (ownership, Block
 * Public Access, SSE-S3, retention), or check that the existing one can receive logs; Block
 * Public Access and lifecycle retention on every bucket that stays a log target.
 */
import type { LifecycleRule } from "../model/snapshot.js";
import { bucketNameProblem } from "./log-bucket-name.js";
import { hasRetention, mergeRule, retentionRule } from "./merge.js";
import { FULL_PAB, needFields, readValue, stepKey, type Draft, type Needs, type PlanContext } from "./plan-draft.js";
import type { LogBucketUse } from "./plan-sources.js";
import { sameState } from "./resources.js";

/** What the log-bucket part decided: buckets that cannot be used (key → why) and those created. */
export interface LogBucketPlan {
  unusable: Map<string, string>;
  created: Set<string>;
}

/** The steps that create a hardened log bucket. */
function createSteps(ctx: PlanContext, lb: LogBucketUse): Draft[] {
  const common = {
    account: lb.account,
    region: lb.region,
    bucket: lb.name,
    resolves: [] as string[],
    createdBucket: true as const,
    beforeKnown: true,
    reasons: [`account+Region log bucket for ${[...lb.sources].sort().join(", ")}`],
  };
  const createKey = stepKey(lb.account, lb.name, "CreateBucket");
  const hardening = <O extends Draft["operation"]>(operation: O) => ({ ...common, key: stepKey(lb.account, lb.name, operation), deps: [createKey], operation, before: null });
  const rule = retentionRule(ctx.opts.logRetentionDays);
  return [
    { ...common, key: createKey, deps: [], operation: "CreateBucket", before: null, after: { region: lb.region } },
    { ...hardening("PutBucketOwnershipControls"), after: "BucketOwnerEnforced" },
    { ...hardening("PutPublicAccessBlock"), after: FULL_PAB },
    { ...hardening("PutBucketEncryption"), after: { algorithm: "AES256" } },
    {
      ...hardening("PutBucketLifecycleConfiguration"),
      after: [rule],
      // A scan narrowed to some buckets may simply not have listed an existing log bucket: merge then.
      ...(ctx.filtered ? { beforeKnown: false, patch: { kind: "lifecycle-rule" as const, rule: retentionRule(ctx.opts.logRetentionDays) } } : {}),
    },
  ] as Draft[];
}

/** Why an existing log bucket cannot receive logs (never changed silently), or undefined. */
function existingProblem(ctx: PlanContext, lb: LogBucketUse): string | undefined {
  const facts = ctx.index.bucket(lb.account, lb.name)?.targetFacts;
  if (!facts) return undefined;
  let problem: string | undefined;
  const enc = readValue(facts.encryption);
  if (enc.known && enc.value && enc.value.algorithm !== "AES256") {
    problem = `log bucket ${lb.name} uses ${enc.value.algorithm} default encryption (delivery needs SSE-S3); not changed automatically`;
  }
  const lock = readValue(facts.objectLock);
  if (lock.known && lock.value?.defaultRetention) problem = `log bucket ${lb.name} has an Object Lock default retention; delivery fails`;
  const rp = readValue(facts.requestPayment);
  if (rp.known && rp.value === "Requester") problem = `log bucket ${lb.name} has Requester Pays enabled; delivery fails`;
  return problem;
}

/** Why the log bucket's name cannot be used (invalid, another Region, another account), or undefined. */
function nameProblem(ctx: PlanContext, lb: LogBucketUse): string | undefined {
  const existing = ctx.index.bucket(lb.account, lb.name);
  const problem = bucketNameProblem(lb.name);
  if (problem) return `log bucket name ${lb.name} is not valid: it ${problem}`;
  if (existing && existing.region !== lb.region) {
    return `log bucket ${lb.name} exists in ${existing.region}, not ${lb.region}; choose another log bucket name template`;
  }
  const ext = ctx.snapshot.externalTargets.find((t) => t.account === lb.account && t.name === lb.name);
  if (!existing && ext?.state === "foreign") return `bucket name ${lb.name} belongs to another account; choose another log bucket name template`;
  return undefined;
}

/** Each log bucket: created hardened, or checked and completed (hardening and retention needs). */
export function planLogBuckets(ctx: PlanContext, needs: Needs, logBuckets: ReadonlyMap<string, LogBucketUse>, drafts: Draft[]): LogBucketPlan {
  const out: LogBucketPlan = { unusable: new Map(), created: new Set() };
  for (const [k, lb] of [...logBuckets.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const bad = nameProblem(ctx, lb);
    if (bad) {
      out.unusable.set(k, bad);
      continue;
    }
    const pol = needs.policies.of(lb.account, lb.region, lb.name);
    for (const s of lb.sources) pol.sources.add(s);
    pol.reasons.add("log bucket delivery statement");
    if (!ctx.index.bucket(lb.account, lb.name)) {
      out.created.add(k);
      drafts.push(...createSteps(ctx, lb));
      continue;
    }
    const problem = existingProblem(ctx, lb);
    if (problem) {
      out.unusable.set(k, problem);
      needs.policies.delete(k);
      continue;
    }
    needs.pabs.of(lb.account, lb.region, lb.name).reasons.add("log bucket hardening");
    needs.retention.of(lb.account, lb.region, lb.name).reasons.add("log bucket retention");
  }
  return out;
}

/** Block Public Access on the log buckets that need it (created ones have it already). */
export function planBlockPublicAccess(ctx: PlanContext, needs: Needs, created: ReadonlySet<string>, drafts: Draft[]): void {
  for (const [k, n] of needs.pabs.sorted()) {
    if (created.has(k)) continue;
    const b = ctx.index.bucket(n.account, n.bucket);
    if (!b) continue;
    const read = readValue(b.targetFacts?.publicAccessBlock);
    const common = {
      ...needFields(n, b.region),
      key: stepKey(n.account, n.bucket, "PutPublicAccessBlock"),
      deps: [],
      operation: "PutPublicAccessBlock" as const,
      after: FULL_PAB,
    };
    if (!read.known) drafts.push({ ...common, before: null, beforeKnown: false });
    else if (!sameState("public-access-block", read.value, FULL_PAB)) drafts.push({ ...common, before: read.value, beforeKnown: true });
  }
}

/** Lifecycle retention merged into the log buckets that need it (created ones have it already). */
export function planRetention(ctx: PlanContext, needs: Needs, created: ReadonlySet<string>, drafts: Draft[]): void {
  const rule = retentionRule(ctx.opts.logRetentionDays);
  for (const [k, n] of needs.retention.sorted()) {
    if (created.has(k)) continue;
    const b = ctx.index.bucket(n.account, n.bucket);
    if (!b) continue;
    const read = readValue<LifecycleRule[]>(b.targetFacts?.lifecycle);
    const common = {
      ...needFields(n, b.region),
      key: stepKey(n.account, n.bucket, "PutBucketLifecycleConfiguration"),
      deps: [],
      operation: "PutBucketLifecycleConfiguration" as const,
    };
    if (!read.known) {
      drafts.push({ ...common, before: null, after: [rule], beforeKnown: false, patch: { kind: "lifecycle-rule", rule } });
    } else if (!hasRetention(read.value)) {
      drafts.push({ ...common, before: read.value, after: mergeRule(read.value, rule), beforeKnown: true });
    }
  }
}
