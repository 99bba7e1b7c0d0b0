/**
 * `logs summarize`: the questions people open logs for, per source bucket and overall, computed
 * in one streaming pass (memory grows with distinct requesters / IPs / error codes, not records).
 * Counts are of records as delivered: S3 may deliver a record twice (reference §5.3 item 7).
 */
import type { LogRecord } from "./record.js";

export type RequesterKind = "iam" | "canonical" | "service" | "anonymous" | "other";

/** What kind of principal a requester field names. */
export function requesterKind(r: string | null): RequesterKind {
  if (r === null) return "anonymous";
  if (r.startsWith("arn:")) return "iam";
  if (/^[0-9a-f]{64}$/.test(r)) return "canonical";
  if (r.startsWith("svc:") || r.endsWith(".amazonaws.com")) return "service";
  return "other";
}

/** True for operations that delete something (objects, versions, markers, buckets, configuration). */
export function isDeletion(op: string | null): boolean {
  if (op === null) return false;
  // REST.POST.MULTI_OBJECT_DELETE is the request; each key it deleted has its own BATCH.DELETE.OBJECT record.
  return op.includes(".DELETE.") || op.startsWith("S3.EXPIRE.") || op === "S3.CREATE.DELETEMARKER";
}

/** TLS below 1.2 (`TLSv1`, `TLSv1.1`; any case). */
export function isOldTls(v: string | null): boolean {
  if (v === null) return false;
  const m = /^tlsv?(\d+)(?:\.(\d+))?$/i.exec(v);
  if (!m) return false;
  const major = Number(m[1]);
  const minor = Number(m[2] ?? 0);
  return major < 1 || (major === 1 && minor < 2);
}

export interface Deletion {
  time: string | null;
  bucket: string | null;
  operation: string;
  key: string | null;
  requester: string | null;
  status: number | null;
}

/** Running totals of one scope (a bucket, or everything). */
export class Tally {
  records = 0;
  first: string | null = null;
  last: string | null = null;
  bytesSent = 0;
  readonly operations = new Map<string, number>();
  readonly requesters = new Map<string, number>();
  readonly requesterKinds = new Map<RequesterKind, number>();
  readonly remoteIps = new Map<string, number>();
  readonly statusClasses = new Map<string, number>();
  readonly errorCodes = new Map<string, number>();
  readonly forbiddenBy = new Map<string, number>();
  readonly bytesByIp = new Map<string, number>();
  deletions = 0;
  readonly deletionsBy = new Map<string, number>();
  recentDeletions: Deletion[] = [];
  anonymous = 0;
  readonly anonymousOps = new Map<string, number>();
  readonly sigv2 = new Map<string, number>();
  readonly oldTls = new Map<string, number>();
  readonly hourly = new Map<string, number>();

  constructor(private readonly keepDeletions: number) {}

  add(r: LogRecord): void {
    this.records++;
    const t = r.requestdatetime;
    if (t !== null) {
      if (this.first === null || t < this.first) this.first = t;
      if (this.last === null || t > this.last) this.last = t;
      bump(this.hourly, `${t.slice(0, 13)}:00Z`);
    }
    const who = r.requester ?? "-";
    const op = r.operation ?? "-";
    const ip = r.remoteip ?? "-";
    bump(this.operations, op);
    bump(this.requesters, who);
    bump(this.requesterKinds, requesterKind(r.requester));
    bump(this.remoteIps, ip);
    const st = r.httpstatus;
    bump(this.statusClasses, st === null ? "-" : `${Math.floor(st / 100)}xx`);
    if (r.errorcode !== null) bump(this.errorCodes, r.errorcode);
    if (st === 403) bump(this.forbiddenBy, who);
    if (r.bytessent !== null) {
      this.bytesSent += r.bytessent;
      bump(this.bytesByIp, ip, r.bytessent);
    }
    if (isDeletion(r.operation) && (st === null || st < 400)) {
      this.deletions++;
      bump(this.deletionsBy, who);
      const d = (x: string | null) => (x === null ? null : detached(x));
      this.keepDeletion({ time: d(t), bucket: d(r.bucket_name), operation: detached(op), key: d(r.key), requester: d(r.requester), status: st });
    }
    if (r.requester === null) {
      this.anonymous++;
      bump(this.anonymousOps, op);
    }
    if (r.sigv !== null && r.sigv.toLowerCase() === "sigv2") bump(this.sigv2, who);
    if (isOldTls(r.tlsversion)) bump(this.oldTls, `${who} (${r.tlsversion})`);
  }

  /** Keeps the latest `keepDeletions` deletions (by time), in bounded memory. */
  private keepDeletion(d: Deletion): void {
    this.recentDeletions.push(d);
    if (this.recentDeletions.length >= this.keepDeletions * 2) this.trimDeletions();
  }

  trimDeletions(): void {
    this.recentDeletions.sort((a, b) => ((b.time ?? "") < (a.time ?? "") ? -1 : (b.time ?? "") > (a.time ?? "") ? 1 : 0));
    this.recentDeletions = this.recentDeletions.slice(0, this.keepDeletions);
  }
}

/**
 * A copy of a string that does not keep its source alive: values sliced from a line share the
 * memory of the whole decoded chunk, and a Map key kept for the run would retain it.
 */
export function detached(s: string): string {
  return (` ${s}`).slice(1);
}

function bump<K>(m: Map<K, number>, k: K, by = 1): void {
  const v = m.get(k);
  if (v === undefined) m.set(typeof k === "string" ? (detached(k) as K) : k, by);
  else m.set(k, v + by);
}

export interface Ranked {
  value: string;
  count: number;
}

/** The top `n` entries by count (ties by value). */
export function top(m: Map<string, number>, n: number): Ranked[] {
  return [...m.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, n)
    .map(([value, count]) => ({ value, count }));
}

/** The summary of one scope, as plain data (the JSON output). */
export interface ScopeSummary {
  records: number;
  timeRange: { first: string | null; last: string | null };
  operations: Ranked[];
  requesters: Ranked[];
  requesterKinds: Record<string, number>;
  remoteIps: Ranked[];
  statusClasses: Record<string, number>;
  errorCodes: Ranked[];
  forbidden: { total: number; byRequester: Ranked[] };
  bytesSent: { total: number; byRemoteIp: Ranked[] };
  deletions: { total: number; byRequester: Ranked[]; latest: Deletion[] };
  anonymous: { total: number; byOperation: Ranked[] };
  sigv2: { total: number; byRequester: Ranked[] };
  tlsBelow12: { total: number; byRequester: Ranked[] };
  hourly: Record<string, number>;
}

function sum(m: Map<string, number>): number {
  let n = 0;
  for (const v of m.values()) n += v;
  return n;
}

function sortedRecord<K extends string>(m: Map<K, number>): Record<string, number> {
  return Object.fromEntries([...m.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)));
}

/** A tally as plain data with the top `n` of each ranking. */
export function scopeSummary(t: Tally, n: number): ScopeSummary {
  t.trimDeletions();
  return {
    records: t.records,
    timeRange: { first: t.first, last: t.last },
    operations: top(t.operations, n),
    requesters: top(t.requesters, n),
    requesterKinds: sortedRecord(t.requesterKinds),
    remoteIps: top(t.remoteIps, n),
    statusClasses: sortedRecord(t.statusClasses),
    errorCodes: top(t.errorCodes, n),
    forbidden: { total: sum(t.forbiddenBy), byRequester: top(t.forbiddenBy, n) },
    bytesSent: { total: t.bytesSent, byRemoteIp: top(t.bytesByIp, n) },
    deletions: { total: t.deletions, byRequester: top(t.deletionsBy, n), latest: t.recentDeletions },
    anonymous: { total: t.anonymous, byOperation: top(t.anonymousOps, n) },
    sigv2: { total: sum(t.sigv2), byRequester: top(t.sigv2, n) },
    tlsBelow12: { total: sum(t.oldTls), byRequester: top(t.oldTls, n) },
    hourly: sortedRecord(t.hourly),
  };
}

/** Summary of everything and of each source bucket. */
export class Summarizer {
  readonly overall: Tally;
  readonly buckets = new Map<string, Tally>();

  constructor(private readonly n: number) {
    this.overall = new Tally(n);
  }

  add(r: LogRecord): void {
    this.overall.add(r);
    const name = r.bucket_name ?? "-";
    let t = this.buckets.get(name);
    if (!t) {
      t = new Tally(this.n);
      this.buckets.set(detached(name), t);
    }
    t.add(r);
  }

  /** Plain data: overall and per bucket (sorted by name). */
  result(): { overall: ScopeSummary; buckets: Record<string, ScopeSummary> } {
    const names = [...this.buckets.keys()].sort();
    return {
      overall: scopeSummary(this.overall, this.n),
      buckets: Object.fromEntries(names.map((b) => [b, scopeSummary(this.buckets.get(b) as Tally, this.n)])),
    };
  }
}
