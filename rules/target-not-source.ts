/**
 * @fileoverview target-not-source: a bucket must not log into itself (logging loop: the log
 * writes are logged too, so the bucket and the bill grow without bound).
 *
 * Subject: the source. Logging disabled → no result; logging unreadable → error.
 */
import { defineRule, type RuleResult } from "../src/engine/define-rule.js";
import type { BucketSnapshot } from "../src/model/snapshot.js";
import { S3_LOGGING_DOC, loggingDetails, result, sourceState, useLogBucket } from "./_lib/common.js";

export default defineRule({
  meta: {
    id: "target-not-source",
    title: "Bucket does not log into itself",
    severity: "critical",
    rationale:
      "A bucket that is its own log target logs the log deliveries too: an endless loop of extra log objects that grows storage and cost and buries the real records.",
    failsWhen: "the target bucket of the logging configuration is the source bucket itself.",
    fix: "retarget logging to the account+Region log bucket",
    fixable: true,
    docUrl: S3_LOGGING_DOC,
    subject: "source",
    readPermissions: ["s3:GetBucketLogging"],
  },
  evaluate(ctx) {
    const out: RuleResult[] = [];
    const inScope = ctx.index.inScope;
    for (let i = 0; i < inScope.length; i++) {
      const b = inScope[i] as BucketSnapshot;
      const s = sourceState(ctx, b, i);
      if (s.kind === "error") out.push(s.result);
      else if (s.kind === "enabled") {
        const d = loggingDetails(s.cfg);
        out.push(
          s.target.kind === "self"
            ? result(b, "fail", `${b.name} logs into itself (prefix "${s.cfg.targetPrefix}")`, d)
            : result(b, "pass", `${b.name} logs into ${s.cfg.targetBucket}, not itself`, d),
        );
      }
    }
    return out;
  },
  planFix(f) {
    return useLogBucket(f, "the bucket logs into itself");
  },
});
