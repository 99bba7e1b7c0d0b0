/**
 * The human report (`--format table`): grouped account → Region → bucket, one line per finding
 * with its severity (or ERROR / MUTED / PASS) and rule id, the message wrapped below it, then
 * the read errors and a summary line. Fits 80 columns; colour only when `style` enables it.
 */
import { severityRank, type Finding } from "../model/finding.js";
import { exceptionLines } from "./exceptions.js";
import type { Report } from "./report.js";
import { createStyle, wrapText, type Style } from "./style.js";
import { summaryLine } from "./summary.js";
import { PASSING_DELIVERY_STATES, deliveryText, type DeliveryView } from "../engine/delivery-state.js";

export interface TableOptions {
  style?: Style;
  /** Total line width (default 80). */
  width?: number;
}

const LABEL_WIDTH = 10;
const RULE_INDENT = 6;
const MESSAGE_INDENT = RULE_INDENT + LABEL_WIDTH;

function label(f: Finding): string {
  if (f.status === "fail") return f.severity.toUpperCase();
  return f.status.toUpperCase();
}

function paint(f: Finding, text: string, st: Style): string {
  if (f.status === "pass") return st.green(text);
  if (f.status === "muted") return st.dim(text);
  if (f.status === "error") return st.magenta(text);
  switch (f.severity) {
    case "critical":
      return st.bold(st.red(text));
    case "high":
      return st.red(text);
    case "medium":
      return st.yellow(text);
    case "low":
      return st.cyan(text);
    default:
      return st.dim(text);
  }
}

/** fail (most severe first), error, muted, pass; then rule id. */
function order(f: Finding): number {
  switch (f.status) {
    case "fail":
      return severityRank(f.severity);
    case "error":
      return 10;
    case "muted":
      return 20;
    default:
      return 30;
  }
}

type Tree = Map<string, Map<string, Map<string, Finding[]>>>;

function getOrAdd<K, V>(m: Map<K, V>, k: K, make: () => V): V {
  let v = m.get(k);
  if (v === undefined) {
    v = make();
    m.set(k, v);
  }
  return v;
}

function slot(tree: Tree, account: string, region: string, bucket: string): Finding[] {
  const regions = getOrAdd(tree, account, () => new Map<string, Map<string, Finding[]>>());
  const buckets = getOrAdd(regions, region, () => new Map<string, Finding[]>());
  return getOrAdd(buckets, bucket, (): Finding[] => []);
}

function sorted<T>(keys: Iterable<T>): T[] {
  return [...keys].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** The bucket's delivery state (--check-delivery) under its name, passing states included. */
function deliveryLines(v: DeliveryView, width: number, st: Style): string[] {
  const paintState = (t: string) => (v.state === "error" ? st.magenta(t) : PASSING_DELIVERY_STATES.includes(v.state) ? st.green(t) : st.red(t));
  return wrapText(deliveryText(v), width - MESSAGE_INDENT).map((l, i) => `${" ".repeat(RULE_INDENT)}${i === 0 ? paintState("DELIVERY".padEnd(LABEL_WIDTH)) : " ".repeat(LABEL_WIDTH)}${l}`);
}

/** The table report. */
export function renderTable(report: Report, opts: TableOptions = {}): string {
  const st = opts.style ?? createStyle(false);
  const width = Math.max(60, opts.width ?? 80);
  const out: string[] = [];
  const s = report.summary;
  out.push(
    st.bold(`${report.tool.name} ${report.tool.version}`) +
      ` · ${s.accounts} account${s.accounts === 1 ? "" : "s"} · ${s.buckets} bucket${s.buckets === 1 ? "" : "s"}` +
      (report.scope.shard ? ` · shard ${report.scope.shard.index}/${report.scope.shard.count}` : ""),
  );
  if (report.scope.regions.length) for (const l of wrapText(`Regions: ${report.scope.regions.join(", ")}`, width)) out.push(l);

  const tree: Tree = new Map();
  const delivery = new Map<string, DeliveryView>();
  for (const b of report.buckets) {
    slot(tree, b.account, b.region, b.name);
    if (b.delivery) delivery.set(`${b.account}/${b.region}/${b.name}`, b.delivery);
  }
  for (const f of report.findings) {
    slot(tree, f.account, f.region, f.bucket).push(f);
  }

  for (const account of sorted(tree.keys())) {
    const regions = tree.get(account)!;
    out.push("");
    const name = report.scope.accountNames?.[account];
    out.push(st.bold(`Account ${account}`) + (name ? ` (${name})` : ""));
    for (const region of sorted(regions.keys())) {
      const buckets = regions.get(region)!;
      out.push(`  ${region}`);
      let quiet = 0;
      for (const bucket of sorted(buckets.keys())) {
        const findings = buckets.get(bucket)!;
        const dv = delivery.get(`${account}/${region}/${bucket}`);
        if (findings.length === 0 && !dv) {
          quiet++;
          continue;
        }
        out.push(`    ${st.bold(bucket)}`);
        if (dv) out.push(...deliveryLines(dv, width, st));
        findings.sort((a, b) => order(a) - order(b) || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0));
        for (const f of findings) {
          out.push(`${" ".repeat(RULE_INDENT)}${paint(f, label(f).padEnd(LABEL_WIDTH), st)}${f.ruleId}`);
          if (f.status === "pass") continue;
          for (const line of wrapText(f.message, width - MESSAGE_INDENT)) {
            const text = f.status === "muted" ? st.dim(line) : line;
            out.push(`${" ".repeat(MESSAGE_INDENT)}${text}`);
          }
        }
      }
      if (quiet > 0) out.push(st.dim(`    ${quiet} more bucket${quiet === 1 ? "" : "s"} without findings`));
    }
  }

  if (report.errors.length > 0) {
    out.push("");
    out.push(st.bold(st.magenta(`Could not read (${report.errors.length}):`)));
    for (const e of report.errors) {
      const where = [e.account, e.region, e.bucket].filter(Boolean).join(" ");
      const head = `${where}: ${e.operation} ${e.code}`;
      const lines = wrapText(e.message && e.message !== e.code ? `${head} (${e.message})` : head, width - 4);
      lines.forEach((l, i) => out.push(`${i === 0 ? "  " : "    "}${l}`));
    }
  }

  const ex = exceptionLines(report.exceptions);
  for (const [title, lines, paintTitle] of [
    ["Expired exceptions", ex.expired, (t: string) => st.red(t)],
    ["Unused exceptions (stale configuration?)", ex.unused, (t: string) => st.yellow(t)],
  ] as const) {
    if (lines.length === 0) continue;
    out.push("");
    out.push(st.bold(paintTitle(`${title} (${lines.length}):`)));
    for (const line of lines) wrapText(line, width - 4).forEach((l, i) => out.push(`${i === 0 ? "  " : "    "}${l}`));
  }

  out.push("");
  const paintSummary = (l: string) => (s.status.fail > 0 ? st.red(l) : s.complete ? st.green(l) : st.magenta(l));
  for (const l of wrapText(`Summary: ${summaryLine(report)}`, width)) out.push(paintSummary(l));
  return `${out.join("\n")}\n`;
}
