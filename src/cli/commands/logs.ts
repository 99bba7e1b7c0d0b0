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
import { checkOutputTargets, named, type NamedFile } from "../output-targets.js";
import { tableWidth } from "../report-output.js";
import { TOOL_VERSION } from "../../base/identity.js";
import { athenaDdl, targetsFromSnapshot, type AthenaTarget } from "../../logs/athena.js";
import { EXAMPLE_QUERIES, exampleQuery, fillParams } from "../../logs/queries.js";
import { escapeControl, fit } from "../../logs/render.js";
import { stringify } from "csv-stringify/sync";
import { catalogMetas } from "../../app/catalog.js";
import { runScan } from "../../app/scan.js";
import { flagNames, parseOptions, type KeyNames } from "../options/parse.js";
import { scanTargetSchema } from "../options/scan.js";
import { addTargetFlags } from "../options/target.js";

type Raw = Record<string, unknown>;
type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Runs a logs action with its context (the demo starts the simulator around it). */
export type ContextRunner = (fn: (ctx: LogsContext) => Promise<number>) => Promise<number>;

const plainContext: ContextRunner = (fn) => fn({});

/** What `demo logs` supplies: the simulator, and the sources to read when none are given. */
export interface LogsContext {
  s3?: S3Context;
  defaultSources?: () => string[];
  /** The demo: summaries as a table even in a pipe (it is for people). */
  forPeople?: boolean;
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

/**
 * Refuses (one line, exit 2, before anything is read) an --output or --rejects file that is a
 * local log source of this run, a journal, a directory, or both of them at once.
 */
async function checkLogsOutputs(raw: Raw, specs: readonly string[], inputs: readonly NamedFile[] = []): Promise<void> {
  const local = specs.filter((s) => s !== "-" && !s.startsWith("s3://")).map((path) => ({ flag: "a log source", path }));
  await checkOutputTargets(named([["--output", raw.output as string | undefined], ["--rejects", raw.rejects as string | undefined]]), [...local, ...inputs]);
}

async function outputFor(raw: Raw): Promise<TextOut> {
  return typeof raw.output === "string" ? TextOut.file(raw.output, "--output") : TextOut.stdout();
}

/** A sink that writes records in the chosen format, batching CSV rows per chunk. */
function recordWriter(out: TextOut, format: RecordFormat, width: number): { add(r: LogRecord, plain: boolean): void; chunkDone(): void } {
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
  return { add: (r, plain) => out.write(recordJsonLine(r, plain)), chunkDone: () => undefined };
}

/** `logs parse`. */
export async function parseAction(args: string[], raw: Raw, ctx: LogsContext = {}): Promise<number> {
  const o = parseSourceOptions(specsOf(args, ctx), raw);
  await checkLogsOutputs(raw, o.specs);
  const format = recordFormat(raw, process.stdout.isTTY === true && raw.output === undefined);
  if (ctx.header && !o.quiet) process.stderr.write(ctx.header());
  // The output is opened inside the interrupt scope: a Ctrl-C from then on leaves an existing file as it was.
  const res = await withInterrupt(async (signal) => {
    const out = await outputFor(raw);
    const writer = recordWriter(out, format, tableWidth(process.stdout));
    const read = await runRead(
      o,
      { signal, ...(ctx.s3 ? { s3: ctx.s3 } : {}), stopped: () => out.closed, afterChunk: async () => (writer.chunkDone(), out.flush()) },
      (r, plain) => writer.add(r, plain),
    );
    writer.chunkDone();
    await out.end();
    return read;
  });
  if (!o.quiet && (process.stderr.isTTY || ctx.header)) process.stderr.write(totalsNote(res.totals));
  return res.exitCode;
}

export const SUMMARY_FORMATS = ["table", "json", "markdown"] as const;

/** `logs summarize`. */
export async function summarizeAction(args: string[], raw: Raw, ctx: LogsContext = {}): Promise<number> {
  const o = parseSourceOptions(specsOf(args, ctx), raw);
  const n = raw.top === undefined ? 10 : Number(raw.top);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InputError(`--top must be an integer between 1 and 1000, got "${String(raw.top)}"`);
  const format = (raw.format as string | undefined) ?? ((process.stdout.isTTY || ctx.forPeople) && raw.output === undefined ? "table" : "json");
  await checkLogsOutputs(raw, o.specs);
  if (ctx.header && !o.quiet) process.stderr.write(ctx.header());
  const sum = new Summarizer(n);
  const res = await withInterrupt((signal) => runRead(o, { signal, ...(ctx.s3 ? { s3: ctx.s3 } : {}) }, (r) => sum.add(r)));
  const out = await outputFor(raw);
  const { failures, ...totals } = res.totals;
  const report: SummaryReport = { totals, failures, ...sum.result() };
  if (format === "json") out.write(`${safeJson(report)}\n`);
  else if (format === "markdown") out.write(renderSummaryMarkdown(report));
  else out.write(renderSummaryTable(report, createStyle(raw.output === undefined && colorEnabled(process.stdout))));
  await out.end();
  return res.exitCode;
}

/** A query value as text: JSON for lists, the value itself otherwise. */
function cellText(v: unknown): string {
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean" || typeof v === "bigint") return v.toString();
  return JSON.stringify(v);
}

/** Query results as a table that fits the terminal (cells escaped and cut). */
export function renderQueryTable(columns: string[], rows: unknown[][], width: number): string {
  const cell = (v: unknown) => escapeControl(v === null || v === undefined ? "NULL" : cellText(v));
  const cells = rows.map((r) => r.map(cell));
  const widths = columns.map((c, i) => Math.min(60, Math.max(c.length, ...cells.map((r) => (r[i] as string).length))));
  let total = widths.reduce((a, b) => a + b + 2, 0);
  while (total > width && Math.max(...widths) > 12) {
    const i = widths.indexOf(Math.max(...widths));
    widths[i] = (widths[i] as number) - 1;
    total--;
  }
  const line = (xs: string[]) => xs.map((x, i) => fit(x, widths[i] as number)).join("  ").trimEnd();
  const out = [line(columns.map((c) => escapeControl(c))), line(widths.map((w) => "-".repeat(w))), ...cells.map(line)];
  return `${out.join("\n")}\n(${rows.length} row${rows.length === 1 ? "" : "s"})\n`;
}

function parseParams(list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list ?? []) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new InputError(`--param must be NAME=VALUE, got "${p}"`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

/** `logs query`. */
export async function queryAction(args: string[], raw: Raw, ctx: LogsContext = {}): Promise<number> {
  let sql: string;
  let specs: string[];
  if (typeof raw.example === "string") {
    const q = exampleQuery(raw.example);
    sql = fillParams(q.duckdb, q, parseParams(raw.param as string[] | undefined));
    specs = args;
  } else {
    if (args.length === 0 || (args[0] as string).trim() === "") throw new InputError("no SQL given (or use --example ID; --list-examples shows them)");
    sql = args[0] as string;
    specs = args.slice(1);
  }
  const o = parseSourceOptions(specsOf(specs, ctx), raw);
  await checkLogsOutputs(raw, o.specs);
  const format = recordFormat(raw, process.stdout.isTTY === true && raw.output === undefined);
  const { LogsDb } = await import("../../logs/duckdb.js");
  const db = await LogsDb.open();
  try {
    if (ctx.header && !o.quiet) process.stderr.write(ctx.header());
    const res = await withInterrupt((signal) => runRead(o, { signal, ...(ctx.s3 ? { s3: ctx.s3 } : {}) }, (r) => db.append(r)));
    if (res.exitCode === 2 || res.exitCode === 3) return res.exitCode;
    const result = await db.query(sql);
    const out = await outputFor(raw);
    if (format === "table") out.write(renderQueryTable(result.columns, result.rows, tableWidth(process.stdout)));
    else if (format === "csv") out.write(stringify([result.columns, ...result.rows.map((r) => r.map((v) => (v === null ? "" : escapeControl(cellText(v)))))]));
    else for (const row of result.rows) out.write(`${safeJson(Object.fromEntries(result.columns.map((c, i) => [c, row[i]])))}\n`);
    await out.end();
    return res.exitCode;
  } finally {
    db.close();
  }
}

/** The example queries for `logs query` (--list-examples). */
export function renderExamples(): string {
  return EXAMPLE_QUERIES.map((q) => {
    const params = Object.entries(q.params).map(([k, v]) => ` --param ${k}=${v}`).join("");
    return `-- ${q.question}\n-- s3-log-auditor logs query --example ${q.id}${params} SOURCE…\n${q.duckdb};\n`;
  }).join("\n");
}

const KEY_FORMATS = ["simple", "partitioned"] as const;

/** The log locations to generate DDL for: explicit, from a snapshot, or from a live scan. */
async function athenaTargets(raw: Raw, names: KeyNames): Promise<AthenaTarget[]> {
  const scanFlags = ["org", "accounts", "fromSnapshot"].some((k) => raw[k] !== undefined);
  if (!scanFlags && typeof raw.bucket === "string") {
    const keyFormat = raw.keyFormat as AthenaTarget["keyFormat"] | undefined;
    if (!keyFormat) throw new InputError("--bucket needs --key-format simple|partitioned (or use --from-snapshot / a scan to learn it)");
    const prefix = typeof raw.prefix === "string" ? raw.prefix : "";
    if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(raw.bucket)) throw new InputError(`--bucket is not a bucket name: "${raw.bucket}"`);
    const t: AthenaTarget = { logBucket: raw.bucket, prefix, keyFormat, sources: [] };
    if (keyFormat === "partitioned") t.partitionDateSource = (raw.partitionDateSource as "EventTime" | "DeliveryTime" | undefined) ?? "EventTime";
    return [t];
  }
  for (const k of ["prefix", "keyFormat", "partitionDateSource"]) {
    if (raw[k] !== undefined) throw new InputError("--prefix / --key-format / --partition-date-source go with --bucket alone (not with a scan or --from-snapshot)");
  }
  const scanRaw = { ...raw };
  delete scanRaw.bucket;
  const opts = parseOptions(scanTargetSchema({ catalog: catalogMetas() }), scanRaw, names);
  const result = await withInterrupt((signal) => runScan(opts, { signal, progress: opts.quiet ? "none" : "auto" }));
  let targets = targetsFromSnapshot(result.snapshot);
  if (typeof raw.bucket === "string") targets = targets.filter((t) => t.logBucket === raw.bucket);
  if (targets.length === 0) throw new InputError(typeof raw.bucket === "string" ? `no bucket logs into ${raw.bucket}` : "no bucket has server access logging enabled");
  return targets;
}

/** `logs athena`. */
export async function athenaAction(raw: Raw, names: KeyNames): Promise<number> {
  const database = typeof raw.database === "string" ? raw.database : "s3_access_logs_db";
  await checkLogsOutputs(raw, [], named([["--from-snapshot", raw.fromSnapshot as string | undefined]]));
  const targets = await athenaTargets(raw, names);
  if (typeof raw.table === "string" && targets.length > 1) throw new InputError(`--table names one table but ${targets.length} log locations were found (narrow with --bucket)`);
  const ddl = targets
    .map((t) => athenaDdl(t, { database, version: TOOL_VERSION, ...(typeof raw.table === "string" ? { table: raw.table } : {}) }))
    .join("\n-- ------------------------------------------------------------------------\n\n");
  const out = await outputFor(raw);
  out.write(ddl);
  await out.end();
  if (typeof raw.output === "string" && raw.quiet !== true) process.stderr.write(`Athena DDL for ${targets.length} log location${targets.length === 1 ? "" : "s"} written to ${raw.output}\n`);
  return 0;
}

/** Runs an action and sets the exit code (an exit code ≠ 0 is not an error to print). */
async function run(action: () => Promise<number>): Promise<void> {
  const code = await action();
  if (code !== 0) process.exitCode = code;
}

/** Adds parse / summarize / query / athena to `parent` (the `logs` command, or `demo logs`). */
export function addLogsSubcommands(parent: AnyCommand, withCtx: ContextRunner, demo: boolean): void {
  const credentials = !demo;
  const parse = parent
    .command("parse")
    .description("print log records as data: JSON lines (default when piped), CSV, or a table on a terminal")
    .argument(demo ? "[SOURCE...]" : "<SOURCE...>", "log files, directories, - (stdin), s3://bucket/prefix")
    .addHelpText("after", SOURCE_HELP);
  addSourceOptions(parse, { credentials });
  addRecordFormatOption(parse);
  parse.action(async (args: string[]) => run(() => withCtx((ctx) => parseAction(args, parse.opts(), ctx))));

  const summarize = parent
    .command("summarize")
    .description("who did what: operations, requesters, IPs, errors and 403s, deletions, anonymous, SigV2 / old TLS, hourly activity")
    .argument(demo ? "[SOURCE...]" : "<SOURCE...>", "log files, directories, - (stdin), s3://bucket/prefix")
    .addOption(new Option("-f, --format <format>", "table (default on a terminal), json (default otherwise), markdown").choices(SUMMARY_FORMATS))
    .option("-o, --output <file>", "write to FILE instead of stdout")
    .option("--top <n>", "entries per ranking (default 10)")
    .addHelpText("after", SOURCE_HELP);
  addSourceOptions(summarize, { credentials });
  summarize.action(async (args: string[]) => run(() => withCtx((ctx) => summarizeAction(args, summarize.opts(), ctx))));

  const query = parent
    .command("query")
    .description("SQL over the records (DuckDB, in memory): a table named logs with the Athena column names and types")
    .argument("[SQL]", "one SQL statement over the table logs (omit with --example)")
    .argument("[SOURCE...]", "log files, directories, - (stdin), s3://bucket/prefix")
    .option("--example <id>", `run a shipped example query (${EXAMPLE_QUERIES.map((q) => q.id).join(", ")}); then every argument is a SOURCE`)
    .option("--param <name=value>", "a parameter of --example, e.g. principal=arn:aws:iam::111122223333:user/alice", collect)
    .option("--list-examples", "print the example queries and exit")
    .addHelpText("after", `${SOURCE_HELP}\nColumns: the Athena names; '-' is NULL, httpstatus/bytessent/objectsize/totaltime/turnaroundtime are integers,\nrequestdatetime a TIMESTAMP (UTC), extra a VARCHAR[], plus _line and _source. SQL errors exit 2.`);
  addSourceOptions(query, { credentials });
  addRecordFormatOption(query);
  query.action(async (sql: string | undefined, sources: string[]) => {
    const raw = query.opts() as Raw;
    if (raw.listExamples === true) {
      process.stdout.write(renderExamples());
      return;
    }
    const args = [...(sql === undefined ? [] : [sql]), ...sources];
    await run(() => withCtx((ctx) => queryAction(args, raw, ctx)));
  });

  if (demo) return;
  const athena = parent
    .command("athena")
    .description("the Athena DDL for a log bucket: raw table (tolerant regex, partition projection), typed view, example queries")
    .option("--bucket <name>", "the log (target) bucket; alone with --key-format: explicit mode; with a scan: only this log bucket")
    .option("--prefix <prefix>", "explicit mode: the target prefix (default empty)")
    .addOption(new Option("--key-format <format>", "explicit mode: the target object key format").choices(KEY_FORMATS))
    .addOption(new Option("--partition-date-source <source>", "explicit mode, partitioned: EventTime (default) or DeliveryTime").choices(["EventTime", "DeliveryTime"] as const))
    .option("--database <name>", "Athena database (default s3_access_logs_db)")
    .option("--table <name>", "table name (default: from the log bucket and prefix)")
    .option("-o, --output <file>", "write the DDL to FILE instead of stdout")
    .addHelpText(
      "after",
      `
What the tool knows decides the DDL: --from-snapshot FILE, a live scan (--org, --accounts … as
for scan), or --bucket NAME --prefix P --key-format simple|partitioned. Partitioned keys get
partition projection (enum values from the scan, injected otherwise); simple keys a table at
the prefix.`,
    );
  addTargetFlags(athena);
  athena.action(async () => run(() => athenaAction(athena.opts(), flagNames(athena as never))));
}

function collect(v: string, prev: string[] | undefined): string[] {
  return [...(prev ?? []), v];
}

/** `logs …`. */
export function registerLogs(program: Command): void {
  const logs = program
    .command("logs")
    .description("read S3 server access log records: parse, summarize, query with SQL, generate the Athena table");
  addLogsSubcommands(logs, plainContext, false);
}

