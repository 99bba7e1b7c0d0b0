/**
 * `--format sarif`: SARIF 2.1.0 (OASIS), for code-scanning dashboards. One run; the driver's
 * rules come from the catalog metadata; each finding is a result with the bucket ARN as its
 * logical location and the finding fingerprint as a partial fingerprint. Muted findings carry
 * an external suppression; error results are `kind: "open"` (could not be decided) and passes
 * (with --include-passed) `kind: "pass"`. Collection errors become tool notifications.
 */
import type { Finding, Severity } from "../model/finding.js";
import type { RuleMeta } from "../engine/define-rule.js";
import type { Report } from "./report.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "s3LogAuditorFinding/v1";

type Level = "error" | "warning" | "note" | "none";

export function sarifLevel(sev: Severity): Level {
  return sev === "critical" || sev === "high" ? "error" : sev === "medium" ? "warning" : "note";
}

/** GitHub code scanning reads `security-severity` (0–10) to rank security results. */
const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};

export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

function pascal(id: string): string {
  return id
    .split("-")
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join("");
}

function result(f: Finding, ruleIndex: Map<string, number>, partition: string): Record<string, unknown> {
  const arn = bucketArn(partition, f.bucket);
  const r: Record<string, unknown> = {
    ruleId: f.ruleId,
    level: f.status === "fail" || f.status === "muted" ? sarifLevel(f.severity) : "none",
    kind: f.status === "pass" ? "pass" : f.status === "error" ? "open" : "fail",
    message: { text: f.message },
    locations: [
      {
        logicalLocations: [{ name: f.bucket, fullyQualifiedName: arn, kind: "resource" }],
        message: { text: `account ${f.account}, Region ${f.region}` },
      },
    ],
    partialFingerprints: { [FINGERPRINT_KEY]: f.fingerprint },
    properties: {
      status: f.status,
      severity: f.severity,
      account: f.account,
      region: f.region,
      bucket: f.bucket,
      fixable: f.fixable,
      details: f.details,
    },
  };
  const idx = ruleIndex.get(f.ruleId);
  if (idx !== undefined) r.ruleIndex = idx;
  if (f.status === "muted") r.suppressions = [{ kind: "external", status: "accepted", justification: "covered by the baseline" }];
  return r;
}

export function buildSarif(report: Report, catalog: readonly RuleMeta[]): Record<string, unknown> {
  const used = new Set(report.scope.rules);
  for (const f of report.findings) used.add(f.ruleId);
  const metas = catalog.filter((m) => used.has(m.id));
  const ruleIndex = new Map(metas.map((m, i) => [m.id, i]));
  const sentence = (t: string) => t.trim().replace(/\.+$/, "");
  const rules = metas.map((m) => ({
    id: m.id,
    name: pascal(m.id),
    shortDescription: { text: m.title },
    fullDescription: { text: m.rationale },
    help: {
      text: `Fails when ${sentence(m.failsWhen)}. Fix: ${sentence(m.fix)}.`,
      markdown: `**Fails when** ${sentence(m.failsWhen)}.\n\n**Fix:** ${sentence(m.fix)}.\n\n[AWS documentation](${m.docUrl})`,
    },
    helpUri: m.docUrl,
    defaultConfiguration: { level: sarifLevel(m.severity) },
    properties: {
      severity: m.severity,
      "security-severity": SECURITY_SEVERITY[m.severity],
      tags: ["security", "logging", "s3"],
      fixable: m.fixable,
    },
  }));
  return {
    $schema: SARIF_SCHEMA,
    version: "2.1.0",
    runs: [
      {
        tool: {
          driver: {
            name: report.tool.name,
            version: report.tool.version,
            semanticVersion: report.tool.version,
            informationUri: "https://github.com/s3-log-auditor/s3-log-auditor",
            rules,
          },
        },
        invocations: [
          {
            executionSuccessful: report.summary.complete,
            startTimeUtc: report.startedAt,
            endTimeUtc: report.finishedAt,
            toolExecutionNotifications: report.errors.map((e) => ({
              level: "error",
              message: {
                text: `${[e.account, e.region, e.bucket].filter(Boolean).join(" ")}: ${e.operation} failed with ${e.code}: ${e.message}`,
              },
              descriptor: { id: e.code },
              properties: { ...e },
            })),
          },
        ],
        automationDetails: report.scope.shard
          ? { id: `s3-log-auditor/shard-${report.scope.shard.index}-of-${report.scope.shard.count}` }
          : { id: "s3-log-auditor/scan" },
        results: report.findings.map((f) => result(f, ruleIndex, report.scope.partition)),
        properties: { summary: report.summary, scope: report.scope },
      },
    ],
  };
}

export function renderSarif(report: Report, catalog: readonly RuleMeta[]): string {
  return `${JSON.stringify(buildSarif(report, catalog), null, 2)}\n`;
}
