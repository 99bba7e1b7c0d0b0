/**
 * The options of the `logs` commands (and `demo logs …`): the source, filter and credential flag
 * group of parse, summarize and query, declared on commander and validated by zod here, once;
 * each command's schema extends it with its own output flags.
 */
import { Option, type Command } from "@commander-js/extra-typings";
import { z } from "zod";
import { accessOf, type AwsAccess, type ScanOptions } from "../../app/options.js";
import type { AthenaTarget } from "../../logs/athena.js";
import { parseStatusPattern, parseTimeBound, type FilterOptions } from "../../logs/filter.js";
import { accessShape, addAccessFlags } from "./access.js";
import { definedOnly } from "./parse.js";
import { deliveryShape } from "./delivery.js";
import { checkScan, scanOptionsOf, type ScanContext } from "./scan.js";
import { collectList, targetShape } from "./target.js";
import { accountId, fileName, flag, integer, list, regionName } from "./values.js";

type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export const RECORD_FORMATS = ["table", "jsonl", "json", "csv"] as const;
export type RecordFormat = "table" | "jsonl" | "csv";
export const SUMMARY_FORMATS = ["table", "json", "markdown"] as const;

/** How S3 sources are reached (the scan's credential handling: the same access options). */
export interface S3Access extends AwsAccess {
  account?: string;
  bucketRegion?: string;
  concurrency?: number;
}

export interface SourceOptions {
  specs: string[];
  filter: FilterOptions;
  s3: S3Access;
  strict: boolean;
  rejects?: string;
  quiet: boolean;
  /** --output, when given. */
  output?: string;
}

/** Declares the source, filter and (unless the demo) credential flags of parse, summarize and query. */
export function addSourceFlags<C extends AnyCommand>(cmd: C, opts: { credentials: boolean }): C {
  cmd
    .option("--bucket <glob>", "only records of these source buckets (glob; comma-separated or repeated)", collectList)
    .option("--operation <glob>", "only these operations, e.g. 'REST.DELETE.*' (glob, any case)", collectList)
    .option("--status <codes>", "only these HTTP statuses: 403, 4xx, '5xx,404'", collectList)
    .option("--requester <glob>", "only these requesters (glob over the ARN or canonical id; '-' = anonymous)", collectList)
    .option("--since <time>", "only records at or after TIME (ISO-8601, or 24h / 7d ago); also skips older log objects")
    .option("--until <time>", "only records at or before TIME (ISO-8601, or 24h / 7d ago)")
    .option("--strict", "exit 1 when any line could not be parsed")
    .option("--rejects <file>", "write every line that could not be parsed to FILE (JSON lines: source, line, reason, text)");
  if (opts.credentials) {
    cmd
      .option("--account <id>", "s3:// sources: the account that owns the log bucket (the role is assumed there)")
      .option("--region <region>", "s3:// sources: the log bucket's Region (default: asked with GetBucketLocation)");
    addAccessFlags(cmd, "role assumed in another --account");
  }
  cmd
    .option("--concurrency <n>", "s3:// sources: objects downloaded in parallel (default 8)")
    .option("-q, --quiet", "no notes on stderr (rejected lines and failures are still reported)");
  return cmd;
}

/** Declares `--format` and `--output` of the commands that print records. */
export function addRecordFormatFlags<C extends AnyCommand>(cmd: C): C {
  cmd.addOption(new Option("-f, --format <format>", "output: table (default on a terminal), jsonl (default otherwise; json is the same), csv").choices(RECORD_FORMATS));
  cmd.option("-o, --output <file>", "write to FILE instead of stdout");
  return cmd;
}

const statusPattern = z.string().superRefine((s, ctx) => {
  try {
    parseStatusPattern(s);
  } catch {
    ctx.addIssue({ code: "custom", message: `{flag} must be codes like 403 or classes like 4xx, got "${s}"` });
  }
});

/** A time bound: ISO-8601, or a duration before `now`; in epoch milliseconds. */
function timeBound(now: number) {
  return z.string().transform((v, ctx) => {
    try {
      return parseTimeBound(v, "time", now);
    } catch {
      ctx.addIssue({ code: "custom", message: `{flag} must be an ISO-8601 date or time (2026-11-30, 2026-11-30T12:00Z) or a duration like 24h or 7d, got "${v}"` });
      return z.NEVER;
    }
  });
}

/** The zod shape of the source flags (and the SOURCE arguments, key `specs`). */
function sourceShape(now: number) {
  return {
    specs: z.array(z.string()),
    bucket: list(z.string()).optional(),
    operation: list(z.string()).optional(),
    status: list(statusPattern).optional(),
    requester: list(z.string()).optional(),
    since: timeBound(now).optional(),
    until: timeBound(now).optional(),
    strict: flag,
    rejects: fileName.optional(),
    account: accountId.optional(),
    region: regionName.optional(),
    ...accessShape,
    concurrency: integer(1, 64).optional(),
    quiet: flag,
    output: fileName.optional(),
  };
}

type SourceValues = z.output<z.ZodObject<ReturnType<typeof sourceShape>>>;

/** Cross-flag rules of the source flags and the SOURCE arguments. */
function checkSources(v: SourceValues, ctx: z.RefinementCtx): void {
  if (v.specs.length === 0) ctx.addIssue({ code: "custom", path: [], message: "no SOURCE given (a file, a directory, - for stdin, or s3://bucket/prefix)" });
  if (v.specs.filter((s) => s === "-").length > 1) ctx.addIssue({ code: "custom", path: [], message: "- (stdin) can be given only once" });
  if (v.since !== undefined && v.until !== undefined && v.since > v.until) ctx.addIssue({ code: "custom", path: ["since"], message: "{flag} is after {flag:until}" });
}

/** The reading options of parsed source values. */
function sourceOptionsOf(v: SourceValues): SourceOptions {
  const filter: FilterOptions = definedOnly({ buckets: v.bucket, operations: v.operation, statuses: v.status, requesters: v.requester, since: v.since, until: v.until });
  const s3: S3Access = { ...accessOf(v), ...definedOnly({ account: v.account, bucketRegion: v.region, concurrency: v.concurrency }) };
  return { specs: v.specs, filter, s3, strict: v.strict, quiet: v.quiet, ...definedOnly({ rejects: v.rejects, output: v.output }) };
}

/** The record format: explicit, else from the --output extension, else table on a terminal, else JSON lines. */
function recordFormatOf(format: (typeof RECORD_FORMATS)[number] | undefined, output: string | undefined, stdoutIsTTY: boolean): RecordFormat {
  if (format === "json" || format === "jsonl") return "jsonl";
  if (format === "csv" || format === "table") return format;
  if (output !== undefined) return output.toLowerCase().endsWith(".csv") ? "csv" : "jsonl";
  return stdoutIsTTY ? "table" : "jsonl";
}

/** The schema of `logs parse`: the sources and the record format (`stdoutIsTTY`: table by default). */
export function parseCommandSchema(now: number, stdoutIsTTY: boolean) {
  return z
    .object({ ...sourceShape(now), format: z.enum(RECORD_FORMATS).optional() })
    .superRefine(checkSources)
    .transform((v) => ({ source: sourceOptionsOf(v), format: recordFormatOf(v.format, v.output, stdoutIsTTY && v.output === undefined) }));
}

/** The schema of `logs summarize`: the sources, the summary format and --top. */
export function summarizeCommandSchema(now: number, forPeople: boolean) {
  return z
    .object({ ...sourceShape(now), format: z.enum(SUMMARY_FORMATS).optional(), top: integer(1, 1000).default(10) })
    .superRefine(checkSources)
    .transform((v) => ({ source: sourceOptionsOf(v), top: v.top, format: v.format ?? (forPeople && v.output === undefined ? "table" : "json") }));
}

/** A parameter of an example query: NAME=VALUE. */
const param = z.string().transform((p, ctx): [string, string] => {
  const eq = p.indexOf("=");
  if (eq <= 0) {
    ctx.addIssue({ code: "custom", message: `{flag} must be NAME=VALUE, got "${p}"` });
    return z.NEVER;
  }
  return [p.slice(0, eq), p.slice(eq + 1)];
});

/** The schema of `logs query`: the SQL (or --example with its --param values), the sources, the record format. */
export function queryCommandSchema(now: number, stdoutIsTTY: boolean) {
  return z
    .object({ ...sourceShape(now), sql: z.string().optional(), format: z.enum(RECORD_FORMATS).optional(), example: z.string().optional(), param: z.array(param).optional() })
    .superRefine((v, ctx) => {
      if (v.example === undefined && (v.sql === undefined || v.sql.trim() === "")) ctx.addIssue({ code: "custom", path: [], message: "no SQL given (or use --example ID; --list-examples shows them)" });
      else checkSources(v, ctx);
    })
    .transform((v) => ({
      source: sourceOptionsOf(v),
      format: recordFormatOf(v.format, v.output, stdoutIsTTY && v.output === undefined),
      sql: v.sql,
      example: v.example,
      params: Object.fromEntries(v.param ?? []),
    }));
}

const KEY_FORMATS = ["simple", "partitioned"] as const;
const PARTITION_DATE_SOURCES = ["EventTime", "DeliveryTime"] as const;
const LOG_BUCKET_NAME_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/** Declares the flags of `logs athena` (its target flags come from ./target.ts). */
export function addAthenaFlags<C extends AnyCommand>(cmd: C): C {
  cmd
    .option("--bucket <name>", "the log (target) bucket; alone with --key-format: explicit mode; with a scan: only this log bucket")
    .option("--prefix <prefix>", "explicit mode: the target prefix (default empty)")
    .addOption(new Option("--key-format <format>", "explicit mode: the target object key format").choices(KEY_FORMATS))
    .addOption(new Option("--partition-date-source <source>", "explicit mode, partitioned: EventTime (default) or DeliveryTime").choices(PARTITION_DATE_SOURCES))
    .option("--database <name>", "Athena database (default s3_access_logs_db)")
    .option("--table <name>", "table name (default: from the log bucket and prefix)")
    .option("-o, --output <file>", "write the DDL to FILE instead of stdout");
  return cmd;
}

/** The typed options of `logs athena`: an explicit log location, or a scan (live or --from-snapshot) that finds them. */
export type AthenaCommandOptions = { database: string; table?: string | undefined; output?: string | undefined; quiet: boolean; fromSnapshot?: string | undefined } & (
  | { explicit: AthenaTarget; scan?: undefined; bucket?: undefined }
  | { explicit?: undefined; scan: ScanOptions; bucket?: string | undefined }
);

/** The schema of `logs athena`. */
export function athenaCommandSchema(c: ScanContext) {
  return z
    .object({
      ...targetShape,
      ...deliveryShape,
      bucket: z.string().optional(),
      prefix: z.string().optional(),
      keyFormat: z.enum(KEY_FORMATS).optional(),
      partitionDateSource: z.enum(PARTITION_DATE_SOURCES).optional(),
      database: z.string().default("s3_access_logs_db"),
      table: z.string().optional(),
      output: fileName.optional(),
    })
    .superRefine((v, ctx) => {
      if (isExplicit(v)) {
        if (!v.keyFormat)
          ctx.addIssue({ code: "custom", path: ["bucket"], message: "{flag} needs {flag:keyFormat} simple|partitioned (or use {flag:fromSnapshot} / a scan to learn it)" });
        else if (!LOG_BUCKET_NAME_RE.test(v.bucket ?? "")) ctx.addIssue({ code: "custom", path: ["bucket"], message: `{flag} is not a bucket name: "${v.bucket ?? ""}"` });
        return;
      }
      if (v.prefix !== undefined || v.keyFormat !== undefined || v.partitionDateSource !== undefined)
        ctx.addIssue({ code: "custom", path: [], message: "{flag:prefix} / {flag:keyFormat} / {flag:partitionDateSource} go with {flag:bucket} alone (not with a scan or {flag:fromSnapshot})" });
      checkScan(v, c, ctx);
    })
    .transform((v): AthenaCommandOptions => {
      const common = { database: v.database, table: v.table, output: v.output, quiet: v.quiet, fromSnapshot: v.fromSnapshot };
      if (!isExplicit(v)) return { ...common, scan: scanOptionsOf(v, c), bucket: v.bucket };
      const keyFormat = v.keyFormat ?? "simple";
      const explicit: AthenaTarget = { logBucket: v.bucket ?? "", prefix: v.prefix ?? "", keyFormat, sources: [] };
      if (keyFormat === "partitioned") explicit.partitionDateSource = v.partitionDateSource ?? "EventTime";
      return { ...common, explicit };
    });
}

/** Explicit mode: --bucket without anything that scans (--org, --accounts, --from-snapshot). */
function isExplicit(v: { org: boolean; accounts?: string[] | undefined; fromSnapshot?: string | undefined; bucket?: string | undefined }): boolean {
  return !v.org && v.accounts === undefined && v.fromSnapshot === undefined && v.bucket !== undefined;
}
