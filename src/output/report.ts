/**
 * The JSON report (spec §4, schema version 1): its zod definition, from which the published
 * JSON Schema (`src/schema/report-v1.schema.json`) is generated, and the function that builds
 * it from a snapshot and the findings of the rule engine.
 */
import { z } from "zod";
import { FindingSchema, SEVERITIES, SeveritySchema, compareFindings, type Finding, type Severity } from "../model/finding.js";
import { CollectionErrorSchema, type BucketSnapshot, type CollectionError, type Snapshot } from "../model/snapshot.js";
import { TOOL_NAME, TOOL_VERSION } from "../base/identity.js";
import { DELIVERY_RULE_ID, deliveryView } from "../engine/delivery-state.js";

export const REPORT_SCHEMA_VERSION = 1 as const;

const count = z.number().int().nonnegative();

export const SeverityCountsSchema = z.object({
  critical: count,
  high: count,
  medium: count,
  low: count,
  info: count,
});
export type SeverityCounts = z.infer<typeof SeverityCountsSchema>;

export const StatusCountsSchema = z.object({ fail: count, pass: count, error: count, muted: count });
export type StatusCounts = z.infer<typeof StatusCountsSchema>;

export const ShardSchema = z.object({
  /** 1-based index of this shard. */
  index: z.number().int().positive(),
  count: z.number().int().positive(),
});
export type Shard = z.infer<typeof ShardSchema>;

export const ReportScopeSchema = z.object({
  /** Accounts the scan covered (sorted). */
  accounts: z.array(z.string()),
  /** Regions in which buckets were scanned (sorted). */
  regions: z.array(z.string()),
  /** AWS partition of the scanned accounts (aws, aws-cn, aws-us-gov): bucket ARNs use it. */
  partition: z.string(),
  /** Ids of the rules that were evaluated (sorted). */
  rules: z.array(z.string()),
  /** Account names from AWS Organizations, by account id, when known. */
  accountNames: z.record(z.string(), z.string()).optional(),
  /** `--buckets` globs, when given. */
  bucketGlobs: z.array(z.string()).optional(),
  /** `--shard I/N`, when given: this report covers only a stable subset of the accounts. */
  shard: ShardSchema.optional().describe("Set by scan --shard I/N; merge combines all shards into one report"),
});
export type ReportScope = z.infer<typeof ReportScopeSchema>;

export const ReportSummarySchema = z.object({
  accounts: count,
  buckets: count,
  /** false when some account, Region or bucket could not be read (see `errors`). */
  complete: z.boolean().describe("false when some account, Region or bucket could not be read (see errors)"),
  /** Results of every rule on every bucket, passes included even without --include-passed. */
  status: StatusCountsSchema.describe("Results of every rule on every bucket (passes counted even when not listed)"),
  /** Failing findings (not muted) by severity. */
  failBySeverity: SeverityCountsSchema.describe("Failing (not muted) findings by severity"),
});
export type ReportSummary = z.infer<typeof ReportSummarySchema>;

export const ReportBucketSchema = z.object({
  account: z.string(),
  region: z.string(),
  name: z.string(),
  logging: z.object({
    /** null when the logging configuration could not be read (see `error`). */
    enabled: z.boolean().nullable().describe("null when GetBucketLogging could not be read"),
    targetBucket: z.string().optional(),
    targetPrefix: z.string().optional(),
    keyFormat: z.enum(["simple", "partitioned"]).optional(),
    /** The failed read, when `enabled` is null. */
    error: z.object({ operation: z.string(), code: z.string() }).optional(),
  }),
  delivery: z
    .object({
      state: z.enum(["delivered", "proven", "stale", "none", "pending", "error"]),
      newestKey: z.string().optional().describe("Newest log object of this source in its target"),
      newestAt: z.string().optional().describe("Its LastModified (ISO time)"),
      newestAge: z.string().optional().describe("Its age at scan time, e.g. \"3 h\""),
      canaryRequestId: z.string().optional().describe("With --since-snapshot: the earlier scan's GetBucketLogging request id"),
      canaryFoundIn: z.string().optional().describe("The log object that held the canary (state proven)"),
      pendingReason: z.string().optional(),
      error: z.object({ operation: z.string(), code: z.string() }).optional().describe("The failed read (state error)"),
      truncated: z.boolean().optional().describe("The listing stopped at its page bound; older objects were not looked at"),
    })
    .optional()
    .describe("With --check-delivery, for a logging source: its delivery state (rule logs-delivered), passing states included"),
});
export type ReportBucket = z.infer<typeof ReportBucketSchema>;

/** A config-file exception as the report names it (its 0-based position in `exceptions`). */
export const ExceptionRefSchema = z.object({
  index: z.number().int().nonnegative(),
  rule: z.string().optional(),
  account: z.string().optional(),
  bucket: z.string().optional(),
  reason: z.string(),
  owner: z.string(),
  expires: z.string().optional(),
});
export type ExceptionRef = z.infer<typeof ExceptionRefSchema>;

export const ReportExceptionsSchema = z.object({
  /** Past their `expires` day: they muted nothing, their findings count again. */
  expired: z.array(ExceptionRefSchema).describe("Exceptions past their expires day: they no longer mute"),
  /** Active but matched no finding: stale configuration. */
  unused: z.array(ExceptionRefSchema).describe("Active exceptions that matched no finding (stale configuration)"),
});
export type ReportExceptions = z.infer<typeof ReportExceptionsSchema>;

export const ReportFindingSchema = FindingSchema;
export type ReportFinding = Finding;

export const ReportSchema = z
  .object({
    schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
    tool: z.object({ name: z.string(), version: z.string() }),
    startedAt: z.iso.datetime(),
    finishedAt: z.iso.datetime(),
    scope: ReportScopeSchema,
    summary: ReportSummarySchema,
    buckets: z.array(ReportBucketSchema),
    /** fail, error and muted results; pass results too with --include-passed. */
    findings: z
      .array(ReportFindingSchema)
      .describe("fail, error and muted results (pass too with --include-passed), ordered by account, region, bucket, severity (most severe first), ruleId"),
    errors: z.array(CollectionErrorSchema).describe("Reads that failed; non-empty means the scan is incomplete"),
    exceptions: ReportExceptionsSchema.optional().describe("Present when the configuration file has exceptions"),
  })
  .meta({
    title: "s3-log-auditor report",
    description: "Result of `s3-log-auditor scan --format json` (schema version 1).",
  });
export type Report = z.infer<typeof ReportSchema>;

export function emptySeverityCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
}

export function emptyStatusCounts(): StatusCounts {
  return { fail: 0, pass: 0, error: 0, muted: 0 };
}

/** Counts results by status, and failing (unmuted) results by severity. */
export function countFindings(findings: readonly Finding[]): { status: StatusCounts; failBySeverity: SeverityCounts } {
  let fail = 0;
  let pass = 0;
  let error = 0;
  let muted = 0;
  const failBySeverity = emptySeverityCounts();
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i]!;
    const st = f.status;
    if (st === "pass") pass++;
    else if (st === "fail") {
      fail++;
      failBySeverity[f.severity]++;
    } else if (st === "error") error++;
    else muted++;
  }
  return { status: { fail, pass, error, muted }, failBySeverity };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}


export function compareBuckets(a: ReportBucket, b: ReportBucket): number {
  return cmp(a.account, b.account) || cmp(a.region, b.region) || cmp(a.name, b.name);
}

export function compareErrors(a: CollectionError, b: CollectionError): number {
  return (
    cmp(a.account, b.account) ||
    cmp(a.region ?? "", b.region ?? "") ||
    cmp(a.bucket ?? "", b.bucket ?? "") ||
    cmp(a.operation, b.operation) ||
    cmp(a.code, b.code) ||
    cmp(a.message, b.message)
  );
}

function isSorted<T>(xs: readonly T[], compare: (a: T, b: T) => number): boolean {
  for (let i = 1; i < xs.length; i++) if (compare(xs[i - 1]!, xs[i]!) > 0) return false;
  return true;
}

/** The logging summary of one bucket for `buckets[]`; with `delivery` (--check-delivery) its delivery state. */
export function bucketSummary(b: BucketSnapshot, delivery?: Pick<Snapshot, "deliveryWindowHours" | "startedAt">): ReportBucket {
  const summary = loggingSummary(b);
  const view = delivery ? deliveryView(b, delivery) : undefined;
  return view ? { ...summary, delivery: view } : summary;
}

function loggingSummary(b: BucketSnapshot): ReportBucket {
  const base = { account: b.account, region: b.region, name: b.name };
  const r = b.logging;
  if (r.status === "error") {
    return { ...base, logging: { enabled: null, error: { operation: r.operation, code: r.code } } };
  }
  if (r.status === "absent" || r.value === null) return { ...base, logging: { enabled: false } };
  return {
    ...base,
    logging: {
      enabled: true,
      targetBucket: r.value.targetBucket,
      targetPrefix: r.value.targetPrefix,
      keyFormat: r.value.keyFormat.type,
    },
  };
}

export interface BuildReportInput {
  snapshot: Snapshot;
  /** The results of the engine after baseline muting (pass results may have been dropped: see droppedPasses). */
  findings: readonly Finding[];
  /** Pass results the engine counted but did not keep; added to summary.status.pass. */
  droppedPasses?: number;
  /** Ids of the rules that were evaluated. */
  ruleIds: readonly string[];
  includePassed: boolean;
  shard?: Shard;
  /** Expired and unused config-file exceptions (when the configuration has any). */
  exceptions?: ReportExceptions;
  /** Defaults to the snapshot's own timestamps. */
  startedAt?: string;
  finishedAt?: string;
}

/** Builds the report of spec §4. Deterministic: equal inputs give equal output. */
export function buildReport(input: BuildReportInput): Report {
  const { snapshot } = input;
  const inScope = snapshot.buckets.filter((b) => b.inScope !== false);
  const regions = new Set<string>();
  for (const a of snapshot.accounts) for (const r of a.regions) regions.add(r);
  for (const b of inScope) regions.add(b.region);
  const { status, failBySeverity } = countFindings(input.findings);
  status.pass += input.droppedPasses ?? 0;
  const errors = [...snapshot.errors].sort(compareErrors);
  let findings: Finding[];
  if (input.includePassed) findings = input.findings.slice();
  else {
    findings = [];
    const all = input.findings;
    for (let i = 0; i < all.length; i++) if (all[i]!.status !== "pass") findings.push(all[i]!);
  }
  if (!isSorted(findings, compareFindings)) findings.sort(compareFindings);
  const checksDelivery = input.ruleIds.includes(DELIVERY_RULE_ID);
  const scope: ReportScope = {
    accounts: [...new Set([...snapshot.scope.accounts, ...snapshot.accounts.map((a) => a.id)])].sort(),
    regions: [...regions].sort(),
    partition: snapshot.partition,
    rules: [...input.ruleIds].sort(),
  };
  const named = snapshot.accounts.filter((a) => a.name !== undefined).sort((a, b) => cmp(a.id, b.id));
  if (named.length > 0) scope.accountNames = Object.fromEntries(named.map((a) => [a.id, a.name!]));
  if (snapshot.scope.bucketGlobs && snapshot.scope.bucketGlobs.length > 0) scope.bucketGlobs = [...snapshot.scope.bucketGlobs];
  if (input.shard) scope.shard = { ...input.shard };
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    startedAt: input.startedAt ?? snapshot.startedAt,
    finishedAt: input.finishedAt ?? snapshot.finishedAt,
    scope,
    summary: {
      accounts: scope.accounts.length,
      buckets: inScope.length,
      complete: errors.length === 0 && status.error === 0,
      status,
      failBySeverity,
    },
    buckets: inScope.map((b) => bucketSummary(b, checksDelivery ? snapshot : undefined)).sort(compareBuckets),
    findings,
    errors,
    ...(input.exceptions ? { exceptions: input.exceptions } : {}),
  };
}

/** Severity order helper for consumers: most severe first. */
export const SEVERITY_ORDER: readonly Severity[] = SEVERITIES;
export { SeveritySchema };
