/**
 * The delivery state of a logging source (reference §1.6), judged from the evidence collection
 * stored in the snapshot. One judgement shared by the `logs-delivered` rule (which adds causes
 * and a message), the reports' per-bucket delivery summary and the interactive bucket detail, so
 * every view shows the same state.
 */
import type { DeliveryEvidence } from "../model/delivery.js";
import type { BucketSnapshot, Snapshot } from "../model/snapshot.js";

/** The rule that judges delivery (reports show its state per bucket only when it ran). */
export const DELIVERY_RULE_ID = "logs-delivered";

/** Default delivery window (hours) when the snapshot does not say. */
export const DEFAULT_DELIVERY_WINDOW_HOURS = 48;

/** The states of spec §3 / issue 13; `error` when the listing or a read failed. */
export type DeliveryState = "delivered" | "proven" | "stale" | "none" | "pending" | "error";

/** States that pass; `stale` and `none` fail, `error` cannot be decided. */
export const PASSING_DELIVERY_STATES: readonly DeliveryState[] = ["delivered", "proven", "pending"];

/** A source's delivery as every view shows it. */
export interface DeliveryView {
  state: DeliveryState;
  /** Newest log object attributed to the source (any state but `none`/`error`). */
  newestKey?: string;
  newestAt?: string;
  /** Its age at scan time, e.g. "3 h" (minutes below 1 h, days from 48 h). */
  newestAge?: string;
  /** With --since-snapshot: the canary's request id, and the object that held it. */
  canaryRequestId?: string;
  canaryFoundIn?: string;
  /** Why `pending`. */
  pendingReason?: string;
  /** The failed read, for `error`. */
  error?: { operation: string; code: string };
  /** The listing stopped at its page bound: older objects were not looked at. */
  truncated?: boolean;
}

/** Human age of `iso` at `now`: minutes below 1 h, hours below 48 h, then days. */
export function ageText(now: number, iso: string): string {
  const h = Math.max(0, (now - Date.parse(iso)) / 3_600_000);
  return h < 1 ? `${Math.round(h * 60)} min` : h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} d`;
}

/** The state of one source's evidence at scan time `now` with window `windowMs`. */
export function deliveryState(ev: DeliveryEvidence, now: number, windowMs: number): Exclude<DeliveryState, "error"> {
  const since = ev.sinceCanary;
  if (since) {
    if (since.found) return "proven";
    if (since.objectsAfter > 0) return "delivered";
    if (since.configChanged) return "pending";
    // Nothing after the canary yet. What the window shows still counts: a young canary excuses
    // only a source that has no log object at all ("nothing yet"), never one already stale.
    if (ev.newest && now - Date.parse(ev.newest.lastModified) <= windowMs) return "delivered";
    if (ev.anyObject) return "stale";
    return now - Date.parse(since.canary.time) < windowMs ? "pending" : "none";
  }
  if (ev.newest && now - Date.parse(ev.newest.lastModified) <= windowMs) return "delivered";
  return ev.anyObject ? "stale" : "none";
}

/** The delivery window of a snapshot, in hours. */
export function deliveryWindowHours(snapshot: Pick<Snapshot, "deliveryWindowHours">): number {
  return snapshot.deliveryWindowHours ?? DEFAULT_DELIVERY_WINDOW_HOURS;
}

/** The delivery view of a bucket, or undefined when the scan did not check its delivery. */
export function deliveryView(b: BucketSnapshot, snapshot: Pick<Snapshot, "deliveryWindowHours" | "startedAt">): DeliveryView | undefined {
  const read = b.delivery;
  if (!read) return undefined;
  if (read.status === "error") return { state: "error", error: { operation: read.operation, code: read.code } };
  const ev = read.value;
  const windowHours = deliveryWindowHours(snapshot);
  const now = Date.parse(snapshot.startedAt);
  const view: DeliveryView = { state: deliveryState(ev, now, windowHours * 3_600_000) };
  if (ev.newest) Object.assign(view, { newestKey: ev.newest.key, newestAt: ev.newest.lastModified, newestAge: ageText(now, ev.newest.lastModified) });
  const since = ev.sinceCanary;
  if (since) {
    view.canaryRequestId = since.canary.requestId;
    if (since.foundIn) view.canaryFoundIn = since.foundIn;
    if (view.state === "pending") view.pendingReason = since.configChanged ? "logging configuration changed since the earlier scan" : `canary younger than ${windowHours} h`;
  }
  if (ev.truncated) view.truncated = true;
  return view;
}

/** One line for humans: `delivered · newest KEY (3 h old)`, `none`, `error (ListObjectsV2 AccessDenied)`. */
export function deliveryText(v: DeliveryView): string {
  if (v.state === "error") return `error (${v.error ? `${v.error.operation} ${v.error.code}` : "not read"})`;
  const parts: string[] = [v.state];
  const age = `(${v.newestAge ?? "?"} old)`;
  // The canary is usually in the newest object: then the key is named once.
  const canaryInNewest = v.state === "proven" && v.canaryFoundIn !== undefined && v.canaryFoundIn === v.newestKey;
  if (v.state === "proven" && v.canaryFoundIn) parts.push(`canary ${v.canaryRequestId ?? ""} in ${v.canaryFoundIn}${canaryInNewest ? ` ${age}, the newest` : ""}`);
  if (v.state === "pending" && v.pendingReason) parts.push(v.pendingReason);
  if (v.newestKey && !canaryInNewest) parts.push(`newest ${v.newestKey} ${age}`);
  else if (!v.newestKey && v.state !== "pending") parts.push("no log object");
  if (v.truncated) parts.push("listing bound reached");
  return parts.join(" · ");
}
