/** Small hand-made snapshots, findings, bucket standings and plans for the UI reducer tests. */
import type { BucketStanding } from "../../src/app/fix-session.js";
import type { Finding, Severity } from "../../src/model/finding.js";
import type { Plan, PlanStep } from "../../src/model/plan.js";
import type { BucketSnapshot, Snapshot } from "../../src/model/snapshot.js";

/** The fields every document of the tool starts with (snapshot, plan). */
function documentHead<K extends string>(kind: K) {
  return { kind, schemaVersion: 1 as const, tool: { name: "s3-log-auditor", version: "test" }, partition: "aws" as const };
}

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
    ...documentHead("s3-log-auditor-snapshot"),
    startedAt: "2026-01-01T00:00:00.000Z",
    finishedAt: "2026-01-01T00:00:01.000Z",
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

/** A plan of these steps (options as the CLI's defaults). */
export function plan(steps: PlanStep[]): Plan {
  return {
    ...documentHead("s3-log-auditor-plan"),
    createdAt: "2026-01-01T00:00:00.000Z",
    snapshotAt: "2026-01-01T00:00:00.000Z",
    options: { logBucketTemplate: "logs", logRetentionDays: 365, keyFormat: "partitioned" },
    scope: {},
    steps,
  };
}

/** Where a bucket stands, as the application layer reports it: passing unless `passing: false`. */
export function standing(account: string, region: string, bucket: string, extra: Partial<BucketStanding> = {}): BucketStanding {
  const s: BucketStanding = { account, region, bucket, passing: true, ...extra };
  if (s.passing && s.noFix === undefined) s.noFix = `passes every rule evaluated${s.delivery ? `, delivery ${s.delivery.state}` : ""}: nothing to fix`;
  return s;
}

/**
 * `sample()` with where every bucket stands: the four failing buckets, plus passing ones — A's
 * `orders` (delivered, 3 h) and `quiet` (no delivery state), B's `media` in eu-west-1.
 */
export function sampleWithPassing(): { snapshot: Snapshot; findings: Finding[]; buckets: BucketStanding[] } {
  const { snapshot: snap, findings } = sample();
  snap.buckets.push(bucket(A, "us-east-1", "orders"), bucket(A, "us-east-1", "quiet"), bucket(B, "eu-west-1", "media"));
  const delivered = { state: "delivered" as const, newestKey: "orders/2025-12-31-21-00-00-ABC", newestAt: "2025-12-31T21:00:00.000Z", newestAge: "3 h" };
  const buckets: BucketStanding[] = [
    standing(A, "us-east-1", "data", { passing: false }),
    standing(A, "us-east-1", "denied", { passing: false }),
    standing(A, "us-east-1", "orders", { delivery: delivered }),
    standing(A, "us-east-1", "quiet"),
    standing(B, "eu-west-1", "media"),
    standing(B, "eu-west-1", "plain", { passing: false }),
    standing(B, "us-east-1", "loop", { passing: false }),
  ];
  return { snapshot: snap, findings, buckets };
}
