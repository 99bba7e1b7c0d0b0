/**
 * Planner, part 2: sources. One coherent logging configuration per source (the log bucket, its
 * own prefix, no target grants), the buckets a plan leaves no longer a log target, and at the
 * end the PutBucketLogging steps, which depend on everything they log into.
 */
import picomatch from "picomatch";
import type { SnapshotIndex } from "../engine/snapshot-index.js";
import { representativeKey } from "../engine/delivery-key.js";
import { deliveryRequest, evaluateDelivery } from "../engine/policy-eval.js";
import { bucketKey, type BucketSnapshot, type LoggingConfig } from "../model/snapshot.js";
import { logBucketName } from "./log-bucket-name.js";
import { needFields, readValue, stepKey, type Draft, type Needs, type PlanContext, type SourceNeed } from "./plan-draft.js";
import { sameState } from "./resources.js";

/** A source's logging change under construction. */
export interface LoggingDraft {
  need: SourceNeed;
  before: LoggingConfig | null;
  after: LoggingConfig | null;
  logBucket?: string;
  manual?: string;
  /** The target whose policy must grant the new prefix. */
  grantTarget?: string;
}

/** An account+Region log bucket the plan points sources at. */
export interface LogBucketUse {
  account: string;
  region: string;
  name: string;
  sources: Set<string>;
}

/** The sources' logging drafts and the log buckets they use (by bucket key). */
export interface SourcePlan {
  logging: LoggingDraft[];
  logBuckets: Map<string, LogBucketUse>;
}

/** Whether the target's policy allows delivery for a logging configuration of `source`. */
function policyAllows(index: SnapshotIndex, source: BucketSnapshot, cfg: LoggingConfig): boolean {
  const t = index.bucket(source.account, cfg.targetBucket);
  const pol = t?.targetFacts?.policy;
  if (!pol || pol.status !== "ok") return false;
  const req = deliveryRequest({
    partition: index.partition,
    targetBucket: cfg.targetBucket,
    key: representativeKey(source, cfg),
    sourceBucket: source.name,
    account: source.account,
  });
  return evaluateDelivery(pol.value, req).decision === "allow";
}

/**
 * True when re-prefixing (or re-formatting) a source's logging on the same target would take it
 * out of what the target's policy allows today: the plan then merges the delivery statement too.
 */
function deliveryBrokenBy(source: BucketSnapshot, before: LoggingConfig, after: LoggingConfig, index: SnapshotIndex): boolean {
  if (after.targetBucket !== before.targetBucket) return false;
  if (after.targetPrefix === before.targetPrefix && sameState("logging", { ...before, targetGrants: [] }, { ...after, targetGrants: [] })) return false;
  return policyAllows(index, source, before) && !policyAllows(index, source, after);
}

function keyFormatOf(ctx: PlanContext): LoggingConfig["keyFormat"] {
  return ctx.opts.keyFormat === "partitioned" ? { type: "partitioned", partitionDateSource: "EventTime" } : { type: "simple" };
}

/** The source's configuration restructured in place (own prefix or partitioned keys, no grants). */
function restructured(ctx: PlanContext, n: SourceNeed, before: LoggingConfig): LoggingConfig {
  const after = { ...before, targetGrants: [...before.targetGrants] };
  if (n.structure) {
    if (ctx.opts.keyFormat === "partitioned") {
      after.keyFormat = keyFormatOf(ctx);
      after.keyFormatExplicit = true;
      // "logs" → "logs/": keys stay under the old prefix (a `logs*` grant still matches).
      if (after.targetPrefix !== "" && !after.targetPrefix.endsWith("/")) after.targetPrefix = `${after.targetPrefix}/`;
    } else {
      after.targetPrefix = `${n.bucket}/`;
    }
  }
  if (n.removeGrants) after.targetGrants = [];
  return after;
}

/** The logging draft of one source (none when nothing changes), recording the log bucket it uses. */
function draftSource(ctx: PlanContext, n: SourceNeed, out: SourcePlan): void {
  const b = ctx.index.bucket(n.account, n.bucket);
  const region = b?.region ?? n.region;
  n.region = region;
  const read = b ? readValue(b.logging) : ({ known: false, why: "bucket not in the snapshot" } as const);
  if (!read.known) {
    out.logging.push({ need: n, before: null, after: null, manual: `logging configuration unknown (${read.why}); re-scan first` });
    return;
  }
  const before = read.value;
  let after: LoggingConfig | null;
  let logBucket: string | undefined;
  let grantTarget: string | undefined;
  if (n.useLogBucket) {
    const lb = logBucketName(ctx.opts.logBucketTemplate, n.account, region);
    if (lb === n.bucket) {
      after = null; // the log bucket never logs into itself
    } else {
      logBucket = lb;
      after = { targetBucket: lb, targetPrefix: `${n.bucket}/`, targetGrants: [], keyFormat: keyFormatOf(ctx), keyFormatExplicit: true };
      const k = bucketKey(n.account, lb);
      const e = out.logBuckets.get(k) ?? { account: n.account, region, name: lb, sources: new Set<string>() };
      e.sources.add(n.bucket);
      out.logBuckets.set(k, e);
    }
  } else if (before) {
    after = restructured(ctx, n, before);
    if (b && deliveryBrokenBy(b, before, after, ctx.index)) grantTarget = before.targetBucket;
  } else {
    return; // nothing to restructure on a bucket without logging
  }
  if (sameState("logging", before, after)) return;
  out.logging.push({ need: n, before, after, ...(logBucket ? { logBucket } : {}), ...(grantTarget ? { grantTarget } : {}) });
}

/** Log targets after the plan (bucket keys; "*" when a logging read failed: keep everything). */
function targetsAfter(ctx: PlanContext, logging: readonly LoggingDraft[]): Set<string> {
  const finalTargets = new Set<string>();
  const drafted = new Map(logging.map((d) => [bucketKey(d.need.account, d.need.bucket), d]));
  for (const b of ctx.snapshot.buckets) {
    const d = drafted.get(bucketKey(b.account, b.name));
    const cfg = d && !d.manual ? d.after : b.logging.status === "ok" ? b.logging.value : null;
    if (cfg && cfg.targetBucket !== b.name) finalTargets.add(bucketKey(b.account, cfg.targetBucket));
    if (b.logging.status === "error") finalTargets.add("*");
  }
  return finalTargets;
}

/**
 * A bucket without logging that stops being a log target loses the exemption a rule gave it:
 * the rules' planFormerLogTarget intents point it at the log bucket too (so the fixed
 * organization has no new finding).
 */
function planFormerTargets(ctx: PlanContext, needs: Needs, out: SourcePlan, finalTargets: Set<string>): void {
  const stillTarget = (k: string) => finalTargets.has("*") || finalTargets.has(k);
  const { scope, index, opts } = ctx;
  const matchBucket = scope.buckets ? picomatch(scope.buckets) : undefined;
  for (const b of index.inScope) {
    const k = bucketKey(b.account, b.name);
    if (needs.sources.has(k) || stillTarget(k) || !index.isLogTarget(b)) continue;
    if (b.logging.status !== "ok" || b.logging.value !== null) continue;
    if (scope.accounts && !scope.accounts.includes(b.account)) continue;
    if (matchBucket && !matchBucket(b.name)) continue;
    if (logBucketName(opts.logBucketTemplate, b.account, b.region) === b.name) continue;
    const intents = ctx.intents.forFormerLogTarget(b);
    if (intents.length === 0) continue;
    const n = needs.sources.of(b.account, b.region, b.name);
    n.useLogBucket = true;
    for (const it of intents) n.reasons.add(it.reason);
    draftSource(ctx, n, out);
    finalTargets.add(bucketKey(b.account, logBucketName(opts.logBucketTemplate, b.account, b.region)));
  }
  for (const k of [...needs.pabs.keys()]) if (!stillTarget(k)) needs.pabs.delete(k);
  for (const k of [...needs.retention.keys()]) if (!stillTarget(k)) needs.retention.delete(k);
}

/**
 * Every source's logging draft; log-bucket hardening only for buckets still log targets after
 * the plan; a re-prefixed source's grant on its target (a new policy need).
 */
export function planSources(ctx: PlanContext, needs: Needs): SourcePlan {
  const out: SourcePlan = { logging: [], logBuckets: new Map() };
  for (const n of needs.sources.values()) draftSource(ctx, n, out);
  planFormerTargets(ctx, needs, out, targetsAfter(ctx, out.logging));
  for (const d of out.logging) {
    if (!d.grantTarget) continue;
    const t = ctx.index.bucket(d.need.account, d.grantTarget);
    if (!t || t.region !== d.need.region) continue;
    const p = needs.policies.of(d.need.account, t.region, t.name);
    p.sources.add(d.need.bucket);
    p.reasons.add(`new prefix of ${d.need.bucket}`);
  }
  return out;
}

/** The PutBucketLogging steps, after the log bucket's steps and the target's policy write. */
export function planLoggingSteps(logging: readonly LoggingDraft[], unusable: ReadonlyMap<string, string>, drafts: Draft[]): void {
  const draftKeys = new Set(drafts.map((d) => d.key));
  const order = (d: LoggingDraft) => `${d.need.account}/${d.need.region}/${d.need.bucket}`;
  for (const d of [...logging].sort((a, b) => order(a).localeCompare(order(b)))) {
    const n = d.need;
    const deps: string[] = [];
    let manual = d.manual;
    if (d.logBucket) {
      const why = unusable.get(bucketKey(n.account, d.logBucket));
      if (why) manual = why;
      for (const x of drafts) if (x.account === n.account && x.bucket === d.logBucket) deps.push(x.key);
    }
    // Delivery is granted in the target's policy before logging is pointed there.
    const target = d.after?.targetBucket;
    if (target && target !== d.logBucket) {
      const pk = stepKey(n.account, target, "PutBucketPolicy");
      if (draftKeys.has(pk)) deps.push(pk);
    }
    drafts.push({
      ...needFields(n, n.region),
      key: stepKey(n.account, n.bucket, "PutBucketLogging"),
      deps,
      operation: "PutBucketLogging",
      before: d.before,
      after: d.after,
      beforeKnown: true,
      ...(manual ? { manual: { reason: manual } } : {}),
    });
  }
}
