/**
 * Delivery evidence for `--check-delivery` (reference §1.6): after an account's configuration is
 * read, list each logging source's log objects in its target — once per distinct target + prefix,
 * inside the account's call bounds — and attribute them to sources:
 *   - simple keys `PREFIX` + `YYYY-MM-DD-hh-mm-ss-UNIQUE`: `ListObjectsV2(Prefix, StartAfter =
 *     PREFIX + time(since))`; when several sources share the prefix, a ranged GetObject of the
 *     first 4 KB of an object tells whose it is (field 2 of its first record; each object holds
 *     one source's records);
 *   - partitioned keys: the source's own root `PREFIX/ACCOUNT/REGION/BUCKET/`, from the day
 *     before `since` (EventTime keys carry the event day; recency is LastModified either way).
 * Only when that listing shows nothing does a second listing (no StartAfter) tell `stale` from
 * `none`. With an earlier snapshot, objects delivered after its canary are read (at most three per
 * source) for the canary's request id. A denied or failed call makes the source's evidence an
 * error (and an errors[] entry), never "nothing delivered".
 */
import { GetObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from "@aws-sdk/client-s3";
import type { Canary, DeliveryEvidence, DeliveryRead, LogObject } from "../model/delivery.js";
import type { BucketSnapshot, LoggingConfig, ReadError } from "../model/snapshot.js";

/** A call through the account's bounds; failures come back as a ReadError (already recorded). */
export type BoundedCall = <T>(region: string, bucket: string, operation: string, fn: (c: S3Client) => Promise<T>) => Promise<{ ok: true; value: T } | { ok: false; read: ReadError | { status: "absent"; code: string } }>;

/** What the earlier scan (--since-snapshot) knew about a source. */
export interface EarlierSource {
  canary: Canary;
  logging: LoggingConfig | null;
}

/** Options of the delivery check. */
export interface DeliveryCheck {
  windowMs: number;
  /** The scan's time (epoch ms). */
  now: number;
  /** bucketKey(account, name) → the earlier scan's view of that source. */
  earlier?: ReadonlyMap<string, EarlierSource>;
}

const pad = (n: number) => String(n).padStart(2, "0");
function keyStamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}-${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}`;
}
function dayPath(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}/${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}`;
}
const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
const NAME = String.raw`\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[A-Za-z0-9]+$`;

interface Group {
  target: BucketSnapshot;
  prefix: string;
  partitioned: boolean;
  shape: RegExp;
  sources: BucketSnapshot[];
}

/** Same logging configuration (target, prefix, key format) in both scans? */
function sameLogging(a: LoggingConfig | null, b: LoggingConfig): boolean {
  return !!a && a.targetBucket === b.targetBucket && a.targetPrefix === b.targetPrefix && JSON.stringify(a.keyFormat) === JSON.stringify(b.keyFormat);
}

function groupsOf(account: string, buckets: ReadonlyMap<string, BucketSnapshot>): { groups: Group[]; unlistable: BucketSnapshot[] } {
  const groups = new Map<string, Group>();
  const unlistable: BucketSnapshot[] = [];
  for (const b of buckets.values()) {
    if (b.inScope === false || b.logging.status !== "ok" || !b.logging.value) continue;
    const l = b.logging.value;
    const target = buckets.get(l.targetBucket);
    if (!target || target.region === "unknown") {
      unlistable.push(b);
      continue;
    }
    const partitioned = l.keyFormat.type === "partitioned";
    const prefix = partitioned ? `${l.targetPrefix}${account}/${b.region}/${b.name}/` : l.targetPrefix;
    const id = `${l.targetBucket}\u0000${prefix}\u0000${partitioned}`;
    let g = groups.get(id);
    if (!g) {
      const shape = new RegExp(`^${escapeRe(prefix)}${partitioned ? String.raw`\d{4}/\d{2}/\d{2}/` : ""}${NAME}`);
      groups.set(id, (g = { target, prefix, partitioned, shape, sources: [] }));
    }
    g.sources.push(b);
  }
  return { groups: [...groups.values()], unlistable };
}

/** Collect delivery evidence for every logging source among `buckets` (one account's). */
export async function collectDelivery(account: string, buckets: ReadonlyMap<string, BucketSnapshot>, call: BoundedCall, check: DeliveryCheck, signal?: AbortSignal): Promise<void> {
  const { groups, unlistable } = groupsOf(account, buckets);
  for (const b of unlistable) {
    const l = b.logging.status === "ok" ? b.logging.value : null;
    // The target is not a bucket of this account (missing or another account's): nothing can arrive there from S3.
    b.delivery = { status: "ok", value: { target: l?.targetBucket ?? "", prefix: l?.targetPrefix ?? "", anyObject: false } };
  }
  await Promise.all(groups.map((g) => collectGroup(account, g, call, check, signal)));
}

async function collectGroup(account: string, g: Group, call: BoundedCall, check: DeliveryCheck, signal?: AbortSignal): Promise<void> {
  const earlierOf = (b: BucketSnapshot) => check.earlier?.get(`${account}/${b.name}`);
  const canaryTimes = g.sources.map((b) => earlierOf(b)?.canary.time).filter((t): t is string => t !== undefined).map((t) => Date.parse(t));
  const since = Math.min(check.now - check.windowMs, ...canaryTimes);
  const startAfter = g.partitioned ? `${g.prefix}${dayPath(since - 86_400_000)}` : `${g.prefix}${keyStamp(since - 1000)}`;
  const fail = (read: ReadError | { status: "absent"; code: string }) => {
    const r: DeliveryRead =
      read.status === "error" ? read : { status: "error", operation: "ListObjectsV2", code: read.code, message: "the log bucket's listing failed" };
    for (const b of g.sources) b.delivery = r;
  };
  const list = (withStart: boolean) =>
    call(g.target.region, g.target.name, "ListObjectsV2", (c) =>
      c.send(new ListObjectsV2Command({ Bucket: g.target.name, Prefix: g.prefix, ...(withStart ? { StartAfter: startAfter } : {}), MaxKeys: 1000 }), { abortSignal: signal }),
    );
  const out = await list(true);
  if (!out.ok) return fail(out.read);
  const recent = matching(out.value, g.shape);
  // Whose objects are these? One source: all of them. Several: read the first record of each, newest first.
  const owner = new Map<string, string>();
  const read = async (o: LogObject, ranged: boolean): Promise<string | ReadError> => {
    const r = await call(g.target.region, g.target.name, "GetObject", (c) =>
      c.send(new GetObjectCommand({ Bucket: g.target.name, Key: o.key, ...(ranged ? { Range: "bytes=0-4095" } : {}) }), { abortSignal: signal }),
    );
    if (!r.ok) return r.read.status === "error" ? r.read : { status: "error", operation: "GetObject", code: r.read.code, message: "the log object could not be read" };
    const text = (await r.value.Body?.transformToString("utf8")) ?? "";
    owner.set(o.key, text.split(" ", 2)[1] ?? "");
    return text;
  };
  const failures = new Map<string, ReadError>();
  const attribute = async (objects: LogObject[], wanted: Set<string>): Promise<void> => {
    if (g.sources.length === 1) {
      for (const o of objects) owner.set(o.key, (g.sources[0] as BucketSnapshot).name);
      return;
    }
    let budget = wanted.size + 2;
    for (const o of [...objects].reverse()) {
      if (wanted.size === 0 || budget-- <= 0) break;
      if (owner.has(o.key)) continue;
      const text = await read(o, true);
      if (typeof text !== "string") {
        for (const name of wanted) failures.set(name, text);
        return;
      }
      wanted.delete(owner.get(o.key) ?? "");
    }
  };
  await attribute(recent, new Set(g.sources.map((s) => s.name)));
  let objects = recent;
  const seen = new Set(recent.map((o) => owner.get(o.key)));
  const missing = new Set(g.sources.map((s) => s.name).filter((n) => !seen.has(n) && !failures.has(n)));
  if (missing.size > 0) {
    // Nothing recent for some sources: one listing from the start of the prefix tells stale from none.
    const older = await list(false);
    if (!older.ok) {
      const r = older.read.status === "error" ? older.read : { status: "error" as const, operation: "ListObjectsV2", code: older.read.code, message: "the log bucket's listing failed" };
      for (const n of missing) failures.set(n, r);
    } else {
      const extra = matching(older.value, g.shape).filter((o) => !recent.some((r) => r.key === o.key));
      await attribute(extra, missing);
      objects = [...extra, ...recent];
    }
  }
  const recentKeys = new Set(recent.map((o) => o.key));
  for (const b of g.sources) {
    const failure = failures.get(b.name);
    if (failure) {
      b.delivery = failure;
      continue;
    }
    const mine = objects.filter((o) => owner.get(o.key) === b.name);
    const l = b.logging.status === "ok" ? (b.logging.value as LoggingConfig) : undefined;
    const ev: DeliveryEvidence = { target: g.target.name, prefix: g.prefix, anyObject: mine.length > 0 };
    const newest = mine.at(-1);
    if (newest) ev.newest = newest;
    const earlier = earlierOf(b);
    if (earlier && l) {
      const canaryAt = Date.parse(earlier.canary.time);
      const after = mine.filter((o) => recentKeys.has(o.key) && Date.parse(o.lastModified) >= canaryAt - 1000);
      let found: string | undefined;
      let readFailure: ReadError | undefined;
      for (const o of after.slice(0, 3)) {
        const text = await read(o, false);
        if (typeof text !== "string") {
          readFailure = text;
          break;
        }
        if (text.includes(` ${earlier.canary.requestId} `) || (earlier.canary.extendedRequestId && text.includes(` ${earlier.canary.extendedRequestId} `))) {
          found = o.key;
          break;
        }
      }
      if (readFailure && !found) {
        b.delivery = readFailure;
        continue;
      }
      ev.sinceCanary = { canary: earlier.canary, configChanged: !sameLogging(earlier.logging, l), objectsAfter: after.length, found: found !== undefined, ...(found ? { foundIn: found } : {}) };
    }
    b.delivery = { status: "ok", value: ev };
  }
}

/** Log-shaped keys of a listing page, oldest delivery first (by LastModified). */
function matching(page: ListObjectsV2CommandOutput, shape: RegExp): LogObject[] {
  const out: LogObject[] = [];
  for (const c of page.Contents ?? []) {
    if (!c.Key || !shape.test(c.Key)) continue;
    out.push({ key: c.Key, lastModified: (c.LastModified ?? new Date(0)).toISOString() });
  }
  return out.sort((a, b) => (a.lastModified < b.lastModified ? -1 : a.lastModified > b.lastModified ? 1 : a.key < b.key ? -1 : 1));
}
