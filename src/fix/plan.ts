/**
 * The planner: failing findings → their rules' typed fix intents → one ordered, merged list of
 * AWS writes. Pure (reads only the snapshot, the findings and the intents). It knows no rule:
 * the intents come from the caller (the application layer asks the engine's `intentSource`).
 *
 * Merging: all intents on one bucket become at most one write per resource (one
 * PutBucketLogging per source, one PutBucketPolicy per target, ...). Order: create and harden the
 * account+Region log bucket → merge the delivery statement into target policies → PutBucketLogging
 * on sources; each step names the steps it depends on. One part per concern: plan-needs (intents
 * → needs), plan-sources, plan-log-buckets (incl. Block Public Access and lifecycle),
 * plan-policies, plan-order.
 */
import { SnapshotIndex } from "../engine/snapshot-index.js";
import { TOOL_NAME, TOOL_VERSION } from "../base/identity.js";
import type { Finding } from "../model/finding.js";
import { DEFAULT_PLAN_OPTIONS, PLAN_KIND, PLAN_SCHEMA_VERSION, type Plan, type PlanOptions, type PlanScope } from "../model/plan.js";
import type { Snapshot } from "../model/snapshot.js";
import { checkLogBucketTemplate } from "./log-bucket-name.js";
import type { Draft, PlanContext } from "./plan-draft.js";
import { planBlockPublicAccess, planLogBuckets, planRetention } from "./plan-log-buckets.js";
import { needsOf } from "./plan-needs.js";
import { orderSteps } from "./plan-order.js";
import { planDeliveryStatements, planManualPolicyEdits } from "./plan-policies.js";
import { planLoggingSteps, planSources } from "./plan-sources.js";
import type { PlanFixesInput, PlanFixesOptions } from "./types.js";

export { bucketNameProblem, checkLogBucketTemplate, logBucketName, logBucketTemplateProblem } from "./log-bucket-name.js";

function planOptions(options: PlanFixesOptions): PlanOptions {
  return {
    logBucketTemplate: options.logBucketTemplate ?? DEFAULT_PLAN_OPTIONS.logBucketTemplate,
    logRetentionDays: options.logRetentionDays ?? DEFAULT_PLAN_OPTIONS.logRetentionDays,
    keyFormat: options.keyFormat ?? DEFAULT_PLAN_OPTIONS.keyFormat,
  };
}

function planScope(options: PlanFixesOptions): PlanScope {
  const scope: PlanScope = {};
  if (options.rules?.length) scope.rules = [...options.rules];
  if (options.buckets?.length) scope.buckets = [...options.buckets];
  if (options.accounts?.length) scope.accounts = [...options.accounts];
  return scope;
}

/** Pure: the plan for the failing findings of `findings` (see module comment). */
export function planFixes(snapshot: Snapshot, findings: readonly Finding[], options: PlanFixesInput): Plan {
  const opts = planOptions(options);
  checkLogBucketTemplate(opts.logBucketTemplate, snapshot.scope.regions?.length === 1);
  const ctx: PlanContext = {
    snapshot,
    index: options.index ?? new SnapshotIndex(snapshot),
    opts,
    scope: planScope(options),
    intents: options.intents,
    filtered: (snapshot.scope.bucketGlobs?.length ?? 0) > 0,
  };
  const needs = needsOf(ctx, findings);
  const sources = planSources(ctx, needs);
  const drafts: Draft[] = [];
  const { unusable, created } = planLogBuckets(ctx, needs, sources.logBuckets, drafts);
  planBlockPublicAccess(ctx, needs, created, drafts);
  planRetention(ctx, needs, created, drafts);
  planManualPolicyEdits(ctx, needs, drafts);
  planDeliveryStatements(ctx, needs, created, drafts);
  planLoggingSteps(sources.logging, unusable, drafts);
  return {
    kind: PLAN_KIND,
    schemaVersion: PLAN_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    createdAt: (options.now ?? new Date()).toISOString(),
    snapshotAt: snapshot.finishedAt,
    partition: snapshot.partition,
    options: opts,
    scope: ctx.scope,
    steps: orderSteps(drafts),
  };
}
