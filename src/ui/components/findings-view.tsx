/** The findings list (grouped, scrolling) and the detail pane of the highlighted row. */
import { Box, Text } from "ink";
import { SEVERITIES, type Finding } from "../../model/finding.js";
import { fixableCount, selectedCount, type BrowserState, type Row } from "../state/findings.js";
import { SEVERITY_BADGE, deliveryLabel, deliveryTone, windowStart, type Line, type Tone } from "../state/lines.js";
import { LinesWindow, SegmentsLine, type Segment } from "./styled-line.js";

function severityCounts(findings: readonly Finding[]): Segment[] {
  const out: Segment[] = [];
  for (const sev of SEVERITIES) {
    const n = findings.filter((f) => f.status === "fail" && f.severity === sev).length;
    if (n > 0) out.push({ text: ` ${n} ${SEVERITY_BADGE[sev]!.trim()}`, tone: sev });
  }
  const errors = findings.filter((f) => f.status === "error").length;
  if (errors > 0) out.push({ text: ` ${errors} ERR`, tone: "error" });
  return out;
}

/** The segments of one row of the list (without the cursor mark). */
export function rowSegments(row: Row, browser: BrowserState): Segment[] {
  const indent = "  ".repeat(row.depth);
  const fold = row.collapsed ? "▸ " : "▾ ";
  const node = row.node;
  const counts = (): Segment[] => {
    const passing: Segment[] = row.passing > 0 ? [{ text: ` ✓ ${row.passing} passing`, tone: "ok" }] : [];
    if (row.findings.length === 0) return passing;
    const fixable = fixableCount(row.findings);
    const sel = selectedCount(browser, row.findings);
    return [...severityCounts(row.findings), ...passing, { text: ` · ${sel}/${fixable} selected`, tone: sel > 0 ? "ok" : "dim" }];
  };
  switch (node.kind) {
    case "account":
      if (node.error) {
        return [
          { text: `${indent}✗ ${node.account}${node.name ? ` (${node.name})` : ""}`, tone: "error", flex: true },
          { text: `  unreadable: ${node.error}`, tone: "error" },
        ];
      }
      return [{ text: `${indent}${fold}${node.account}${node.name ? ` (${node.name})` : ""}`, tone: "heading", flex: true }, ...counts()];
    case "region":
      return [{ text: `${indent}${fold}${node.region}`, tone: "heading", flex: true }, ...counts()];
    case "bucket": {
      const v = node.standing?.delivery;
      const delivery: Segment[] = v ? [{ text: ` · delivery ${deliveryLabel(v)}`, tone: deliveryTone(v) }] : [];
      if (row.passing > 0) return [{ text: `${indent}  ${node.name}`, tone: "text", flex: true }, { text: " ✓ passing", tone: "ok" }, ...delivery];
      return [
        { text: `${indent}${fold}${node.name}`, tone: node.error ? "error" : "text", flex: true },
        ...(node.error ? [{ text: " ! unreadable", tone: "error" as Tone }] : []),
        ...counts(),
        ...delivery,
      ];
    }
    case "finding": {
      const f = node.finding;
      const mark = f.status === "error" ? " ! " : !node.selectable ? "[-]" : browser.selected.has(f.fingerprint) ? "[x]" : "[ ]";
      const badge = f.status === "error" ? "ERR " : SEVERITY_BADGE[f.severity]!;
      return [
        { text: `${indent}${mark} `, tone: browser.selected.has(f.fingerprint) ? "ok" : "text" },
        { text: badge, tone: f.status === "error" ? "error" : f.severity },
        { text: ` ${f.ruleId}`, tone: "text" },
        { text: f.status === "error" ? `  ${f.message}` : `  ${f.message}`, tone: f.status === "error" ? "error" : "dim", flex: true },
      ];
    }
  }
}

export interface FindingsViewProps {
  browser: BrowserState;
  rows: readonly Row[];
  cursor: number;
  detail: readonly Line[];
  detailScroll: number;
  width: number;
  listHeight: number;
  detailHeight: number;
  color: boolean;
}

export function FindingsView(p: FindingsViewProps) {
  const start = windowStart(p.rows.length, p.cursor, p.listHeight);
  const shown = p.rows.slice(start, start + p.listHeight);
  const pad = Math.max(0, p.listHeight - shown.length);
  const maxScroll = Math.max(0, p.detail.length - (p.detailHeight - 1));
  const scroll = Math.min(p.detailScroll, maxScroll);
  const more = p.detail.length > scroll + p.detailHeight - 1 ? ` ↓ ${p.detail.length - scroll - (p.detailHeight - 1)} more (PgDn)` : "";
  const above = scroll > 0 ? ` ↑ ${scroll} above` : "";
  const rule = `─ detail${above}${more} `;
  return (
    <Box flexDirection="column">
      {p.rows.length === 0 ? (
        <Text>
          {p.browser.filter || p.browser.filterDraft
            ? `  no ${p.browser.view === "all" ? "bucket" : "finding"} matches the filter`
            : p.browser.view === "all"
              ? "  no bucket in scope"
              : "  no failing findings: nothing to fix (v lists every bucket)"}
        </Text>
      ) : null}
      {shown.map((row, i) => {
        const isCursor = start + i === p.cursor;
        return (
          <SegmentsLine
            key={row.key}
            segments={[{ text: isCursor ? "›" : " ", tone: isCursor ? "heading" : "text" }, ...rowSegments(row, p.browser)]}
            width={p.width}
            color={p.color}
            inverse={isCursor}
          />
        );
      })}
      {Array.from({ length: Math.max(0, pad - (p.rows.length === 0 ? 1 : 0)) }, (_, i) => (
        <Text key={`pad-${i}`}> </Text>
      ))}
      <Text dimColor={p.color}>{(rule + "─".repeat(Math.max(0, p.width - [...rule].length))).slice(0, p.width)}</Text>
      <LinesWindow lines={p.detail} offset={scroll} height={p.detailHeight - 1} width={p.width} color={p.color} />
    </Box>
  );
}
