import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import type { RuleMeta } from "../../src/engine/define-rule.js";
import { defaultFormat, renderReport } from "../../src/output/format.js";
import { renderJunit, xmlEscape } from "../../src/output/junit.js";
import { mdCell, renderMarkdown } from "../../src/output/markdown.js";
import { FINGERPRINT_KEY, buildSarif, sarifLevel } from "../../src/output/sarif.js";
import { createStyle, stripControl, wrapText } from "../../src/output/style.js";
import { summaryLine } from "../../src/output/summary.js";
import { renderTable } from "../../src/output/table.js";
import { A1, A2, sampleReport } from "./fixtures.js";

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

describe("sarif", () => {
  const report = sampleReport({ includePassed: true });
  const sarif = JSON.parse(renderReport(report, "sarif", { catalog: CATALOG })) as {
    $schema: string;
    version: string;
    runs: {
      tool: { driver: { name: string; rules: { id: string; defaultConfiguration: { level: string }; helpUri: string }[] } };
      results: {
        ruleId: string;
        ruleIndex: number;
        level: string;
        kind: string;
        message: { text: string };
        locations: { logicalLocations: { fullyQualifiedName: string }[] }[];
        partialFingerprints: Record<string, string>;
        suppressions?: unknown[];
      }[];
      invocations: { executionSuccessful: boolean; toolExecutionNotifications: unknown[] }[];
    }[];
  };

  it("is SARIF 2.1.0 with rules from the catalog", () => {
    expect(sarif.version).toBe("2.1.0");
    expect(sarif.$schema).toContain("sarif-2.1.0");
    const run = sarif.runs[0]!;
    expect(run.tool.driver.name).toBe("s3-log-auditor");
    expect(run.tool.driver.rules.map((r) => r.id)).toEqual(CATALOG.map((m) => m.id));
    expect(run.tool.driver.rules[2]!.defaultConfiguration.level).toBe("error");
    expect(run.invocations[0]!.executionSuccessful).toBe(false);
    expect(run.invocations[0]!.toolExecutionNotifications).toHaveLength(1);
  });

  it("maps every finding to a result with ruleId, level, message, the bucket ARN and its fingerprint", () => {
    const run = sarif.runs[0]!;
    expect(run.results).toHaveLength(report.findings.length);
    for (const [i, r] of run.results.entries()) {
      const f = report.findings[i]!;
      expect(r.ruleId).toBe(f.ruleId);
      expect(run.tool.driver.rules[r.ruleIndex]!.id).toBe(f.ruleId);
      expect(r.message.text).toBe(f.message);
      expect(r.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toBe(`arn:aws:s3:::${f.bucket}`);
      expect(r.partialFingerprints[FINGERPRINT_KEY]).toBe(f.fingerprint);
      const expected = { fail: ["fail", sarifLevel(f.severity)], muted: ["fail", sarifLevel(f.severity)], error: ["open", "none"], pass: ["pass", "none"] }[f.status];
      expect([r.kind, r.level]).toEqual(expected);
      expect(r.suppressions !== undefined).toBe(f.status === "muted");
    }
  });

  it("builds without a catalog entry for an unknown rule", () => {
    const s = buildSarif(report, []) as { runs: { results: { ruleIndex?: number }[] }[] };
    expect(s.runs[0]!.results.every((r) => r.ruleIndex === undefined)).toBe(true);
  });
});

describe("junit", () => {
  const report = sampleReport({ includePassed: true });
  const xml = renderJunit(report, CATALOG);

  it("is well-formed XML with one testcase per finding plus collection errors", () => {
    expect(XMLValidator.validate(xml)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml) as {
      testsuites: { tests: string; failures: string; errors: string; skipped: string; testsuite: { name: string; testcase: unknown }[] };
    };
    const ts = doc.testsuites;
    expect(Number(ts.tests)).toBe(report.findings.length + report.errors.length);
    expect(Number(ts.failures)).toBe(2);
    expect(Number(ts.errors)).toBe(2);
    expect(Number(ts.skipped)).toBe(1);
    expect(ts.testsuite.map((s) => s.name)).toEqual(["delivery-permitted", "logging-enabled", "target-not-source", "collection"]);
  });

  it("escapes markup in messages", () => {
    expect(xml).toContain("&amp; &lt;friends&gt;");
    expect(xmlEscape(`a<b>&"'\u0001`)).toBe("a&lt;b&gt;&amp;&quot;&apos;");
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
  it("is the report, pretty-printed, without control characters", () => {
    const report = sampleReport();
    const text = renderReport(report, "json", { catalog: CATALOG, style: createStyle(true) });
    expect(JSON.parse(text)).toEqual(report);
    expect(text).not.toContain("\u001b");
  });
});

describe("defaultFormat", () => {
  it("uses the --output extension, else table on a terminal, else json", () => {
    expect(defaultFormat("r.sarif", false)).toBe("sarif");
    expect(defaultFormat("r.sarif.json", true)).toBe("sarif");
    expect(defaultFormat("r.json", true)).toBe("json");
    expect(defaultFormat("junit.xml", true)).toBe("junit");
    expect(defaultFormat("REPORT.MD", true)).toBe("markdown");
    expect(defaultFormat("report", true)).toBe("json");
    expect(defaultFormat(undefined, true)).toBe("table");
    expect(defaultFormat(undefined, false)).toBe("json");
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
