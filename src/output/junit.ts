/**
 * `--format junit`: JUnit XML for CI test-report views. One `<testsuite>` per rule, one
 * `<testcase>` per finding (rule × bucket): `fail` → `<failure>`, `error` → `<error>`,
 * `muted` → `<skipped>` (with the exception's reason), `pass` (with --include-passed) → an empty
 * testcase (a passing delivery state of --check-delivery: with its state in `<system-out>`). Collection errors that belong to no finding go into a final `collection` suite as
 * `<error>`s. Valid against the Jenkins JUnit XSD: `<testsuites>` carries no `skipped` (the
 * suites do), every element has a `time` (the scan's duration on `<testsuites>`; rules are not
 * timed one by one, so suites and cases say 0).
 */
import type { Finding } from "../model/finding.js";
import type { RuleMeta } from "../engine/define-rule.js";
import type { Report } from "./report.js";
import { muteJustification } from "./mute.js";
import { findingsWithDelivery } from "./delivery.js";

/** Escapes text for XML content and attribute values; drops characters XML 1.0 forbids. */
export function xmlEscape(s: string): string {
  return s
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, "")
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&apos;");
}

function attrs(a: Record<string, string | number>): string {
  return Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join("");
}

function testcase(f: Finding): string {
  const head = `    <testcase${attrs({ name: `${f.ruleId} ${f.bucket}`, classname: `${f.account}.${f.region}.${f.bucket}`, time: "0" })}`;
  const body = `${f.message}\nrule: ${f.ruleId}\nseverity: ${f.severity}\naccount: ${f.account}\nregion: ${f.region}\nbucket: ${f.bucket}\nfingerprint: ${f.fingerprint}`;
  switch (f.status) {
    case "fail":
      return `${head}>\n      <failure${attrs({ message: f.message, type: f.severity })}>${xmlEscape(body)}</failure>\n    </testcase>`;
    case "error":
      return `${head}>\n      <error${attrs({ message: f.message, type: "cannot-evaluate" })}>${xmlEscape(body)}</error>\n    </testcase>`;
    case "muted":
      return `${head}>\n      <skipped${attrs({ message: `muted: ${muteJustification(f)}`, type: f.mute?.source ?? "muted" })}>${xmlEscape(body)}</skipped>\n    </testcase>`;
    default:
      // A passing delivery state (--check-delivery) says which: delivered, proven or pending, and the newest key.
      return typeof f.details.delivery === "string" ? `${head}>\n      <system-out>${xmlEscape(f.message)}</system-out>\n    </testcase>` : `${head}/>`;
  }
}

/** The scan's wall time in seconds (3 decimals), from the report's timestamps. */
function scanSeconds(report: Report): string {
  const ms = Date.parse(report.finishedAt) - Date.parse(report.startedAt);
  return Number.isFinite(ms) && ms > 0 ? (ms / 1000).toFixed(3) : "0";
}

/** The JUnit XML document of a report. */
export function renderJunit(report: Report, catalog: readonly RuleMeta[]): string {
  const byRule = new Map<string, Finding[]>();
  for (const id of report.scope.rules) byRule.set(id, []);
  for (const f of findingsWithDelivery(report, catalog)) {
    const list = byRule.get(f.ruleId);
    if (list) list.push(f);
    else byRule.set(f.ruleId, [f]);
  }
  const titles = new Map(catalog.map((m) => [m.id, m.title]));
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  for (const [ruleId, findings] of [...byRule].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const n = { failures: 0, errors: 0, skipped: 0 };
    for (const f of findings) {
      if (f.status === "fail") n.failures++;
      else if (f.status === "error") n.errors++;
      else if (f.status === "muted") n.skipped++;
    }
    tests += findings.length;
    failures += n.failures;
    errors += n.errors;
    const props = titles.has(ruleId)
      ? `    <properties>\n      <property${attrs({ name: "title", value: titles.get(ruleId)! })}/>\n    </properties>\n`
      : "";
    suites.push(
      `  <testsuite${attrs({ name: ruleId, tests: findings.length, ...n, time: "0", timestamp: report.startedAt })}>\n` +
        props +
        findings.map((f) => `${testcase(f)}\n`).join("") +
        `  </testsuite>`,
    );
  }
  if (report.errors.length > 0) {
    tests += report.errors.length;
    errors += report.errors.length;
    const cases = report.errors.map((e) => {
      const where = [e.account, e.region, e.bucket].filter(Boolean).join(".");
      return (
        `    <testcase${attrs({ name: `${e.operation} ${where}`, classname: where, time: "0" })}>\n` +
        `      <error${attrs({ message: `${e.operation}: ${e.code}`, type: e.code })}>${xmlEscape(e.message)}</error>\n` +
        `    </testcase>\n`
      );
    });
    suites.push(
      `  <testsuite${attrs({ name: "collection", tests: report.errors.length, failures: 0, errors: report.errors.length, skipped: 0, time: "0", timestamp: report.startedAt })}>\n` +
        cases.join("") +
        `  </testsuite>`,
    );
  }
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<testsuites${attrs({ name: report.tool.name, tests, failures, errors, time: scanSeconds(report) })}>\n` +
    suites.map((s) => `${s}\n`).join("") +
    `</testsuites>\n`
  );
}
