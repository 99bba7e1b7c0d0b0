/**
 * @fileoverview target-same-region: the target must be in the source's Region.
 *
 * Subject: the source. The target's Region is the owned bucket's Region, or for a bucket owned
 * by another account the Region HeadBucket reported. A foreign target without a known Region
 * gives no result: target-same-account already fails it with the same fix, and delivery is
 * impossible either way. Missing target → no result (target-exists); existence unknown → error.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { ENABLE_LOGGING_DOC, eachKnownTarget, result, useLogBucket } from "./_lib/common.js";

export default defineRule({
  meta: {
    id: "target-same-region",
    title: "Log target is in the same Region",
    severity: "high",
    rationale:
      "S3 delivers server access logs only to a bucket in the source bucket's Region; a target in another Region never receives them.",
    failsWhen: "the target bucket is in another Region than the source bucket.",
    fix: "retarget logging to the log bucket of the source's Region",
    fixable: true,
    docUrl: ENABLE_LOGGING_DOC,
    subject: "source",
    readPermissions: ["s3:GetBucketLogging", "s3:ListAllMyBuckets", "s3:GetBucketLocation"],
  },
  evaluate(ctx) {
    return eachKnownTarget(ctx, (b, s, logging) => {
      const t = s.target;
      let targetRegion: string | undefined;
      if (t.kind === "self" || t.kind === "owned") targetRegion = t.bucket.region;
      else if (t.kind === "external" && t.target.state === "foreign") targetRegion = t.target.region;
      if (targetRegion === undefined) return undefined;
      const d = { ...logging, region: b.region, targetRegion };
      return targetRegion === b.region
        ? result(b, "pass", `${b.name} and its target ${s.cfg.targetBucket} are both in ${b.region}`, d)
        : result(b, "fail", `${b.name} logs into ${s.cfg.targetBucket} (${targetRegion}) but is in ${b.region}`, d);
    });
  },
  planFix(f) {
    return useLogBucket(f, "the target bucket is in another Region");
  },
});
