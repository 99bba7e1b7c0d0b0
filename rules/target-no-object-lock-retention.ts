/**
 * @fileoverview target-no-object-lock-retention: the target must not have a default Object Lock
 * retention.
 *
 * Subject: the source. Object Lock enabled with a DefaultRetention → fail. Enabled without a
 * default retention → pass with `details.warning` (the AWS pages conflict: one says no default
 * retention, another says no Object Lock at all), or fail with `options.strictObjectLock`.
 * Not configured (`ObjectLockConfigurationNotFoundError`) → pass. Read error → error.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { ENABLE_LOGGING_DOC, eachTargetFact, result, useLogBucket } from "./_lib/common.js";

const WARNING =
  "Object Lock is enabled without a default retention: the current AWS guide allows this, older pages say Object Lock buckets cannot be log destinations";

export default defineRule({
  meta: {
    id: "target-no-object-lock-retention",
    title: "Log target has no default Object Lock retention",
    severity: "high",
    rationale:
      "S3 cannot deliver server access logs to a bucket with a default Object Lock retention period.",
    failsWhen: "the target bucket has Object Lock enabled with a default retention (or any Object Lock with strictObjectLock).",
    fix: "retarget logging to the account+Region log bucket",
    fixable: true,
    docUrl: ENABLE_LOGGING_DOC,
    subject: "source",
    readPermissions: ["s3:GetBucketLogging", "s3:GetBucketObjectLockConfiguration"],
    options: {
      strictObjectLock: {
        type: "boolean",
        default: false,
        description: "also fail when Object Lock is enabled without a default retention (the AWS docs conflict; off: reported in details)",
      },
    },
  },
  evaluate(ctx) {
    return eachTargetFact(ctx, "objectLock", "Object Lock configuration", (b, s, ol, d) => {
      if (ol.status === "absent" || !ol.value.enabled)
        return result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} has no Object Lock`, { ...d, objectLock: false });
      if (ol.value.defaultRetention)
        return result(b, "fail", `${b.name} logs into ${s.cfg.targetBucket}, which has a default Object Lock retention`, {
          ...d,
          objectLock: true,
          defaultRetention: ol.value.defaultRetention,
        });
      if (ctx.options.strictObjectLock === true)
        return result(b, "fail", `${b.name} logs into ${s.cfg.targetBucket}, which has Object Lock enabled (strict mode)`, {
          ...d,
          objectLock: true,
          defaultRetention: null,
          strict: true,
        });
      return result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} has Object Lock but no default retention (warning)`, {
        ...d,
        objectLock: true,
        defaultRetention: null,
        warning: WARNING,
      });
    });
  },
  planFix(f) {
    return useLogBucket(f, "the target bucket has a default Object Lock retention");
  },
});
