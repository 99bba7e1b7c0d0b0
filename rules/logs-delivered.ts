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
import { deliveryView, deliveryWindowHours } from "../src/engine/delivery-state.js";
import { S3_LOGGING_DOC, eachLoggingSource, loggingDetails, readError, result } from "./_lib/common.js";

export { DEFAULT_DELIVERY_WINDOW_HOURS } from "../src/engine/delivery-state.js";

/**
 * Rules whose failure means S3 would not deliver (or not to where we look): named as the likely
 * cause of `stale`/`none`. Loops, retention, prefixes and public access do not stop delivery.
 */
const BLOCKING_RULES = new Set([
  "delivery-permitted",
  "target-exists",
  "target-same-account",
  "target-same-region",
  "target-encryption-supported",
  "target-no-object-lock-retention",
  "target-not-requester-pays",
  "target-grants-compatible",
]);

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
    const windowHours = deliveryWindowHours(snap);
    return eachLoggingSource(ctx, (b, s) => {
      const d = { ...loggingDetails(s.cfg), windowHours };
      const read = b.delivery;
      if (!read) return result(b, "error", `cannot judge delivery of ${b.name}: its log objects were not listed (scan without --check-delivery)`, { ...d, delivery: "error" });
      if (read.status === "error") return readError(b, `the log objects of ${b.name} in ${s.cfg.targetBucket}`, read, { ...d, delivery: "error" });
      const ev = read.value;
      const view = deliveryView(b, snap)!;
      const state = view.state;
      const details: Record<string, unknown> = { ...d, delivery: state, listedPrefix: ev.prefix };
      if (view.newestKey) Object.assign(details, { newestKey: view.newestKey, newestAt: view.newestAt, newestAge: view.newestAge });
      if (ev.truncated) details.listingTruncated = true;
      if (ev.sinceCanary) {
        details.canary = { ...ev.sinceCanary.canary, found: ev.sinceCanary.found, objectsAfter: ev.sinceCanary.objectsAfter, ...(ev.sinceCanary.foundIn ? { foundIn: ev.sinceCanary.foundIn } : {}) };
      }
      const newest = view.newestKey ? `newest ${view.newestKey} (${view.newestAge} old)` : "";
      switch (state) {
        case "proven":
          return result(b, "pass", `delivery proven: the earlier scan's request ${view.canaryRequestId} is in ${view.canaryFoundIn} in ${s.cfg.targetBucket}`, details);
        case "delivered":
          return result(b, "pass", `delivered: ${newest || "log objects arrived after the earlier scan"} in ${s.cfg.targetBucket}`, details);
        case "pending":
          return result(b, "pass", `pending: no log object of ${b.name} yet, too recent to judge (${view.pendingReason})`, details);
        default: {
          const causes = (ctx.failures?.(b.account, b.name) ?? []).filter((f) => BLOCKING_RULES.has(f.ruleId));
          details.causes = causes.map((c) => c.ruleId);
          const cause = causes.length > 0 ? causes.map((c) => `${c.ruleId} fails: ${c.message}`).join("; ") : "configuration looks valid; check the target's CloudWatch 4xxErrors metrics";
          const bound = ev.truncated ? " (listing stopped at its page bound; older objects were not looked at)" : "";
          const what = state === "stale" ? `stale: ${newest}, older than the ${windowHours} h window${bound}` : `none: no log object of ${b.name} under ${s.cfg.targetBucket}/${ev.prefix}`;
          return result(b, "fail", `${what} — ${cause}`, details);
        }
      }
    });
  },
});
