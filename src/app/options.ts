/**
 * The validated options of the application layer: what a scan, a plan and an apply or undo need.
 * The CLI parses its flags into these once (the zod schemas of src/cli/options/); the
 * UI receives them from the CLI. Plain data; no flag names.
 */
import type { Exception } from "../config/schema.js";
import type { RuleOptions } from "../engine/define-rule.js";
import type { Severity } from "../model/finding.js";
import type { CollectOptions } from "../collect/index.js";
import type { FailOn } from "../output/exit-code.js";

/** How AWS is reached: the same for collection, apply and undo. */
export interface AwsAccess {
  /** Every AWS call goes to this endpoint (path-style S3). */
  endpointUrl?: string;
  /** Shared-config profile of the starting credentials. */
  profile?: string;
  /** Role assumed in every account other than the caller's (default DEFAULT_ROLE_NAME). */
  roleName?: string;
  externalId?: string;
}

/** Everything a scan needs to produce findings (no output concerns): what collection reads. */
export interface ScanTarget
  extends AwsAccess,
    Pick<CollectOptions, "accounts" | "excludeAccounts" | "regions" | "bucketGlobs" | "excludeBucketGlobs" | "concurrency" | "perAccountConcurrency" | "shard"> {
  /** Every ACTIVE account of the organization. */
  org: boolean;
}

/** A scan: what to read (or which snapshot to evaluate), which rules, how to gate. */
export interface ScanOptions {
  target: ScanTarget;
  /** Evaluate this saved snapshot instead of collecting (offline). */
  fromSnapshot?: string;
  saveSnapshot?: string;
  /** Rule ids to evaluate (validated against the catalog); undefined = every default rule. */
  rules?: string[];
  /** Rule options by rule id (declared in each rule's meta.options; unset ones take the defaults). */
  ruleOptions?: Record<string, RuleOptions>;
  /** Severity overrides by rule id (configuration file). */
  severityOverrides?: Record<string, Severity>;
  /** Which findings the report lists; the exit code still sees every finding. */
  listSeverities?: Severity[];
  /** Config-file exceptions. */
  exceptions?: Exception[];
  baseline?: string;
  writeBaseline?: string;
  includePassed: boolean;
  failOn: FailOn;
  allowPartial: boolean;
  /** A selection (Regions, bucket globs) that matches no bucket is fine (else EmptySelectionError). */
  allowEmpty?: boolean;
  quiet: boolean;
  /** --check-delivery (rule logs-delivered): the window, and an earlier snapshot for the canary. */
  delivery?: { windowHours: number; sinceSnapshot?: string };
}

/** The access options of a scan target (for apply and undo with the scan's credentials). */
export function accessOf(t: AwsAccess): AwsAccess {
  const a: AwsAccess = {};
  if (t.endpointUrl !== undefined) a.endpointUrl = t.endpointUrl;
  if (t.profile !== undefined) a.profile = t.profile;
  if (t.roleName !== undefined) a.roleName = t.roleName;
  if (t.externalId !== undefined) a.externalId = t.externalId;
  return a;
}
