/**
 * The reading half shared by `logs parse`, `summarize` and `query` (and their `demo logs`
 * forms): SOURCE arguments → sources (S3 through the scan's client pool, loaded only when an
 * s3:// source is given), rejected lines reported on stderr and kept in --rejects, failures
 * reported, and the exit code: 3 when an AWS read failed, 2 when a local input failed, 1 with
 * --strict when a line was rejected, else 0.
 */
import type { AwsCredentialIdentity } from "@aws-sdk/types";
import { buildFilter } from "../logs/filter.js";
import { localSource } from "../logs/local.js";
import type { LogSource, ReadTotals, SourceFailure } from "../logs/read.js";
import { readSources } from "../logs/read.js";
import type { LogRecord, RejectedLine } from "../logs/record.js";
import { escapeControl, safeJson } from "../logs/render.js";
import type { S3Sources } from "../logs/s3.js";
import type { SourceOptions } from "./options/logs.js";
import { TextOut } from "./logs-output.js";

/** What the demo adds: the simulator's endpoint and dummy keys, and each bucket's owner. */
export interface S3Context {
  credentials?: AwsCredentialIdentity;
  region?: string;
  endpointUrl?: string;
  accountFor?: (bucket: string) => string | undefined;
}

export interface RunIO {
  signal?: AbortSignal;
  stderr?: NodeJS.WritableStream;
  s3?: S3Context;
  /** Awaited after each input chunk (output backpressure). */
  afterChunk?: () => Promise<void> | void;
  /** True when the consumer wants no more records (the reader went away). */
  stopped?: () => boolean;
}

export interface RunResult {
  totals: ReadTotals;
  exitCode: number;
}

const SHOWN_REJECTS = 5;

/** Turns SOURCE arguments into sources; call `close()` afterwards. */
export async function openSources(o: SourceOptions, io: RunIO): Promise<{ sources: LogSource[]; close: () => void }> {
  const window = { ...(o.filter.since !== undefined ? { since: o.filter.since } : {}), ...(o.filter.until !== undefined ? { until: o.filter.until } : {}) };
  let s3: S3Sources | undefined;
  let mod: typeof import("../logs/s3.js") | undefined;
  const sources: LogSource[] = [];
  try {
    for (const spec of o.specs) {
      if (spec.startsWith("s3://")) {
        mod ??= await import("../logs/s3.js");
        mod.parseS3Url(spec);
        if (!s3) {
          const ctx = io.s3 ?? {};
          s3 = new mod.S3Sources({
            ...o.s3,
            ...window,
            ...(ctx.endpointUrl ? { endpointUrl: ctx.endpointUrl } : {}),
            ...(ctx.credentials ? { credentials: async () => ctx.credentials as AwsCredentialIdentity } : {}),
            ...(ctx.region ? { region: ctx.region } : {}),
            ...(ctx.accountFor ? { accountFor: ctx.accountFor } : {}),
            ...(o.s3.concurrency ? { fetchConcurrency: o.s3.concurrency } : {}),
            ...(io.signal ? { signal: io.signal } : {}),
          });
        }
        sources.push(s3.source(spec));
      } else {
        sources.push(await localSource(spec, window));
      }
    }
  } catch (err) {
    s3?.close();
    throw err;
  }
  return { sources, close: () => s3?.close() };
}

function failureLine(f: SourceFailure): string {
  const what = [f.operation, f.code].filter(Boolean).join(" ");
  return `could not read ${escapeControl(f.source)}: ${what ? `${escapeControl(what)}: ` : ""}${escapeControl(f.message)}`;
}

/** The exit code for what happened while reading. */
export function readExitCode(t: ReadTotals, strict: boolean): number {
  if (t.failures.some((f) => f.kind === "aws")) return 3;
  if (t.failures.length > 0) return 2;
  if (strict && t.rejected > 0) return 1;
  return 0;
}

/** Reads every source, handing matching records to `onRecord`; reports rejects and failures. */
export async function runRead(o: SourceOptions, io: RunIO, onRecord: (r: LogRecord, plain: boolean) => void): Promise<RunResult> {
  const stderr = io.stderr ?? process.stderr;
  const rejectsOut = o.rejects ? await TextOut.file(o.rejects, "--rejects") : undefined;
  const shown: RejectedLine[] = [];
  const { sources, close } = await openSources(o, io);
  let totals: ReadTotals;
  let complete = false;
  try {
    const controller = new AbortController();
    const signal = io.signal ? AbortSignal.any([io.signal, controller.signal]) : controller.signal;
    totals = await readSources(sources, {
      filter: buildFilter(o.filter),
      onRecord,
      onReject: (r) => {
        if (shown.length < SHOWN_REJECTS) shown.push(r);
        rejectsOut?.write(`${safeJson({ source: r.source, line: r.line, reason: r.reason, text: r.text })}\n`);
      },
      afterChunk: async () => {
        if (io.stopped?.()) controller.abort();
        await io.afterChunk?.();
        await rejectsOut?.flush();
      },
      signal,
    });
    complete = !io.signal?.aborted;
  } finally {
    close();
    // An interrupted or failed read keeps a previous rejects file as it was.
    if (complete) await rejectsOut?.end();
    else await rejectsOut?.abort();
  }
  if (io.signal?.aborted) throw io.signal.reason;
  if (totals.rejected > 0) {
    const more = totals.rejected > shown.length ? ` (first ${shown.length} below${o.rejects ? "" : "; --rejects FILE keeps them all"})` : "";
    stderr.write(`${totals.rejected} line${totals.rejected === 1 ? "" : "s"} could not be parsed${more}:\n`);
    for (const r of shown) stderr.write(`  ${escapeControl(r.source)}:${r.line}: ${escapeControl(r.reason)}\n`);
  }
  for (const f of totals.failures) stderr.write(`${failureLine(f)}\n`);
  return { totals, exitCode: readExitCode(totals, o.strict) };
}

/** The one-line note of what was read (stderr, unless --quiet). */
export function totalsNote(t: ReadTotals): string {
  const parts = [`read ${t.inputs} input${t.inputs === 1 ? "" : "s"} (${t.bytes} bytes)`, `${t.records} records`];
  if (t.matched !== t.records) parts.push(`${t.matched} matched`);
  if (t.rejected) parts.push(`${t.rejected} rejected`);
  if (t.skippedByTime) parts.push(`${t.skippedByTime} log objects skipped by the time in their key`);
  if (t.skippedNotLogs) parts.push(`${t.skippedNotLogs} non-log objects skipped`);
  return `${parts.join(", ")}\n`;
}
