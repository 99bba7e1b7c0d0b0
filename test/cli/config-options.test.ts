/**
 * The configuration file through the built CLI on the demo organization: exceptions (reason in
 * JSON, SARIF, HTML; expiry turning a mute back into a failure; unused listed), rules switches and
 * severity overrides, flags over the file, --print-config, --skip-rules, --exclude-buckets,
 * --severity.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/output/report.js";
import { expectUsageError, runCli, tempDir } from "./helpers.js";
import { parseValidReport } from "./report-schema.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const LOOP = "demo-loop-self-prod-audit";

function config(name: string, text: string): string {
  const file = tmp.file(name);
  writeFileSync(file, text);
  return file;
}

const exceptionsFile = (expires: string) =>
  config(
    `ex-${expires}.yaml`,
    `exceptions:\n  - rule: target-not-source\n    bucket: "demo-loop-self-*"\n    reason: audit bucket, replaced in Q1\n    owner: team-storage\n    expires: ${expires}\n  - bucket: "no-such-*"\n    reason: left over\n    owner: ops\n`,
  );

async function demoJson(...args: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await runCli(["demo", "--quiet", "--format", "json", ...args]);
  return { code: r.code, report: parseValidReport(r.stdout), stderr: r.stderr };
}

describe("exceptions in the configuration file", () => {
  it("mute with their reason in JSON, SARIF and HTML; the gate passes; unused ones are listed", async () => {
    const file = exceptionsFile("2099-12-31");
    const base = await demoJson("--rules", "target-not-source", "--fail-on", "critical");
    expect(base.code).toBe(1);
    const r = await demoJson("--config", file, "--rules", "target-not-source", "--fail-on", "critical");
    expect(r.code).toBe(0);
    const muted = r.report.findings.find((f) => f.bucket === LOOP)!;
    expect(muted.status).toBe("muted");
    expect(muted.mute).toEqual({ source: "exception", reason: "audit bucket, replaced in Q1", owner: "team-storage", expires: "2099-12-31" });
    expect(r.report.exceptions).toEqual({ expired: [], unused: [{ index: 1, bucket: "no-such-*", reason: "left over", owner: "ops" }] });
    expect(r.stderr).toContain("1 exception matched no finding (stale?): #2 (bucket no-such-*, owner ops)");

    const sarifFile = tmp.file("ex.sarif");
    const htmlFile = tmp.file("ex.html");
    expect((await runCli(["demo", "--quiet", "--config", file, "--rules", "target-not-source", "--output", sarifFile, "--output", htmlFile])).code).toBe(0);
    const sarif = JSON.parse(readFileSync(sarifFile, "utf8")) as { runs: { results: { suppressions?: { justification: string }[]; properties: { bucket: string } }[] }[] };
    const res = sarif.runs[0]!.results.find((x) => x.properties.bucket === LOOP)!;
    expect(res.suppressions?.[0]?.justification).toBe("audit bucket, replaced in Q1 (owner: team-storage, expires 2099-12-31)");
    const html = readFileSync(htmlFile, "utf8");
    expect(html).toContain("<strong>Muted:</strong> audit bucket, replaced in Q1 (owner: team-storage, expires 2099-12-31)");
    expect(html).toContain('data-count="exceptions-unused">1<');
  });

  it("an expired exception mutes nothing: the finding fails the gate again and report and stderr say which expired", async () => {
    const r = await demoJson("--config", exceptionsFile("2020-01-31"), "--rules", "target-not-source", "--fail-on", "critical");
    expect(r.code).toBe(1);
    expect(r.report.findings.find((f) => f.bucket === LOOP)!.status).toBe("fail");
    expect(r.report.exceptions?.expired.map((e) => [e.index, e.expires])).toEqual([[0, "2020-01-31"]]);
    expect(r.stderr).toContain("exception #1 (rule target-not-source, bucket demo-loop-self-*, owner team-storage) expired on 2020-01-31: it no longer mutes");
  });

  it("a bad configuration is exit 2 with one line naming file, line and field", async () => {
    const bad = config("bad.yaml", "exceptions:\n  - rule: target-not-source\n    owner: me\n");
    expectUsageError(await runCli(["demo", "--config", bad]), `${bad}:2: exceptions[0].reason: missing`);
    expectUsageError(await runCli(["demo", "--config", tmp.file("missing.yaml")]), "cannot read configuration");
  });
});

describe("rules in the configuration file, and flags over the file", () => {
  const file = config(
    "rules.yaml",
    "rules:\n  target-prefix-structured:\n    enabled: false\n  target-same-region:\n    severity: low\n  logging-enabled:\n    options:\n      exemptLogTargets: false\n",
  );

  it("disables rules, overrides severities and sets rule options", async () => {
    const plain = await demoJson("--include-passed");
    const r = await demoJson("--config", file, "--include-passed");
    expect(r.report.scope.rules).not.toContain("target-prefix-structured");
    expect(r.report.findings.some((f) => f.ruleId === "target-prefix-structured")).toBe(false);
    const region = r.report.findings.filter((f) => f.ruleId === "target-same-region" && f.status === "fail");
    expect(region.length).toBeGreaterThan(0);
    expect(region.every((f) => f.severity === "low")).toBe(true);
    const failsOf = (rep: Report) => rep.findings.filter((f) => f.ruleId === "logging-enabled" && f.status === "fail").length;
    expect(failsOf(r.report)).toBeGreaterThan(failsOf(plain.report));
  });

  it("flags win: --rules over disabled rules, --exempt-log-targets default vs file", async () => {
    const r = await demoJson("--config", file, "--rules", "target-prefix-structured");
    expect(r.report.scope.rules).toEqual(["target-prefix-structured"]);
    const printed = await runCli(["scan", "--config", file, "--print-config", "--skip-rules", "target-same-region"]);
    expect(printed.code).toBe(0);
    expect(printed.stdout).toMatch(/^# effective configuration: .*rules\.yaml, with the flags of this command line applied/);
    expect(printed.stdout).toMatch(/ {2}target-same-region:\n {4}enabled: false\n {4}severity: low/);
    expect(printed.stdout).toMatch(/ {2}target-prefix-structured:\n {4}enabled: true/);
    expect(printed.stdout).toMatch(/ {2}logging-enabled:\n {4}enabled: true\n {4}severity: medium\n {4}options:\n {6}exemptLogTargets: false/);
  });

  it("scope comes from the file unless a flag gives it", async () => {
    const scoped = config("scope.yaml", "scope:\n  accounts: [\"222222222222\"]\n  regions: [us-east-1]\n  excludeBuckets: [\"demo-prod-web-*\"]\n");
    const p = await runCli(["scan", "--config", scoped, "--print-config"]);
    expect(p.stdout).toContain("scope:\n  accounts:\n    - \"222222222222\"\n  regions:\n    - us-east-1\n  excludeBuckets:\n    - demo-prod-web-*\n");
    const over = await runCli(["scan", "--config", scoped, "--print-config", "--org", "--regions", "eu-west-1"]);
    expect(over.stdout).toContain("scope:\n  org: true\n  regions:\n    - eu-west-1\n");
    expect(over.stdout).not.toContain("222222222222");
  });
});

describe("new flags", () => {
  it("--skip-rules leaves rules out; an unknown id is exit 2", async () => {
    const r = await demoJson("--skip-rules", "target-not-source,no-logging-cycle");
    expect(r.report.scope.rules).not.toContain("target-not-source");
    expect(r.report.scope.rules).not.toContain("no-logging-cycle");
    expect(r.report.scope.rules).toContain("logging-enabled");
    expectUsageError(await runCli(["demo", "--skip-rules", "nope"]), "--skip-rules: unknown rule nope");
  });

  it("--exclude-buckets leaves matching buckets out of the scan", async () => {
    const all = await demoJson();
    const r = await demoJson("--exclude-buckets", "demo-loop-*");
    expect(r.report.buckets.some((b) => b.name.startsWith("demo-loop-"))).toBe(false);
    expect(all.report.buckets.some((b) => b.name.startsWith("demo-loop-"))).toBe(true);
    expect(r.report.summary.buckets).toBeLessThan(all.report.summary.buckets);
  });

  it("--severity lists only those severities; the exit code still follows --fail-on", async () => {
    const r = await demoJson("--severity", "critical", "--fail-on", "high");
    expect(r.report.findings.length).toBeGreaterThan(0);
    expect(r.report.findings.every((f) => f.severity === "critical")).toBe(true);
    expect(r.report.summary.failBySeverity.high).toBeGreaterThan(0);
    expect(r.code).toBe(1);
    const only = await demoJson("--severity", "low", "--fail-on", "critical");
    expect(only.report.findings.every((f) => f.severity === "low")).toBe(true);
    expect(only.code).toBe(1);
    expectUsageError(await runCli(["demo", "--severity", "urgent"]), "--severity: not a severity: urgent");
  });
});

describe("fix options in the configuration file", () => {
  it("fix --plan-out uses the file's log bucket template, retention and key format; a flag overrides the file", async () => {
    const { startSimulator } = await import("../../src/sim/index.js");
    const sim = await startSimulator({ scenario: "demo", port: 0 });
    try {
      const file = config("fix.yaml", 'fix:\n  logBucketTemplate: "team-logs-{account}-{region}"\n  retentionDays: 90\n  keyFormat: simple\n');
      const plan = tmp.file("plan.json");
      const r = await runCli(["fix", "--org", "--endpoint-url", sim.endpoint, "--config", file, "--plan-out", plan, "-q"]);
      expect(r.code, r.stderr).toBe(0);
      const text = readFileSync(plan, "utf8");
      expect(text).toMatch(/"team-logs-\d{12}-[a-z0-9-]+"/);
      expect(text).not.toContain("s3-access-logs-");
      expect(text).toMatch(/"Days": ?90/);
      expect(text).toContain(`"keyFormat": "simple"`);
      const over = tmp.file("plan2.json");
      expect((await runCli(["fix", "--org", "--endpoint-url", sim.endpoint, "--config", file, "--log-retention-days", "30", "--plan-out", over, "-q"])).code).toBe(0);
      expect(readFileSync(over, "utf8")).toMatch(/"Days": ?30/);
    } finally {
      await sim.close();
    }
  });
});

describe("the opt-in delivery rule in the configuration file", () => {
  it("rules.logs-delivered.enabled: true checks delivery like --check-delivery (states, not 'not listed' errors)", async () => {
    const file = config("delivery.yaml", "rules:\n  logs-delivered:\n    enabled: true\n");
    const r = await demoJson("--config", file, "--regions", "ap-southeast-2");
    const states = Object.fromEntries(r.report.buckets.filter((b) => b.delivery).map((b) => [b.name, b.delivery!.state]));
    expect(states["demo-prod-syd-shared-a"]).toBe("delivered");
    expect(states["demo-prod-syd-shared-b"]).toBe("stale");
    expect(r.report.findings.filter((f) => f.ruleId === "logs-delivered" && f.status === "error")).toEqual([]);
  });
});
