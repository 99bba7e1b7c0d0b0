/**
 * Log object keys (reference §2.2): the time in a key, and whether an object can hold records of
 * a time range — so `--since`/`--until` skip objects before anything is downloaded.
 *
 *   simple       PREFIX YYYY-MM-DD-hh-mm-ss-UNIQUE              (time = delivery time)
 *   partitioned  PREFIX ACCOUNT/REGION/BUCKET/YYYY/MM/DD/YYYY-MM-DD-hh-mm-ss-UNIQUE
 *                (EventTime: the event day, hh-mm-ss = 00-00-00; DeliveryTime: delivery time)
 */

export interface LogKey {
  format: "simple" | "partitioned";
  /** Epoch ms of the time written in the key's file name. */
  time: number;
  account?: string;
  region?: string;
  sourceBucket?: string;
}

const STAMP = String.raw`(\d{4})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-[0-9A-Za-z]+(?:\.gz)?$`;
const PARTITIONED_RE = new RegExp(String.raw`(?:^|/)(\d{12})/([a-z0-9-]+)/([^/]+)/(\d{4})/(\d{2})/(\d{2})/${STAMP}`);
const SIMPLE_RE = new RegExp(`(?:^|[^0-9])${STAMP}`);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/**
 * How late a record may be delivered after it happened. AWS promises only "most within a few
 * hours"; the worst delay measured by a third party was ~9 days (reference §1.4). An object
 * delivered more than this after `until` is skipped.
 */
export const LATE_DELIVERY_MS = 10 * DAY;
/** Tolerance for the key time being a little before the last record in the object. */
const KEY_CLOCK_SLACK_MS = HOUR;

function utc(m: RegExpExecArray, i: number): number {
  return Date.UTC(Number(m[i]), Number(m[i + 1]) - 1, Number(m[i + 2]), Number(m[i + 3]), Number(m[i + 4]), Number(m[i + 5]));
}

/** The key's format and time, or undefined when the name is not a log object key. */
export function parseLogKey(key: string): LogKey | undefined {
  const p = PARTITIONED_RE.exec(key);
  if (p) {
    return { format: "partitioned", time: utc(p, 7), account: p[1] as string, region: p[2] as string, sourceBucket: p[3] as string };
  }
  const s = SIMPLE_RE.exec(key);
  if (s) return { format: "simple", time: utc(s, 1) };
  return undefined;
}

/** The earliest and latest request time an object with this key can hold. */
export function recordWindow(k: LogKey): { from: number; to: number } {
  const eventDay = k.format === "partitioned" && k.time % DAY === 0;
  // An EventTime object holds that whole day; a delivery-time one, what happened before it.
  const to = k.time + (eventDay ? DAY : 0) + KEY_CLOCK_SLACK_MS;
  return { from: k.time - LATE_DELIVERY_MS, to };
}

/** False only when the object cannot hold a record in [since, until]. */
export function keyMayMatch(k: LogKey, since: number | undefined, until: number | undefined): boolean {
  const w = recordWindow(k);
  if (since !== undefined && w.to < since) return false;
  if (until !== undefined && w.from > until) return false;
  return true;
}
