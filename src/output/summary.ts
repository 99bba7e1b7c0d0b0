/** One-line human summaries of a report, shared by the table, markdown and the CLI footer. */
import { SEVERITIES } from "../model/finding.js";
import type { Report } from "./report.js";

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** e.g. "5 failing (1 critical, 2 high, 2 medium)" or "0 failing". */
export function failingText(report: Pick<Report, "summary">): string {
  const s = report.summary;
  const parts = SEVERITIES.filter((sev) => s.failBySeverity[sev] > 0).map((sev) => `${s.failBySeverity[sev]} ${sev}`);
  return `${s.status.fail} failing${parts.length ? ` (${parts.join(", ")})` : ""}`;
}

/**
 * e.g. "24 buckets in 3 accounts: 5 failing (1 critical, 4 high), 1 muted, 2 errors, 150 passed;
 * incomplete (2 read errors)".
 */
export function summaryLine(report: Pick<Report, "summary" | "errors">): string {
  const s = report.summary;
  const head = `${plural(s.buckets, "bucket")} in ${plural(s.accounts, "account")}`;
  const parts = [failingText(report)];
  if (s.status.muted) parts.push(`${s.status.muted} muted`);
  if (s.status.error) parts.push(plural(s.status.error, "error"));
  parts.push(`${s.status.pass} passed`);
  const tail = s.complete ? "complete" : `incomplete (${plural(report.errors.length, "read error")})`;
  return `${head}: ${parts.join(", ")}; ${tail}`;
}
