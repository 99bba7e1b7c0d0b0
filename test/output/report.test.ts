import { describe, expect, it } from "vitest";
import { ReportSchema, buildReport, bucketSummary, countFindings } from "../../src/output/report.js";
import { A1, A2, RULE_IDS, bucket, denied, finding, logsTo, noLogging, sampleReport, snapshot } from "./fixtures.js";

describe("buildReport", () => {
  it("summarises every status, counts passes even when they are not listed, and orders findings", () => {
    const r = sampleReport();
    expect(r.schemaVersion).toBe(1);
    expect(r.tool.name).toBe("s3-log-auditor");
    expect(r.summary).toEqual({
      accounts: 2,
      buckets: 5,
      complete: false,
      status: { fail: 2, pass: 2, error: 1, muted: 1 },
      failBySeverity: { critical: 1, high: 1, medium: 0, low: 0, info: 0 },
    });
    expect(r.findings.map((f) => f.status)).not.toContain("pass");
    expect(r.findings.map((f) => `${f.account}/${f.region}/${f.bucket}/${f.ruleId}`)).toEqual([
      `${A1}/eu-west-1/loop-bucket/target-not-source`,
      `${A1}/us-east-1/app-data/delivery-permitted`,
      `${A2}/us-east-1/quiet/logging-enabled`,
      `${A2}/us-east-1/unreadable/logging-enabled`,
    ]);
    expect(r.scope).toEqual({ accounts: [A1, A2], regions: ["eu-west-1", "us-east-1"], partition: "aws", rules: [...RULE_IDS].sort() });
    expect(r.errors).toHaveLength(1);
    expect(ReportSchema.safeParse(r).success).toBe(true);
  });

  it("lists passes with includePassed", () => {
    const r = sampleReport({ includePassed: true });
    expect(r.findings.filter((f) => f.status === "pass")).toHaveLength(2);
    expect(r.summary.status.pass).toBe(2);
  });

  it("is complete only without errors and error findings", () => {
    const snap = snapshot([bucket(A1, "us-east-1", "a", noLogging)]);
    const ok = buildReport({ snapshot: snap, findings: [finding("logging-enabled", "fail", "medium", A1, "us-east-1", "a")], ruleIds: ["logging-enabled"], includePassed: false });
    expect(ok.summary.complete).toBe(true);
    const withError = buildReport({ snapshot: snap, findings: [finding("logging-enabled", "error", "medium", A1, "us-east-1", "a")], ruleIds: ["logging-enabled"], includePassed: false });
    expect(withError.summary.complete).toBe(false);
  });

  it("leaves out-of-scope buckets out of buckets[] and the count", () => {
    const snap = snapshot([bucket(A1, "us-east-1", "a", logsTo("t")), { ...bucket(A1, "us-east-1", "t", noLogging), inScope: false }]);
    const r = buildReport({ snapshot: snap, findings: [], ruleIds: [], includePassed: false });
    expect(r.buckets.map((b) => b.name)).toEqual(["a"]);
    expect(r.summary.buckets).toBe(1);
  });

  it("records the shard", () => {
    const snap = snapshot([bucket(A1, "us-east-1", "a", noLogging)]);
    const r = buildReport({ snapshot: snap, findings: [], ruleIds: [], includePassed: false, shard: { index: 2, count: 3 } });
    expect(r.scope.shard).toEqual({ index: 2, count: 3 });
  });
});

describe("bucketSummary", () => {
  it("describes enabled, disabled, absent and unreadable logging", () => {
    expect(bucketSummary(bucket(A1, "us-east-1", "a", logsTo("t", "p/"))).logging).toEqual({
      enabled: true,
      targetBucket: "t",
      targetPrefix: "p/",
      keyFormat: "simple",
    });
    expect(bucketSummary(bucket(A1, "us-east-1", "a", noLogging)).logging).toEqual({ enabled: false });
    expect(bucketSummary(bucket(A1, "us-east-1", "a", { status: "absent", code: "X" })).logging).toEqual({ enabled: false });
    expect(bucketSummary(bucket(A1, "us-east-1", "a", denied)).logging).toEqual({
      enabled: null,
      error: { operation: "GetBucketLogging", code: "AccessDenied" },
    });
  });
});

describe("countFindings", () => {
  it("counts muted findings as muted, not by severity", () => {
    const c = countFindings([finding("r", "muted", "critical", A1, "us-east-1", "a"), finding("r", "fail", "low", A1, "us-east-1", "b")]);
    expect(c.status).toEqual({ fail: 1, pass: 0, error: 0, muted: 1 });
    expect(c.failBySeverity).toEqual({ critical: 0, high: 0, medium: 0, low: 1, info: 0 });
  });
});

describe("account names", () => {
  it("are reported by id when Organizations gave them, and shown by the table", async () => {
    const snap = snapshot([bucket(A1, "us-east-1", "a", noLogging), bucket(A2, "us-east-1", "b", noLogging)]);
    snap.accounts[0]!.name = "production";
    const r = buildReport({ snapshot: snap, findings: [], ruleIds: [], includePassed: false });
    expect(r.scope.accountNames).toEqual({ [A1]: "production" });
    expect(ReportSchema.safeParse(r).success).toBe(true);
    const { renderTable } = await import("../../src/output/table.js");
    const text = renderTable(r);
    expect(text).toContain(`Account ${A1} (production)`);
    expect(text).toContain(`Account ${A2}\n`);
    expect(sampleReport().scope.accountNames).toBeUndefined();
  });
});
