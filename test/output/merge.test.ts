import { describe, expect, it } from "vitest";
import { InputError } from "../../src/base/errors.js";
import { describeError } from "../../src/cli/errors.js";
import { mergeReports, parseReport } from "../../src/output/merge.js";
import { buildReport, type Report } from "../../src/output/report.js";
import { A1, A2, RULE_IDS, bucket, finding, logsTo, noLogging, snapshot } from "./fixtures.js";

const A3 = "333333333333";

/** The one line the CLI prints for what `run` throws. */
function cliMessage(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    return describeError(err);
  }
  return "(nothing thrown)";
}

function reportFor(accounts: string[], shard?: { index: number; count: number }, times = ["2026-01-02T03:04:05.000Z", "2026-01-02T03:04:09.000Z"]): Report {
  const all = [
    bucket(A1, "us-east-1", "a1-data", logsTo("a1-logs")),
    bucket(A1, "us-east-1", "a1-logs", noLogging),
    bucket(A2, "eu-west-1", "a2-data", noLogging),
    bucket(A3, "ap-south-1", "a3-loop", logsTo("a3-loop")),
  ];
  const findings = [
    finding("logging-enabled", "pass", "medium", A1, "us-east-1", "a1-data"),
    finding("logging-enabled", "pass", "medium", A1, "us-east-1", "a1-logs"),
    finding("logging-enabled", "fail", "medium", A2, "eu-west-1", "a2-data"),
    finding("target-not-source", "fail", "critical", A3, "ap-south-1", "a3-loop"),
  ];
  const snap = snapshot(all.filter((b) => accounts.includes(b.account)));
  snap.startedAt = times[0]!;
  snap.finishedAt = times[1]!;
  return buildReport({
    snapshot: snap,
    findings: findings.filter((f) => accounts.includes(f.account)),
    ruleIds: RULE_IDS,
    includePassed: true,
    ...(shard ? { shard } : {}),
  });
}

const strip = (r: Report) => ({ ...r, startedAt: "", finishedAt: "" });

describe("mergeReports", () => {
  it("equals the full report except for timestamps, whatever the input order", () => {
    const full = reportFor([A1, A2, A3]);
    const shards = [
      { file: "s2.json", report: reportFor([A2], { index: 2, count: 3 }, ["2026-01-02T03:04:01.000Z", "2026-01-02T03:04:07.000Z"]) },
      { file: "s1.json", report: reportFor([A1, A3], { index: 1, count: 3 }) },
      { file: "s3.json", report: reportFor([], { index: 3, count: 3 }, ["2026-01-02T03:04:06.000Z", "2026-01-02T03:05:00.000Z"]) },
    ];
    const merged = mergeReports(shards);
    expect(strip(merged)).toEqual(strip(full));
    expect(merged.startedAt).toBe("2026-01-02T03:04:01.000Z");
    expect(merged.finishedAt).toBe("2026-01-02T03:05:00.000Z");
  });

  it("unions account names", () => {
    const s1 = reportFor([A1], { index: 1, count: 2 });
    s1.scope.accountNames = { [A1]: "one" };
    const s2 = reportFor([A2], { index: 2, count: 2 });
    s2.scope.accountNames = { [A2]: "two" };
    expect(mergeReports([{ file: "b", report: s2 }, { file: "a", report: s1 }]).scope.accountNames).toEqual({ [A1]: "one", [A2]: "two" });
  });

  it("deduplicates identical errors and keeps completeness", () => {
    const s1 = reportFor([A1], { index: 1, count: 2 });
    const s2 = reportFor([A2], { index: 2, count: 2 });
    const e = { account: A1, operation: "ListAccounts", code: "TooManyRequestsException", message: "slow down" };
    s1.errors = [e];
    s1.summary.complete = false;
    s2.errors = [e];
    s2.summary.complete = false;
    const m = mergeReports([{ file: "a", report: s1 }, { file: "b", report: s2 }]);
    expect(m.errors).toEqual([e]);
    expect(m.summary.complete).toBe(false);
  });

  it("refuses overlapping, missing and mixed shards and different scans", () => {
    const s1 = { file: "s1.json", report: reportFor([A1], { index: 1, count: 2 }) };
    const s2 = { file: "s2.json", report: reportFor([A2], { index: 2, count: 2 }) };
    expect(() => mergeReports([s1, { ...s1, file: "again.json" }])).toThrow(/overlapping shards: s1.json and again.json are both shard 1\/2/);
    expect(() => mergeReports([s1])).toThrow(/missing shard 2\/2/);
    expect(() => mergeReports([s1, { file: "x.json", report: reportFor([A2]) }])).toThrow(/not a shard/);
    expect(() => mergeReports([s1, { file: "y.json", report: reportFor([A2], { index: 2, count: 3 }) }])).toThrow(/of 2 shards/);
    expect(() => mergeReports([{ file: "p.json", report: reportFor([A1]) }, { file: "q.json", report: reportFor([A1, A2]) }])).toThrow(
      /account 111111111111 is in both p.json and q.json/,
    );
    const other = reportFor([A2], { index: 2, count: 2 });
    other.scope.rules = ["logging-enabled"];
    expect(() => mergeReports([s1, { file: "o.json", report: other }])).toThrow(/different rules/);
    const v = reportFor([A2], { index: 2, count: 2 });
    v.tool.version = "9.9.9";
    expect(() => mergeReports([s1, { file: "v.json", report: v }])).toThrow(/9\.9\.9/);
    expect(() => mergeReports([])).toThrow(InputError);
    const noPasses = reportFor([A1], { index: 1, count: 2 });
    noPasses.findings = noPasses.findings.filter((f) => f.status !== "pass");
    // The message names no flag; the CLI words it with --include-passed.
    expect(cliMessage(() => mergeReports([{ file: "np.json", report: noPasses }, { file: "wp.json", report: reportFor([A1], { index: 2, count: 2 }) }]))).toMatch(
      /wp.json lists passing results \(--include-passed\) but np.json does not/,
    );
    expect(mergeReports([s1, s2]).scope.shard).toBeUndefined();
  });
});

describe("parseReport", () => {
  it("gives one-line errors for other schema versions and malformed files", () => {
    expect(() => parseReport("nope", "a.json")).toThrow("a.json is not valid JSON");
    expect(() => parseReport("{}", "a.json")).toThrow("no schemaVersion");
    expect(() => parseReport(JSON.stringify({ schemaVersion: 2 }), "a.json")).toThrow("a.json has report schemaVersion 2; this tool merges version 1 only");
    expect(() => parseReport(JSON.stringify({ ...reportFor([A1]), summary: 5 }), "a.json")).toThrow(/a.json is not a valid report: summary/);
    const r = reportFor([A1]);
    expect(parseReport(JSON.stringify(r), "a.json")).toEqual(r);
  });
});
