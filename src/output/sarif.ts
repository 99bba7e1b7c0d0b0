/**
 * `--format sarif`: SARIF 2.1.0 (OASIS), shaped for GitHub code scanning. One run; the driver's
 * rules come from the catalog metadata (with `security-severity`); each finding is a result whose
 * location is a stable relative pseudo-path `aws/<account>/<region>/<bucket>` (GitHub rejects
 * results without an artifact location) next to the bucket ARN as a logical location, with the
 * finding fingerprint as a partial fingerprint. Muted findings carry an external suppression
 * whose justification is the reason of the exception or baseline entry; error results are
 * `kind: "open"` (could not be decided) and passes (with --include-passed) `kind: "pass"`; with
 * --check-delivery every passing delivery state is a `kind: "pass"` result of logs-delivered.
 * Collection errors become tool notifications. Above GitHub's per-run limit the most severe
 * results are kept and a notification says how many were left out.
 */
import type { Log, Notification, ReportingDescriptor, Result, Run } from "sarif";
import { safeJsonStringify } from "../base/text.js";
import type { Finding, Severity } from "../model/finding.js";
import { severityRank } from "../model/finding.js";
import type { RuleMeta } from "../engine/define-rule.js";
import { TOOL_HOMEPAGE } from "../base/identity.js";
import { muteJustification } from "./mute.js";
import { findingsWithDelivery } from "./delivery.js";
import type { Report } from "./report.js";

export const SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
export const FINGERPRINT_KEY = "s3LogAuditorFinding/v1";
/**
 * GitHub code scanning stores at most 5,000 results of a run (and rejects runs above 25,000):
 * we keep the 5,000 most important ourselves instead of letting the upload drop arbitrary ones.
 */
export const GITHUB_MAX_RESULTS = 5000;

type Level = "error" | "warning" | "note" | "none";

/** The SARIF level of a severity: critical/high → error, medium → warning, low/info → note. */
export function sarifLevel(sev: Severity): Level {
  return sev === "critical" || sev === "high" ? "error" : sev === "medium" ? "warning" : "note";
}

/** GitHub code scanning reads `security-severity` (0.0–10.0, as a string) to rank security results. */
export const SECURITY_SEVERITY: Record<Severity, string> = {
  critical: "9.5",
  high: "8.0",
  medium: "5.5",
  low: "3.0",
  info: "1.0",
};

/** The bucket's ARN in the scanned partition. */
export function bucketArn(partition: string, bucket: string): string {
  return `arn:${partition}:s3:::${bucket}`;
}

/** The stable relative pseudo-path of a bucket, used as the result's artifact location. */
export function bucketArtifactUri(account: string, region: string, bucket: string): string {
  return ["aws", account, region, bucket].map(encodeURIComponent).join("/");
}

function pascal(id: string): string {
  return id
    .split("-")
    .map((w) => (w ? w[0]!.toUpperCase() + w.slice(1) : w))
    .join("");
}

function result(f: Finding, ruleIndex: Map<string, number>, partition: string): Result {
  const r: Result = {
    ruleId: f.ruleId,
    level: f.status === "fail" || f.status === "muted" ? sarifLevel(f.severity) : "none",
    kind: f.status === "pass" ? "pass" : f.status === "error" ? "open" : "fail",
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: bucketArtifactUri(f.account, f.region, f.bucket) },
          region: { startLine: 1 },
        },
        logicalLocations: [{ name: f.bucket, fullyQualifiedName: bucketArn(partition, f.bucket), kind: "resource" }],
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
      ...(f.mute ? { mute: f.mute } : {}),
    },
  };
  const idx = ruleIndex.get(f.ruleId);
  if (idx !== undefined) r.ruleIndex = idx;
  if (f.status === "muted") r.suppressions = [{ kind: "external", status: "accepted", justification: muteJustification(f) }];
  return r;
}

/** Importance for truncation: failing by severity, then errors, then muted, then passes. */
function importance(f: Finding): number {
  const base = f.status === "fail" ? 0 : f.status === "error" ? 10 : f.status === "muted" ? 20 : 30;
  return base + severityRank(f.severity);
}

/**
 * The findings to put in the run: all of them up to `limit`, else the `limit` most important
 * (kept in report order).
 */
export function selectResults(findings: readonly Finding[], limit: number): Finding[] {
  if (findings.length <= limit) return findings.slice();
  const ranked = findings.map((f, i) => ({ f, i })).sort((a, b) => importance(a.f) - importance(b.f) || a.i - b.i);
  return ranked
    .slice(0, limit)
    .sort((a, b) => a.i - b.i)
    .map((x) => x.f);
}

function ruleDescriptor(m: RuleMeta): ReportingDescriptor {
  const sentence = (t: string) => t.trim().replace(/\.+$/, "");
  return {
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
  };
}

function notifications(report: Report, kept: number, total: number): Notification[] {
  const out: Notification[] = report.errors.map((e) => ({
    level: "error",
    message: {
      text: `${[e.account, e.region, e.bucket].filter(Boolean).join(" ")}: ${e.operation} failed with ${e.code}: ${e.message}`,
    },
    descriptor: { id: e.code },
    properties: { ...e },
  }));
  if (kept < total) {
    out.push({
      level: "warning",
      message: {
        text: `${total - kept} of ${total} results left out: GitHub code scanning keeps at most ${GITHUB_MAX_RESULTS} results per run, so this file holds the ${kept} most severe (the JSON report has all of them)`,
      },
      descriptor: { id: "results-truncated" },
      properties: { total, kept, limit: GITHUB_MAX_RESULTS },
    });
  }
  return out;
}

/** The SARIF log of a report; `maxResults` defaults to GitHub's limit. */
export function buildSarif(report: Report, catalog: readonly RuleMeta[], maxResults = GITHUB_MAX_RESULTS): Log {
  const used = new Set(report.scope.rules);
  for (const f of report.findings) used.add(f.ruleId);
  const metas = catalog.filter((m) => used.has(m.id));
  const ruleIndex = new Map(metas.map((m, i) => [m.id, i]));
  const all = findingsWithDelivery(report, catalog);
  const kept = selectResults(all, maxResults);
  const run: Run = {
    tool: {
      driver: {
        name: report.tool.name,
        version: report.tool.version,
        semanticVersion: report.tool.version,
        ...(TOOL_HOMEPAGE ? { informationUri: TOOL_HOMEPAGE } : {}),
        rules: metas.map(ruleDescriptor),
      },
    },
    invocations: [
      {
        executionSuccessful: report.summary.complete,
        startTimeUtc: report.startedAt,
        endTimeUtc: report.finishedAt,
        toolExecutionNotifications: notifications(report, kept.length, all.length),
      },
    ],
    automationDetails: report.scope.shard
      ? { id: `s3-log-auditor/shard-${report.scope.shard.index}-of-${report.scope.shard.count}/` }
      : { id: "s3-log-auditor/scan/" },
    results: kept.map((f) => result(f, ruleIndex, report.scope.partition)),
    properties: { summary: report.summary, scope: report.scope },
  };
  return { $schema: SARIF_SCHEMA, version: "2.1.0", runs: [run] };
}

/** The SARIF log as pretty-printed JSON text. */
export function renderSarif(report: Report, catalog: readonly RuleMeta[]): string {
  return `${safeJsonStringify(buildSarif(report, catalog), 2)}\n`;
}
