/**
 * `logs parse | summarize | query | athena`: read S3 server access log records wherever they are
 * (files, directories, stdin, s3://bucket/prefix), turn them into data, answer the common
 * questions, query them locally, and generate the Athena table. `demo logs …` reuses these
 * actions against the simulator (see ./demo.ts).
 */
import { Option, type Command } from "@commander-js/extra-typings";
import { InputError } from "../../base/errors.js";
import { csvHeader, csvRows, recordJsonLine, tableHeader, tableRow } from "../../logs/render.js";
import type { LogRecord } from "../../logs/record.js";
import { Summarizer } from "../../logs/summarize.js";
import { renderSummaryMarkdown, renderSummaryTable, type SummaryReport } from "../../logs/summary-render.js";
import { safeJson } from "../../logs/render.js";
import { colorEnabled, createStyle } from "../../output/style.js";

import { withInterrupt } from "../interrupt.js";
import { addRecordFormatOption, addSourceOptions, parseSourceOptions, recordFormat, type RecordFormat } from "../logs-options.js";
import { TextOut } from "../logs-output.js";
import { runRead, totalsNote, type S3Context } from "../logs-run.js";
import { tableWidth } from "../report-output.js";

type Raw = Record<string, unknown>;
type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** What `demo logs` supplies: the simulator, and the sources to read when none are given. */
export interface LogsContext {
  s3?: S3Context;
  defaultSources?: () => string[];
  /** Notes on stderr before reading (the demo's header). */
  header?: () => string;
}

const SOURCE_HELP = `
SOURCE is a log file, a directory of log objects (walked; either key format; .gz read
transparently), - for standard input, or s3://bucket/prefix (ListObjectsV2 + GetObject with the
same credentials as scan: --profile, --endpoint-url, --account + --role-name).`;

function specsOf(args: string[], ctx: LogsContext): string[] {
  return args.length === 0 && ctx.defaultSources ? ctx.defaultSources() : args;
}

async function outputFor(raw: Raw): Promise<TextOut> {
  return typeof raw.output === "string" ? TextOut.file(raw.output, "--output") : TextOut.stdout();
}

/** A sink that writes records in the chosen format, batching CSV rows per chunk. */
function recordWriter(out: TextOut, format: RecordFormat, width: number): { add(r: LogRecord): void; chunkDone(): void } {
  if (format === "csv") {
    out.write(csvHeader());
    let batch: LogRecord[] = [];
    return {
      add: (r) => {
        batch.push(r);
        if (batch.length >= 2048) {
          out.write(csvRows(batch));
          batch = [];
        }
      },
      chunkDone: () => {
        out.write(csvRows(batch));
        batch = [];
      },
    };
  }
  if (format === "table") {
    out.write(tableHeader(width));
    return { add: (r) => out.write(tableRow(r, width)), chunkDone: () => undefined };
  }
  return { add: (r) => out.write(recordJsonLine(r)), chunkDone: () => undefined };
}

/** `logs parse`. */
export async function parseAction(args: string[], raw: Raw, ctx: LogsContext = {}): Promise<number> {
  const o = parseSourceOptions(specsOf(args, ctx), raw);
  const format = recordFormat(raw, process.stdout.isTTY === true && raw.output === undefined);
  const out = await outputFor(raw);
  if (ctx.header && !o.quiet) process.stderr.write(ctx.header());
  const writer = recordWriter(out, format, tableWidth(process.stdout));
  const res = await withInterrupt((signal) =>
    runRead(o, { signal, ...(ctx.s3 ? { s3: ctx.s3 } : {}), stopped: () => out.closed, afterChunk: async () => (writer.chunkDone(), out.flush()) }, (r) =>
      writer.add(r),
    ),
  );
  writer.chunkDone();
  await out.end();
  if (!o.quiet && (process.stderr.isTTY || ctx.header)) process.stderr.write(totalsNote(res.totals));
  return res.exitCode;
}

export const SUMMARY_FORMATS = ["table", "json", "markdown"] as const;

/** `logs summarize`. */
export async function summarizeAction(args: string[], raw: Raw, ctx: LogsContext = {}): Promise<number> {
  const o = parseSourceOptions(specsOf(args, ctx), raw);
  const n = raw.top === undefined ? 10 : Number(raw.top);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InputError(`--top must be an integer between 1 and 1000, got "${String(raw.top)}"`);
  const format = (raw.format as string | undefined) ?? (process.stdout.isTTY && raw.output === undefined ? "table" : "json");
  const out = await outputFor(raw);
  if (ctx.header && !o.quiet) process.stderr.write(ctx.header());
  const sum = new Summarizer(n);
  const res = await withInterrupt((signal) => runRead(o, { signal, ...(ctx.s3 ? { s3: ctx.s3 } : {}) }, (r) => sum.add(r)));
  const { failures, ...totals } = res.totals;
  const report: SummaryReport = { totals, failures, ...sum.result() };
  if (format === "json") out.write(`${safeJson(report)}\n`);
  else if (format === "markdown") out.write(renderSummaryMarkdown(report));
  else out.write(renderSummaryTable(report, createStyle(raw.output === undefined && colorEnabled(process.stdout))));
  await out.end();
  return res.exitCode;
}

/** Runs an action and sets the exit code (an exit code ≠ 0 is not an error to print). */
async function run(action: () => Promise<number>): Promise<void> {
  const code = await action();
  if (code !== 0) process.exitCode = code;
}

/** Adds parse / summarize / query / athena to `parent` (the `logs` command, or `demo logs`). */
export function addLogsSubcommands(parent: AnyCommand, ctx: LogsContext, demo: boolean): void {
  const credentials = !demo;
  const parse = parent
    .command("parse")
    .description("print log records as data: JSON lines (default when piped), CSV, or a table on a terminal")
    .argument(demo ? "[SOURCE...]" : "<SOURCE...>", "log files, directories, - (stdin), s3://bucket/prefix")
    .addHelpText("after", SOURCE_HELP);
  addSourceOptions(parse, { credentials });
  addRecordFormatOption(parse);
  parse.action(async (args: string[]) => run(() => parseAction(args, parse.opts(), ctx)));

  const summarize = parent
    .command("summarize")
    .description("who did what: operations, requesters, IPs, errors and 403s, deletions, anonymous, SigV2 / old TLS, hourly activity")
    .argument(demo ? "[SOURCE...]" : "<SOURCE...>", "log files, directories, - (stdin), s3://bucket/prefix")
    .addOption(new Option("-f, --format <format>", "table (default on a terminal), json (default otherwise), markdown").choices(SUMMARY_FORMATS))
    .option("-o, --output <file>", "write to FILE instead of stdout")
    .option("--top <n>", "entries per ranking (default 10)")
    .addHelpText("after", SOURCE_HELP);
  addSourceOptions(summarize, { credentials });
  summarize.action(async (args: string[]) => run(() => summarizeAction(args, summarize.opts(), ctx)));
}

/** `logs …`. */
export function registerLogs(program: Command): void {
  const logs = program
    .command("logs")
    .description("read S3 server access log records: parse, summarize, query with SQL, generate the Athena table");
  addLogsSubcommands(logs, {}, false);
}

