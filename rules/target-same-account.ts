/**
 * @fileoverview target-same-account: the target must be owned by the source's account
 * (S3 delivers server access logs only within one account).
 *
 * Subject: the source. Self/owned target → pass; external `foreign` → fail; external `missing`
 * → no result (target-exists fails it); external `error` or uncollected target → error.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { ENABLE_LOGGING_DOC, eachKnownTarget, result, useLogBucket } from "./_lib/common.js";

export default defineRule({
  meta: {
    id: "target-same-account",
    title: "Log target is in the same account",
    severity: "high",
    rationale:
      "The destination bucket must be owned by the same AWS account as the source; logs aimed at another account's bucket are never delivered.",
    failsWhen: "the target bucket is owned by another account.",
    fix: "retarget logging to the account+Region log bucket",
    fixable: true,
    docUrl: ENABLE_LOGGING_DOC,
    subject: "source",
    readPermissions: ["s3:GetBucketLogging", "s3:ListAllMyBuckets", "s3:ListBucket"],
  },
  evaluate(ctx) {
    return eachKnownTarget(ctx, (b, s, d) => {
      const t = s.target;
      if (t.kind !== "external") return result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} is in account ${b.account}`, d);
      if (t.target.state !== "foreign") return undefined; // missing: target-exists
      return result(b, "fail", `${b.name} logs into ${s.cfg.targetBucket}, which is owned by another account`, {
        ...d,
        targetRegion: t.target.region ?? null,
      });
    });
  },
  planFix(f) {
    return useLogBucket(f, "the target bucket belongs to another account");
  },
});
