/**
 * Delivery evidence for `--check-delivery` (reference §1.6): after an account's configuration is
 * read, find each logging source's log objects in its target and attribute them to sources.
 * Listings are shared: one per distinct target + prefix, reused by every source under it, all
 * through the account's call bounds.
 *
 *   probe     a target with several per-source prefixes is listed once with `Delimiter=/`; a
 *             source whose first prefix segment is absent has no log object (`none`, no further call);
 *   window    `ListObjectsV2(Prefix, StartAfter)` from the start of the window (or the earlier
 *             canary): simple keys `PREFIX` + time(since); partitioned DeliveryTime keys the day
 *             of `since`; partitioned EventTime keys LATE_DAYS earlier, because a record that
 *             arrives late is filed under the day its event happened (reference §2.2) while
 *             recency is its LastModified;
 *   older     only for sources the window did not show: the prefix from its start up to where the
 *             window began, which tells `stale` (newest older object) from `none`;
 *   attribute a prefix several sources share (simple keys) holds objects of each of them, one
 *             source per object (reference §1.4): a ranged GetObject of the first 4 KB of an
 *             object, newest first, names its source (field 2), until every source is found or
 *             the read bound is reached;
 *   canary    with an earlier snapshot, the objects delivered after its canary (oldest first, at
 *             most CANARY_READS per source) are read for the canary's request id.
 * Every listing pages through at most MAX_PAGES pages; the evidence says when that bound cut a
 * listing short, and a source that the bounds leave undecided is an error, never `none`. A
 * denied or failed call makes the source's evidence that error (and an errors[] entry).
 */
import { GetObjectCommand, ListObjectsV2Command, type ListObjectsV2CommandOutput, type S3Client } from "@aws-sdk/client-s3";
import type { Canary, DeliveryEvidence, DeliveryRead, LogObject } from "../model/delivery.js";
import type { BucketSnapshot, LoggingConfig, ReadError } from "../model/snapshot.js";

type Failure = ReadError | { status: "absent"; code: string };

/** A call through the account's bounds; failures come back as a ReadError (recorded unless `record` is false). */
export type BoundedCall = <T>(region: string, bucket: string, operation: string, fn: (c: S3Client) => Promise<T>, record?: boolean) => Promise<{ ok: true; value: T } | { ok: false; read: Failure }>;

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

/** How collection reaches AWS and records failures for the delivery check. */
export interface DeliveryIO {
  call: BoundedCall;
  /** Records a failure in errors[] (for sources the bounds leave undecided). */
  record: (region: string, bucket: string, failure: ReadError) => void;
  check: DeliveryCheck;
  signal?: AbortSignal;
}

/** Pages (of 1,000 keys) one listing reads at most. */
export const MAX_PAGES = 5;
/** EventTime keys: how many days before the window a late record's event day is still looked for (worst seen ~9 days, reference §1.4). */
export const LATE_DAYS = 10;
/** Full reads per source looking for the canary. */
export const CANARY_READS = 3;
/** Ranged reads per still-unattributed source in a shared prefix (plus 2 per listing). */
const READS_PER_SOURCE = 2;

const DAY = 86_400_000;
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

type KeyKind = "simple" | "delivery-time" | "event-time";

interface Group {
  target: BucketSnapshot;
  prefix: string;
  kind: KeyKind;
  shape: RegExp;
  sources: BucketSnapshot[];
}

/** One listing's log-shaped objects, oldest delivery first; `truncated` when MAX_PAGES cut it short. */
interface Listed {
  objects: LogObject[];
  truncated: boolean;
}

const byTime = (a: LogObject, b: LogObject) => (a.lastModified < b.lastModified ? -1 : a.lastModified > b.lastModified ? 1 : a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function asError(f: Failure, operation: string): ReadError {
  return f.status === "error" ? f : { status: "error", operation, code: f.code, message: operation === "GetObject" ? "the log object could not be read" : "the log bucket's listing failed" };
}

/** Same logging configuration (target, prefix, key format) in both scans? */
function sameLogging(a: LoggingConfig | null, b: LoggingConfig): boolean {
  return !!a && a.targetBucket === b.targetBucket && a.targetPrefix === b.targetPrefix && JSON.stringify(a.keyFormat) === JSON.stringify(b.keyFormat);
}

function keyKind(l: LoggingConfig): KeyKind {
  if (l.keyFormat.type !== "partitioned") return "simple";
  return l.keyFormat.partitionDateSource === "DeliveryTime" ? "delivery-time" : "event-time";
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
    const kind = keyKind(l);
    const prefix = kind === "simple" ? l.targetPrefix : `${l.targetPrefix}${account}/${b.region}/${b.name}/`;
    const id = `${l.targetBucket}\u0000${prefix}\u0000${kind}`;
    let g = groups.get(id);
    if (!g) {
      const shape = new RegExp(`^${escapeRe(prefix)}${kind === "simple" ? "" : String.raw`\d{4}/\d{2}/\d{2}/`}${NAME}`);
      groups.set(id, (g = { target, prefix, kind, shape, sources: [] }));
    }
    g.sources.push(b);
  }
  return { groups: [...groups.values()], unlistable };
}

/** Collect delivery evidence for every logging source among `buckets` (one account's). */
export async function collectDelivery(account: string, buckets: ReadonlyMap<string, BucketSnapshot>, io: DeliveryIO): Promise<void> {
  const { groups, unlistable } = groupsOf(account, buckets);
  for (const b of unlistable) {
    const l = b.logging.status === "ok" ? b.logging.value : null;
    // The target is not a bucket of this account (missing or another account's): nothing can arrive there from S3.
    b.delivery = { status: "ok", value: { target: l?.targetBucket ?? "", prefix: l?.targetPrefix ?? "", anyObject: false } };
  }
  const byTarget = new Map<string, Group[]>();
  for (const g of groups) byTarget.set(g.target.name, [...(byTarget.get(g.target.name) ?? []), g]);
  await Promise.all(
    [...byTarget.values()].map(async (list) => {
      const empty = await probeTarget(list, io);
      for (const g of empty) markNone(g);
      await Promise.all(list.filter((g) => !empty.has(g)).map((g) => collectGroup(account, g, io)));
    }),
  );
}

function markNone(g: Group): void {
  for (const b of g.sources) b.delivery = { status: "ok", value: { target: g.target.name, prefix: g.prefix, anyObject: false } };
}

/**
 * The groups of one target that certainly hold no object: one `Delimiter=/` listing of the
 * target's top level shows which first prefix segments exist. Only worth a call for two or more
 * groups with a `/` in their prefix; a failed probe decides nothing (the listings that follow
 * record their own failures: a policy may allow listing only under some prefixes).
 */
async function probeTarget(groups: Group[], io: DeliveryIO): Promise<Set<Group>> {
  const decidable = groups.filter((g) => g.prefix.includes("/"));
  const segment = (g: Group) => g.prefix.slice(0, g.prefix.indexOf("/") + 1);
  if (new Set(decidable.map(segment)).size < 2) return new Set();
  const t = decidable[0]!.target;
  const present = new Set<string>();
  let last = "";
  let complete = false;
  let token: string | undefined;
  for (let page = 0; page < MAX_PAGES && !complete; page++) {
    const r = await io.call(
      t.region,
      t.name,
      "ListObjectsV2",
      (c) => c.send(new ListObjectsV2Command({ Bucket: t.name, Delimiter: "/", MaxKeys: 1000, ...(token ? { ContinuationToken: token } : {}) }), { abortSignal: io.signal }),
      false,
    );
    if (!r.ok) return new Set();
    for (const p of r.value.CommonPrefixes ?? []) if (p.Prefix) present.add(p.Prefix);
    const lastKey = r.value.Contents?.at(-1)?.Key ?? "";
    const lastPrefix = r.value.CommonPrefixes?.at(-1)?.Prefix ?? "";
    last = [last, lastKey, lastPrefix].reduce((a, b) => (b > a ? b : a));
    token = r.value.NextContinuationToken;
    complete = !r.value.IsTruncated || !token;
  }
  // A segment sorting before the last entry returned, yet not returned itself, has no key.
  return new Set(decidable.filter((g) => !present.has(segment(g)) && (complete || segment(g) < last)));
}

/**
 * Lists `g.prefix` after `from` (a StartAfter key) up to `until` (inclusive bound on keys), at
 * most MAX_PAGES pages. `jump`: after a full first page, continue from there instead (the newest
 * objects are what matter to a single source; the skipped middle is older).
 */
async function listRange(g: Group, io: DeliveryIO, from: string | undefined, until: string | undefined, jump?: string): Promise<Listed | ReadError> {
  const objects: LogObject[] = [];
  let token: string | undefined;
  let startAfter = from;
  for (let page = 1; ; page++) {
    if (page > MAX_PAGES) return { objects: objects.sort(byTime), truncated: true };
    const params = { Bucket: g.target.name, Prefix: g.prefix, MaxKeys: 1000, ...(token ? { ContinuationToken: token } : startAfter !== undefined ? { StartAfter: startAfter } : {}) };
    const r = await io.call(g.target.region, g.target.name, "ListObjectsV2", (c) => c.send(new ListObjectsV2Command(params), { abortSignal: io.signal }));
    if (!r.ok) return asError(r.read, "ListObjectsV2");
    const out: ListObjectsV2CommandOutput = r.value;
    let done = !out.IsTruncated || !out.NextContinuationToken;
    for (const c of out.Contents ?? []) {
      if (!c.Key) continue;
      if (until !== undefined && c.Key > until) {
        done = true;
        break;
      }
      if (g.shape.test(c.Key)) objects.push({ key: c.Key, lastModified: (c.LastModified ?? new Date(0)).toISOString() });
    }
    if (done) return { objects: objects.sort(byTime), truncated: false };
    const lastKey = out.Contents?.at(-1)?.Key ?? "";
    if (page === 1 && jump !== undefined && jump > lastKey) {
      startAfter = jump;
      token = undefined;
    } else token = out.NextContinuationToken;
  }
}

/** Where the window listing starts for `since`, and where a single source's busy listing jumps to. */
function windowStart(g: Group, since: number, now: number): { from: string; jump: string } {
  switch (g.kind) {
    case "simple":
      return { from: `${g.prefix}${keyStamp(since - 1000)}`, jump: `${g.prefix}${keyStamp(now - 2 * 3_600_000)}` };
    case "delivery-time":
      return { from: `${g.prefix}${dayPath(since)}`, jump: `${g.prefix}${dayPath(now - DAY)}` };
    default:
      return { from: `${g.prefix}${dayPath(since - LATE_DAYS * DAY)}`, jump: `${g.prefix}${dayPath(now - DAY)}` };
  }
}

/** Reads an object (ranged: its first 4 KB); returns its text, or the failure. */
async function readObject(g: Group, io: DeliveryIO, key: string, ranged: boolean): Promise<string | ReadError> {
  const r = await io.call(g.target.region, g.target.name, "GetObject", (c) =>
    c.send(new GetObjectCommand({ Bucket: g.target.name, Key: key, ...(ranged ? { Range: "bytes=0-4095" } : {}) }), { abortSignal: io.signal }),
  );
  if (!r.ok) return asError(r.read, "GetObject");
  return (await r.value.Body?.transformToString("utf8")) ?? "";
}

/** The source bucket of a log object's text: field 2 of its first record. */
const ownerOf = (text: string) => text.split(" ", 2)[1] ?? "";

interface Attribution {
  owner: Map<string, string>;
  /** Sources not found while unread objects remained (the read bound was reached). */
  undecided: Set<string>;
  failure?: ReadError;
}

/**
 * Attributes `objects` to the sources in `wanted`: all to the one source of a prefix of its own;
 * otherwise by ranged reads, newest first, until every wanted source is found or the bound is hit.
 */
async function attribute(g: Group, io: DeliveryIO, objects: LogObject[], wanted: Set<string>, into: Attribution): Promise<void> {
  if (g.sources.length === 1) {
    for (const o of objects) into.owner.set(o.key, g.sources[0]!.name);
    return;
  }
  const left = new Set(wanted);
  for (const o of objects) if (into.owner.has(o.key)) left.delete(into.owner.get(o.key)!);
  let budget = READS_PER_SOURCE * left.size + 2;
  const newestFirst = [...objects].reverse();
  for (let i = 0; i < newestFirst.length && left.size > 0; i++) {
    const o = newestFirst[i]!;
    if (into.owner.has(o.key)) continue;
    if (budget-- <= 0) {
      for (const n of left) into.undecided.add(n);
      return;
    }
    const text = await readObject(g, io, o.key, true);
    if (typeof text !== "string") {
      into.failure = text;
      return;
    }
    const owner = ownerOf(text);
    into.owner.set(o.key, owner);
    left.delete(owner);
  }
}

async function collectGroup(account: string, g: Group, io: DeliveryIO): Promise<void> {
  const { check } = io;
  const earlierOf = (b: BucketSnapshot) => check.earlier?.get(`${account}/${b.name}`);
  const canaryTimes = g.sources.map((b) => earlierOf(b)?.canary.time).filter((t): t is string => t !== undefined).map((t) => Date.parse(t));
  const since = Math.min(check.now - check.windowMs, ...canaryTimes);
  const start = windowStart(g, since, check.now);
  const failAll = (read: ReadError) => {
    for (const b of g.sources) b.delivery = read;
  };
  const recent = await listRange(g, io, start.from, undefined, g.sources.length === 1 ? start.jump : undefined);
  if ("status" in recent) return failAll(recent);
  const att: Attribution = { owner: new Map(), undecided: new Set() };
  await attribute(g, io, recent.objects, new Set(g.sources.map((s) => s.name)), att);
  if (att.failure) return failAll(att.failure);

  const seen = new Set(recent.objects.map((o) => att.owner.get(o.key)));
  const missing = new Set(g.sources.map((s) => s.name).filter((n) => !seen.has(n) && !att.undecided.has(n)));
  let older: Listed = { objects: [], truncated: false };
  if (missing.size > 0) {
    // Nothing recent for some sources: the prefix up to where the window began tells stale from none.
    const listed = await listRange(g, io, undefined, start.from);
    if ("status" in listed) {
      for (const b of g.sources) if (missing.has(b.name)) b.delivery = listed;
      for (const n of missing) att.undecided.delete(n);
    } else {
      older = listed;
      await attribute(g, io, older.objects, missing, att);
      if (att.failure) return failAll(att.failure);
    }
  }

  const recentKeys = new Set(recent.objects.map((o) => o.key));
  for (const b of g.sources) {
    if (b.delivery) continue; // the older listing failed for it
    const mine = [...older.objects, ...recent.objects].filter((o) => att.owner.get(o.key) === b.name).sort(byTime);
    const inRecent = mine.some((o) => recentKeys.has(o.key));
    const truncated = inRecent ? recent.truncated : recent.truncated || older.truncated;
    if (att.undecided.has(b.name) || (mine.length === 0 && truncated)) {
      const failure: ReadError = {
        status: "error",
        operation: att.undecided.has(b.name) ? "GetObject" : "ListObjectsV2",
        code: "DeliveryUndecided",
        message: att.undecided.has(b.name)
          ? `no log object of ${b.name} among those read in the shared prefix ${g.prefix} of ${g.target.name} before the read bound; give each source its own prefix`
          : `no log object of ${b.name} in the first ${MAX_PAGES * 1000} keys of ${g.target.name}/${g.prefix} (listing bound)`,
      };
      io.record(g.target.region, b.name, failure);
      b.delivery = failure;
      continue;
    }
    const ev: DeliveryEvidence = { target: g.target.name, prefix: g.prefix, anyObject: mine.length > 0 };
    const newest = mine.at(-1);
    if (newest) ev.newest = newest;
    if (truncated) ev.truncated = true;
    const earlier = earlierOf(b);
    const l = b.logging.status === "ok" ? b.logging.value : null;
    if (earlier && l) {
      const canary = await findCanary(g, io, b.name, earlier.canary, recent.objects, att);
      if (typeof canary === "object" && "status" in canary) {
        b.delivery = canary;
        continue;
      }
      ev.sinceCanary = { canary: earlier.canary, configChanged: !sameLogging(earlier.logging, l), objectsAfter: canary.after, found: canary.foundIn !== undefined, ...(canary.foundIn ? { foundIn: canary.foundIn } : {}) };
    }
    b.delivery = { status: "ok", value: ev } satisfies DeliveryRead;
  }
}

/**
 * Reads the objects delivered after the canary (oldest first: the canary's record arrives in the
 * first deliveries after it), this source's or not yet attributed, at most CANARY_READS.
 */
async function findCanary(g: Group, io: DeliveryIO, source: string, canary: Canary, objects: LogObject[], att: Attribution): Promise<{ after: number; foundIn?: string } | ReadError> {
  const at = Date.parse(canary.time) - 1000;
  const after = objects.filter((o) => Date.parse(o.lastModified) >= at && (att.owner.get(o.key) ?? source) === source);
  let reads = 0;
  for (const o of after) {
    if (reads++ >= CANARY_READS) break;
    const text = await readObject(g, io, o.key, false);
    if (typeof text !== "string") return text;
    att.owner.set(o.key, ownerOf(text));
    if (ownerOf(text) !== source) continue;
    if (text.includes(` ${canary.requestId} `) || (canary.extendedRequestId && text.includes(` ${canary.extendedRequestId} `))) return { after: countMine(after, att, source), foundIn: o.key };
  }
  return { after: countMine(after, att, source) };
}

const countMine = (objects: LogObject[], att: Attribution, source: string) => objects.filter((o) => (att.owner.get(o.key) ?? source) === source).length;
