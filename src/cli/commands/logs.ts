/**
 * `logs parse | summarize | query | athena`: read S3 server access log records wherever they are
 * (files, directories, stdin, s3://bucket/prefix), turn them into data, answer the common
 * questions, query them locally, and generate the Athena table. `demo logs …` reuses these
 * actions against the simulator (see ./demo.ts).
 */
import { Option, type Command } from "@commander-js/extra-typings";
import { InputError } from "../../base/errors.js";
import type { AthenaCommandOptions } from "../options/logs.js";
import { csvHeader, csvRows, recordJsonLine, tableHeader, tableRow } from "../../logs/render.js";
import type { LogRecord } from "../../logs/record.js";
import { Summarizer } from "../../logs/summarize.js";
import { renderSummaryMarkdown, renderSummaryTable, type SummaryReport } from "../../logs/summary-render.js";
import { safeJson } from "../../logs/render.js";
import { colorEnabled, createStyle } from "../../output/style.js";

import { withInterrupt } from "../interrupt.js";
import {
  SUMMARY_FORMATS,
  addAthenaFlags,
  addRecordFormatFlags,
  addSourceFlags,
  athenaCommandSchema,
  parseCommandSchema,
  queryCommandSchema,
  summarizeCommandSchema,
  type RecordFormat,
} from "../options/logs.js";
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
async function checkLogsOutputs(o: { output?: string | undefined; rejects?: string | undefined }, specs: readonly string[], inputs: readonly NamedFile[] = []): Promise<void> {
  const local = specs.filter((s) => s !== "-" && !s.startsWith("s3://")).map((path) => ({ flag: "a log source", path }));
  await checkOutputTargets(named([["--output", o.output], ["--rejects", o.rejects]]), [...local, ...inputs]);
}

async function outputFor(output: string | undefined): Promise<TextOut> {
  return output !== undefined ? TextOut.file(output, "--output") : TextOut.stdout();
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
export async function parseAction(args: string[], raw: Raw, names: KeyNames, ctx: LogsContext = {}): Promise<number> {
  const { source: o, format } = parseOptions(parseCommandSchema(Date.now(), process.stdout.isTTY === true), { ...raw, specs: specsOf(args, ctx) }, names);
  await checkLogsOutputs(o, o.specs);
  if (ctx.header && !o.quiet) process.stderr.write(ctx.header());
  // The output is opened inside the interrupt scope: a Ctrl-C from then on leaves an existing file as it was.
  const res = await withInterrupt(async (signal) => {
    const out = await outputFor(o.output);
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

/** `logs summarize`. */
export async function summarizeAction(args: string[], raw: Raw, names: KeyNames, ctx: LogsContext = {}): Promise<number> {
  const schema = summarizeCommandSchema(Date.now(), process.stdout.isTTY === true || ctx.forPeople === true);
  const { source: o, top: n, format } = parseOptions(schema, { ...raw, specs: specsOf(args, ctx) }, names);
  await checkLogsOutputs(o, o.specs);
  if (ctx.header && !o.quiet) process.stderr.write(ctx.header());
  const sum = new Summarizer(n);
  const res = await withInterrupt((signal) => runRead(o, { signal, ...(ctx.s3 ? { s3: ctx.s3 } : {}) }, (r) => sum.add(r)));
  const out = await outputFor(o.output);
  const { failures, ...totals } = res.totals;
  const report: SummaryReport = { totals, failures, ...sum.result() };
  if (format === "json") out.write(`${safeJson(report)}\n`);
  else if (format === "markdown") out.write(renderSummaryMarkdown(report));
  else out.write(renderSummaryTable(report, createStyle(o.output === undefined && colorEnabled(process.stdout))));
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

/** `logs query`. */
export async function queryAction(args: string[], raw: Raw, names: KeyNames, ctx: LogsContext = {}): Promise<number> {
  // With --example every argument is a SOURCE; else the first one is the SQL.
  const withExample = typeof raw.example === "string";
  const specs = withExample ? args : args.slice(1);
  const sqlArg = withExample ? undefined : args[0];
  const q = parseOptions(queryCommandSchema(Date.now(), process.stdout.isTTY === true), { ...raw, sql: sqlArg, specs: specsOf(specs, ctx) }, names);
  const o = q.source;
  const format = q.format;
  let sql = q.sql ?? "";
  if (q.example !== undefined) {
    const example = exampleQuery(q.example);
    sql = fillParams(example.duckdb, example, q.params);
  }
  await checkLogsOutputs(o, o.specs);
  const { LogsDb } = await import("../../logs/duckdb.js");
  const db = await LogsDb.open();
  try {
    if (ctx.header && !o.quiet) process.stderr.write(ctx.header());
    const res = await withInterrupt((signal) => runRead(o, { signal, ...(ctx.s3 ? { s3: ctx.s3 } : {}) }, (r) => db.append(r)));
    if (res.exitCode === 2 || res.exitCode === 3) return res.exitCode;
    const result = await db.query(sql);
    const out = await outputFor(o.output);
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

/** The log locations to generate DDL for: explicit, or found by a scan (live or --from-snapshot). */
async function athenaTargets(o: AthenaCommandOptions): Promise<AthenaTarget[]> {
  if (o.explicit) return [o.explicit];
  const scan = o.scan;
  const result = await withInterrupt((signal) => runScan(scan, { signal, progress: scan.quiet ? "none" : "auto" }));
  let targets = targetsFromSnapshot(result.snapshot);
  if (o.bucket !== undefined) targets = targets.filter((t) => t.logBucket === o.bucket);
  if (targets.length === 0) throw new InputError(o.bucket !== undefined ? `no bucket logs into ${o.bucket}` : "no bucket has server access logging enabled");
  return targets;
}

/** `logs athena`. */
export async function athenaAction(raw: Raw, names: KeyNames): Promise<number> {
  const o = parseOptions(athenaCommandSchema({ catalog: catalogMetas() }), raw, names);
  await checkLogsOutputs(o, [], named([["--from-snapshot", o.fromSnapshot]]));
  const targets = await athenaTargets(o);
  const table = o.table;
  if (table !== undefined && targets.length > 1) throw new InputError(`--table names one table but ${targets.length} log locations were found (narrow with --bucket)`);
  const ddl = targets
    .map((t) => athenaDdl(t, { database: o.database, version: TOOL_VERSION, ...(table !== undefined ? { table } : {}) }))
    .join("\n-- ------------------------------------------------------------------------\n\n");
  const out = await outputFor(o.output);
  out.write(ddl);
  await out.end();
  if (o.output !== undefined && !o.quiet) process.stderr.write(`Athena DDL for ${targets.length} log location${targets.length === 1 ? "" : "s"} written to ${o.output}\n`);
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
  addSourceFlags(parse, { credentials });
  addRecordFormatFlags(parse);
  parse.action(async (args: string[]) => run(() => withCtx((ctx) => parseAction(args, parse.opts(), flagNames(parse as never), ctx))));

  const summarize = parent
    .command("summarize")
    .description("who did what: operations, requesters, IPs, errors and 403s, deletions, anonymous, SigV2 / old TLS, hourly activity")
    .argument(demo ? "[SOURCE...]" : "<SOURCE...>", "log files, directories, - (stdin), s3://bucket/prefix")
    .addOption(new Option("-f, --format <format>", "table (default on a terminal), json (default otherwise), markdown").choices(SUMMARY_FORMATS))
    .option("-o, --output <file>", "write to FILE instead of stdout")
    .option("--top <n>", "entries per ranking (default 10)")
    .addHelpText("after", SOURCE_HELP);
  addSourceFlags(summarize, { credentials });
  summarize.action(async (args: string[]) => run(() => withCtx((ctx) => summarizeAction(args, summarize.opts(), flagNames(summarize as never), ctx))));

  const query = parent
    .command("query")
    .description("SQL over the records (DuckDB, in memory): a table named logs with the Athena column names and types")
    .argument("[SQL]", "one SQL statement over the table logs (omit with --example)")
    .argument("[SOURCE...]", "log files, directories, - (stdin), s3://bucket/prefix")
    .option("--example <id>", `run a shipped example query (${EXAMPLE_QUERIES.map((q) => q.id).join(", ")}); then every argument is a SOURCE`)
    .option("--param <name=value>", "a parameter of --example, e.g. principal=arn:aws:iam::111122223333:user/alice", (v: string, prev: string[] | undefined) => [...(prev ?? []), v])
    .option("--list-examples", "print the example queries and exit")
    .addHelpText("after", `${SOURCE_HELP}\nColumns: the Athena names; '-' is NULL, httpstatus/bytessent/objectsize/totaltime/turnaroundtime are integers,\nrequestdatetime a TIMESTAMP (UTC), extra a VARCHAR[], plus _line and _source. SQL errors exit 2.`);
  addSourceFlags(query, { credentials });
  addRecordFormatFlags(query);
  query.action(async (sql: string | undefined, sources: string[]) => {
    const raw = query.opts() as Raw;
    if (raw.listExamples === true) {
      process.stdout.write(renderExamples());
      return;
    }
    const args = [...(sql === undefined ? [] : [sql]), ...sources];
    await run(() => withCtx((ctx) => queryAction(args, raw, flagNames(query as never), ctx)));
  });

  if (demo) return;
  const athena = parent
    .command("athena")
    .description("the Athena DDL for a log bucket: raw table (tolerant regex, partition projection), typed view, example queries")
    .addHelpText(
      "after",
      `
What the tool knows decides the DDL: --from-snapshot FILE, a live scan (--org, --accounts … as
for scan), or --bucket NAME --prefix P --key-format simple|partitioned. Partitioned keys get
partition projection (enum values from the scan, injected otherwise); simple keys a table at
the prefix.`,
    );
  addAthenaFlags(athena);
  addTargetFlags(athena);
  athena.action(async () => run(() => athenaAction(athena.opts(), flagNames(athena as never))));
}

/** `logs …`. */
export function registerLogs(program: Command): void {
  const logs = program
    .command("logs")
    .description("read S3 server access log records: parse, summarize, query with SQL, generate the Athena table");
  addLogsSubcommands(logs, plainContext, false);
}

