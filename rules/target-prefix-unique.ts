/**
 * @fileoverview target-prefix-unique: sources sharing one target must not write to the same
 * prefix with the simple key format (their log objects become indistinguishable by key).
 *
 * Subject: the source. Sources are grouped by (account, target bucket, exact prefix) over the
 * whole snapshot (out-of-scope sources write there too), counting only sources with the simple
 * key format — the partitioned format puts ACCOUNT/REGION/SOURCE/ in the key, which separates
 * them. Every in-scope simple-format source of a group of two or more fails. Partitioned → pass.
 * Logging disabled → no result; unreadable → error (for that bucket; buckets whose logging
 * could not be read are not counted in groups).
 */
import { defineRule } from "../src/engine/define-rule.js";
import { loggingOf } from "../src/engine/snapshot-index.js";
import { eachLoggingSource, loggingDetails, perIndex, result } from "./_lib/common.js";

const MAX_LISTED = 20;

/** account → target → prefix → names of simple-format sources (nested maps: no key strings). */
type Groups = Map<string, Map<string, Map<string, string[]>>>;

const groups = perIndex((ctx): Groups => {
  const m: Groups = new Map();
  for (const b of ctx.index.snapshot.buckets) {
    const cfg = loggingOf(b);
    if (!cfg || cfg.keyFormat.type !== "simple") continue;
    let byTarget = m.get(b.account);
    if (!byTarget) m.set(b.account, (byTarget = new Map<string, Map<string, string[]>>()));
    let byPrefix = byTarget.get(cfg.targetBucket);
    if (!byPrefix) byTarget.set(cfg.targetBucket, (byPrefix = new Map<string, string[]>()));
    const g = byPrefix.get(cfg.targetPrefix);
    if (g) g.push(b.name);
    else byPrefix.set(cfg.targetPrefix, [b.name]);
  }
  return m;
});

export default defineRule({
  meta: {
    id: "target-prefix-unique",
    title: "Each source has its own log prefix",
    severity: "low",
    rationale:
      "With the simple key format a log object's key carries no source bucket: sources writing into the same bucket and prefix mix their logs, so they cannot be told apart, expired or queried separately.",
    failsWhen: "two or more sources write to the same target bucket and prefix with the simple key format.",
    fix: "give each source its own prefix ('<bucket>/') or the partitioned key format",
    fixable: true,
    docUrl: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
    subject: "source",
    readPermissions: ["s3:GetBucketLogging"],
  },
  evaluate(ctx) {
    const g = groups(ctx);
    return eachLoggingSource(ctx, (b, { cfg }) => {
      const d = loggingDetails(cfg);
      if (cfg.keyFormat.type === "partitioned") return result(b, "pass", `${b.name} uses the partitioned key format`, d);
      const members = g.get(b.account)?.get(cfg.targetBucket)?.get(cfg.targetPrefix) ?? [b.name];
      if (members.length < 2)
        return result(b, "pass", `${b.name} is the only source writing to ${cfg.targetBucket}/${cfg.targetPrefix}`, d);
      const others: string[] = [];
      for (const n of members) {
        if (others.length >= MAX_LISTED) break;
        if (n !== b.name) others.push(n);
      }
      const more = members.length - 1 - others.length;
      return result(
        b,
        "fail",
        `${b.name} shares ${cfg.targetBucket} prefix "${cfg.targetPrefix}" with ${others.join(", ")}${more > 0 ? ` and ${more} more` : ""} (simple key format)`,
        { ...d, sharedWith: others, sharingSources: members.length },
      );
    });
  },
  planFix(f) {
    return [{ kind: "structure-prefix", account: f.account, region: f.region, bucket: f.bucket }];
  },
});
