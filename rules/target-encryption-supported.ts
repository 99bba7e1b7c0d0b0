/**
 * @fileoverview target-encryption-supported: the target's default encryption must be SSE-S3.
 *
 * Subject: the source. Only `AES256` passes. `aws:kms` and `aws:kms:dsse` fail: the AWS docs
 * support only SSE-S3 on log destinations (the SSE-KMS claim of the CDK maintainers is
 * unverified, DSSE-KMS is not named and treated as unsupported); any other algorithm fails too.
 * No default encryption configuration (`ServerSideEncryptionConfigurationNotFoundError`) passes:
 * delivery works. Read error → error. Fix retargets — never silently change a bucket's encryption.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { TROUBLESHOOTING_DOC, eachTargetFact, result, useLogBucket } from "./_lib/common.js";

export default defineRule({
  meta: {
    id: "target-encryption-supported",
    title: "Log target uses SSE-S3 default encryption",
    severity: "high",
    rationale:
      "Server access log delivery supports only SSE-S3 (AES256) default encryption on the destination; with SSE-KMS or DSSE-KMS default encryption logs are not delivered.",
    failsWhen: "the target bucket's default encryption is not SSE-S3 (e.g. aws:kms or aws:kms:dsse).",
    fix: "retarget logging to the account+Region log bucket (never silently change a bucket's encryption)",
    fixable: true,
    docUrl: TROUBLESHOOTING_DOC,
    subject: "source",
    readPermissions: ["s3:GetBucketLogging", "s3:GetEncryptionConfiguration"],
  },
  evaluate(ctx) {
    return eachTargetFact(ctx, "encryption", "default encryption", (b, s, enc, d) => {
      if (enc.status === "absent")
        return result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} has no default encryption configuration`, { ...d, algorithm: null });
      if (enc.value.algorithm === "AES256")
        return result(b, "pass", `target ${s.cfg.targetBucket} of ${b.name} uses SSE-S3`, { ...d, algorithm: "AES256" });
      return result(
        b,
        "fail",
        `${b.name} logs into ${s.cfg.targetBucket}, whose default encryption ${enc.value.algorithm} is not supported for log delivery (only SSE-S3)`,
        { ...d, algorithm: enc.value.algorithm, ...(enc.value.kmsKeyId ? { kmsKeyId: enc.value.kmsKeyId } : {}) },
      );
    });
  },
  planFix(f) {
    return useLogBucket(f, "the target bucket's default encryption is not SSE-S3");
  },
});
