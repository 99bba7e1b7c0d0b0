/** `--format markdown`: a report for pull-request comments, wikis and tickets. */
import { severityRank, type Finding } from "../model/finding.js";
import { describeException } from "./exceptions.js";
import type { Report } from "./report.js";
import { summaryLine } from "./summary.js";

/** Escapes text for one cell of a GitHub-flavoured markdown table. */
export function mdCell(s: string): string {
  return s.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\r?\n/g, " ").replace(/</g, "&lt;");
}

function code(s: string): string {
  return s === "" ? "" : `\`${s.replace(/`/g, "'")}\``;
}

function statusOrder(f: Finding): number {
  return f.status === "fail" ? severityRank(f.severity) : f.status === "error" ? 10 : f.status === "muted" ? 20 : 30;
}

/** `## Delivery` (--check-delivery): every logging source's state with its newest log object. */
function deliverySection(report: Report): string[] {
  const rows = report.buckets.filter((b) => b.delivery);
  if (rows.length === 0) return [];
  const out = ["## Delivery", "", "| state | account | region | bucket | newest log object | age | note |", "| --- | --- | --- | --- | --- | --- | --- |"];
  for (const b of rows) {
    const v = b.delivery!;
    const note = [
      v.state === "proven" && v.canaryFoundIn ? `canary ${v.canaryRequestId ?? ""} found` : "",
      v.pendingReason ?? "",
      v.error ? `${v.error.operation} ${v.error.code}` : "",
      v.truncated ? "listing bound reached" : "",
    ].filter(Boolean).join("; ");
    out.push(`| ${v.state} | ${code(b.account)} | ${b.region} | ${code(b.name)} | ${code(v.newestKey ?? "")} | ${v.newestAge ?? ""} | ${mdCell(note)} |`);
  }
  out.push("");
  return out;
}

/** The markdown report. */
export function renderMarkdown(report: Report): string {
  const s = report.summary;
  const out: string[] = [];
  out.push("# S3 server access logging report", "");
  out.push(
    `${report.tool.name} ${report.tool.version}, ${report.startedAt} → ${report.finishedAt}. ` +
      `Accounts: ${report.scope.accounts.map(code).join(", ") || "none"}. ` +
      `Regions: ${report.scope.regions.map(code).join(", ") || "none"}.` +
      (report.scope.shard ? ` Shard ${report.scope.shard.index}/${report.scope.shard.count}.` : ""),
    "",
  );
  out.push(`**${summaryLine(report)}**`, "");
  out.push("| status | count |", "| --- | ---: |");
  out.push(`| fail | ${s.status.fail} |`, `| error | ${s.status.error} |`, `| muted | ${s.status.muted} |`, `| pass | ${s.status.pass} |`);
  out.push("");

  out.push(...deliverySection(report));

  const shown = report.findings.slice().sort((a, b) => statusOrder(a) - statusOrder(b));
  out.push("## Findings", "");
  if (shown.length === 0) out.push("No findings.", "");
  else {
    out.push("| status | severity | rule | account | region | bucket | message |", "| --- | --- | --- | --- | --- | --- | --- |");
    for (const f of shown) {
      out.push(
        `| ${f.status} | ${f.severity} | ${code(f.ruleId)} | ${code(f.account)} | ${f.region} | ${code(f.bucket)} | ${mdCell(f.message)} |`,
      );
    }
    out.push("");
  }

  if (report.errors.length > 0) {
    out.push("## Could not read", "");
    out.push("| account | region | bucket | operation | code | message |", "| --- | --- | --- | --- | --- | --- |");
    for (const e of report.errors) {
      out.push(
        `| ${code(e.account)} | ${e.region ?? ""} | ${code(e.bucket ?? "")} | ${e.operation} | ${code(e.code)} | ${mdCell(e.message)} |`,
      );
    }
    out.push("");
  }
  const ex = report.exceptions;
  if (ex && ex.expired.length + ex.unused.length > 0) {
    out.push("## Exceptions to review", "");
    out.push("| state | exception | expires | reason |", "| --- | --- | --- | --- |");
    for (const [state, list] of [["expired: no longer mutes", ex.expired], ["unused: matched no finding", ex.unused]] as const) {
      for (const e of list) out.push(`| ${state} | ${code(describeException(e))} | ${e.expires ?? ""} | ${mdCell(e.reason)} |`);
    }
    out.push("");
  }
  return `${out.join("\n")}`;
}
