/**
 * The configuration file (`s3-log-auditor.yaml` or `.json`): what a team keeps in version control
 * — rules, scope, fix options and owned, expiring exceptions. One zod definition gives the
 * validation (unknown fields refused), the TypeScript type and the published JSON Schema
 * (src/schema/config-v1.schema.json). Flags override the file (see ./resolve.ts).
 */
import { z } from "zod";
import { SeveritySchema } from "../model/finding.js";
import { AccountIdSchema, BucketGlobSchema, RegionNameSchema } from "../model/names.js";

const ACCOUNT = AccountIdSchema;
const REGION = RegionNameSchema;
const GLOB = BucketGlobSchema;
/** An empty list would select nothing (or, left out, everything): refused rather than guessed. */
const LIST_EMPTY = "the list is empty (leave the key out to select everything)";
const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date is YYYY-MM-DD").refine((d) => {
    const t = Date.parse(`${d}T00:00:00Z`);
    return !Number.isNaN(t) && new Date(t).toISOString().startsWith(d);
  }, "not a calendar date");

/** Per-rule settings: on/off, a severity override, and the options the rule declares. */
export const RuleConfigSchema = z
  .object({
    enabled: z.boolean().optional().describe("false turns the rule off; true turns an opt-in rule (logs-delivered) on"),
    severity: SeveritySchema.optional().describe("overrides the rule's severity in every finding"),
    options: z.record(z.string(), z.unknown()).optional().describe("options the rule declares (see `s3-log-auditor rules`)"),
  })
  .strict();
export type RuleConfig = z.infer<typeof RuleConfigSchema>;

export const ScopeConfigSchema = z
  .object({
    org: z.boolean().optional().describe("scan every active account of the AWS Organization"),
    accounts: z.array(ACCOUNT).min(1, LIST_EMPTY).optional().describe("scan these accounts (not with org: true)"),
    excludeAccounts: z.array(ACCOUNT).min(1, LIST_EMPTY).optional(),
    regions: z.array(REGION).min(1, LIST_EMPTY).optional().describe("only buckets in these Regions"),
    buckets: z.array(GLOB).min(1, LIST_EMPTY).optional().describe("only buckets whose name matches one of these globs"),
    excludeBuckets: z.array(GLOB).min(1, LIST_EMPTY).optional().describe("leave out buckets whose name matches one of these globs"),
    roleName: z.string().regex(/^[\w+=,.@/-]{1,64}$/, "not a valid IAM role name").optional().describe("role assumed in member accounts"),
    externalIdEnv: z
      .string()
      .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, "the NAME of an environment variable, never the external id itself")
      .optional()
      .describe("name of the environment variable that holds the sts:ExternalId"),
  })
  .strict();
export type ScopeConfig = z.infer<typeof ScopeConfigSchema>;

export const FixConfigSchema = z
  .object({
    logBucketTemplate: z.string().min(1).optional().describe("name of the account+Region log bucket, with {account} and {region}"),
    retentionDays: z.number().int().min(1).max(36500).optional().describe("expiration of log objects in created log buckets"),
    keyFormat: z.enum(["partitioned", "simple"]).optional().describe("key format of the logging configurations written"),
  })
  .strict();
export type FixConfig = z.infer<typeof FixConfigSchema>;

/** An owned exception: which findings it mutes, why, who owns it, until when. */
export const ExceptionSchema = z
  .object({
    rule: z.string().min(1).optional().describe("rule id (any rule when absent)"),
    account: ACCOUNT.optional().describe("account id (any account when absent)"),
    bucket: GLOB.optional().describe("bucket name glob (any bucket when absent)"),
    reason: z.string().trim().min(1, "an exception needs a reason").describe("why the finding is accepted; shown wherever it is muted"),
    owner: z.string().trim().min(1, "an exception needs an owner"),
    expires: DATE.optional().describe("last day the exception mutes (YYYY-MM-DD, UTC); afterwards the finding fails again"),
  })
  .strict()
  .refine((e) => e.rule !== undefined || e.account !== undefined || e.bucket !== undefined, "an exception needs a selector: rule, account or bucket");
export type Exception = z.infer<typeof ExceptionSchema>;

export const ConfigSchema = z
  .object({
    $schema: z.string().optional(),
    version: z.literal(1).optional().describe("configuration format version"),
    rules: z.record(z.string(), RuleConfigSchema).optional().describe("by rule id"),
    scope: ScopeConfigSchema.optional(),
    fix: FixConfigSchema.optional(),
    exceptions: z.array(ExceptionSchema).optional(),
  })
  .strict()
  .meta({ title: "s3-log-auditor configuration", description: "s3-log-auditor.yaml / s3-log-auditor.json (version 1)" });
export type Config = z.infer<typeof ConfigSchema>;
