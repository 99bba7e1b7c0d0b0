/**
 * Records as output: JSON lines, CSV (csv-stringify) or a fixed-width table for a terminal.
 * Control characters from log data never reach the output unescaped: JSON escapes C0 itself and
 * we escape DEL, C1 and bidirectional controls as \u sequences; CSV and table cells show every
 * control character as a visible escape.
 */
import { stringify } from "csv-stringify/sync";
import { LOG_FIELDS, type LogRecord } from "./record.js";

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const CONTROL_TEST = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const JSON_UNSAFE = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const JSON_UNSAFE_G = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/** Shows control characters as visible escapes (`\x1b`, `\u202e`); other text unchanged. */
export function escapeControl(s: string): string {
  if (!CONTROL_TEST.test(s)) return s;
  return s.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
  });
}

/** JSON text with DEL, C1 and bidi controls also escaped (still valid JSON, same value). */
export function safeJson(value: unknown): string {
  const s = JSON.stringify(value);
  if (!JSON_UNSAFE.test(s)) return s;
  return s.replace(JSON_UNSAFE_G, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** One record as a JSON line (with the newline). */
export function recordJsonLine(r: LogRecord): string {
  return `${safeJson(r)}\n`;
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

const TABLE_FIXED = [
  { title: "TIME (UTC)", width: 20, get: (r: LogRecord) => r.requestdatetime ?? "-" },
  { title: "STS", width: 3, get: (r: LogRecord) => (r.httpstatus === null ? "-" : String(r.httpstatus)) },
  { title: "OPERATION", width: 24, get: (r: LogRecord) => r.operation ?? "-" },
  { title: "BUCKET", width: 18, get: (r: LogRecord) => r.bucket_name ?? "-" },
  { title: "REQUESTER", width: 22, get: (r: LogRecord) => shortRequester(r.requester) },
];

/** `arn:aws:iam::123456789012:user/alice` → `user/alice`; canonical ids shortened; null → anonymous. */
export function shortRequester(r: string | null): string {
  if (r === null) return "anonymous";
  const arn = /^arn:[^:]*:(?:iam|sts)::\d{12}:(.+)$/.exec(r);
  if (arn) return arn[1] as string;
  if (/^[0-9a-f]{64}$/.test(r)) return `${r.slice(0, 8)}…(canonical)`;
  return r;
}

/** Header line of the record table for a terminal `width` columns wide. */
export function tableHeader(width: number): string {
  return tableLine(TABLE_FIXED.map((c) => c.title), "KEY", width);
}

function tableLine(cells: string[], last: string, width: number): string {
  const parts = cells.map((c, i) => fit(c, (TABLE_FIXED[i] as { width: number }).width));
  const used = TABLE_FIXED.reduce((n, c) => n + c.width + 1, 0);
  return `${parts.join(" ")} ${fit(last, Math.max(8, width - used)).trimEnd()}\n`;
}

/** One record as a table line. */
export function tableRow(r: LogRecord, width: number): string {
  return tableLine(
    TABLE_FIXED.map((c) => escapeControl(c.get(r))),
    escapeControl(r.key ?? "-"),
    width,
  );
}
