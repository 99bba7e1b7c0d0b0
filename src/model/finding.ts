/** Findings: the result of one rule on one bucket. Plain data, serialisable. */
import { z } from "zod";

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;
export const SeveritySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof SeveritySchema>;

/** Lower index = more severe. */
export function severityRank(s: Severity): number {
  return SEVERITIES.indexOf(s);
}

export const FindingStatusSchema = z.enum(["pass", "fail", "error", "muted"]);
export type FindingStatus = z.infer<typeof FindingStatusSchema>;

export const FindingSchema = z.object({
  ruleId: z.string(),
  status: FindingStatusSchema,
  severity: SeveritySchema,
  account: z.string(),
  region: z.string(),
  bucket: z.string(),
  message: z.string(),
  /** true when the rule proposes an automatic fix for this (failing) finding. */
  fixable: z.boolean(),
  /** Stable id of (ruleId, account, bucket): the baseline matches on it. */
  fingerprint: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export type Finding = z.infer<typeof FindingSchema>;

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The canonical order of findings (engine, report, merge): account, Region, bucket, severity
 * (most severe first), rule id; then fingerprint, status and message, so that any two distinct
 * findings have one order.
 */
export function compareFindings(a: Finding, b: Finding): number {
  return (
    cmp(a.account, b.account) ||
    cmp(a.region, b.region) ||
    cmp(a.bucket, b.bucket) ||
    severityRank(a.severity) - severityRank(b.severity) ||
    cmp(a.ruleId, b.ruleId) ||
    cmp(a.fingerprint, b.fingerprint) ||
    cmp(a.status, b.status) ||
    cmp(a.message, b.message)
  );
}
