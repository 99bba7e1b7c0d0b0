/**
 * @fileoverview target-not-requester-pays: the target must not have Requester Pays enabled.
 *
 * Subject: the source. `Payer=Requester` → fail; `BucketOwner` (or not configured) → pass;
 * read error → error.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { ENABLE_LOGGING_DOC, eachTargetFact, result, useLogBucket } from "./_lib/common.js";

export default defineRule({
  meta: {
    id: "target-not-requester-pays",
    title: "Log target does not use Requester Pays",
    severity: "high",
    rationale: "S3 does not deliver server access logs to a bucket that has Requester Pays enabled.",
    failsWhen: "the target bucket has Requester Pays enabled.",
    fix: "retarget logging to the account+Region log bucket",
    fixable: true,
    docUrl: ENABLE_LOGGING_DOC,
    subject: "source",
    readPermissions: ["s3:GetBucketLogging", "s3:GetBucketRequestPayment"],
  },
  evaluate(ctx) {
    return eachTargetFact(ctx, "requestPayment", "request payment", (b, s, rp, d) => {
      if (rp.status === "ok" && rp.value === "Requester")
        return result(b, "fail", `${b.name} logs into ${s.cfg.targetBucket}, which has Requester Pays enabled`, { ...d, payer: "Requester" });
      return result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} is paid by its owner`, { ...d, payer: "BucketOwner" });
    });
  },
  planFix(f) {
    return useLogBucket(f, "the target bucket has Requester Pays enabled");
  },
});
