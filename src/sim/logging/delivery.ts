/**
 * Log delivery like S3's (docs/aws-s3-logging-reference.md §1.4): every request to a bucket with
 * logging enabled becomes a record; records of one source are batched (a batch opens with its
 * first record and closes `intervalMs` later) and the batch is written as one log object
 * `delayMs` after it closes — if S3 would deliver there at that moment (permits.ts). Each log
 * object holds one source's records; with an EventTime key format, one event day's records.
 *
 * Delivery happens when the simulator is next asked anything (or its clock is advanced): nobody
 * can observe a log object before that. The delivery write is itself a request to the target, so
 * a target that logs gets a record of it ("REST.PUT.OBJECT" by the logging service) — a bucket
 * that logs into itself grows by one object per delivery round, without end, as on AWS. Each
 * round only delivers batches that were due when it started, so one round is always finite.
 */
import { createHash } from "node:crypto";
import picomatch from "picomatch";
import type { SimClock } from "../clock.js";
import { putObject, type SimBucket, type SimLogging, type SimState } from "../state.js";
import { deliveryRefusal, type Refusal } from "./permits.js";
import { formatRecord, logObjectKey, utcDay, type LogRecordInput } from "./record.js";

/** A fault on deliveries: drop them or hold them back longer. */
export interface DeliveryFault {
  effect: "drop" | "delay";
  /** Glob on the source bucket name (default any). */
  source?: string | undefined;
  /** Glob on the target bucket name (default any). */
  target?: string | undefined;
  /** For "delay": extra milliseconds. */
  delayMs?: number | undefined;
}

/** How deliveries are timed, and their faults. */
export interface DeliverySettings {
  /** From a batch's close to its delivery (default 1 h: S3 delivers "within a few hours"; tests use 0). */
  delayMs?: number | undefined;
  /** How long a batch collects records (default 5 min; 0: one batch per delivery round). */
  intervalMs?: number | undefined;
  faults?: DeliveryFault[] | undefined;
}

/** What delivery did so far (for tests and the control endpoint). */
export interface DeliveryStats {
  records: number;
  objects: number;
  dropped: number;
  refused: Partial<Record<Refusal, number>>;
  pending: number;
}

interface Batch {
  source: SimBucket;
  logging: SimLogging;
  /** Start of the UTC event day (EventTime) or 0. */
  eventDay: number;
  closesAt: number;
  dueAt: number;
  lines: string[];
  dropped: boolean;
}

/** Default delay: nothing arrives until the simulator clock is an hour further. */
export const DEFAULT_DELAY_MS = 3_600_000;
/** Default batching interval. */
export const DEFAULT_INTERVAL_MS = 300_000;

/** The delivery write's own log record fields (requester is the logging service; no client IP). */
const DELIVERY_WRITER = "svc:logging.s3.amazonaws.com";

export class LogDelivery {
  private settings: Required<Pick<DeliverySettings, "delayMs" | "intervalMs">> & { faults: DeliveryFault[] };
  private readonly open = new Map<string, Batch>();
  private readonly due: Batch[] = [];
  private sequence = 0;
  private readonly stats: DeliveryStats = { records: 0, objects: 0, dropped: 0, refused: {}, pending: 0 };

  constructor(
    private readonly state: SimState,
    private readonly clock: SimClock,
    settings: DeliverySettings = {},
  ) {
    this.settings = LogDelivery.normalise(settings);
  }

  private static normalise(s: DeliverySettings) {
    return { delayMs: s.delayMs ?? DEFAULT_DELAY_MS, intervalMs: s.intervalMs ?? DEFAULT_INTERVAL_MS, faults: s.faults ?? [] };
  }

  /** Change timing and faults (batches already closed keep their schedule). */
  configure(settings: DeliverySettings): void {
    this.settings = LogDelivery.normalise(settings);
  }

  /** Record one request to `source` under the logging configuration it had when received. */
  record(source: SimBucket, logging: SimLogging, input: LogRecordInput): void {
    this.stats.records++;
    const eventTime = logging.keyFormat?.type === "partitioned" && (logging.keyFormat.partitionDateSource ?? "EventTime") === "EventTime";
    const eventDay = eventTime ? utcDay(input.time) : 0;
    const id = `${source.name}\u0000${logging.targetBucket}\u0000${logging.targetPrefix}\u0000${JSON.stringify(logging.keyFormat ?? null)}\u0000${eventDay}`;
    let batch = this.open.get(id);
    const now = this.clock.now();
    if (batch && batch.closesAt < now) {
      this.close(id, batch);
      batch = undefined;
    }
    if (!batch) {
      const closesAt = now + this.settings.intervalMs;
      batch = { source, logging, eventDay, closesAt, dueAt: closesAt + this.settings.delayMs, lines: [], dropped: false };
      this.applyFaults(batch);
      this.open.set(id, batch);
    }
    batch.lines.push(formatRecord(input));
  }

  private applyFaults(batch: Batch): void {
    for (const f of this.settings.faults) {
      if (f.source !== undefined && !picomatch.isMatch(batch.source.name, f.source)) continue;
      if (f.target !== undefined && !picomatch.isMatch(batch.logging.targetBucket, f.target)) continue;
      if (f.effect === "drop") batch.dropped = true;
      else batch.dueAt += f.delayMs ?? 0;
    }
  }

  private close(id: string, batch: Batch): void {
    this.open.delete(id);
    this.due.push(batch);
  }

  /** One delivery round: write every batch that is due now. Returns the number of objects written. */
  deliver(): number {
    const now = this.clock.now();
    for (const [id, b] of [...this.open]) if (b.closesAt <= now) this.close(id, b);
    const ready = this.due.filter((b) => b.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    if (ready.length === 0) return 0;
    const readySet = new Set(ready);
    this.due.splice(0, this.due.length, ...this.due.filter((b) => !readySet.has(b)));
    let written = 0;
    for (const b of ready) if (this.write(b)) written++;
    return written;
  }

  private write(b: Batch): boolean {
    if (b.dropped) {
      this.stats.dropped++;
      return false;
    }
    this.sequence++;
    const unique = createHash("sha256").update(`${b.source.name}/${this.sequence}/${b.dueAt}`).digest("hex").slice(0, 16).toUpperCase();
    const key = logObjectKey(b.logging, b.source, b.dueAt, b.eventDay, unique);
    const refusal = deliveryRefusal(this.state, b.source, b.logging.targetBucket, key);
    if (refusal) {
      this.stats.refused[refusal] = (this.stats.refused[refusal] ?? 0) + 1;
      return false;
    }
    const target = this.state.buckets.get(b.logging.targetBucket) as SimBucket;
    const body = Buffer.from(`${b.lines.join("\n")}\n`, "utf8");
    putObject(target, key, body, body.length, new Date(Math.floor(b.dueAt / 1000) * 1000));
    this.stats.objects++;
    if (target.logging) this.record(target, target.logging, this.deliveryWriteRecord(target, key, body.length, b.dueAt));
    return true;
  }

  private deliveryWriteRecord(target: SimBucket, key: string, size: number, at: number): LogRecordInput {
    const requestId = createHash("sha1").update(`delivery/${target.name}/${key}`).digest("hex").slice(0, 16).toUpperCase();
    return {
      bucketOwner: this.state.accounts.get(target.account)?.canonicalId ?? "-",
      bucket: target.name,
      time: at,
      remoteIp: undefined,
      requester: DELIVERY_WRITER,
      requestId,
      operation: "REST.PUT.OBJECT",
      key,
      requestLine: `PUT /${target.name}/${key} HTTP/1.1`,
      status: 200,
      errorCode: undefined,
      bytesSent: 0,
      objectSize: size,
      totalTimeMs: 12,
      turnAroundMs: 6,
      referer: undefined,
      userAgent: undefined,
      versionId: undefined,
      hostId: Buffer.from(`${requestId}/delivery`).toString("base64"),
      signatureVersion: "SigV4",
      authType: "AuthHeader",
      hostHeader: `s3.${target.region}.amazonaws.com`,
      tls: true,
      accessPointArn: undefined,
      aclRequired: false,
      sourceRegion: target.region,
    };
  }

  /**
   * How far the clock must move for every record received so far to be due: the latest due time
   * of the open and closed batches, minus now (0 when nothing is pending). Dropped batches count:
   * they are "delivered" into nothing at their time.
   */
  msUntilSettled(): number {
    const now = this.clock.now();
    let latest = now;
    for (const b of this.open.values()) latest = Math.max(latest, b.dueAt);
    for (const b of this.due) latest = Math.max(latest, b.dueAt);
    return latest - now;
  }

  /** Counters so far. */
  counters(): DeliveryStats {
    let pending = this.due.length;
    pending += this.open.size;
    return { ...this.stats, refused: { ...this.stats.refused }, pending };
  }
}

