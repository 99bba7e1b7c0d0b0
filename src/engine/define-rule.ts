/**
 * The rule contract. Each file under rules/ default-exports `defineRule({...})`.
 * `evaluate` and `planFix` are pure: they read the indexed snapshot and return data.
 */
import type { Severity, Finding } from "../model/finding.js";
import type { BucketSnapshot } from "../model/snapshot.js";
import type { SnapshotIndex } from "./snapshot-index.js";

export interface RuleMeta {
  /** kebab-case, equals the file name under rules/. Stable: JSON, SARIF and baselines use it. */
  id: string;
  title: string;
  severity: Severity;
  /** Why it matters, one or two sentences. */
  rationale: string;
  /** When the rule fails, one sentence (the catalog's "fails when"). */
  failsWhen: string;
  /** How it is fixed, one sentence (the catalog's "proposed fix"). */
  fix: string;
  /** Whether `planFix` proposes automatic steps; a non-fixable rule (false) has no planFix. */
  fixable: boolean;
  /** AWS documentation link. */
  docUrl: string;
  /** Which finding subject this rule reports on. */
  subject: "source" | "log-target";
  /** IAM actions the collection needs for this rule. */
  readPermissions: string[];
  /** Opt-in rules run only when asked (e.g. logs-delivered with --check-delivery). */
  optIn?: boolean;
  /** The options the rule takes, with type, default and description (passed as ctx.options). */
  options?: Readonly<Record<string, RuleOptionSpec>>;
  /**
   * The rule names other rules' failures as likely causes (ctx.failures): the engine evaluates it
   * after every rule without this flag.
   */
  usesOtherResults?: boolean;
}

/** The value of a rule option. */
export type RuleOptionValue = boolean | number | string;

/**
 * One option a rule declares in `meta.options` (like ESLint's meta.schema + defaultOptions):
 * its type, its default and what it does. The configuration file's `rules.<id>.options`, its
 * JSON Schema and `--print-config` are derived from these declarations.
 */
export interface RuleOptionSpec {
  type: "boolean" | "number" | "string";
  default: RuleOptionValue;
  description: string;
}

/** A rule's option values by name. */
export type RuleOptions = Readonly<Record<string, RuleOptionValue>>;

/** Options of one evaluation: each rule's option values by rule id (unset ones take the defaults). */
export interface EngineOptions {
  ruleOptions?: Readonly<Record<string, RuleOptions>>;
}

/** The rule's options: its declared defaults, overridden by `given` (undeclared names ignored). */
export function resolveRuleOptions(meta: RuleMeta, given?: RuleOptions): RuleOptions {
  const out: Record<string, RuleOptionValue> = {};
  for (const [name, spec] of Object.entries(meta.options ?? {})) out[name] = given?.[name] ?? spec.default;
  return out;
}

/** Why `value` cannot be option `name` of the rule (undeclared, wrong type), or undefined. */
export function ruleOptionProblem(meta: RuleMeta, name: string, value: unknown): string | undefined {
  const spec = meta.options?.[name];
  if (!spec) {
    const names = Object.keys(meta.options ?? {});
    return `rule ${meta.id} has no option '${name}'${names.length ? ` (it has: ${names.join(", ")})` : " (it has none)"}`;
  }
  return typeof value === spec.type ? undefined : `expected a ${spec.type}`;
}

export interface RuleContext {
  index: SnapshotIndex;
  /** This rule's options (meta.options defaults, overridden by the configuration). */
  options: RuleOptions;
  /** For rules with meta.usesOtherResults: the failing results of the other rules on a bucket. */
  failures?: (account: string, bucket: string) => readonly { ruleId: string; message: string }[];
}

/** One result of a rule; the engine turns it into a Finding (adds severity, fingerprint, ...). */
export interface RuleResult {
  status: "pass" | "fail" | "error";
  account: string;
  region: string;
  bucket: string;
  message: string;
  details?: Record<string, unknown>;
}

/** Point the source's logging at the account+Region log bucket (create it hardened if missing). */
export interface UseLogBucketIntent {
  kind: "use-log-bucket";
  account: string;
  region: string;
  bucket: string;
  reason: string;
}

/**
 * A statement of the target's bucket policy explicitly denies log delivery from the source: a
 * person must edit it. The plan shows a manual step naming the statement and never rewrites it;
 * a finding with only manual intents is not fixable.
 */
export interface ManualPolicyEditIntent {
  kind: "manual-policy-edit";
  account: string;
  /** The target's Region as the rule saw it. */
  region: string;
  targetBucket: string;
  sourceBucket: string;
  /** The denying statement: its Sid, or `#index` (0-based) when it has none. */
  statement: string;
}

/**
 * What a fix should achieve, as intents. The fix planner (src/fix/) merges all intents of one
 * bucket into one coherent, ordered list of AWS writes, so rules never emit conflicting writes.
 * Intents are the only way rules speak to the planner: it knows no rule id.
 */
export type FixIntent =
  | UseLogBucketIntent
  /** Merge a delivery statement for this source into the target's bucket policy. */
  | {
      kind: "grant-delivery";
      account: string;
      region: string;
      targetBucket: string;
      sourceBucket: string;
      prefix: string;
    }
  /** Drop TargetGrants from the source's logging configuration (keep target and prefix). */
  | { kind: "remove-target-grants"; account: string; region: string; bucket: string }
  /** Give the source its own prefix (`{bucket}/`) and/or the partitioned key format. */
  | { kind: "structure-prefix"; account: string; region: string; bucket: string }
  /** Turn on all four Block Public Access settings of a log bucket. */
  | { kind: "block-public-access"; account: string; region: string; bucket: string }
  /** Merge a lifecycle expiration rule for log objects into a log bucket. */
  | { kind: "add-log-retention"; account: string; region: string; bucket: string }
  | ManualPolicyEditIntent;

/** True for an intent a person carries out (it never makes a finding fixable). */
export function isManualIntent(it: FixIntent): it is ManualPolicyEditIntent {
  return it.kind === "manual-policy-edit";
}

/** What the planner asks the rules, through the engine (src/engine/evaluate.ts `intentSource`). */
export interface IntentSource {
  /** The intents of one failing finding (its rule's planFix, manual intents included). */
  forFinding(finding: Finding): FixIntent[];
  /**
   * Intents for an in-scope bucket without logging that is a log target today and will not be
   * one after the plan (the rules' planFormerLogTarget).
   */
  forFormerLogTarget(bucket: BucketSnapshot): UseLogBucketIntent[];
}

export interface Rule {
  meta: RuleMeta;
  evaluate(ctx: RuleContext): RuleResult[];
  /**
   * Pure. Only called for failing findings of fixable rules. The finding is fixable when at
   * least one intent is not manual.
   */
  planFix?(finding: Finding, ctx: RuleContext): FixIntent[];
  /**
   * Pure. For a bucket without logging that a plan leaves no longer a log target (a rule that
   * exempts log targets would fail it afterwards): what to do about it.
   */
  planFormerLogTarget?(bucket: BucketSnapshot, ctx: RuleContext): UseLogBucketIntent[];
}

/** Validates the metadata once at load time and returns the rule unchanged. */
export function defineRule(rule: Rule): Rule {
  const m = rule.meta;
  if (!/^[a-z][a-z0-9-]*$/.test(m.id)) throw new Error(`rule id must be kebab-case: ${m.id}`);
  for (const k of ["title", "rationale", "failsWhen", "fix", "docUrl"] as const) {
    if (!m[k] || m[k].trim() === "") throw new Error(`rule ${m.id}: meta.${k} is empty`);
  }
  if (!m.docUrl.startsWith("https://")) throw new Error(`rule ${m.id}: docUrl must be https`);
  if (m.fixable && !rule.planFix) throw new Error(`rule ${m.id}: fixable rules need planFix`);
  if (!m.fixable && rule.planFix) throw new Error(`rule ${m.id}: a non-fixable rule has no planFix`);
  for (const [name, spec] of Object.entries(m.options ?? {})) {
    if (typeof spec.default !== spec.type) throw new Error(`rule ${m.id}: option ${name}'s default is not a ${spec.type}`);
    if (spec.description.trim() === "") throw new Error(`rule ${m.id}: option ${name} has no description`);
  }
  return rule;
}
