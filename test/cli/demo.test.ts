/** `demo`: the simulated organization in-process, dummy credentials, the whole org scanned. */
import { describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { runCli } from "./helpers.js";
import { EXPECTED_FAILS } from "./demo-expectations.js";
import { parseValidReport } from "./report-schema.js";

/** The user's own AWS setup, which the demo must ignore entirely. */
const USER_AWS = {
  AWS_PROFILE: "production-admin",
  AWS_ACCESS_KEY_ID: "AKIAREALREALREALREAL",
  AWS_SECRET_ACCESS_KEY: "real-secret",
  AWS_SESSION_TOKEN: "real-token",
  AWS_ENDPOINT_URL: "http://127.0.0.1:9",
  AWS_REGION: "eu-central-1",
};

describe.concurrent("demo", () => {
  it("scans the whole simulated organization: every rule fails somewhere and passes elsewhere; exit 0", async () => {
    const r = await runCli(["demo", "--format", "json", "--include-passed"], { env: USER_AWS });
    expect(r.code).toBe(0);
    const report = parseValidReport(r.stdout);
    expect(report.summary.complete).toBe(true);
    expect(report.scope.accounts).toEqual(["111111111111", "222222222222", "333333333333", "444444444444"]);
    for (const rule of allRules().filter((x) => !x.meta.optIn)) {
      const mine = report.findings.filter((f) => f.ruleId === rule.meta.id);
      expect(mine.filter((f) => f.status === "fail").map((f) => f.bucket).sort()).toEqual([...EXPECTED_FAILS[rule.meta.id]!].sort());
      expect(mine.some((f) => f.status === "pass")).toBe(true);
    }
    // a short header saying it is simulated, progress, and next steps — all on stderr
    expect(r.stderr).toMatch(/scanning a simulated AWS organization \(4 active accounts \+ 1 suspended, \d+ buckets\) at http:\/\/127\.0\.0\.1:\d+/);
    expect(r.stderr).toContain("s3-log-auditor demo fix");
    expect(r.stderr).toContain("--format json");
  });

  it("prints the table (even in a pipe) and gates with an explicit --fail-on", async () => {
    const r = await runCli(["demo", "--fail-on", "high"], { env: USER_AWS });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("CRITICAL  target-not-source");
    expect(r.stdout).toMatch(/^Summary: \d+ buckets in 4 accounts/m);
    expect(r.stderr).toContain("Next steps");
  });

  it("is silent on stderr with --quiet and takes scan's filters", async () => {
    const r = await runCli(["demo", "--quiet", "--format", "json", "--accounts", "333333333333", "--rules", "no-logging-cycle"], { env: USER_AWS });
    expect(r.code).toBe(0);
    expect(r.stderr).toBe("");
    const report = parseValidReport(r.stdout);
    expect(report.scope.accounts).toEqual(["333333333333"]);
    expect(report.findings.map((f) => f.bucket)).toEqual(["demo-loop3-a-333333333333", "demo-loop3-b-333333333333", "demo-loop3-c-333333333333"]);
  });
});
