/**
 * The machine-readable formats through the built CLI on the demo organization: SARIF that the
 * SARIF 2.1.0 schema and GitHub's upload checks accept, JUnit valid against the Jenkins XSD,
 * CSV with one row per finding of the JSON report; several --output files in one run.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/output/report.js";
import { githubSarifProblems, junitXsdErrors, sarifSchemaErrors } from "../output/validators.js";
import { existsSync, readFileSync } from "node:fs";
import { afterAll } from "vitest";
import { CONTROL_CHARS, expectUsageError, runCli, tempDir } from "./helpers.js";
import { parseValidReport } from "./report-schema.js";

const demo = (...args: string[]) => runCli(["demo", "--quiet", ...args]);
let json: Report;

beforeAll(async () => {
  const r = await demo("--format", "json", "--include-passed");
  expect(r.code).toBe(0);
  json = parseValidReport(r.stdout);
});

describe("demo --format sarif", () => {
  it("validates against the SARIF 2.1.0 schema, passes GitHub's checks, and has an artifact location on every result", async () => {
    const r = await demo("--format", "sarif");
    expect(r.code).toBe(0);
    const log = JSON.parse(r.stdout) as Parameters<typeof githubSarifProblems>[0] & { runs: { results: { locations: { physicalLocation: { artifactLocation: { uri: string } } }[]; properties: { account: string; region: string; bucket: string } }[] }[] };
    expect(sarifSchemaErrors(log)).toEqual([]);
    expect(githubSarifProblems(log)).toEqual([]);
    const results = log.runs[0]!.results;
    expect(results.length).toBe(json.findings.filter((f) => f.status !== "pass").length);
    for (const res of results) {
      const p = res.properties;
      expect(res.locations[0]!.physicalLocation.artifactLocation.uri).toBe(`aws/${p.account}/${p.region}/${p.bucket}`);
    }
    expect(CONTROL_CHARS.test(r.stdout.replace(/\n/g, ""))).toBe(false);
  });
});

describe("demo --format junit", () => {
  it("validates against the Jenkins JUnit XSD", async () => {
    const r = await demo("--format", "junit", "--include-passed");
    expect(r.code).toBe(0);
    expect(await junitXsdErrors(r.stdout)).toEqual([]);
    expect(r.stdout).not.toMatch(/<testsuites[^>]* skipped=/);
    expect(r.stdout).toMatch(/<testsuites[^>]* time="\d+\.\d{3}"/);
  });
});

describe("demo --format csv", () => {
  it("has one row per listed finding, in report order, with the documented columns", async () => {
    const r = await demo("--format", "csv", "--include-passed");
    expect(r.code).toBe(0);
    expect(r.stdout.endsWith("\n")).toBe(true);
    const rows = parseCsv<Record<string, string>>(r.stdout, { columns: true });
    expect(rows.map((x) => [x.status, x.rule_id, x.account, x.bucket])).toEqual(json.findings.map((f) => [f.status, f.ruleId, f.account, f.bucket]));
    expect(rows.every((x) => x.doc_url!.startsWith("https://docs.aws.amazon.com/"))).toBe(true);
    expect(rows.find((x) => x.account === "222222222222")!.account_name).toBe("production");
  });
});

describe("several --output files in one run", () => {
  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it("writes each in the format its extension names, from one scan, and leaves stdout empty", async () => {
    const names = ["r.sarif", "r.html", "r.json", "r.xml", "r.csv", "r.md", "r.txt"];
    const r = await runCli(["demo", ...names.flatMap((n) => ["--output", tmp.file(n)])]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
    for (const [n, fmt] of [["r.sarif", "sarif"], ["r.html", "html"], ["r.json", "json"], ["r.xml", "junit"], ["r.csv", "csv"], ["r.md", "markdown"], ["r.txt", "table"]]) {
      expect(r.stderr).toContain(`Report (${fmt}) written to ${tmp.file(n!)}.`);
    }
    const report = parseValidReport(readFileSync(tmp.file("r.json"), "utf8"));
    const sarif = JSON.parse(readFileSync(tmp.file("r.sarif"), "utf8")) as { runs: { results: unknown[]; invocations: { startTimeUtc: string }[] }[] };
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(sarif.runs[0]!.results).toHaveLength(report.findings.length);
    expect(sarif.runs[0]!.invocations[0]!.startTimeUtc).toBe(report.startedAt);
    expect(await junitXsdErrors(readFileSync(tmp.file("r.xml"), "utf8"))).toEqual([]);
    expect(readFileSync(tmp.file("r.html"), "utf8")).toContain(`data-count="findings-total">${report.findings.length}<`);
    expect(readFileSync(tmp.file("r.csv"), "utf8").trimEnd().split("\n")).toHaveLength(report.findings.length + 1);
    expect(readFileSync(tmp.file("r.md"), "utf8")).toContain("# S3 server access logging report");
    expect(readFileSync(tmp.file("r.txt"), "utf8")).toMatch(/^Summary: /m);
  });

  it("an extension that names no format is exit 2, and nothing is written", async () => {
    const r = await runCli(["demo", "--output", tmp.file("ok.json"), "--output", tmp.file("report.pdf")]);
    expectUsageError(r, "report.pdf: the extension names no report format");
    expect(existsSync(tmp.file("ok.json"))).toBe(false);
    expectUsageError(await runCli(["demo", "--output", tmp.file("report")]), "the extension names no report format");
  });

  it("--format with several files, or one file twice, is exit 2", async () => {
    expectUsageError(await runCli(["demo", "--format", "json", "--output", tmp.file("a.json"), "--output", tmp.file("b.sarif")]), "--format applies to a single --output");
    expectUsageError(await runCli(["demo", "--output", tmp.file("a.json"), "--output", tmp.file("a.json")]), "is given twice");
  });

  it("--format still chooses the format of a single --output", async () => {
    const r = await runCli(["demo", "--quiet", "--format", "csv", "--output", tmp.file("findings.txt")]);
    expect(r.code).toBe(0);
    expect(readFileSync(tmp.file("findings.txt"), "utf8")).toMatch(/^status,severity,rule_id,/);
  });
});
