/**
 * @fileoverview target-grants-compatible: a logging configuration must not carry TargetGrants
 * when the target enforces bucket-owner object ownership (ACLs disabled).
 *
 * Subject: the source. No TargetGrants → pass (nothing can conflict, whatever the target).
 * With grants: ownership `BucketOwnerEnforced` → fail; `BucketOwnerPreferred`/`ObjectWriter`, or
 * no ownership controls (`OwnershipControlsNotFoundError`: ACLs are in effect) → pass; ownership
 * read error → error. Missing/foreign target → no result; existence unknown → error.
 */
import { defineRule, type RuleResult } from "../src/engine/define-rule.js";
import type { BucketSnapshot } from "../src/model/snapshot.js";
import { loggingDetails, readError, result, sourceState, targetFacts } from "./_lib/common.js";

export default defineRule({
  meta: {
    id: "target-grants-compatible",
    title: "No TargetGrants on a bucket-owner-enforced target",
    severity: "medium",
    rationale:
      "A target with Object Ownership 'bucket owner enforced' has ACLs disabled; TargetGrants in the logging configuration cannot take effect there and S3 rejects them when logging is set again.",
    failsWhen: "the logging configuration has TargetGrants while the target enforces bucket-owner object ownership.",
    fix: "remove the grants from the logging configuration (keep target and prefix)",
    fixable: true,
    docUrl: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-ownership-migrating-acls-prerequisites.html",
    subject: "source",
    readPermissions: ["s3:GetBucketLogging", "s3:GetBucketOwnershipControls"],
  },
  evaluate(ctx) {
    const out: RuleResult[] = [];
    const inScope = ctx.index.inScope;
    for (let i = 0; i < inScope.length; i++) {
      const b = inScope[i] as BucketSnapshot;
      const src = sourceState(ctx, b, i);
      if (src.kind === "enabled" && src.cfg.targetGrants.length === 0) {
        out.push(result(b, "pass", `${b.name} has no TargetGrants`, { ...loggingDetails(src.cfg), targetGrants: 0 }));
        continue;
      }
      const s = targetFacts(ctx, b, i);
      if (s.kind === "skip") continue;
      if (s.kind === "error") {
        out.push(s.result);
        continue;
      }
      const d = { ...loggingDetails(s.cfg), targetGrants: s.cfg.targetGrants.length };
      const own = s.facts.ownership;
      if (own.status === "error") out.push(readError(b, `object ownership of target ${s.cfg.targetBucket}`, own, d));
      else if (own.status === "ok" && own.value === "BucketOwnerEnforced")
        out.push(
          result(
            b,
            "fail",
            `${b.name} has ${s.cfg.targetGrants.length} TargetGrant(s) but its target ${s.cfg.targetBucket} enforces bucket-owner ownership (ACLs disabled)`,
            { ...d, ownership: "BucketOwnerEnforced" },
          ),
        );
      else
        out.push(
          result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} has ACLs enabled, TargetGrants apply`, {
            ...d,
            ownership: own.status === "ok" ? own.value : null,
          }),
        );
    }
    return out;
  },
  planFix(f) {
    return [{ kind: "remove-target-grants", account: f.account, region: f.region, bucket: f.bucket }];
  },
});
