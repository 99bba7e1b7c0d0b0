/**
 * @fileoverview no-logging-cycle: following target links from a bucket must not lead back to it
 * through other buckets (A→B→A, A→B→C→A). Self-loops are target-not-source's alone.
 *
 * Works on the whole target graph of the snapshot (src/engine/cycles.ts, linear time), including
 * out-of-scope buckets that were collected; reports on in-scope buckets only.
 *   - logging disabled → no result (a bucket without a link cannot be on a cycle);
 *   - on a cycle of length ≥ 2 → fail, every member its own finding, `details.cycle` is the path
 *     from this bucket back to itself (up to 20 hops; `cycleLength` always exact);
 *   - logs into itself → pass with `details.selfLoop` (target-not-source fails it);
 *   - its chain reaches a bucket whose logging could not be read (or a target that was not
 *     collected) → error: that bucket may point back at this one;
 *   - its own logging could not be read → error if anything could lead back to it (a bucket
 *     logging into it, another unreadable bucket of the account, or a filtered scan that may have
 *     left out such buckets); otherwise pass, since no cycle can pass through it.
 * Fix: retarget one member per cycle — an in-scope member that no bucket outside the cycle logs
 * into (so not a dedicated log bucket), lexicographically first; other members get no intent.
 */
import { defineRule, type RuleResult } from "../src/engine/define-rule.js";
import { loggingGraph } from "../src/engine/cycles.js";
import { ENABLE_LOGGING_DOC, loggingDetails, result } from "./_lib/common.js";

/** Hops listed in details.cycle / in the message (cycleLength is always exact). */
const MAX_PATH = 20;
const MAX_MESSAGE_HOPS = 6;

export default defineRule({
  meta: {
    id: "no-logging-cycle",
    title: "Logging targets do not form a loop",
    severity: "critical",
    rationale:
      "When buckets log into each other (A→B→A, A→B→C→A) every log delivery is itself logged by the next bucket: a loop that grows every bucket on it, and the bill, without bound.",
    failsWhen:
      "following target links from the bucket leads back to it through other buckets; a bucket that logs into itself is target-not-source's alone.",
    fix: "retarget one bucket of the cycle (the one that is not a dedicated log bucket) to the account+Region log bucket",
    fixable: true,
    docUrl: ENABLE_LOGGING_DOC,
    subject: "source",
    readPermissions: ["s3:GetBucketLogging"],
  },
  evaluate(ctx) {
    const g = loggingGraph(ctx.index);
    const out: RuleResult[] = [];
    for (const b of ctx.index.inScope) {
      const l = b.logging;
      if (l.status !== "error" && !(l.status === "ok" && l.value)) continue; // logging disabled
      const st = g.status(b);
      const base = l.status === "ok" && l.value ? loggingDetails(l.value) : {};
      switch (st.kind) {
        case "cycle": {
          const len = st.cycle.length;
          const hops = Math.min(len, MAX_PATH);
          const path: string[] = [];
          for (let i = 0; i <= hops; i++) path.push((st.cycle[(st.position + i) % len] as { name: string }).name);
          const fixBucket = g.fixMember(st.cycleId)?.name;
          out.push(
            result(
              b,
              "fail",
              `${b.name} is on a logging loop of ${len} buckets: ${
                len > MAX_MESSAGE_HOPS ? `${path.slice(0, MAX_MESSAGE_HOPS + 1).join(" → ")} → …` : path.join(" → ")
              }`,
              { ...base, cycle: path, cycleLength: len, truncated: len > hops, ...(fixBucket ? { fixBucket } : {}) },
            ),
          );
          break;
        }
        case "self":
          out.push(result(b, "pass", `${b.name} logs into itself (reported by target-not-source), no loop through other buckets`, { ...base, selfLoop: true }));
          break;
        case "clear":
          out.push(
            result(b, "pass", st.reason ? `${b.name} is not on a logging loop: ${st.reason}` : `${b.name} is not on a logging loop`, {
              ...base,
              ...(st.reason ? { reason: st.reason } : {}),
            }),
          );
          break;
        case "uncertain": {
          const vl = st.viaBucket?.logging;
          const err = vl && vl.status === "error" ? vl : undefined;
          out.push(
            result(
              b,
              "error",
              `cannot tell whether ${b.name} is on a logging loop: ${st.reason}${err ? ` (${err.operation} failed: ${err.code})` : ""}`,
              {
                ...base,
                unresolved: st.via,
                operation: err ? err.operation : "collect",
                code: err ? err.code : "TargetNotCollected",
              },
            ),
          );
          break;
        }
      }
    }
    return out;
  },
  planFix(f, ctx) {
    const b = ctx.index.bucket(f.account, f.bucket);
    if (!b) return [];
    const g = loggingGraph(ctx.index);
    const st = g.status(b);
    if (st.kind !== "cycle" || g.fixMember(st.cycleId) !== b) return [];
    return [
      {
        kind: "use-log-bucket",
        account: b.account,
        region: b.region,
        bucket: b.name,
        reason: `break the logging loop ${st.cycle.map((m) => m.name).join(" → ")}`,
      },
    ];
  },
});
