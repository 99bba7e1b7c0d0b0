/**
 * The references of the logs benchmark, each run as its own process over the same file:
 *   bare   read + UTF-8 decode + split into lines (the floor of any line-based reader)
 *   regex  the same, plus AWS's documented Athena input.regex as a JavaScript RegExp per line
 *   regex-records  the regex plus turning its groups into the same typed records our parser
 *          makes (quotes stripped, '-' → null, integers, ISO time): a regex-based parser
 *   parse  the same, plus our parser (no output), to separate the parser from the JSON writer
 * Prints one JSON line: { lines, matched }.
 */
import { createReadStream } from "node:fs";
import { AWS_DOC_REGEX_SOURCE } from "../../src/logs/athena-regex.js";
import { readLines } from "../../src/logs/lines.js";
import { cleanLine, logTimeToIso, parseLine } from "../../src/logs/parse.js";
import { INTEGER_FIELDS, LOG_FIELDS } from "../../src/logs/record.js";

const QUOTED = new Set(["request_uri", "referrer", "useragent"]);
const INTS = new Set<string>(INTEGER_FIELDS);

/** A record from the regex's groups, converted as our parser converts fields. */
function recordFromGroups(m: RegExpExecArray, source: string, line: number): Record<string, unknown> {
  const r: Record<string, unknown> = {};
  for (let i = 0; i < LOG_FIELDS.length; i++) {
    const f = LOG_FIELDS[i] as string;
    let v: string | null = m[i + 1] ?? null;
    if (v !== null && QUOTED.has(f) && v.length >= 2 && v.charCodeAt(0) === 34) v = v.slice(1, -1);
    if (v === "-" || v === "") v = null;
    r[f] = v === null ? null : INTS.has(f) ? Number(v) : f === "requestdatetime" ? logTimeToIso(v) : v;
  }
  r.extra = [];
  r._line = line;
  r._source = source;
  return r;
}

const [mode, file] = process.argv.slice(2) as [string, string];
const re = new RegExp(`^${AWS_DOC_REGEX_SOURCE}`);
let lines = 0;
let matched = 0;
const onLine =
  mode === "regex"
    ? (t: string) => {
        lines++;
        if (re.exec(t) !== null) matched++;
      }
    : mode === "regex-records"
      ? (t: string, n: number) => {
          lines++;
          const m = re.exec(t);
          if (m !== null && recordFromGroups(m, file, n)) matched++;
        }
      : mode === "parse"
      ? (t: string, n: number) => {
          lines++;
          const s = cleanLine(t);
          if (s !== "" && typeof parseLine(s, file, n) === "object") matched++;
        }
      : () => {
          lines++;
        };
await readLines(createReadStream(file, { highWaterMark: 1 << 20 }), onLine);
process.stdout.write(`${JSON.stringify({ lines, matched })}\n`);
