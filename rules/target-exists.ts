/**
 * @fileoverview target-exists: the target bucket of a logging configuration must exist.
 *
 * Subject: the source. A target that is a bucket of the source's account (or the source itself)
 * exists; a target outside the account was probed with HeadBucket by collection: `missing` →
 * fail, `foreign` → pass (it exists; target-same-account fails it), `error` → error. A target
 * collection has no record of → error.
 */
import { defineRule, type RuleResult } from "../src/engine/define-rule.js";
import type { BucketSnapshot } from "../src/model/snapshot.js";
import { TROUBLESHOOTING_DOC, loggingDetails, result, sourceState, targetUnknownError, useLogBucket } from "./_lib/common.js";

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
    const out: RuleResult[] = [];
    const inScope = ctx.index.inScope;
    for (let i = 0; i < inScope.length; i++) {
      const b = inScope[i] as BucketSnapshot;
      const s = sourceState(ctx, b, i);
      if (s.kind === "error") {
        out.push(s.result);
        continue;
      }
      if (s.kind === "disabled") continue;
      const t = s.target;
      const d = loggingDetails(s.cfg);
      const unknown = targetUnknownError(b, s.cfg, t);
      if (unknown) out.push(unknown);
      else if (t.kind === "external" && t.target.state === "missing")
        out.push(result(b, "fail", `${b.name} logs into ${s.cfg.targetBucket}, which does not exist`, d));
      else out.push(result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} exists`, d));
    }
    return out;
  },
  planFix(f) {
    return useLogBucket(f, "the target bucket does not exist");
  },
});
