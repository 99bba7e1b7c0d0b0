/** Hand-built snapshots, findings and reports for the formatter tests. */
import type { Finding, FindingStatus, Severity } from "../../src/model/finding.js";
import type { BucketSnapshot, CollectionError, Snapshot } from "../../src/model/snapshot.js";
import { buildReport, type Report } from "../../src/output/report.js";

export const A1 = "111111111111";
export const A2 = "222222222222";

export function bucket(account: string, region: string, name: string, logging: BucketSnapshot["logging"]): BucketSnapshot {
  return { account, region, name, logging };
}

export const logsTo = (target: string, prefix = "logs/"): BucketSnapshot["logging"] => ({
  status: "ok",
  value: { targetBucket: target, targetPrefix: prefix, targetGrants: [], keyFormat: { type: "simple" }, keyFormatExplicit: false },
});
export const noLogging: BucketSnapshot["logging"] = { status: "ok", value: null };
export const denied: BucketSnapshot["logging"] = {
  status: "error",
  operation: "GetBucketLogging",
  code: "AccessDenied",
  message: "Access Denied",
};

export function snapshot(buckets: BucketSnapshot[], errors: CollectionError[] = []): Snapshot {
  return {
    kind: "s3-log-auditor-snapshot",
    schemaVersion: 1,
    tool: { name: "s3-log-auditor", version: "0.1.0" },
    startedAt: "2026-01-02T03:04:05.000Z",
    finishedAt: "2026-01-02T03:04:09.000Z",
    partition: "aws",
    scope: { accounts: [...new Set(buckets.map((b) => b.account))].sort(), regions: null },
    accounts: [...new Set(buckets.map((b) => b.account))].sort().map((id) => ({
      id,
      status: "ok" as const,
      regions: [...new Set(buckets.filter((b) => b.account === id).map((b) => b.region))].sort(),
    })),
    buckets,
    externalTargets: [],
    errors,
  };
}

export function finding(
  ruleId: string,
  status: FindingStatus,
  severity: Severity,
  account: string,
  region: string,
  bucketName: string,
  message = `${ruleId} ${status} on ${bucketName}`,
): Finding {
  return {
    ruleId,
    status,
    severity,
    account,
    region,
    bucket: bucketName,
    message,
    fixable: status === "fail",
    fingerprint: `${ruleId}:${account}:${bucketName}`,
    details: {},
  };
}

export const RULE_IDS = ["logging-enabled", "target-not-source", "delivery-permitted"];

/** A two-account snapshot with every status: fail (several severities), error, muted, pass. */
export function sampleReport(opts: { includePassed?: boolean } = {}): Report {
  const snap = snapshot(
    [
      bucket(A1, "us-east-1", "app-data", logsTo("central-logs")),
      bucket(A1, "us-east-1", "central-logs", noLogging),
      bucket(A1, "eu-west-1", "loop-bucket", logsTo("loop-bucket")),
      bucket(A2, "us-east-1", "unreadable", denied),
      bucket(A2, "us-east-1", "quiet", noLogging),
    ],
    [{ account: A2, region: "us-east-1", bucket: "unreadable", operation: "GetBucketLogging", code: "AccessDenied", message: "Access Denied" }],
  );
  const findings: Finding[] = [
    finding("delivery-permitted", "fail", "high", A1, "us-east-1", "app-data", "central-logs does not allow logging.s3.amazonaws.com to write under logs/ for app-data & <friends> | pipes"),
    finding("logging-enabled", "pass", "medium", A1, "us-east-1", "app-data"),
    finding("logging-enabled", "pass", "medium", A1, "us-east-1", "central-logs"),
    finding("target-not-source", "fail", "critical", A1, "eu-west-1", "loop-bucket", "loop-bucket logs into itself"),
    finding("logging-enabled", "error", "medium", A2, "us-east-1", "unreadable", "cannot evaluate: GetBucketLogging failed with AccessDenied"),
    finding("logging-enabled", "muted", "medium", A2, "us-east-1", "quiet", "quiet has no server access logging"),
  ];
  return buildReport({ snapshot: snap, findings, ruleIds: RULE_IDS, includePassed: opts.includePassed ?? false });
}
