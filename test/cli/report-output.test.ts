/**
 * The machine-readable formats through the built CLI on the demo organization: SARIF that the
 * SARIF 2.1.0 schema and GitHub's upload checks accept, JUnit valid against the Jenkins XSD,
 * CSV with one row per finding of the JSON report.
 */
import { parse as parseCsv } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/output/report.js";
import { githubSarifProblems, junitXsdErrors, sarifSchemaErrors } from "../output/validators.js";
import { CONTROL_CHARS, runCli } from "./helpers.js";
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
    const rows = parseCsv(r.stdout, { columns: true }) as Record<string, string>[];
    expect(rows.map((x) => [x.status, x.rule_id, x.account, x.bucket])).toEqual(json.findings.map((f) => [f.status, f.ruleId, f.account, f.bucket]));
    expect(rows.every((x) => x.doc_url!.startsWith("https://docs.aws.amazon.com/"))).toBe(true);
    expect(rows.find((x) => x.account === "222222222222")!.account_name).toBe("production");
  });
});
