/**
 * @fileoverview target-not-source: a bucket must not log into itself (logging loop: the log
 * writes are logged too, so the bucket and the bill grow without bound).
 *
 * Subject: the source. Logging disabled → no result; logging unreadable → error.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { S3_LOGGING_DOC, eachLoggingSource, loggingDetails, result, useLogBucket } from "./_lib/common.js";

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
    return eachLoggingSource(ctx, (b, s) => {
      const d = loggingDetails(s.cfg);
      return s.target.kind === "self"
        ? result(b, "fail", `${b.name} logs into itself (prefix "${s.cfg.targetPrefix}")`, d)
        : result(b, "pass", `${b.name} logs into ${s.cfg.targetBucket}, not itself`, d);
    });
  },
  planFix(f) {
    return useLogBucket(f, "the bucket logs into itself");
  },
});
