/**
 * Record filters: bucket, operation glob, status (`4xx`, `403`, `5xx,404`), requester glob
 * (`-` = anonymous) and a time range. Built once from validated options, applied per record.
 */
import picomatch from "picomatch";
import { InputError } from "../base/errors.js";
import type { LogRecord } from "./record.js";

export interface FilterOptions {
  buckets?: string[];
  operations?: string[];
  statuses?: string[];
  requesters?: string[];
  /** Epoch ms, inclusive. */
  since?: number;
  /** Epoch ms, inclusive. */
  until?: number;
}

export type RecordFilter = (r: LogRecord) => boolean;

/** A glob matcher where `*` also crosses `/` and `:` (ARNs, keys), case-sensitive unless told. */
function globs(patterns: string[], nocase: boolean): (s: string) => boolean {
  const ms = patterns.map((p) => picomatch(p, { bash: true, dot: true, nocase }));
  return (s) => ms.some((m) => m(s));
}

/** `4xx` → [400, 499]; `403` → [403, 403]. */
export function parseStatusPattern(p: string): [number, number] {
  const s = p.trim().toLowerCase();
  if (/^[1-5]xx$/.test(s)) {
    const base = Number(s[0]) * 100;
    return [base, base + 99];
  }
  if (/^[1-5]\d\d$/.test(s)) return [Number(s), Number(s)];
  throw new InputError(`a status must be a code like 403 or a class like 4xx, got "${p}"`);
}

/** ISO-8601 date/time (UTC unless it has an offset) or a relative duration back from `now` (`90m`, `24h`, `7d`). */
export function parseTimeBound(raw: string, what: string, now = Date.now()): number {
  const s = raw.trim();
  const rel = /^(\d+)\s*(m|h|d|w)$/i.exec(s);
  if (rel) {
    const unit = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }[(rel[2] as string).toLowerCase() as "m" | "h" | "d" | "w"];
    return now - Number(rel[1]) * unit;
  }
  if (/^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/i.test(s)) {
    const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(s) && s.length > 10;
    const t = Date.parse(hasZone || s.length === 10 ? s.replace(" ", "T") : `${s.replace(" ", "T")}Z`);
    if (Number.isFinite(t)) return t;
  }
  throw new InputError(`${what} must be an ISO-8601 date or time (2026-11-30, 2026-11-30T12:00Z) or a duration like 24h or 7d, got "${raw}"`);
}

/** The filter for these options, or undefined when there is nothing to filter. */
export function buildFilter(o: FilterOptions): RecordFilter | undefined {
  const tests: RecordFilter[] = [];
  if (o.buckets?.length) {
    const m = globs(o.buckets, false);
    tests.push((r) => r.bucket_name !== null && m(r.bucket_name));
  }
  if (o.operations?.length) {
    const m = globs(o.operations, true);
    tests.push((r) => r.operation !== null && m(r.operation));
  }
  if (o.statuses?.length) {
    const ranges = o.statuses.map(parseStatusPattern);
    tests.push((r) => r.httpstatus !== null && ranges.some(([lo, hi]) => (r.httpstatus as number) >= lo && (r.httpstatus as number) <= hi));
  }
  if (o.requesters?.length) {
    const m = globs(o.requesters, false);
    tests.push((r) => m(r.requester ?? "-"));
  }
  if (o.since !== undefined || o.until !== undefined) {
    const since = o.since === undefined ? undefined : isoSecond(Math.ceil(o.since / 1000) * 1000);
    const until = o.until === undefined ? undefined : isoSecond(o.until);
    tests.push((r) => {
      const t = r.requestdatetime;
      if (t === null) return false;
      return (since === undefined || t >= since) && (until === undefined || t <= until);
    });
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (r) => tests.every((t) => t(r));
}

/** Epoch ms → the record time format (`2019-02-06T00:00:38Z`), so bounds compare as strings. */
function isoSecond(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(".000Z", "Z");
}
