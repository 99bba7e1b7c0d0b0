/** Small hand-made snapshots and findings for the UI reducer tests. */
import type { Finding, Severity } from "../../src/model/finding.js";
import type { BucketSnapshot, Snapshot } from "../../src/model/snapshot.js";

export function finding(account: string, region: string, bucket: string, ruleId: string, severity: Severity, extra: Partial<Finding> = {}): Finding {
  return {
    ruleId,
    status: "fail",
    severity,
    account,
    region,
    bucket,
    message: `${bucket} fails ${ruleId}`,
    fixable: true,
    fingerprint: `${ruleId}|${account}|${bucket}`,
    details: {},
    ...extra,
  };
}

export function bucket(account: string, region: string, name: string, extra: Partial<BucketSnapshot> = {}): BucketSnapshot {
  return { account, region, name, logging: { status: "ok", value: null }, ...extra };
}

export function snapshot(buckets: BucketSnapshot[], accounts: Snapshot["accounts"] = []): Snapshot {
  const ids = [...new Set(buckets.map((b) => b.account))];
  return {
    kind: "s3-log-auditor-snapshot",
    schemaVersion: 1,
    tool: { name: "s3-log-auditor", version: "test" },
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:01.000Z",
    partition: "aws",
    scope: { accounts: ids, regions: null },
    accounts: accounts.length > 0 ? accounts : ids.map((id) => ({ id, status: "ok" as const, regions: [] })),
    buckets,
    externalTargets: [],
    errors: [],
  };
}

export const A = "111111111111";
export const B = "222222222222";

/**
 * Account B has a critical finding (so it comes first); account A only low/medium ones.
 * B/us-east-1/loop: critical target-not-source + low retention; B/eu-west-1/plain: high (not fixable);
 * A/us-east-1/data: medium logging-enabled; A/us-east-1/denied: error (unreadable).
 */
export function sample(): { snapshot: Snapshot; findings: Finding[] } {
  const snap = snapshot([
    bucket(A, "us-east-1", "data"),
    bucket(A, "us-east-1", "denied", { logging: { status: "error", operation: "GetBucketLogging", code: "AccessDenied", message: "denied" } }),
    bucket(B, "us-east-1", "loop"),
    bucket(B, "eu-west-1", "plain"),
  ]);
  snap.accounts = [
    { id: A, name: "alpha", status: "partial", regions: ["us-east-1"] },
    { id: B, name: "beta", status: "ok", regions: ["us-east-1", "eu-west-1"] },
  ];
  const findings: Finding[] = [
    finding(A, "us-east-1", "data", "logging-enabled", "medium"),
    finding(A, "us-east-1", "denied", "logging-enabled", "medium", { status: "error", fixable: false, message: "GetBucketLogging AccessDenied" }),
    finding(B, "us-east-1", "loop", "log-bucket-retention", "low"),
    finding(B, "us-east-1", "loop", "target-not-source", "critical"),
    finding(B, "eu-west-1", "plain", "delivery-permitted", "high", { fixable: false }),
    finding(B, "eu-west-1", "plain", "target-exists", "high", { status: "pass" }),
  ];
  return { snapshot: snap, findings };
}
