/**
 * `logs summarize` output: a terminal report (with an hourly histogram drawn in text), Markdown,
 * or the plain JSON. Every value from log data goes through `escapeControl`.
 */
import type { Style } from "../output/style.js";
import { escapeControl, shortRequester } from "./render.js";
import type { Deletion, Ranked, ScopeSummary } from "./summarize.js";
import type { ReadTotals } from "./read.js";

export interface SummaryReport {
  totals: Omit<ReadTotals, "failures">;
  failures: ReadTotals["failures"];
  overall: ScopeSummary;
  buckets: Record<string, ScopeSummary>;
}

const e = escapeControl;

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}

function who(v: string): string {
  return v === "-" ? "anonymous" : e(shortRequester(v));
}

/** `REQUESTER (TLSv1.1)` with the requester shortened. */
function withTls(v: string): string {
  const i = v.lastIndexOf(" (");
  return i < 0 ? who(v) : `${who(v.slice(0, i))}${e(v.slice(i))}`;
}

function rankedLines(items: Ranked[], label: (v: string) => string = e, unit = ""): string[] {
  if (items.length === 0) return ["    (none)"];
  const w = Math.max(...items.map((i) => String(i.count).length));
  return items.map((i) => `    ${String(i.count).padStart(w)}${unit}  ${label(i.value)}`);
}

/** Hourly bars (up to 72 hours), else the profile by hour of day. */
export function histogram(hourly: Record<string, number>, width = 40): string[] {
  const entries = Object.entries(hourly);
  if (entries.length === 0) return ["    (no timed records)"];
  const first = Date.parse(entries[0]?.[0] ?? "");
  const last = Date.parse(entries[entries.length - 1]?.[0] ?? "");
  const hours = Math.round((last - first) / 3_600_000) + 1;
  let rows: [string, number][];
  let title: string;
  if (hours <= 72) {
    title = "requests per hour (UTC)";
    rows = [];
    for (let i = 0; i < hours; i++) {
      const k = new Date(first + i * 3_600_000).toISOString().slice(0, 13);
      rows.push([`${k.slice(5, 10)} ${k.slice(11, 13)}h`, hourly[`${k}:00Z`] ?? 0]);
    }
  } else {
    title = `requests by hour of day (UTC), over ${Math.round(hours / 24)} days`;
    const byHour = new Array<number>(24).fill(0);
    for (const [k, v] of entries) byHour[Number(k.slice(11, 13))] = (byHour[Number(k.slice(11, 13))] ?? 0) + v;
    rows = byHour.map((v, h) => [`${String(h).padStart(2, "0")}h`, v]);
  }
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const cw = Math.max(...rows.map((r) => String(r[1]).length));
  const out = [`  ${title}`];
  for (let i = 0; i < rows.length; i++) {
    // a run of four or more quiet hours is one line
    let j = i;
    while (j < rows.length && (rows[j] as [string, number])[1] === 0) j++;
    if (j - i >= 4) {
      out.push(`    ${(rows[i] as [string, number])[0]} … ${(rows[j - 1] as [string, number])[0]}: no requests`);
      i = j - 1;
      continue;
    }
    const [label, v] = rows[i] as [string, number];
    const n = v === 0 ? 0 : Math.max(1, Math.round((v / max) * width));
    out.push(`    ${label} ${String(v).padStart(cw)} ${"█".repeat(n)}`.trimEnd());
  }
  return out;
}

function deletionLine(d: Deletion): string {
  return `    ${d.time ?? "-"}  ${e(d.operation)}  ${e(d.bucket ?? "-")}/${e(d.key ?? "-")}  by ${who(d.requester ?? "-")}`;
}

function scopeLines(s: ScopeSummary, st: Style, full: boolean): string[] {
  const out: string[] = [];
  const h = (t: string) => out.push(st.bold(`  ${t}`));
  out.push(`  ${s.records} records, ${s.timeRange.first ?? "-"} … ${s.timeRange.last ?? "-"}`);
  out.push(
    `  status: ${Object.entries(s.statusClasses)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}   bytes sent: ${bytes(s.bytesSent.total)}`,
  );
  out.push(
    `  requesters: ${Object.entries(s.requesterKinds)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}`,
  );
  h("operations");
  out.push(...rankedLines(s.operations));
  h("requesters");
  out.push(...rankedLines(s.requesters, who));
  if (full) {
    h("remote IPs");
    out.push(...rankedLines(s.remoteIps));
  }
  h("error codes");
  out.push(...rankedLines(s.errorCodes));
  h(`403 Forbidden: ${s.forbidden.total}, by requester`);
  if (s.forbidden.total) out.push(...rankedLines(s.forbidden.byRequester, who));
  h(`deletions: ${s.deletions.total}`);
  if (s.deletions.total) {
    out.push(...rankedLines(s.deletions.byRequester, who));
    out.push("    latest:");
    out.push(...s.deletions.latest.map(deletionLine));
  }
  h(`anonymous requests: ${s.anonymous.total}`);
  if (s.anonymous.total) out.push(...rankedLines(s.anonymous.byOperation));
  h(`SigV2 (deprecated) requests: ${s.sigv2.total}`);
  if (s.sigv2.total) out.push(...rankedLines(s.sigv2.byRequester, who));
  h(`TLS below 1.2: ${s.tlsBelow12.total}`);
  if (s.tlsBelow12.total) out.push(...rankedLines(s.tlsBelow12.byRequester, withTls));
  if (full) {
    h("bytes sent by remote IP");
    out.push(...rankedLines(s.bytesSent.byRemoteIp, e));
    out.push(...histogram(s.hourly));
  }
  return out;
}

function totalsLine(r: SummaryReport): string {
  const t = r.totals;
  const parts = [`${t.inputs} log objects/files`, `${bytes(t.bytes)}`, `${t.records} records`];
  if (t.matched !== t.records) parts.push(`${t.matched} matched the filters`);
  if (t.rejected) parts.push(`${t.rejected} lines rejected`);
  if (t.skippedByTime) parts.push(`${t.skippedByTime} objects skipped by key time`);
  if (r.failures.length) parts.push(`${r.failures.length} could not be read`);
  return parts.join(", ");
}

/** The terminal report. */
export function renderSummaryTable(r: SummaryReport, st: Style): string {
  const out: string[] = [st.bold("S3 server access logs: summary"), `  ${totalsLine(r)}`, ""];
  out.push(st.bold("All buckets"), ...scopeLines(r.overall, st, true), "");
  const names = Object.keys(r.buckets);
  if (names.length > 1) {
    for (const name of names) out.push(st.bold(`Bucket ${e(name)}`), ...scopeLines(r.buckets[name] as ScopeSummary, st, false), "");
  }
  for (const f of r.failures) out.push(st.red(`  could not read ${e(f.source)}: ${f.operation ? `${f.operation}: ` : ""}${e(f.code ?? "")} ${e(f.message)}`));
  return `${out.join("\n").trimEnd()}\n`;
}

function mdRanked(title: string, items: Ranked[], label: (v: string) => string = e): string[] {
  if (items.length === 0) return [];
  return [`| ${title} | count |`, "|---|---:|", ...items.map((i) => `| ${mdCell(label(i.value))} | ${i.count} |`), ""];
}

function mdCell(s: string): string {
  return s.replace(/\|/g, "\\|");
}

function mdScope(s: ScopeSummary): string[] {
  return [
    `- **${s.records}** records, ${s.timeRange.first ?? "-"} … ${s.timeRange.last ?? "-"}`,
    `- status classes: ${Object.entries(s.statusClasses)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ")}; bytes sent: ${bytes(s.bytesSent.total)}`,
    `- 403s: ${s.forbidden.total}; deletions: ${s.deletions.total}; anonymous: ${s.anonymous.total}; SigV2: ${s.sigv2.total}; TLS < 1.2: ${s.tlsBelow12.total}`,
    "",
    ...mdRanked("operation", s.operations),
    ...mdRanked("requester", s.requesters, who),
    ...mdRanked("remote IP", s.remoteIps),
    ...mdRanked("error code", s.errorCodes),
    ...mdRanked("403 by requester", s.forbidden.byRequester, who),
    ...mdRanked("deletions by requester", s.deletions.byRequester, who),
    ...(s.deletions.latest.length
      ? [
          "| time | operation | object | requester |",
          "|---|---|---|---|",
          ...s.deletions.latest.map((d) => `| ${d.time ?? "-"} | ${mdCell(e(d.operation))} | ${mdCell(e(`${d.bucket ?? "-"}/${d.key ?? "-"}`))} | ${mdCell(who(d.requester ?? "-"))} |`),
          "",
        ]
      : []),
    ...mdRanked("SigV2 requester", s.sigv2.byRequester, who),
    ...mdRanked("TLS < 1.2 requester", s.tlsBelow12.byRequester, withTls),
  ];
}

/** The Markdown report. */
export function renderSummaryMarkdown(r: SummaryReport): string {
  const out = ["# S3 server access logs: summary", "", totalsLine(r), "", "## All buckets", "", ...mdScope(r.overall)];
  const names = Object.keys(r.buckets);
  if (names.length > 1) for (const name of names) out.push(`## Bucket ${mdCell(e(name))}`, "", ...mdScope(r.buckets[name] as ScopeSummary));
  if (r.failures.length) {
    out.push("## Could not be read", "");
    for (const f of r.failures) out.push(`- ${mdCell(e(f.source))}: ${f.operation ?? ""} ${e(f.code ?? "")} ${mdCell(e(f.message))}`);
  }
  return `${out.join("\n").trimEnd()}\n`;
}
