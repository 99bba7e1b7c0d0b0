import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { RuleMeta } from "../../src/engine/define-rule.js";
import { formatFromExtension, renderReport } from "../../src/output/format.js";
import { renderJunit, xmlEscape } from "../../src/output/junit.js";
import { mdCell, renderMarkdown } from "../../src/output/markdown.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseCsv } from "csv-parse/sync";
import { TOOL_HOMEPAGE } from "../../src/base/identity.js";
import type { Report } from "../../src/output/report.js";
import { readmeSection } from "../../src/output/catalog.js";
import { CSV_COLUMNS, csvCell } from "../../src/output/csv.js";
import { muteJustification } from "../../src/output/mute.js";
import { FINGERPRINT_KEY, GITHUB_MAX_RESULTS, bucketArtifactUri, buildSarif, sarifLevel } from "../../src/output/sarif.js";
import { createStyle, stripControl, wrapText } from "../../src/output/style.js";
import { summaryLine } from "../../src/output/summary.js";
import { renderTable } from "../../src/output/table.js";
import { A1, A2, sampleReport } from "./fixtures.js";
import { githubSarifProblems, junitXsdErrors, sarifSchemaErrors } from "./validators.js";

/** The sample report with its muted finding muted by a config-file exception with a reason. */
function withMuteReason(report: Report): Report {
  const mute = { source: "exception" as const, reason: "archive bucket, logged by CloudTrail data events", owner: "team-storage", expires: "2027-01-31" };
  return { ...report, findings: report.findings.map((f) => (f.status === "muted" ? { ...f, mute } : f)) };
}

const meta = (id: string, severity: RuleMeta["severity"]): RuleMeta => ({
  id,
  title: `Title of ${id}`,
  severity,
  rationale: `Why ${id}`,
  failsWhen: `${id} fails`,
  fix: `fix ${id}`,
  fixable: true,
  docUrl: `https://docs.aws.amazon.com/${id}`,
  subject: "source",
  readPermissions: ["s3:GetBucketLogging"],
});
const CATALOG = [meta("delivery-permitted", "high"), meta("logging-enabled", "medium"), meta("target-not-source", "critical")];
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

describe("table", () => {
  const report = sampleReport();

  it("groups account → Region → bucket, shows severities, errors with reasons and a summary line", () => {
    const text = renderTable(report);
    const lines = text.split("\n");
    const idx = (s: string) => lines.findIndex((l) => l.includes(s));
    expect(idx(`Account ${A1}`)).toBeLessThan(idx("  eu-west-1"));
    expect(idx("  eu-west-1")).toBeLessThan(idx("    loop-bucket"));
    expect(idx("    loop-bucket")).toBeLessThan(idx("CRITICAL  target-not-source"));
    expect(idx(`Account ${A1}`)).toBeLessThan(idx(`Account ${A2}`));
    expect(text).toContain("HIGH      delivery-permitted");
    expect(text).toContain("ERROR     logging-enabled");
    expect(text).toContain("cannot evaluate: GetBucketLogging failed with AccessDenied");
    expect(text).toContain("MUTED     logging-enabled");
    expect(text).toContain("1 more bucket without findings");
    expect(text).toContain("Could not read (1):");
    expect(text).toContain(`${A2} us-east-1 unreadable: GetBucketLogging AccessDenied`);
    expect(lines.filter((l) => l.startsWith("Summary: ")).length).toBe(1);
    expect(text).toContain(summaryLine(report).slice(0, 30));
  });

  it("fits 80 columns and has no control characters without colour", () => {
    const text = renderTable(report, { width: 80 });
    for (const l of text.split("\n")) expect(l.length).toBeLessThanOrEqual(80);
    expect(CONTROL.test(text.replace(/\n/g, ""))).toBe(false);
  });

  it("colours only when the style is enabled", () => {
    const text = renderTable(report, { style: createStyle(true) });
    expect(text).toContain("\u001b[");
    expect(stripControl(text)).toBe(renderTable(report));
  });

  it("shows pass lines with --include-passed", () => {
    expect(renderTable(sampleReport({ includePassed: true }))).toContain("PASS      logging-enabled");
  });
});

describe("summary line", () => {
  it("names failing counts by severity, muted, errors, passes and completeness", () => {
    expect(summaryLine(sampleReport())).toBe(
      "5 buckets in 2 accounts: 2 failing (1 critical, 1 high), 1 muted, 1 error, 2 passed; incomplete (1 read error)",
    );
  });
});

describe("wrapText", () => {
  it("wraps on words and breaks overlong words", () => {
    expect(wrapText("aaa bbb ccc ddd", 10)).toEqual(["aaa bbb", "ccc ddd"]);
    expect(wrapText("x".repeat(25), 10)).toEqual(["x".repeat(10), "x".repeat(10), "x".repeat(5)]);
  });
});

const sarifReport = withMuteReason(sampleReport({ includePassed: true }));
const sarifText = await renderReport(sarifReport, "sarif", { catalog: CATALOG });
const csvReport = withMuteReason(sampleReport({ includePassed: true }));
const csvText = await renderReport(csvReport, "csv", { catalog: CATALOG });

describe("sarif", () => {
  const report = sarifReport;
  const log = buildSarif(report, CATALOG);
  const sarif = JSON.parse(sarifText) as {
    $schema: string;
    version: string;
    runs: {
      tool: { driver: { name: string; informationUri?: string; rules: { id: string; defaultConfiguration: { level: string }; helpUri: string; properties: Record<string, unknown> }[] } };
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        kind: string;
        message: { text: string };
        locations: { physicalLocation: { artifactLocation: { uri: string } }; logicalLocations: { fullyQualifiedName: string }[] }[];
        partialFingerprints: Record<string, string>;
        suppressions?: { kind: string; justification: string }[];
      }[];
      invocations: { executionSuccessful: boolean; toolExecutionNotifications: { descriptor: { id: string }; message: { text: string } }[] }[];
    }[];
  };

  it("validates against the SARIF 2.1.0 schema and meets GitHub code scanning's requirements", () => {
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    expect(githubSarifProblems(sarif)).toEqual([]);
    expect(sarif).toEqual(JSON.parse(JSON.stringify(log)));
  });

  it("the checks catch what GitHub rejects: no artifact location, undeclared rule, bad security-severity", () => {
    const broken = structuredClone(sarif);
    const run = broken.runs[0]!;
    delete (run.results[0]!.locations[0] as { physicalLocation?: unknown }).physicalLocation;
    run.results[1]!.ruleId = "not-a-rule";
    run.tool.driver.rules[0]!.properties["security-severity"] = "high";
    const problems = githubSarifProblems(broken);
    expect(problems).toContain("run 0 result 0: expected artifact location");
    expect(problems).toContain("run 0 result 1: ruleId not-a-rule not among the driver's rules");
    expect(problems.some((p) => p.includes("security-severity high"))).toBe(true);
    expect(sarifSchemaErrors({ ...sarif, version: "2.0.0" })).not.toEqual([]);
  });

  it("is SARIF 2.1.0 with rules from the catalog, security-severity and no invented informationUri", () => {
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toContain("sarif-2.1.0");
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe("s3-log-auditor");
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(CATALOG.map((m) => m.id));
    expect(run.tool.driver.rules[2]!.defaultConfiguration.level).toBe("error");
    expect(run.tool.driver.rules.map((r) => r.properties["security-severity"])).toEqual(["8.0", "5.5", "9.5"]);
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "package.json"), "utf8")) as { homepage?: string };
    expect(TOOL_HOMEPAGE).toBe(pkg.homepage);
    expect(run.tool.driver.informationUri).toBe(pkg.homepage);
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications).toHaveLength(1);
  });

  it("maps every finding to a result with ruleId, level, message, artifact location, the bucket ARN and its fingerprint", () => {
    const run = sarif.runs[0]!;
    expect(run.results).toHaveLength(report.findings.length);
    for (const [i, r] of run.results.entries()) {
      const f = report.findings[i]!;
      expect(r.ruleId).toBe(f.ruleId);
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(f.ruleId);
      expect(r.message.text).toBe(f.message);
      expect(r.locations[0]!.physicalLocation.artifactLocation.uri).toBe(`aws/${f.account}/${f.region}/${f.bucket}`);
      expect(r.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toBe(`arn:aws:s3:::${f.bucket}`);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toBe(f.fingerprint);
      const expected = { fail: ["fail", sarifLevel(f.severity)], muted: ["fail", sarifLevel(f.severity)], error: ["open", "none"], pass: ["pass", "none"] }[f.status];
      expect([r.kind, r.level]).toEqual(expected);
      expect(r.suppressions !== undefined).toBe(f.status === "muted");
    }
  });

  it("muted results carry a suppression whose justification is the exception's reason", () => {
    const muted = sarif.runs[0]!.results.filter((r) => r.suppressions);
    expect(muted).toHaveLength(1);
    expect(muted[0]!.suppressions).toEqual([
      { kind: "external", status: "accepted", justification: "archive bucket, logged by CloudTrail data events (owner: team-storage, expires 2027-01-31)" },
    ]);
    expect(muteJustification({ ...report.findings[0]!, mute: { source: "baseline" } })).toBe("accepted in the baseline");
  });

  it("encodes unusual characters in the artifact path", () => {
    expect(bucketArtifactUri("111111111111", "us-east-1", "a b%c")).toBe("aws/111111111111/us-east-1/a%20b%25c");
  });

  it("above the result limit keeps the most severe results and says so in a notification", () => {
    const big = sampleReport({ includePassed: true });
    const capped = buildSarif(big, CATALOG, 3);
    const run = capped.runs[0]!;
    expect(run.results!.map((r) => [r.ruleId, r.properties!.status])).toEqual([
      ["target-not-source", "fail"],
      ["delivery-permitted", "fail"],
      ["logging-enabled", "error"],
    ]);
    const note = run.invocations![0]!.toolExecutionNotifications!.find((n) => n.descriptor?.id === "results-truncated");
    expect(note?.message.text).toContain(`${big.findings.length - 3} of ${big.findings.length} results left out`);
    expect(sarifSchemaErrors(capped)).toEqual([]);
    expect(GITHUB_MAX_RESULTS).toBe(5000);
  });

  it("builds without a catalog entry for an unknown rule", () => {
    const s = buildSarif(report, []) as { runs: { results: { ruleIndex?: number }[] }[] };
    expect(s.runs[0]!.results.every((r) => r.ruleIndex === undefined)).toBe(true);
  });
});

describe("junit", () => {
  const report = withMuteReason(sampleReport({ includePassed: true }));
  const xml = renderJunit(report, CATALOG);

  it("validates against the Jenkins JUnit XSD", async () => {
    expect(await junitXsdErrors(xml)).toEqual([]);
  });

  it("the XSD check catches what Jenkins rejects (skipped on <testsuites>, a testsuite without tests)", async () => {
    expect(await junitXsdErrors(xml.replace("<testsuites ", '<testsuites skipped="1" '))).not.toEqual([]);
    expect(await junitXsdErrors(xml.replace(/(<testsuite name="[^"]*") tests="\d+"/, "$1"))).not.toEqual([]);
  });

  it("is well-formed XML with one testcase per finding plus collection errors, with time attributes", () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml) as {
      testsuites: { tests: string; failures: string; errors: string; skipped?: string; time: string; testsuite: { name: string; time: string; skipped: string; testcase: { time: string } | { time: string }[] }[] };
    };
    const ts = doc.testsuites;
    expect(Number(ts.tests)).toBe(report.findings.length + report.errors.length);
    expect(Number(ts.failures)).toBe(2);
    expect(Number(ts.errors)).toBe(2);
    expect(ts.skipped).toBeUndefined();
    expect(ts.time).toBe("4.000");
    expect(ts.testsuite.map((s) => s.name)).toEqual(["delivery-permitted", "logging-enabled", "target-not-source", "collection"]);
    expect(ts.testsuite.reduce((n, s) => n + Number(s.skipped), 0)).toBe(1);
    for (const s of ts.testsuite) {
      expect(s.time).toBe("0");
      for (const c of [s.testcase].flat()) expect(c.time).toBe("0");
    }
  });

  it("failures carry a type and a message; muted cases say why", () => {
    expect(xml).toMatch(/<failure message="loop-bucket logs into itself" type="critical">/);
    expect(xml).toContain('<skipped message="muted: archive bucket, logged by CloudTrail data events (owner: team-storage, expires 2027-01-31)" type="exception">');
  });

  it("escapes markup in messages", () => {
    expect(xml).toContain("&amp; &lt;friends&gt;");
    expect(xmlEscape(`a<b>&"'\u0001`)).toBe("a&lt;b&gt;&amp;&quot;&apos;");
  });
});

describe("csv", () => {
  const report = csvReport;
  const text = csvText;
  const rows = parseCsv<Record<string, string>>(text, { columns: true });

  it("has the documented header and one row per finding", () => {
    expect(text.split("\n")[0]).toBe(CSV_COLUMNS.map(([c]) => c).join(","));
    expect(rows).toHaveLength(report.findings.length);
    expect(rows.map((r) => r.fingerprint)).toEqual(report.findings.map((f) => f.fingerprint));
  });

  it("quotes commas, quotes and pipes correctly and fills rule title, doc link and the mute columns", () => {
    const delivery = rows.find((r) => r.rule_id === "delivery-permitted")!;
    expect(delivery.message).toBe(report.findings.find((f) => f.ruleId === "delivery-permitted")!.message);
    expect(delivery.rule_title).toBe("Title of delivery-permitted");
    expect(delivery.doc_url).toBe("https://docs.aws.amazon.com/delivery-permitted");
    const muted = rows.find((r) => r.status === "muted")!;
    expect([muted.mute_source, muted.mute_reason, muted.mute_owner, muted.mute_expires]).toEqual([
      "exception",
      "archive bucket, logged by CloudTrail data events",
      "team-storage",
      "2027-01-31",
    ]);
  });

  it("the README lists exactly these columns", () => {
    const section = readmeSection(readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8"), "formats");
    for (const [c, d] of CSV_COLUMNS) expect(section).toContain(`| \`${c}\` | ${d} |`);
  });

  it("defuses formulas and shows control characters", () => {
    expect(csvCell("=HYPERLINK(1)")).toBe("'=HYPERLINK(1)");
    expect(csvCell("@sum")).toBe("'@sum");
    expect(csvCell("a\u001b[31mb\nc")).toBe("a\\u001b[31mb\\u000ac");
    expect(CONTROL.test(text.replace(/\n/g, ""))).toBe(false);
  });
});

describe("markdown", () => {
  const md = renderMarkdown(sampleReport());
  it("has the summary, a findings table and the read errors, with cells escaped", () => {
    expect(md).toContain("# S3 server access logging report");
    expect(md).toContain("| status | severity | rule | account | region | bucket | message |");
    expect(md).toContain("## Could not read");
    expect(md).toContain("\\| pipes");
    expect(md.indexOf("target-not-source")).toBeLessThan(md.indexOf("delivery-permitted"));
    expect(mdCell("a|b\nc<d")).toBe("a\\|b c&lt;d");
  });
});

describe("json", () => {
  it("is the report, pretty-printed, without control characters", async () => {
    const report = sampleReport();
    const text = await renderReport(report, "json", { catalog: CATALOG, style: createStyle(true) });
    expect(JSON.parse(text)).toEqual(report);
    expect(text).not.toContain("\u001b");
  });
});

describe("formatFromExtension", () => {
  it.each([
    ["r.sarif", "sarif"],
    ["r.sarif.json", "sarif"],
    ["r.json", "json"],
    ["junit.xml", "junit"],
    ["REPORT.MD", "markdown"],
    ["findings.CSV", "csv"],
    ["map.htm", "html"],
    ["report", undefined],
    ["report.pdf", undefined],
  ])("names the format of an --output file by its extension, else nothing: %s → %s", (file, format) => {
    expect(formatFromExtension(file)).toBe(format);
  });
});

describe("jsonReportChunks", () => {
  it("is byte-identical to JSON.stringify(report, null, 2)", async () => {
    const { jsonReportChunks } = await import("../../src/output/json-stream.js");
    for (const r of [sampleReport(), sampleReport({ includePassed: true }), { ...sampleReport(), findings: [], buckets: [] }]) {
      expect([...jsonReportChunks(r, 0)].join("")).toBe(`${JSON.stringify(r, null, 2)}\n`);
      expect([...jsonReportChunks(r)].join("")).toBe(`${JSON.stringify(r, null, 2)}\n`);
    }
  });

  it("streams a large report in several batches, still byte-identical", async () => {
    const { jsonReportChunks } = await import("../../src/output/json-stream.js");
    const base = sampleReport({ includePassed: true });
    const findings = Array.from({ length: 4500 }, (_, i) => ({ ...base.findings[i % base.findings.length]!, message: `m${i} "q"\n` }));
    const buckets = Array.from({ length: 2001 }, (_, i) => ({ ...base.buckets[i % base.buckets.length]!, name: `b-${i}` }));
    const big = { ...base, findings, buckets };
    const chunks = [...jsonReportChunks(big, 0)];
    expect(chunks.length).toBeGreaterThan(6);
    expect(chunks.join("")).toBe(`${JSON.stringify(big, null, 2)}\n`);
    expect([...jsonReportChunks(big)].join("")).toBe(chunks.join(""));
  });
});
