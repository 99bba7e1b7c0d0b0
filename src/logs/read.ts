/**
 * Reading log sources: every input (a file, stdin, an S3 object) is inflated if gzipped, split
 * into lines, parsed, filtered and handed to the consumer; rejected lines are counted and passed
 * on with their source, line number and reason. A source that cannot be read is a failure value
 * (with its AWS operation and code when there is one), never an exception that stops the run.
 */
import { describeError } from "../base/errors.js";
import type { RecordFilter } from "./filter.js";
import { maybeGunzip, readLines } from "./lines.js";
import { cleanLine, parseLine } from "./parse.js";
import type { LogRecord, RejectedLine } from "./record.js";

/** One readable stream of log lines. */
export interface LogInput {
  /** Shown in `_source`: a path, `-`, or `s3://bucket/key`. */
  name: string;
  /** The raw bytes (gzip or plain). Throws when the input cannot be opened. */
  open(): Promise<AsyncIterable<Uint8Array>>;
}

/** Why a source or one of its inputs could not be read. */
export interface SourceFailure {
  source: string;
  /** `aws` → exit 3; `input` (a local file) → exit 2. */
  kind: "aws" | "input";
  operation?: string;
  code?: string;
  message: string;
}

/** A SOURCE argument, expanded lazily into inputs. */
export interface LogSource {
  name: string;
  inputs(counters: SourceCounters): AsyncIterable<LogInput>;
  /** Turns an error of this source (listing, opening, reading) into a failure value. */
  failure(input: string, err: unknown): SourceFailure;
}

/** What the sources skipped before reading. */
export interface SourceCounters {
  /** Objects or files whose key time is outside --since/--until. */
  skippedByTime: number;
  /** Objects or files in a listing whose names are not log object keys. */
  skippedNotLogs: number;
}

export interface ReadOptions {
  filter?: RecordFilter | undefined;
  /** `plain`: the record's text is ASCII without DEL (nothing for a JSON writer to escape beyond JSON's own). */
  onRecord: (r: LogRecord, plain: boolean) => void;
  onReject?: (r: RejectedLine) => void;
  /** Awaited after every chunk: the consumer's backpressure. */
  afterChunk?: () => Promise<void> | void;
  signal?: AbortSignal;
}

export interface ReadTotals extends SourceCounters {
  inputs: number;
  bytes: number;
  lines: number;
  records: number;
  matched: number;
  rejected: number;
  failures: SourceFailure[];
}

/** A failure for a local file or stdin. */
export function inputFailure(source: string, err: unknown): SourceFailure {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return { source, kind: "input", ...(code ? { code } : {}), message: describeError(err) };
}

/**
 * The chunks of `src` until `signal` aborts: a pending read (an idle pipe, a slow download) is
 * abandoned at once and the source closed, so Ctrl-C never waits for the end of an input.
 */
export async function* untilAborted<T>(src: AsyncIterable<T>, signal: AbortSignal | undefined): AsyncGenerator<T> {
  if (!signal) {
    yield* src;
    return;
  }
  const it = src[Symbol.asyncIterator]();
  let onAbort: () => void = () => undefined;
  const aborted = new Promise<IteratorResult<T>>((resolve) => {
    onAbort = () => resolve({ done: true, value: undefined });
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    while (!signal.aborted) {
      const r = await Promise.race([it.next(), aborted]);
      if (r.done) return;
      yield r.value;
    }
  } finally {
    signal.removeEventListener("abort", onAbort);
    // Closing a source with a read pending must not wait for that read.
    void Promise.resolve(it.return?.()).catch(() => undefined);
  }
}

/** Reads every source in order; never throws for what is in the data or for unreadable inputs. */
export async function readSources(sources: readonly LogSource[], opts: ReadOptions): Promise<ReadTotals> {
  const t: ReadTotals = { inputs: 0, bytes: 0, lines: 0, records: 0, matched: 0, rejected: 0, failures: [], skippedByTime: 0, skippedNotLogs: 0 };
  const { filter, onRecord, onReject } = opts;
  for (const source of sources) {
    if (opts.signal?.aborted) break;
    let current = source.name;
    try {
      for await (const input of source.inputs(t)) {
        if (opts.signal?.aborted) break;
        current = input.name;
        const name = input.name;
        t.inputs++;
        let plain = false;
        const onChunk = (p: boolean) => {
          plain = p;
        };
        const onLine = (text: string, line: number) => {
          const s = cleanLine(text);
          if (s === "") return;
          t.lines++;
          const r = parseLine(s, name, line);
          if (typeof r === "string") {
            t.rejected++;
            onReject?.({ source: name, line, reason: r, text: s });
            return;
          }
          t.records++;
          if (filter && !filter(r)) return;
          t.matched++;
          onRecord(r, plain);
        };
        try {
          t.bytes += await readLines(maybeGunzip(untilAborted(await input.open(), opts.signal)), onLine, opts.afterChunk, onChunk);
        } catch (err) {
          t.failures.push(source.failure(name, err));
        }
        current = source.name;
      }
    } catch (err) {
      t.failures.push(source.failure(current, err));
    }
  }
  return t;
}
