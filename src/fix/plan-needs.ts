/**
 * Planner, part 1: the failing findings in scope → their rules' typed intents → what each bucket
 * needs. The planner knows no rule: it reads intents only (src/engine/define-rule.ts FixIntent).
 */
import picomatch from "picomatch";
import type { FixIntent } from "../engine/define-rule.js";
import type { Finding } from "../model/finding.js";
import type { PlanScope } from "../model/plan.js";
import { bucketKey } from "../model/snapshot.js";
import { emptyNeeds, type Need, type Needs, type PlanContext } from "./plan-draft.js";

type GrantIntent = Extract<FixIntent, { kind: "grant-delivery" }>;

function inScope(f: Finding, scope: PlanScope): boolean {
  if (scope.rules && scope.rules.length > 0 && !scope.rules.includes(f.ruleId)) return false;
  if (scope.accounts && scope.accounts.length > 0 && !scope.accounts.includes(f.account)) return false;
  if (scope.buckets && scope.buckets.length > 0 && !picomatch.isMatch(f.bucket, scope.buckets)) return false;
  return true;
}

function note(n: Need, fp: string, why: string): void {
  n.fps.add(fp);
  n.reasons.add(why);
}

/** One intent of finding `f` into the needs (grants wait: they depend on every source's need). */
function addIntent(ctx: PlanContext, needs: Needs, it: FixIntent, f: Finding, grants: { it: GrantIntent; fp: string; why: string }[]): void {
  const why = `${f.ruleId} on ${f.bucket}`;
  switch (it.kind) {
    case "use-log-bucket":
    case "remove-target-grants":
    case "structure-prefix": {
      const n = needs.sources.of(it.account, it.region, it.bucket);
      if (it.kind === "use-log-bucket") n.useLogBucket = true;
      else if (it.kind === "remove-target-grants") n.removeGrants = true;
      else n.structure = true;
      note(n, f.fingerprint, why);
      return;
    }
    case "grant-delivery":
      grants.push({ it, fp: f.fingerprint, why });
      return;
    case "block-public-access":
      note(needs.pabs.of(it.account, it.region, it.bucket), f.fingerprint, why);
      return;
    case "add-log-retention":
      note(needs.retention.of(it.account, it.region, it.bucket), f.fingerprint, why);
      return;
    case "manual-policy-edit": {
      const region = ctx.index.bucket(it.account, it.targetBucket)?.region ?? it.region;
      const n = needs.denies.of(it.account, region, it.targetBucket);
      // The first denying statement found names the manual step.
      if (n.denied.size === 0) n.statement = it.statement;
      n.denied.set(it.sourceBucket, f.fingerprint);
      note(n, f.fingerprint, why);
      return;
    }
  }
}

/** A source retargeted to the log bucket needs no grant (nor a manual edit) on its old target. */
function settleGrantsAndDenies(ctx: PlanContext, needs: Needs, grants: readonly { it: GrantIntent; fp: string; why: string }[]): void {
  for (const { it, fp, why } of grants) {
    const src = needs.sources.get(bucketKey(it.account, it.sourceBucket));
    if (src?.useLogBucket) {
      src.fps.add(fp);
      continue;
    }
    const t = ctx.index.bucket(it.account, it.targetBucket);
    if (!t) continue;
    const n = needs.policies.of(it.account, t.region, it.targetBucket);
    n.sources.add(it.sourceBucket);
    note(n, fp, why);
  }
  for (const [k, n] of needs.denies) {
    for (const [source, fp] of n.denied) {
      const src = needs.sources.get(bucketKey(n.account, source));
      if (!src?.useLogBucket) continue;
      src.fps.add(fp);
      n.denied.delete(source);
      n.fps.delete(fp);
    }
    if (n.denied.size === 0) needs.denies.delete(k);
  }
}

/**
 * What each bucket needs for the failing findings in scope. A finding that is not fixable still
 * contributes its manual intents (a person's edit is shown as a manual step).
 */
export function needsOf(ctx: PlanContext, findings: readonly Finding[]): Needs {
  const needs = emptyNeeds();
  const grants: { it: GrantIntent; fp: string; why: string }[] = [];
  for (const f of findings) {
    if (f.status !== "fail" || !inScope(f, ctx.scope)) continue;
    for (const it of ctx.intents.forFinding(f)) {
      if (f.fixable || it.kind === "manual-policy-edit") addIntent(ctx, needs, it, f, grants);
    }
  }
  settleGrantsAndDenies(ctx, needs, grants);
  return needs;
}
