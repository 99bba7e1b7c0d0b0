/**
 * @fileoverview log-bucket-not-public: a log target bucket has all four Block Public Access
 * settings on.
 *
 * Subject: the log target (a bucket some bucket of its account logs into, itself included).
 * All four settings true → pass; any false → fail naming them; no configuration
 * (`NoSuchPublicAccessBlockConfiguration`) → fail; read error → error. Only the bucket-level
 * configuration is read: an account-level block is not taken into account.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { eachLogTargetFact, result } from "./_lib/common.js";

const SETTINGS = ["blockPublicAcls", "ignorePublicAcls", "blockPublicPolicy", "restrictPublicBuckets"] as const;

export default defineRule({
  meta: {
    id: "log-bucket-not-public",
    title: "Log bucket blocks all public access",
    severity: "high",
    rationale:
      "Access logs reveal who accessed what, from where, with which keys: a log bucket must never become public by a stray policy or ACL. Block Public Access does not hinder log delivery by the logging service principal.",
    failsWhen: "a log target bucket lacks a full Block Public Access configuration (any of the four settings off, or none configured).",
    fix: "turn all four Block Public Access settings on",
    fixable: true,
    docUrl: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html",
    subject: "log-target",
    readPermissions: ["s3:GetBucketLogging", "s3:GetBucketPublicAccessBlock"],
  },
  evaluate(ctx) {
    return eachLogTargetFact(ctx, "publicAccessBlock", "its Block Public Access configuration", (b, _sources, pab, d) => {
      if (pab.status === "absent")
        return result(b, "fail", `log bucket ${b.name} has no Block Public Access configuration`, { ...d, missing: [...SETTINGS] });
      const missing = SETTINGS.filter((k) => !pab.value[k]);
      return missing.length === 0
        ? result(b, "pass", `log bucket ${b.name} blocks all public access`, { ...d, missing })
        : result(b, "fail", `log bucket ${b.name} does not block public access fully: ${missing.join(", ")} off`, { ...d, missing });
    });
  },
  planFix(f) {
    return [{ kind: "block-public-access", account: f.account, region: f.region, bucket: f.bucket }];
  },
});
