/**
 * @fileoverview target-not-requester-pays: the target must not have Requester Pays enabled.
 *
 * Subject: the source. `Payer=Requester` → fail; `BucketOwner` (or not configured) → pass;
 * read error → error.
 */
import { defineRule, type RuleResult } from "../src/engine/define-rule.js";
import type { BucketSnapshot } from "../src/model/snapshot.js";
import { ENABLE_LOGGING_DOC, loggingDetails, readError, result, targetFacts, useLogBucket } from "./_lib/common.js";

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
    const out: RuleResult[] = [];
    const inScope = ctx.index.inScope;
    for (let i = 0; i < inScope.length; i++) {
      const b = inScope[i] as BucketSnapshot;
      const s = targetFacts(ctx, b, i);
      if (s.kind === "skip") continue;
      if (s.kind === "error") {
        out.push(s.result);
        continue;
      }
      const d = loggingDetails(s.cfg);
      const rp = s.facts.requestPayment;
      if (rp.status === "error") out.push(readError(b, `request payment of target ${s.cfg.targetBucket}`, rp, d));
      else if (rp.status === "ok" && rp.value === "Requester")
        out.push(result(b, "fail", `${b.name} logs into ${s.cfg.targetBucket}, which has Requester Pays enabled`, { ...d, payer: "Requester" }));
      else out.push(result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} is paid by its owner`, { ...d, payer: "BucketOwner" }));
    }
    return out;
  },
  planFix(f) {
    return useLogBucket(f, "the target bucket has Requester Pays enabled");
  },
});
