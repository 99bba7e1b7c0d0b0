import rule from "../../rules/logs-delivered.js";
import type { DeliveryRead } from "../../src/model/delivery.js";
import type { Snapshot } from "../../src/model/snapshot.js";
import { denied, logsTo, ruleTable, snap } from "./helpers.js";

/** The builder's scan starts at 2026-01-01T00:00:00Z. */
const hoursBefore = (h: number) => new Date(Date.parse("2026-01-01T00:00:00.000Z") - h * 3_600_000).toISOString();

function withDelivery(read: DeliveryRead | undefined, windowHours?: number): Snapshot {
  const s = snap().bucket("app", { logging: logsTo("logs") }).bucket("logs").build();
  const app = s.buckets.find((b) => b.name === "app")!;
  if (read) app.delivery = read;
  if (windowHours !== undefined) s.deliveryWindowHours = windowHours;
  return s;
}
const ev = (extra: Partial<Extract<DeliveryRead, { status: "ok" }>["value"]> = {}): DeliveryRead => ({ status: "ok", value: { target: "logs", prefix: "src/", anyObject: false, ...extra } });
const obj = (h: number) => ({ key: `src/${hoursBefore(h).slice(0, 19).replace(/[T:]/g, "-")}-E568B2907131C0C0`, lastModified: hoursBefore(h) });
const canary = (h: number) => ({ time: hoursBefore(h), requestId: "REQ1", extendedRequestId: "HOST1" });
const since = (h: number, more: { found?: boolean; objectsAfter?: number; configChanged?: boolean; foundIn?: string } = {}) => ({
  canary: canary(h),
  configChanged: more.configChanged ?? false,
  objectsAfter: more.objectsAfter ?? 0,
  found: more.found ?? false,
  ...(more.foundIn ? { foundIn: more.foundIn } : {}),
});

ruleTable(rule, [
  { name: "pass delivered: newest object within 48 h", snapshot: withDelivery(ev({ anyObject: true, newest: obj(6) })), expect: { app: { status: "pass", message: /^delivered: newest src\/.* \(6 h old\)/, details: { delivery: "delivered", newestAt: hoursBefore(6), windowHours: 48 } } } },
  { name: "fail stale: newest older than the window", snapshot: withDelivery(ev({ anyObject: true, newest: obj(60) })), expect: { app: { status: "fail", message: /^stale: .*\(3 d old\), older than the 48 h window — configuration looks valid/, details: { delivery: "stale" } } } },
  { name: "pass delivered with a wider window", snapshot: withDelivery(ev({ anyObject: true, newest: obj(60) }), 72), expect: { app: { status: "pass", details: { delivery: "delivered", windowHours: 72 } } } },
  { name: "fail none: no object at all", snapshot: withDelivery(ev()), expect: { app: { status: "fail", message: /^none: no log object of app under logs\/src\//, details: { delivery: "none", causes: [] } } } },
  { name: "error: listing denied (never none)", snapshot: withDelivery(denied("ListObjectsV2")), expect: { app: { status: "error", message: /ListObjectsV2 failed: AccessDenied/, details: { delivery: "error" } } } },
  { name: "error: not listed at all", snapshot: withDelivery(undefined), expect: { app: { status: "error", details: { delivery: "error" } } } },
  {
    name: "pass proven: the canary is in the logs",
    snapshot: withDelivery(ev({ anyObject: true, newest: obj(1), sinceCanary: since(50, { found: true, objectsAfter: 2, foundIn: "src/x" }) })),
    expect: { app: { status: "pass", message: "delivery proven: the earlier scan's request REQ1 is in src/x in logs", details: { delivery: "proven" } } },
  },
  { name: "pass delivered: newer objects, canary not among them", snapshot: withDelivery(ev({ anyObject: true, newest: obj(1), sinceCanary: since(50, { objectsAfter: 1 }) })), expect: { app: { status: "pass", details: { delivery: "delivered" } } } },
  { name: "pass pending: canary younger than the window", snapshot: withDelivery(ev({ sinceCanary: since(2) })), expect: { app: { status: "pass", message: /^pending: .*canary younger than 48 h/, details: { delivery: "pending" } } } },
  { name: "fail stale: canary younger than the window, but the newest object predates the window", snapshot: withDelivery(ev({ anyObject: true, newest: obj(96), sinceCanary: since(2) })), expect: { app: { status: "fail", message: /^stale: .*\(4 d old\)/, details: { delivery: "stale" } } } },
  { name: "pass delivered: canary younger than the window, nothing after it, an object within the window", snapshot: withDelivery(ev({ anyObject: true, newest: obj(5), sinceCanary: since(2) })), expect: { app: { status: "pass", details: { delivery: "delivered" } } } },
  { name: "pass pending: logging configuration changed", snapshot: withDelivery(ev({ sinceCanary: since(100, { configChanged: true }) })), expect: { app: { status: "pass", message: /configuration changed/, details: { delivery: "pending" } } } },
  { name: "fail none: canary old, nothing after it, nothing at all", snapshot: withDelivery(ev({ sinceCanary: since(100) })), expect: { app: { status: "fail", details: { delivery: "none" } } } },
  { name: "fail stale: canary old, only older objects", snapshot: withDelivery(ev({ anyObject: true, newest: obj(120), sinceCanary: since(100) })), expect: { app: { status: "fail", details: { delivery: "stale" } } } },
  { name: "no result: logging off", snapshot: snap().bucket("off").build(), expect: { off: null } },
]);
