/**
 * The JSON report as a sequence of chunks, byte-identical to `renderJson` (safeJsonStringify)
 * plus a newline, so that very large reports (100,000 buckets with --include-passed: over a
 * million findings) are written without building one string beyond V8's maximum length.
 */
import { safeJsonStringify } from "../base/text.js";
import type { Report } from "./report.js";

function indent(text: string, spaces: string): string {
  // JSON text has no raw newlines inside strings, so every newline is structure.
  return text.replace(/\n/g, `\n${spaces}`);
}

const STREAMED = new Set(["buckets", "findings"]);
const BATCH = 2000;

/**
 * Below this many buckets + findings, one JSON.stringify is as fast and simpler. Above it the
 * report is streamed in batches: one 50 MB string for 100,000 buckets costs ~200 MB of peak RSS
 * (the string, its UTF-8 buffer and the heap growth around them).
 */
const STREAM_THRESHOLD = 20_000;

export function* jsonReportChunks(report: Report, threshold = STREAM_THRESHOLD): Generator<string> {
  if (report.findings.length + report.buckets.length < threshold) {
    yield `${safeJsonStringify(report, 2)}\n`;
    return;
  }
  const entries = Object.entries(report).filter(([, v]) => v !== undefined);
  yield "{\n";
  for (const [i, [key, value]] of entries.entries()) {
    const tail = i < entries.length - 1 ? ",\n" : "\n";
    if (STREAMED.has(key) && Array.isArray(value) && value.length > 0) {
      yield `  ${JSON.stringify(key)}: [\n`;
      for (let j = 0; j < value.length; j += BATCH) {
        // One stringify per batch: "[\n  {…},\n  {…}\n]" → its elements, two spaces deeper.
        const text = safeJsonStringify(value.slice(j, j + BATCH), 2);
        const last = j + BATCH >= value.length;
        yield `  ${indent(text.slice(2, -2), "  ")}${last ? "\n" : ",\n"}`;
      }
      yield `  ]${tail}`;
    } else {
      yield `  ${JSON.stringify(key)}: ${indent(safeJsonStringify(value, 2), "  ")}${tail}`;
    }
  }
  yield "}\n";
}
