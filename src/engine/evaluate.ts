/**
 * @fileoverview The rule engine: runs the selected rules over one indexed snapshot and turns
 * their results into findings; plans fix intents for failing findings.
 *
 * Linear in the snapshot: one SnapshotIndex, each rule one pass over the in-scope buckets, and
 * ordering by binning results per bucket (buckets sorted once) rather than sorting all findings.
 */
import { allRules, ruleById } from "../../rules/index.js";
import { UsageError } from "../cli/errors.js";
import { severityRank, type Finding } from "../model/finding.js";
import { bucketKey, type Snapshot } from "../model/snapshot.js";
import { DEFAULT_ENGINE_OPTIONS, type EngineOptions, type FixIntent, type Rule, type RuleContext } from "./define-rule.js";
import { SnapshotIndex } from "./snapshot-index.js";

export interface EvaluateOptions {
  /** Rule ids to run (opt-in rules only run when named). Default: every non-opt-in rule. */
  rules?: readonly string[];
  options?: Partial<EngineOptions>;
}

/** The rules selected by id; unknown ids are a UsageError (exit 2). */
export function selectRules(ids?: readonly string[]): Rule[] {
  if (!ids) return allRules().filter((r) => !r.meta.optIn);
  const unknown = ids.filter((id) => !ruleById(id));
  if (unknown.length > 0) {
    throw new UsageError(
      `unknown rule id${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")} (known: ${allRules()
        .map((r) => r.meta.id)
        .join(", ")})`,
    );
  }
  const wanted = new Set(ids);
  return allRules().filter((r) => wanted.has(r.meta.id));
}

/** Stable fingerprint of (ruleId, account, bucket): 16 hex digits (cyrb53-style 64-bit mix). */
export function fingerprint(ruleId: string, account: string, bucket: string): string {
  const s = `${ruleId}\n${account}\n${bucket}`;
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (h2 >>> 0).toString(16).padStart(8, "0") + (h1 >>> 0).toString(16).padStart(8, "0");
}

function resolveOptions(o?: Partial<EngineOptions>): EngineOptions {
  return { ...DEFAULT_ENGINE_OPTIONS, ...(o ?? {}) };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The deterministic finding order: account, region, bucket, severity (most severe first), ruleId. */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.account, b.account) ||
    cmp(a.region, b.region) ||
    cmp(a.bucket, b.bucket) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.ruleId, b.ruleId)
  );
}

/** Run rules over an already indexed snapshot. */
export function evaluateIndex(index: SnapshotIndex, rules: readonly Rule[], options: EngineOptions): Finding[] {
  const ctx: RuleContext = { index, options };

  // Bucket order once: account, region, name.
  const ordered = [...index.snapshot.buckets].sort(
    (a, b) => cmp(a.account, b.account) || cmp(a.region, b.region) || cmp(a.name, b.name),
  );
  const ordinal = new Map<string, number>();
  for (let i = 0; i < ordered.length; i++) {
    const b = ordered[i];
    if (b) ordinal.set(bucketKey(b.account, b.name), i);
  }
  const bins: Array<Finding[] | undefined> = new Array<Finding[] | undefined>(ordered.length);
  const stray: Finding[] = [];

  for (const rule of rules) {
    const { id, severity, fixable: ruleFixable } = rule.meta;
    for (const r of rule.evaluate(ctx)) {
      const f: Finding = {
        ruleId: id,
        status: r.status,
        severity,
        account: r.account,
        region: r.region,
        bucket: r.bucket,
        message: r.message,
        fixable: false,
        fingerprint: fingerprint(id, r.account, r.bucket),
        details: r.details ?? {},
      };
      if (r.status === "fail" && ruleFixable && rule.planFix) f.fixable = rule.planFix(f, ctx).length > 0;
      const o = ordinal.get(bucketKey(r.account, r.bucket));
      if (o === undefined) stray.push(f);
      else (bins[o] ??= []).push(f);
    }
  }

  const out: Finding[] = [];
  for (const bin of bins) {
    if (!bin) continue;
    if (bin.length > 1) bin.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || cmp(a.ruleId, b.ruleId));
    for (const f of bin) out.push(f);
  }
  if (stray.length > 0) {
    out.push(...stray);
    out.sort(compareFindings);
  }
  return out;
}

/**
 * Evaluate a snapshot: build one index, run the selected rules, return findings (pass results
 * included — the report decides what to show), sorted by account, Region, bucket, severity, rule.
 */
export function evaluateSnapshot(snapshot: Snapshot, opts: EvaluateOptions = {}): Finding[] {
  const rules = selectRules(opts.rules);
  return evaluateIndex(new SnapshotIndex(snapshot), rules, resolveOptions(opts.options));
}

/**
 * Fix intents for the failing findings: each finding's rule `planFix`, in finding order.
 * Findings of unknown rules, of non-failing status or of rules without planFix give nothing.
 */
export function planIntents(
  findings: readonly Finding[],
  snapshot: Snapshot | SnapshotIndex,
  options?: Partial<EngineOptions>,
): FixIntent[] {
  const index = snapshot instanceof SnapshotIndex ? snapshot : new SnapshotIndex(snapshot);
  const ctx: RuleContext = { index, options: resolveOptions(options) };
  const out: FixIntent[] = [];
  for (const f of findings) {
    if (f.status !== "fail") continue;
    const rule = ruleById(f.ruleId);
    if (!rule?.planFix || !rule.meta.fixable) continue;
    out.push(...rule.planFix(f, ctx));
  }
  return out;
}

