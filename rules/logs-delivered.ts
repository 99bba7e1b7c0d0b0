/**
 * @fileoverview logs-delivered (opt-in, `scan --check-delivery`): are this source's logs actually
 * arriving? Judged from what the scan saw in the target (reference §1.6), one state per source:
 *   delivered  a log object of this source arrived within the delivery window;
 *   proven     (with --since-snapshot) the earlier scan's GetBucketLogging request id is in a log record;
 *   stale      log objects exist, the newest is older than the window;
 *   none       no log object for this source under its target and prefix;
 *   pending    nothing yet, but too recent to judge (the logging configuration changed since the
 *              earlier scan, or the earlier scan's canary is younger than the window);
 *   error      the listing or a read failed (never `none`).
 * `stale` and `none` fail, naming the likely static cause when another rule fails for the source.
 *
 * Severity high: a pipeline that silently delivers nothing loses the audit trail exactly like the
 * static delivery rules predict (delivery-permitted, target-*: high); not critical, since delivery is
 * best effort and an idle bucket writes nothing — a missing object is a strong signal, not a proof.
 * Not fixable: the cause is fixed by the rule that names it.
 */
import { defineRule } from "../src/engine/define-rule.js";
import type { DeliveryEvidence } from "../src/model/delivery.js";
import { S3_LOGGING_DOC, eachLoggingSource, loggingDetails, readError, result } from "./_lib/common.js";

/** Default delivery window (hours) when the snapshot does not say. */
export const DEFAULT_DELIVERY_WINDOW_HOURS = 48;

type State = "delivered" | "proven" | "stale" | "none" | "pending";

function age(now: number, iso: string): string {
  const h = Math.max(0, (now - Date.parse(iso)) / 3_600_000);
  return h < 1 ? `${Math.round(h * 60)} min` : h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} d`;
}

function stateOf(ev: DeliveryEvidence, now: number, windowMs: number): State {
  const since = ev.sinceCanary;
  if (since) {
    if (since.found) return "proven";
    if (since.objectsAfter > 0) return "delivered";
    if (since.configChanged || now - Date.parse(since.canary.time) < windowMs) return "pending";
    return ev.anyObject ? "stale" : "none";
  }
  if (ev.newest && now - Date.parse(ev.newest.lastModified) <= windowMs) return "delivered";
  return ev.anyObject ? "stale" : "none";
}

export default defineRule({
  meta: {
    id: "logs-delivered",
    title: "Server access logs actually arrive",
    severity: "high",
    rationale:
      "Configuration can look right while no log object ever arrives; only the target's contents show that delivery works. Logs are best effort, so a missing object is a signal, and the scan's own request (the canary) found in the logs by a later run is proof.",
    failsWhen: "a logging source's delivery state is stale (newest log object older than the window) or none (no log object at all); states delivered, proven, pending and error do not fail.",
    fix: "none: names the likely cause (another failing rule for the source), or says to check the target's CloudWatch 4xx metrics",
    fixable: false,
    docUrl: S3_LOGGING_DOC,
    subject: "source",
    readPermissions: ["s3:GetBucketLogging", "s3:ListBucket", "s3:GetObject"],
    optIn: true,
    usesOtherResults: true,
  },
  evaluate(ctx) {
    const snap = ctx.index.snapshot;
    const windowHours = snap.deliveryWindowHours ?? DEFAULT_DELIVERY_WINDOW_HOURS;
    const windowMs = windowHours * 3_600_000;
    const now = Date.parse(snap.startedAt);
    return eachLoggingSource(ctx, (b, s) => {
      const d = { ...loggingDetails(s.cfg), windowHours };
      const read = b.delivery;
      if (!read) return result(b, "error", `cannot judge delivery of ${b.name}: its log objects were not listed (scan without --check-delivery)`, { ...d, delivery: "error" });
      if (read.status === "error") return readError(b, `the log objects of ${b.name} in ${s.cfg.targetBucket}`, read, { ...d, delivery: "error" });
      const ev = read.value;
      const state = stateOf(ev, now, windowMs);
      const details: Record<string, unknown> = { ...d, delivery: state, listedPrefix: ev.prefix };
      if (ev.newest) Object.assign(details, { newestKey: ev.newest.key, newestAt: ev.newest.lastModified });
      if (ev.sinceCanary) {
        details.canary = { ...ev.sinceCanary.canary, found: ev.sinceCanary.found, objectsAfter: ev.sinceCanary.objectsAfter, ...(ev.sinceCanary.foundIn ? { foundIn: ev.sinceCanary.foundIn } : {}) };
      }
      const newest = ev.newest ? `newest ${ev.newest.key} (${age(now, ev.newest.lastModified)} old)` : "";
      switch (state) {
        case "proven":
          return result(b, "pass", `delivery proven: the earlier scan's request ${ev.sinceCanary?.canary.requestId} is in ${ev.sinceCanary?.foundIn} in ${s.cfg.targetBucket}`, details);
        case "delivered":
          return result(b, "pass", `delivered: ${newest || "log objects arrived after the earlier scan"} in ${s.cfg.targetBucket}`, details);
        case "pending":
          return result(b, "pass", `pending: no log object of ${b.name} yet, too recent to judge (${ev.sinceCanary?.configChanged ? "logging configuration changed since the earlier scan" : `canary younger than ${windowHours} h`})`, details);
        default: {
          const causes = (ctx.failures?.(b.account, b.name) ?? []).filter((f) => f.ruleId !== "logs-delivered");
          details.causes = causes.map((c) => c.ruleId);
          const cause = causes.length > 0 ? causes.map((c) => `${c.ruleId} fails: ${c.message}`).join("; ") : "configuration looks valid; check the target's CloudWatch 4xxErrors metrics";
          const what = state === "stale" ? `stale: ${newest}, older than the ${windowHours} h window` : `none: no log object of ${b.name} under ${s.cfg.targetBucket}/${ev.prefix}`;
          return result(b, "fail", `${what} — ${cause}`, details);
        }
      }
    });
  },
});
