/**
 * @fileoverview log-bucket-retention: a log target bucket has a lifecycle rule that expires (or
 * transitions) the log objects, so logs do not accumulate forever.
 *
 * Subject: the log target (a bucket some bucket of its account logs into, itself included).
 * A lifecycle rule counts when it is `Enabled`, has an `Expiration` with `Days` or `Date` or a
 * `Transition(s)` with `Days` or `Date`, and its filter applies to every log object of a source:
 * no filter / empty filter / a prefix (`Filter.Prefix`, `Filter.And.Prefix`, legacy `Prefix`)
 * that the source's log keys start with (the TargetPrefix for the simple format;
 * TargetPrefix + ACCOUNT/REGION/SOURCE/ for the partitioned one). Rules that filter on tags
 * (log objects carry none) or object size (small log objects would escape) do not count.
 * Passes when every source's logs are covered; otherwise fails naming the uncovered prefixes.
 * No lifecycle configuration → fail; read error → error.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { loggingOf } from "../src/engine/snapshot-index.js";
import type { BucketSnapshot, LifecycleRule } from "../src/model/snapshot.js";
import { eachLogTargetFact, result } from "./_lib/common.js";

const MAX_LISTED = 20;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const hasWhen = (v: unknown): boolean =>
  isRecord(v) && ((typeof v.Days === "number" && v.Days > 0) || (v.Date !== undefined && v.Date !== null));

/** The key prefix an Enabled expiring/transitioning rule applies to, or undefined if it does not count. */
export function retentionPrefix(rule: LifecycleRule): string | undefined {
  if (rule.Status !== "Enabled") return undefined;
  const expires =
    hasWhen(rule.Expiration) ||
    (Array.isArray(rule.Transitions) && rule.Transitions.some(hasWhen)) ||
    hasWhen(rule.Transition);
  if (!expires) return undefined;
  const f = rule.Filter;
  if (f === undefined || f === null) return typeof rule.Prefix === "string" ? rule.Prefix : "";
  if (!isRecord(f)) return undefined;
  if (f.Tag !== undefined || f.ObjectSizeGreaterThan !== undefined || f.ObjectSizeLessThan !== undefined) return undefined;
  if (f.And !== undefined) {
    const a = f.And;
    if (!isRecord(a)) return undefined;
    if ((Array.isArray(a.Tags) && a.Tags.length > 0) || a.ObjectSizeGreaterThan !== undefined || a.ObjectSizeLessThan !== undefined)
      return undefined;
    return typeof a.Prefix === "string" ? a.Prefix : "";
  }
  return typeof f.Prefix === "string" ? f.Prefix : "";
}

/** The prefix every log key of `source` starts with. */
function logKeyPrefix(source: BucketSnapshot): string | undefined {
  const cfg = loggingOf(source);
  if (!cfg) return undefined;
  return cfg.keyFormat.type === "partitioned"
    ? `${cfg.targetPrefix}${source.account}/${source.region}/${source.name}/`
    : cfg.targetPrefix;
}

export default defineRule({
  meta: {
    id: "log-bucket-retention",
    title: "Log bucket expires old logs",
    severity: "low",
    rationale:
      "Access logs accumulate forever unless a lifecycle rule expires (or at least transitions) them: storage cost grows without bound and retention policies are not met.",
    failsWhen: "a log target bucket has no enabled lifecycle rule expiring (or transitioning) the log objects of all its sources.",
    fix: "add (merge) a lifecycle expiration rule for the log objects; existing rules are kept",
    fixable: true,
    docUrl: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-lifecycle-mgmt.html",
    subject: "log-target",
    readPermissions: ["s3:GetBucketLogging", "s3:GetLifecycleConfiguration"],
  },
  evaluate(ctx) {
    return eachLogTargetFact(ctx, "lifecycle", "its lifecycle configuration", (b, sources, lc, d) => {
      if (lc.status === "absent") return result(b, "fail", `log bucket ${b.name} has no lifecycle configuration: logs are kept forever`, d);
      const prefixes: string[] = [];
      const ruleIds: string[] = [];
      for (const r of lc.value) {
        const p = retentionPrefix(r);
        if (p === undefined) continue;
        prefixes.push(p);
        ruleIds.push(typeof r.ID === "string" ? r.ID : `#${lc.value.indexOf(r)}`);
      }
      if (prefixes.length === 0)
        return result(b, "fail", `log bucket ${b.name} has no enabled lifecycle rule that expires or transitions objects`, d);
      const uncovered: string[] = [];
      let uncoveredCount = 0;
      for (const s of sources) {
        const kp = logKeyPrefix(s);
        if (kp === undefined || prefixes.some((p) => kp.startsWith(p))) continue;
        uncoveredCount++;
        if (uncovered.length < MAX_LISTED && !uncovered.includes(kp)) uncovered.push(kp);
      }
      d.rules = ruleIds;
      if (uncoveredCount === 0) return result(b, "pass", `log bucket ${b.name} expires its logs (rule ${ruleIds.join(", ")})`, d);
      return result(
        b,
        "fail",
        `log bucket ${b.name} has no lifecycle rule covering the logs under ${uncovered.map((p) => `"${p}"`).join(", ")}`,
        { ...d, uncovered, uncoveredSources: uncoveredCount },
      );
    });
  },
  planFix(f) {
    return [{ kind: "add-log-retention", account: f.account, region: f.region, bucket: f.bucket }];
  },
});
