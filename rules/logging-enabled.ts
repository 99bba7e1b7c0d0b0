/**
 * @fileoverview logging-enabled: every bucket has server access logging, except (by default)
 * buckets that are themselves log targets of other buckets of their account.
 *
 * Subject: the source bucket. Unreadable logging → error. The exemption is decided from the
 * logging configurations that could be read: a bucket only an unreadable bucket logs into is not
 * known to be a log target and is reported as failing (a false fail is possible, a false pass not).
 */
import { defineRule, type RuleResult } from "../src/engine/define-rule.js";
import { ENABLE_LOGGING_DOC, loggingDetails, readError, result, useLogBucket } from "./_lib/common.js";

export default defineRule({
  meta: {
    id: "logging-enabled",
    title: "Bucket has server access logging enabled",
    severity: "medium",
    rationale:
      "Server access logs are the audit trail of every request made to a bucket; without them there is no record of who read or changed data. Dedicated log buckets are exempt by default because logging them into another bucket only adds noise.",
    failsWhen:
      "a bucket has no server access logging; buckets that are themselves log targets of other buckets are exempt by default (exemptLogTargets).",
    fix: "enable logging to the account+Region log bucket (created hardened if missing)",
    fixable: true,
    docUrl: ENABLE_LOGGING_DOC,
    subject: "source",
    readPermissions: ["s3:ListAllMyBuckets", "s3:GetBucketLogging"],
    options: {
      exemptLogTargets: { type: "boolean", default: true, description: "buckets that are log targets of some source are exempt" },
    },
  },
  evaluate(ctx) {
    const out: RuleResult[] = [];
    for (const b of ctx.index.inScope) {
      const l = b.logging;
      if (l.status === "error") {
        out.push(readError(b, "its logging configuration", l));
        continue;
      }
      const cfg = l.status === "ok" ? l.value : null;
      if (cfg) {
        out.push(result(b, "pass", `${b.name} logs into ${cfg.targetBucket}`, loggingDetails(cfg)));
        continue;
      }
      if (ctx.options.exemptLogTargets === true && ctx.index.isLogTarget(b)) {
        const sources = ctx.index.sourcesOf(b.account, b.name).length;
        out.push(
          result(b, "pass", `${b.name} has no logging but is the log target of ${sources} bucket(s) (exempt)`, {
            exempt: true,
            sources,
          }),
        );
        continue;
      }
      out.push(result(b, "fail", `${b.name} has no server access logging`, { exempt: false }));
    }
    return out;
  },
  planFix(f) {
    return useLogBucket(f, "logging is disabled");
  },
  // A log target without logging is exempt; once a plan retargets its sources it is not.
  planFormerLogTarget(b) {
    return useLogBucket({ account: b.account, region: b.region, bucket: b.name }, "no longer a log target after this plan (logging-enabled)");
  },
});
