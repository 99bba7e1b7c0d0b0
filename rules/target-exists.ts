/**
 * @fileoverview target-exists: the target bucket of a logging configuration must exist.
 *
 * Subject: the source. A target that is a bucket of the source's account (or the source itself)
 * exists; a target outside the account was probed with HeadBucket by collection: `missing` →
 * fail, `foreign` → pass (it exists; target-same-account fails it), `error` → error. A target
 * collection has no record of → error.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { TROUBLESHOOTING_DOC, eachKnownTarget, result, useLogBucket } from "./_lib/common.js";

export default defineRule({
  meta: {
    id: "target-exists",
    title: "Log target bucket exists",
    severity: "high",
    rationale:
      "Logs for a target bucket that does not exist are never delivered; worse, anyone who creates a bucket with that name later receives them.",
    failsWhen: "the target bucket named in the logging configuration does not exist.",
    fix: "retarget logging to the account+Region log bucket",
    fixable: true,
    docUrl: TROUBLESHOOTING_DOC,
    subject: "source",
    readPermissions: ["s3:GetBucketLogging", "s3:ListBucket"],
  },
  evaluate(ctx) {
    return eachKnownTarget(ctx, (b, s, d) => {
      const t = s.target;
      return t.kind === "external" && t.target.state === "missing"
        ? result(b, "fail", `${b.name} logs into ${s.cfg.targetBucket}, which does not exist`, d)
        : result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} exists`, d);
    });
  },
  planFix(f) {
    return useLogBucket(f, "the target bucket does not exist");
  },
});
