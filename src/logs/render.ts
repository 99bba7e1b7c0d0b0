/**
 * Records as output: JSON lines, CSV (csv-stringify) or a fixed-width table for a terminal.
 * Control characters from log data never reach the output unescaped (src/base/text.ts): JSON
 * escapes C0 itself and DEL, C1 and bidirectional controls become \u sequences; CSV and table
 * cells show every control character as a visible `\uXXXX`.
 */
import { stringify } from "csv-stringify/sync";
import { escapeControl, safeJsonStringify } from "../base/text.js";
import { isPlainAscii } from "./lines.js";
import { LOG_FIELDS, type LogRecord } from "./record.js";

/** Shows control characters as visible escapes (the shared helper of src/base/text.ts). */
export { escapeControl };

/** JSON text with DEL, C1 and bidi controls also escaped (still valid JSON, same value). */
export function safeJson(value: unknown): string {
  return safeJsonStringify(value);
}

/** One record as a JSON line (with the newline); `plain` (ASCII without DEL) skips the extra escaping pass. */
export function recordJsonLine(r: LogRecord, plain = false): string {
  return `${plain && isPlainAscii(r._source) ? JSON.stringify(r) : safeJson(r)}\n`;
}

/** The CSV columns: every field, then extra (a JSON array, empty when none), _line, _source. */
export const CSV_COLUMNS: readonly string[] = [...LOG_FIELDS, "extra", "_line", "_source"];

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return "";
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- record fields are strings and numbers
  return escapeControl(String(v));
}

/** CSV header line. */
export function csvHeader(): string {
  return stringify([CSV_COLUMNS]);
}

/** CSV rows for a batch of records. */
export function csvRows(records: readonly LogRecord[]): string {
  if (records.length === 0) return "";
  const rows = records.map((r) => {
    const row: string[] = LOG_FIELDS.map((f) => csvCell(r[f]));
    row.push(r.extra.length ? escapeControl(JSON.stringify(r.extra)) : "", String(r._line), escapeControl(r._source));
    return row;
  });
  return stringify(rows);
}

/** Fits `s` into `w` columns (cut with …, padded). */
export function fit(s: string, w: number): string {
  if (s.length > w) return `${s.slice(0, Math.max(0, w - 1))}…`;
  return s.padEnd(w);
}

interface Column {
  title: string;
  width: number;
  get: (r: LogRecord) => string;
}

const COLUMNS: Column[] = [
  { title: "TIME (UTC)", width: 20, get: (r) => r.requestdatetime ?? "-" },
  { title: "STS", width: 3, get: (r) => (r.httpstatus === null ? "-" : String(r.httpstatus)) },
  { title: "OPERATION", width: 20, get: (r) => r.operation ?? "-" },
  { title: "BUCKET", width: 18, get: (r) => r.bucket_name ?? "-" },
  { title: "REQUESTER", width: 26, get: (r) => shortRequester(r.requester) },
];

/** The fixed columns for a terminal this wide: BUCKET only when there is room for it and the key. */
function columnsFor(width: number): Column[] {
  return width >= 110 ? COLUMNS : COLUMNS.filter((c) => c.title !== "BUCKET");
}

/** `arn:aws:iam::123456789012:user/alice` → `123456789012:user/alice`; canonical ids shortened; null → anonymous. */
export function shortRequester(r: string | null): string {
  if (r === null) return "anonymous";
  const arn = /^arn:[^:]*:(?:iam|sts)::([^:]*):(.+)$/.exec(r);
  if (arn) return `${arn[1]}:${arn[2]}`;
  if (/^[0-9a-f]{64}$/.test(r)) return `${r.slice(0, 8)}…(canonical)`;
  return r;
}

/** Header line of the record table for a terminal `width` columns wide. */
export function tableHeader(width: number): string {
  const cols = columnsFor(width);
  return tableLine(cols, cols.map((c) => c.title), "KEY", width);
}

function tableLine(cols: Column[], cells: string[], last: string, width: number): string {
  const parts = cells.map((c, i) => fit(c, (cols[i] as Column).width));
  const used = cols.reduce((n, c) => n + c.width + 1, 0);
  return `${parts.join(" ")} ${fit(last, Math.max(12, width - used)).trimEnd()}\n`;
}

/** One record as a table line. */
export function tableRow(r: LogRecord, width: number): string {
  const cols = columnsFor(width);
  return tableLine(
    cols,
    cols.map((c) => escapeControl(c.get(r))),
    escapeControl(r.key ?? "-"),
    width,
  );
}
