/**
 * @fileoverview target-same-account: the target must be owned by the source's account
 * (S3 delivers server access logs only within one account).
 *
 * Subject: the source. Self/owned target → pass; external `foreign` → fail; external `missing`
 * → no result (target-exists fails it); external `error` or uncollected target → error.
 */
import { defineRule, type RuleResult } from "../src/engine/define-rule.js";
import type { BucketSnapshot } from "../src/model/snapshot.js";
import { ENABLE_LOGGING_DOC, loggingDetails, result, sourceState, targetUnknownError, useLogBucket } from "./_lib/common.js";

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
      const unknown = targetUnknownError(b, s.cfg, t);
      if (unknown) {
        out.push(unknown);
        continue;
      }
      const d = loggingDetails(s.cfg);
      if (t.kind === "external") {
        if (t.target.state === "foreign")
          out.push(
            result(b, "fail", `${b.name} logs into ${s.cfg.targetBucket}, which is owned by another account`, {
              ...d,
              targetRegion: t.target.region ?? null,
            }),
          );
        continue; // missing: target-exists
      }
      out.push(result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} is in account ${b.account}`, d));
    }
    return out;
  },
  planFix(f) {
    return useLogBucket(f, "the target bucket belongs to another account");
  },
});
