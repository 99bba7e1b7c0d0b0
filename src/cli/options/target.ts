/**
 * The target flag group of scan, demo and fix (and `logs athena`): what to read (--org,
 * --accounts, --regions, --buckets …, or --from-snapshot), which rules, how much in parallel.
 * Declared on commander and validated by zod here, once; the cross-flag rules are refinements.
 */
import { InvalidArgumentError, type Command } from "@commander-js/extra-typings";
import { z } from "zod";
import type { ScanTarget } from "../../app/options.js";
import { DEFAULT_ROLE_NAME } from "../../collect/target-syntax.js";
import type { RuleMeta, RuleOptions } from "../../engine/define-rule.js";
import { accessShape, addAccessFlags } from "./access.js";
import { definedOnly } from "./parse.js";
import { addDeliveryFlags } from "./delivery.js";
import { accountId, bucketGlob, fileName, flag, integer, list, regionName, shard } from "./values.js";

type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Splits comma lists and accumulates repeated flags; a value without any item (`''`, `',,'`) is refused. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length === 0) throw new InvalidArgumentError("the list is empty");
  return [...(previous ?? []), ...items];
}

export interface TargetFlagSet {
  /** Offer --profile, --endpoint-url, --role-name, --external-id (not in demo). */
  credentials: boolean;
  /** Offer --from-snapshot (not in demo). */
  fromSnapshot: boolean;
}

/** Declares the targeting, collection and evaluation flags (with the delivery and, unless the demo, the access flags). */
export function addTargetFlags<C extends AnyCommand>(cmd: C, set: TargetFlagSet = { credentials: true, fromSnapshot: true }): C {
  cmd
    .option("--org", "scan every ACTIVE account of the AWS Organization")
    .option("--accounts <ids>", "scan these accounts (comma-separated or repeated)", collectList)
    .option("--exclude-accounts <ids>", "skip these accounts", collectList)
    .option("--regions <regions>", "only buckets in these Regions (comma-separated or repeated)", collectList)
    .option("--buckets <glob>", "only buckets whose name matches (glob; comma-separated or repeated)", collectList)
    .option("--exclude-buckets <glob>", "leave out buckets whose name matches (glob; comma-separated or repeated)", collectList)
    .option("--rules <ids>", "evaluate only these rules (see `rules`)", collectList)
    .option("--skip-rules <ids>", "do not evaluate these rules", collectList);
  if (set.credentials) addAccessFlags(cmd, "role assumed in every other account");
  cmd
    .option("--concurrency <n>", "AWS calls in flight at most (default 32)")
    .option("--per-account-concurrency <n>", "AWS calls in flight per account at most (default 8)")
    .option("--shard <i/n>", "scan only shard I of N (a stable subset of the accounts); combine with `merge`")
    .option("--no-exempt-log-targets", "logging-enabled: do not exempt buckets that are log targets")
    .option("--save-snapshot <file>", "also write the collected snapshot (plain JSON) to FILE");
  addDeliveryFlags(cmd);
  if (set.fromSnapshot) cmd.option("--from-snapshot <file>", "evaluate a saved snapshot offline (no credentials, no network)");
  cmd.option("--allow-empty", "a --regions/--buckets/--exclude-buckets selection that matches no bucket is not an error (default: exit 2)");
  cmd.option("-q, --quiet", "no progress or notes on stderr");
  return cmd;
}

/** A rule id or a list of them from a flag (checked against the catalog by checkRuleIds). */
const ruleIds = list(z.string());

/** The zod shape of the target flags (the access flags included; a command without them simply has none). */
export const targetShape = {
  org: flag,
  accounts: list(accountId).optional(),
  excludeAccounts: list(accountId).optional(),
  regions: list(regionName).optional(),
  buckets: list(bucketGlob).optional(),
  excludeBuckets: list(bucketGlob).optional(),
  rules: ruleIds.optional(),
  skipRules: ruleIds.optional(),
  ...accessShape,
  concurrency: integer(1, 1024).optional(),
  perAccountConcurrency: integer(1, 1024).optional(),
  shard: shard.optional(),
  exemptLogTargets: z.boolean().optional(),
  saveSnapshot: fileName.optional(),
  fromSnapshot: fileName.optional(),
  allowEmpty: flag,
  quiet: flag,
  /** Rule options by rule id from the configuration file (validated against meta.options when it was loaded). */
  ruleOptions: z.custom<Record<string, RuleOptions>>().optional(),
};

type TargetValues = z.output<z.ZodObject<typeof targetShape>>;

/** What an offline evaluation (--from-snapshot) cannot honour: collection settings. */
const COLLECTION_KEYS = ["org", "excludeBuckets", "externalId", "profile", "endpointUrl", "concurrency", "perAccountConcurrency", "shard", "saveSnapshot"] as const;

/** Cross-flag rules of the target flags. */
export function checkTarget(v: TargetValues, ctx: z.RefinementCtx): void {
  if (v.org && v.accounts) ctx.addIssue({ code: "custom", path: ["org"], message: "{flag} and {flag:accounts} cannot be combined (use {flag:excludeAccounts} to skip some)" });
  if (v.shard && !v.org && !v.accounts) ctx.addIssue({ code: "custom", path: ["shard"], message: "{flag} needs {flag:org} or {flag:accounts} (it splits the list of accounts)" });
  if (v.fromSnapshot === undefined) return;
  for (const key of COLLECTION_KEYS) {
    if (v[key] !== undefined && v[key] !== false)
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: "{flag} cannot be combined with {flag:fromSnapshot} (it is evaluated offline; {flag:accounts}, {flag:excludeAccounts}, {flag:regions} and {flag:buckets} select a slice)",
      });
  }
  if (v.roleName !== undefined && v.roleName !== DEFAULT_ROLE_NAME) ctx.addIssue({ code: "custom", path: ["roleName"], message: "{flag} cannot be combined with {flag:fromSnapshot}" });
}

/** The scan target of parsed target values. */
export function scanTargetOf(v: TargetValues): ScanTarget {
  return definedOnly({
    org: v.org,
    accounts: v.accounts,
    excludeAccounts: v.excludeAccounts,
    regions: v.regions,
    bucketGlobs: v.buckets,
    excludeBucketGlobs: v.excludeBuckets,
    roleName: v.roleName,
    externalId: v.externalId,
    profile: v.profile,
    endpointUrl: v.endpointUrl,
    concurrency: v.concurrency,
    perAccountConcurrency: v.perAccountConcurrency,
    shard: v.shard,
  });
}

/** Which rules a scan evaluates: what the flags and the configuration file's switches choose. */
export interface RuleChoice {
  catalog: readonly RuleMeta[];
  /** Opt-in rules the configuration file turns on. */
  enabled?: readonly string[];
}

function unknownRules(ids: readonly string[], catalog: readonly RuleMeta[]): string | undefined {
  const known = new Set(catalog.map((m) => m.id));
  const unknown = ids.filter((id) => !known.has(id));
  return unknown.length > 0 ? `unknown rule${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (see \`s3-log-auditor rules\`)` : undefined;
}

/** Refines: every id of --rules and --skip-rules is a rule of the catalog, and something is left to evaluate. */
export function checkRuleIds(v: Pick<TargetValues, "rules" | "skipRules">, choice: RuleChoice, ctx: z.RefinementCtx): void {
  for (const key of ["skipRules", "rules"] as const) {
    const problem = unknownRules(v[key] ?? [], choice.catalog);
    if (problem) ctx.addIssue({ code: "custom", path: [key], message: problem });
  }
  if (v.skipRules && ruleIdsOf(v, choice)?.length === 0) ctx.addIssue({ code: "custom", path: [], message: "every rule is skipped: nothing to evaluate" });
}

/** The rules to evaluate: --rules, else the default rules plus enabled opt-ins; minus skipped ones (undefined: the default rules). */
export function ruleIdsOf(v: Pick<TargetValues, "rules" | "skipRules">, choice: RuleChoice): string[] | undefined {
  const skip = new Set(v.skipRules ?? []);
  const enabled = choice.enabled ?? [];
  if (!v.rules && skip.size === 0 && enabled.length === 0) return undefined;
  const base = v.rules ?? choice.catalog.filter((m) => !m.optIn || enabled.includes(m.id)).map((m) => m.id);
  return base.filter((id) => !skip.has(id));
}
