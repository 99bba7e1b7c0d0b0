/**
 * @fileoverview The rule engine: runs the selected rules over one indexed snapshot and turns
 * their results into findings; plans fix intents for failing findings.
 *
 * Linear in the snapshot: one SnapshotIndex, each rule one pass over the in-scope buckets, and
 * ordering by binning results per bucket (buckets sorted once) rather than sorting all findings.
 */
import { allRules, ruleById } from "../../rules/index.js";
import { InputError } from "../base/errors.js";
import { compareFindings, fingerprint, severityRank, type Finding } from "../model/finding.js";
import type { Snapshot } from "../model/snapshot.js";
import {
  isManualIntent,
  resolveRuleOptions,
  type EngineOptions,
  type FixIntent,
  type IntentSource,
  type Rule,
  type RuleContext,
  type RuleResult,
} from "./define-rule.js";
import { SnapshotIndex } from "./snapshot-index.js";

export interface EvaluateOptions extends EngineOptions {
  /** Rule ids to run (opt-in rules only run when named). Default: every non-opt-in rule. */
  rules?: readonly string[];
}

/** What `evaluateIndexCounted` returns. */
export interface Evaluation {
  /** Findings in canonical order; pass results only when `keepPassed`. */
  findings: Finding[];
  /** Pass results counted but not kept (0 when `keepPassed`). */
  droppedPasses: number;
}

/** The rules selected by id; unknown ids are a InputError (exit 2). */
export function selectRules(ids?: readonly string[]): Rule[] {
  if (!ids) return allRules().filter((r) => !r.meta.optIn);
  const unknown = ids.filter((id) => !ruleById(id));
  if (unknown.length > 0) {
    throw new InputError(
      `unknown rule id${unknown.length > 1 ? "s" : ""} ${unknown.map((u) => `"${u}"`).join(", ")} (known: ${allRules()
        .map((r) => r.meta.id)
        .join(", ")})`,
    );
  }
  const wanted = new Set(ids);
  return allRules().filter((r) => wanted.has(r.meta.id));
}

export { fingerprint };

/** The context of one rule: the shared index and the rule's own options. */
function ruleContext(index: SnapshotIndex, rule: Rule, options: EngineOptions = {}): RuleContext {
  return { index, options: resolveRuleOptions(rule.meta, options.ruleOptions?.[rule.meta.id]) };
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Rules in finding order within one bucket: most severe first, then by id. */
function ruleOrder(rules: readonly Rule[]): Rule[] {
  return [...rules].sort((a, b) => severityRank(a.meta.severity) - severityRank(b.meta.severity) || cmp(a.meta.id, b.meta.id));
}

/**
 * Each rule's results: first the rules that stand alone, then those that name other rules'
 * failures as causes (meta.usesOtherResults), which see the first ones' failures per bucket.
 */
function evaluateInPhases(index: SnapshotIndex, rules: readonly Rule[], options: EngineOptions): Map<Rule, RuleResult[]> {
  const out = new Map<Rule, RuleResult[]>();
  const dependent = rules.filter((r) => r.meta.usesOtherResults);
  for (const r of rules) if (!r.meta.usesOtherResults) out.set(r, r.evaluate(ruleContext(index, r, options)));
  if (dependent.length === 0) return out;
  const failing = new Map<string, { ruleId: string; message: string }[]>();
  for (const [rule, results] of out) {
    for (const res of results) {
      if (res.status !== "fail") continue;
      const k = `${res.account}/${res.bucket}`;
      let list = failing.get(k);
      if (!list) failing.set(k, (list = []));
      list.push({ ruleId: rule.meta.id, message: res.message });
    }
  }
  const failures = (account: string, bucket: string) => failing.get(`${account}/${bucket}`) ?? [];
  for (const r of dependent) out.set(r, r.evaluate({ ...ruleContext(index, r, options), failures }));
  return out;
}

/** Run rules over an already indexed snapshot; every result kept (see evaluateIndexCounted). */
export function evaluateIndex(index: SnapshotIndex, rules: readonly Rule[], options: EngineOptions = {}): Finding[] {
  return evaluateIndexCounted(index, rules, options, true).findings;
}

/**
 * Run rules over an already indexed snapshot. Linear: rules run in (severity, id) order, so a
 * stable counting sort by bucket position (buckets sorted once by account, Region, name) gives
 * the final order without comparing findings.
 *
 * Unless `keepPassed`, pass results are counted instead of kept. A report without
 * --include-passed lists no passes, and on a large organization they are most results (over a
 * million on 100,000 buckets): not keeping them is what keeps offline evaluation fast and small.
 */
export function evaluateIndexCounted(
  index: SnapshotIndex,
  rules: readonly Rule[],
  options: EngineOptions,
  keepPassed: boolean,
): Evaluation {
  let droppedPasses = 0;

  const ordered = [...index.snapshot.buckets].sort(
    (a, b) => cmp(a.account, b.account) || cmp(a.region, b.region) || cmp(a.name, b.name),
  );
  /** account → name → position in `ordered` */
  const position = new Map<string, Map<string, number>>();
  for (let i = 0; i < ordered.length; i++) {
    const b = ordered[i] as (typeof ordered)[number];
    let m = position.get(b.account);
    if (!m) position.set(b.account, (m = new Map<string, number>()));
    m.set(b.name, i);
  }

  const all: Finding[] = [];
  let at = new Int32Array(1024);
  const stray: Finding[] = [];
  const resultsOf = evaluateInPhases(index, rules, options);
  for (const rule of ruleOrder(rules)) {
    const { id, severity, fixable: ruleFixable } = rule.meta;
    const planFix = ruleFixable && rule.planFix ? rule.planFix.bind(rule) : undefined;
    const ctx = ruleContext(index, rule, options);
    const results = resultsOf.get(rule) as RuleResult[];
    for (let k = 0; k < results.length; k++) {
      // Rules return fresh result objects; they become findings in place (one allocation each).
      const f = results[k] as unknown as Finding;
      if (!keepPassed && f.status === "pass") {
        droppedPasses++;
        continue;
      }
      f.ruleId = id;
      f.severity = severity;
      f.fixable = false;
      f.details ??= {};
      const p = position.get(f.account)?.get(f.bucket);
      f.fingerprint = fingerprint(id, f.account, f.bucket);
      if (f.status === "fail" && planFix) f.fixable = planFix(f, ctx).some((it) => !isManualIntent(it));
      if (p === undefined) {
        stray.push(f);
        continue;
      }
      if (all.length === at.length) {
        const grown = new Int32Array(at.length * 2);
        grown.set(at);
        at = grown;
      }
      at[all.length] = p;
      all.push(f);
    }
  }

  // Stable counting sort by bucket position.
  const counts = new Int32Array(ordered.length + 1);
  for (let i = 0; i < all.length; i++) {
    const slot = (at[i] as number) + 1;
    counts[slot] = (counts[slot] as number) + 1;
  }
  for (let i = 0; i < ordered.length; i++) counts[i + 1] = (counts[i + 1] as number) + (counts[i] as number);
  const out: Finding[] = new Array<Finding>(all.length);
  for (let i = 0; i < all.length; i++) {
    const slot = at[i] as number;
    out[counts[slot] as number] = all[i] as Finding;
    counts[slot] = (counts[slot] as number) + 1;
  }
  all.length = 0; // release the unsorted list before the report is built
  if (stray.length > 0) {
    out.push(...stray);
    out.sort(compareFindings);
  }
  return { findings: out, droppedPasses };
}

/**
 * Evaluate a snapshot: build one index, run the selected rules, return findings (pass results
 * included — the report decides what to show), sorted by account, Region, bucket, severity, rule.
 */
export function evaluateSnapshot(snapshot: Snapshot, opts: EvaluateOptions = {}): Finding[] {
  return evaluateSnapshotCounted(snapshot, opts, true).findings;
}

/** `evaluateSnapshot`, counting pass results instead of keeping them unless `keepPassed`. */
export function evaluateSnapshotCounted(snapshot: Snapshot, opts: EvaluateOptions, keepPassed: boolean): Evaluation {
  const rules = selectRules(opts.rules);
  return evaluateIndexCounted(new SnapshotIndex(snapshot), rules, opts, keepPassed);
}

/** The intents of one failing finding, manual ones included (none for other statuses or rules). */
function intentsOf(f: Finding, index: SnapshotIndex, options: EngineOptions): FixIntent[] {
  if (f.status !== "fail") return [];
  const rule = ruleById(f.ruleId);
  if (!rule?.planFix || !rule.meta.fixable) return [];
  return rule.planFix(f, ruleContext(index, rule, options));
}

/**
 * Automatic fix intents for the failing findings: each finding's rule `planFix`, in finding
 * order, without manual intents. Findings of unknown rules, of non-failing status or of rules
 * without planFix give nothing.
 */
export function planIntents(
  findings: readonly Finding[],
  snapshot: Snapshot | SnapshotIndex,
  options: EngineOptions = {},
): FixIntent[] {
  const index = snapshot instanceof SnapshotIndex ? snapshot : new SnapshotIndex(snapshot);
  return findings.flatMap((f) => intentsOf(f, index, options).filter((it) => !isManualIntent(it)));
}

/**
 * What the fix planner asks the catalog: each finding's intents (manual included) and, from the
 * rules of `ruleIds` (default all), what to do about buckets a plan leaves no longer a log target.
 */
export function intentSource(
  snapshot: Snapshot | SnapshotIndex,
  ruleIds?: readonly string[],
  options: EngineOptions = {},
): IntentSource {
  const index = snapshot instanceof SnapshotIndex ? snapshot : new SnapshotIndex(snapshot);
  const wanted = ruleIds && ruleIds.length > 0 ? new Set(ruleIds) : undefined;
  const followers = allRules().filter((r) => r.planFormerLogTarget && (!wanted || wanted.has(r.meta.id)));
  return {
    forFinding: (f) => intentsOf(f, index, options),
    forFormerLogTarget: (b) => followers.flatMap((r) => r.planFormerLogTarget?.(b, ruleContext(index, r, options)) ?? []),
  };
}
