/**
 * `--format csv`: one finding per row, for spreadsheets and ticket imports. RFC 4180 quoting by
 * csv-stringify; a header row with the documented columns (CSV_COLUMNS). Control characters in
 * AWS data are shown as `\uXXXX`, and cells that a spreadsheet would run as a formula (starting
 * with = + - @ or a tab) get a leading apostrophe (OWASP's advice against CSV injection).
 */
import { findingsWithDelivery } from "./delivery.js";
import { stringify } from "csv-stringify/sync";
import type { RuleMeta } from "../engine/define-rule.js";
import type { Finding } from "../model/finding.js";
import type { Report } from "./report.js";
import { escapeControl } from "../base/text.js";

/** The columns, in order, with what each holds (the README lists them from here). */
export const CSV_COLUMNS = [
  ["status", "fail, error, muted (pass with --include-passed)"],
  ["severity", "critical, high, medium, low or info"],
  ["rule_id", "the rule's id (see `s3-log-auditor rules`)"],
  ["rule_title", "the rule's title"],
  ["account", "12-digit account id"],
  ["account_name", "the account's name in AWS Organizations, when known"],
  ["region", "the bucket's Region"],
  ["bucket", "the bucket's name"],
  ["message", "what is wrong, in one sentence"],
  ["fixable", "true when `fix` proposes an automatic repair"],
  ["fingerprint", "stable id of rule + account + bucket (baselines and exceptions match it)"],
  ["mute_source", "baseline or exception, on muted rows"],
  ["mute_reason", "the reason given with that baseline entry or exception"],
  ["mute_owner", "the exception's owner"],
  ["mute_expires", "the date after which the exception no longer mutes"],
  ["doc_url", "the AWS documentation of the rule"],
] as const;

/** A cell as text: control characters visible, formula-looking text defused. */
export function csvCell(s: string): string {
  const v = escapeControl(s);
  return /^[=+\-@\t\r]/.test(s) ? `'${v}` : v;
}

function row(f: Finding, meta: RuleMeta | undefined, accountName: string | undefined): string[] {
  return [
    f.status,
    f.severity,
    f.ruleId,
    meta?.title ?? "",
    f.account,
    accountName ?? "",
    f.region,
    f.bucket,
    f.message,
    String(f.fixable),
    f.fingerprint,
    f.mute?.source ?? "",
    f.mute?.reason ?? "",
    f.mute?.owner ?? "",
    f.mute?.expires ?? "",
    meta?.docUrl ?? "",
  ].map(csvCell);
}

/** The CSV text of a report's findings (header row first). */
export function renderCsv(report: Report, catalog: readonly RuleMeta[]): string {
  const metas = new Map(catalog.map((m) => [m.id, m]));
  const names = report.scope.accountNames ?? {};
  const records = [CSV_COLUMNS.map(([name]) => name as string)];
  for (const f of findingsWithDelivery(report, catalog)) records.push(row(f, metas.get(f.ruleId), names[f.account]));
  return stringify(records, { record_delimiter: "unix" });
}
