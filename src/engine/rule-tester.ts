/**
 * @fileoverview A small table-test helper for rules (framework-agnostic: it returns a list of
 * mismatches, so a test asserts `expect(checkRuleCase(rule, c)).toEqual([])`).
 *
 * A case gives a snapshot and the expected result per bucket (`"name"` or `"account/name"`);
 * `null` means "no result for this bucket". Unless `partial` is set, every result the rule
 * produced must be listed. Expected `details` are a subset match (deep-equal per given key);
 * `message` is a substring or a RegExp; `intents` is the exact list of automatic intents planFix
 * returns (for failing results) — or a list of intent kinds; `manual` the same for its manual
 * intents (a person's edit, shown in the plan but never automatic).
 */
import { isDeepStrictEqual } from "node:util";
import type { Finding, FindingStatus } from "../model/finding.js";
import type { Snapshot } from "../model/snapshot.js";
import { isManualIntent, resolveRuleOptions, type FixIntent, type Rule, type RuleOptions } from "./define-rule.js";
import { evaluateIndex } from "./evaluate.js";
import { SnapshotIndex } from "./snapshot-index.js";

export interface ExpectedResult {
  status: FindingStatus;
  message?: string | RegExp;
  details?: Record<string, unknown>;
  intents?: Array<FixIntent | FixIntent["kind"]>;
  manual?: Array<FixIntent | FixIntent["kind"]>;
  fixable?: boolean;
}

export interface RuleCase {
  name: string;
  snapshot: Snapshot;
  /** The rule's options (unset ones take its defaults). */
  options?: RuleOptions;
  expect: Record<string, ExpectedResult | null>;
  /** When true, results for buckets not listed in `expect` are ignored. */
  partial?: boolean;
}

export interface RuleRun extends Finding {
  /** Automatic intents. */
  intents: FixIntent[];
  /** Manual intents. */
  manual: FixIntent[];
}

/** Run one rule on a snapshot the way the engine does, with the planned intents of each finding. */
export function runRule(rule: Rule, snapshot: Snapshot, options?: RuleOptions): RuleRun[] {
  const index = new SnapshotIndex(snapshot);
  const ruleOptions = options ? { [rule.meta.id]: options } : {};
  const ctx = { index, options: resolveRuleOptions(rule.meta, options) };
  return evaluateIndex(index, [rule], { ruleOptions }).map((f) => {
    const all = f.status === "fail" && rule.planFix ? rule.planFix(f, ctx) : [];
    return { ...f, intents: all.filter((i) => !isManualIntent(i)), manual: all.filter(isManualIntent) };
  });
}

/** Mismatch of one intent list with its expectation (exact intents, or kinds only). */
function intentProblem(key: string, what: string, got: readonly FixIntent[], exp: ExpectedResult["intents"]): string[] {
  if (exp === undefined) return [];
  const kindsOnly = exp.every((i) => typeof i === "string");
  const actual = kindsOnly ? got.map((i) => i.kind) : got;
  return isDeepStrictEqual(actual, exp) ? [] : [`${key}: ${what} ${JSON.stringify(actual)}, expected ${JSON.stringify(exp)}`];
}

/** Compare a rule's results with a case; returns human-readable mismatches (empty = pass). */
export function checkRuleCase(rule: Rule, c: RuleCase): string[] {
  const runs = runRule(rule, c.snapshot, c.options);
  const problems: string[] = [];
  const byKey = new Map<string, RuleRun>();
  for (const r of runs) {
    const key = Object.keys(c.expect).some((k) => k.includes("/")) ? `${r.account}/${r.bucket}` : r.bucket;
    if (byKey.has(key)) problems.push(`${key}: more than one result`);
    byKey.set(key, r);
  }
  for (const [key, exp] of Object.entries(c.expect)) {
    const got = byKey.get(key);
    byKey.delete(key);
    if (exp === null) {
      if (got) problems.push(`${key}: expected no result, got ${got.status}: ${got.message}`);
      continue;
    }
    if (!got) {
      problems.push(`${key}: expected ${exp.status}, got no result`);
      continue;
    }
    if (got.status !== exp.status) problems.push(`${key}: expected ${exp.status}, got ${got.status}: ${got.message}`);
    if (exp.message !== undefined) {
      const ok = typeof exp.message === "string" ? got.message.includes(exp.message) : exp.message.test(got.message);
      if (!ok) problems.push(`${key}: message ${JSON.stringify(got.message)} does not match ${String(exp.message)}`);
    }
    for (const [k, v] of Object.entries(exp.details ?? {})) {
      if (!isDeepStrictEqual(got.details[k], v))
        problems.push(`${key}: details.${k} is ${JSON.stringify(got.details[k])}, expected ${JSON.stringify(v)}`);
    }
    problems.push(...intentProblem(key, "intents", got.intents, exp.intents), ...intentProblem(key, "manual intents", got.manual, exp.manual));
    if (exp.fixable !== undefined && got.fixable !== exp.fixable)
      problems.push(`${key}: fixable is ${got.fixable}, expected ${exp.fixable}`);
  }
  if (!c.partial) for (const [key, r] of byKey) problems.push(`${key}: unexpected ${r.status}: ${r.message}`);
  return problems;
}
