/**
 * @fileoverview target-prefix-structured: with the simple key format the prefix must be
 * non-empty and end in `/`, so each source's logs sit in their own "folder".
 *
 * Subject: the source. Partitioned key format → pass (keys are separated by account, Region and
 * source bucket anyway). Simple format with an empty prefix or one not ending in `/` → fail.
 * Logging disabled → no result; unreadable → error. Does not depend on the target.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { eachLoggingSource, loggingDetails, result } from "./_lib/common.js";

export default defineRule({
  meta: {
    id: "target-prefix-structured",
    title: "Log prefix is structured",
    severity: "low",
    rationale:
      "S3 simply concatenates the prefix and the date-based object name: an empty prefix mixes the logs with everything else at the bucket root, and a prefix without a trailing '/' gives keys like 'logs2024-…' that are hard to list, expire or query.",
    failsWhen: "the prefix is empty or does not end in '/', and the key format is not partitioned.",
    fix: "set a per-source prefix ('<bucket>/') and/or the partitioned key format",
    fixable: true,
    docUrl: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_LoggingEnabled.html",
    subject: "source",
    readPermissions: ["s3:GetBucketLogging"],
  },
  evaluate(ctx) {
    return eachLoggingSource(ctx, (b, { cfg }) => {
      const d = loggingDetails(cfg);
      const p = cfg.targetPrefix;
      if (cfg.keyFormat.type === "partitioned") return result(b, "pass", `${b.name} uses the partitioned key format`, d);
      if (p === "") return result(b, "fail", `${b.name} logs into ${cfg.targetBucket} with an empty prefix (simple key format)`, d);
      if (!p.endsWith("/"))
        return result(b, "fail", `${b.name} logs into ${cfg.targetBucket} with prefix "${p}", which does not end in "/"`, d);
      return result(b, "pass", `${b.name} logs under "${p}"`, d);
    });
  },
  planFix(f) {
    return [{ kind: "structure-prefix", account: f.account, region: f.region, bucket: f.bucket }];
  },
});
