/**
 * Flags of the `logs` commands, declared once and validated into typed options (bad values →
 * InputError, exit 2, one line).
 */
import { Command, Option } from "@commander-js/extra-typings";
import type { AwsAccess } from "../app/options.js";
import { InputError } from "../base/errors.js";
import { parseStatusPattern, parseTimeBound, type FilterOptions } from "../logs/filter.js";
import { accountId, positiveInt, regionName } from "./flag-values.js";
import { addAccessFlags, accessSchema } from "./options/access.js";
import { flagNames, parseOptions } from "./options/parse.js";
import { collectList } from "./options/target.js";

type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Raw = Record<string, unknown>;

export const RECORD_FORMATS = ["table", "jsonl", "json", "csv"] as const;
export type RecordFormat = "table" | "jsonl" | "csv";

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
}

/** Source, filter and credential flags (parse, summarize, query). */
export function addSourceOptions<C extends AnyCommand>(cmd: C, opts: { credentials: boolean }): C {
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

/** `--format` for commands that print records. */
export function addRecordFormatOption<C extends AnyCommand>(cmd: C): C {
  cmd.addOption(new Option("-f, --format <format>", "output: table (default on a terminal), jsonl (default otherwise; json is the same), csv").choices(RECORD_FORMATS));
  cmd.option("-o, --output <file>", "write to FILE instead of stdout");
  return cmd;
}

/** The record format: explicit, else table on a terminal, else JSON lines. */
export function recordFormat(raw: Raw, stdoutIsTTY: boolean): RecordFormat {
  const f = raw.format as string | undefined;
  if (f === "json" || f === "jsonl") return "jsonl";
  if (f === "csv" || f === "table") return f;
  if (typeof raw.output === "string") return raw.output.toLowerCase().endsWith(".csv") ? "csv" : "jsonl";
  return stdoutIsTTY ? "table" : "jsonl";
}

function list(raw: Raw, k: string): string[] | undefined {
  const v = raw[k] as string[] | undefined;
  return v && v.length > 0 ? [...new Set(v)] : undefined;
}

/** Validates the source/filter/credential flags and the SOURCE arguments. */
export function parseSourceOptions(specs: string[], raw: Raw, now = Date.now()): SourceOptions {
  if (specs.length === 0) throw new InputError("no SOURCE given (a file, a directory, - for stdin, or s3://bucket/prefix)");
  if (specs.filter((s) => s === "-").length > 1) throw new InputError("- (stdin) can be given only once");
  const filter: FilterOptions = {};
  const buckets = list(raw, "bucket");
  if (buckets) filter.buckets = buckets;
  const operations = list(raw, "operation");
  if (operations) filter.operations = operations;
  const statuses = list(raw, "status");
  if (statuses) {
    for (const s of statuses) {
      try {
        parseStatusPattern(s);
      } catch {
        throw new InputError(`--status must be codes like 403 or classes like 4xx, got "${s}"`);
      }
    }
    filter.statuses = statuses;
  }
  const requesters = list(raw, "requester");
  if (requesters) filter.requesters = requesters;
  if (typeof raw.since === "string") filter.since = timeFlag("--since", raw.since, now);
  if (typeof raw.until === "string") filter.until = timeFlag("--until", raw.until, now);
  if (filter.since !== undefined && filter.until !== undefined && filter.since > filter.until) throw new InputError("--since is after --until");
  const s3: S3Access = parseOptions(accessSchema, raw, flagNames(new Command()));
  if (typeof raw.account === "string") s3.account = accountId(raw.account, "--account");
  if (typeof raw.region === "string") s3.bucketRegion = regionName(raw.region, "--region");
  const concurrency = positiveInt("--concurrency", raw.concurrency, 64);
  if (concurrency) s3.concurrency = concurrency;
  const o: SourceOptions = { specs, filter, s3, strict: raw.strict === true, quiet: raw.quiet === true };
  if (typeof raw.rejects === "string") o.rejects = raw.rejects;
  return o;
}

function timeFlag(flag: string, v: string, now: number): number {
  try {
    return parseTimeBound(v, flag, now);
  } catch {
    throw new InputError(`${flag} must be an ISO-8601 date or time (2026-11-30, 2026-11-30T12:00Z) or a duration like 24h or 7d, got "${v}"`);
  }
}
