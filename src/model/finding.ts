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

/** Why a finding is `muted`: the baseline entry or the config-file exception that covers it. */
export const MuteSchema = z.object({
  /** `baseline` (a --baseline file) or `exception` (the config file's `exceptions`). */
  source: z.enum(["baseline", "exception"]),
  /** The reason given with the entry; a bare baseline fingerprint has none. */
  reason: z.string().optional(),
  owner: z.string().optional(),
  /** ISO date (YYYY-MM-DD) after which the entry no longer mutes. */
  expires: z.string().optional(),
});
export type Mute = z.infer<typeof MuteSchema>;

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
  /** Present on `muted` findings: what muted it and why. */
  mute: MuteSchema.optional().describe("Present on muted findings: the baseline entry or exception that muted it, with its reason"),
});
export type Finding = z.infer<typeof FindingSchema>;

/**
 * Stable fingerprint of (ruleId, account, bucket): `ruleId:account:bucket`. Unambiguous (bucket
 * names and account ids contain no ':'), readable in baseline files, and cheap to build.
 */
export function fingerprint(ruleId: string, account: string, bucket: string): string {
  return `${ruleId}:${account}:${bucket}`;
}

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
