/**
 * @fileoverview delivery-permitted: the target must let the S3 logging service write the logs of
 * this source — through its bucket policy, or (only where ACLs are enabled) its ACL.
 *
 * Subject: the source. The target's raw policy text is evaluated (src/engine/policy-eval.ts) for
 * principal `logging.s3.amazonaws.com`, `s3:PutObject` on `arn:PARTITION:s3:::TARGET/KEY`, where
 * KEY is a representative log key (PREFIX + date-time-unique for the simple format; PREFIX +
 * ACCOUNT/REGION/SOURCE/YYYY/MM/DD/... for the partitioned one), with `aws:SourceArn` =
 * the source bucket ARN, `aws:SourceAccount` = its account and `aws:SecureTransport` = true.
 *   - explicit Deny → fail naming the statement (`details.explicitDeny = {sid, index}`); no
 *     automatic fix (a person must decide about a deny): a manual-policy-edit intent;
 *   - Allow → pass;
 *   - malformed policy, or a Deny that cannot be decided → error with the reason (never pass);
 *   - otherwise the ACL route: the LogDelivery group with WRITE + READ_ACP (FULL_CONTROL covers
 *     both) counts only when ownership is not BucketOwnerEnforced (no ownership controls = ACLs
 *     active). An ACL read error matters only when the policy did not already decide.
 *   - no policy, or a policy that does not allow, and no ACL route → fail; fix: grant-delivery.
 *   - an Allow that cannot be decided and no ACL route → error.
 * Missing/foreign target → no result; unreadable policy → error.
 */
import { defineRule } from "../src/engine/define-rule.js";
import { representativeKey } from "../src/engine/delivery-key.js";
import { deliveryRequest, evaluatePolicy, parsePolicy, type ParseResult, type PolicyDecision } from "../src/engine/policy-eval.js";
import type { Acl, Read } from "../src/model/snapshot.js";
import { eachTargetFacts, loggingDetails, perIndex, readError, result } from "./_lib/common.js";

export const LOG_DELIVERY_GROUP = "http://acs.amazonaws.com/groups/s3/LogDelivery";

/** Whether an ACL grants the LogDelivery group WRITE and READ_ACP (FULL_CONTROL covers both). */
export function aclGrantsLogDelivery(acl: Acl): boolean {
  let write = false;
  let readAcp = false;
  for (const g of acl.grants) {
    if (g.grantee.type !== "Group" || g.grantee.uri !== LOG_DELIVERY_GROUP) continue;
    if (g.permission === "FULL_CONTROL") return true;
    if (g.permission === "WRITE") write = true;
    if (g.permission === "READ_ACP") readAcp = true;
  }
  return write && readAcp;
}

/** Parsed policies, once per distinct policy text per snapshot. */
const parsedPolicies = perIndex(() => new Map<string, ParseResult>());

function parsed(cache: Map<string, ParseResult>, text: string): ParseResult {
  let p = cache.get(text);
  if (!p) {
    p = parsePolicy(text);
    cache.set(text, p);
  }
  return p;
}

function aclStatus(acl: Read<Acl>): "granted" | "not-granted" | "error" {
  if (acl.status === "error") return "error";
  if (acl.status === "absent") return "not-granted";
  return aclGrantsLogDelivery(acl.value) ? "granted" : "not-granted";
}

export default defineRule({
  meta: {
    id: "delivery-permitted",
    title: "Log target permits delivery from this source",
    severity: "high",
    rationale:
      "S3 writes logs as the logging service principal under normal access control: unless the target's bucket policy (or, with ACLs enabled, its ACL) allows it — and no Deny blocks it — logs are silently dropped. PutBucketLogging succeeds either way.",
    failsWhen:
      "neither the target's bucket policy (evaluated as IAM would for logging.s3.amazonaws.com s3:PutObject with this source's aws:SourceArn/aws:SourceAccount, explicit denies honoured) nor, where ACLs are enabled, its ACL allows delivery.",
    fix: "add (merge) the recommended logging.s3.amazonaws.com statement to the target's bucket policy; never drop other statements (an explicit Deny needs a person)",
    fixable: true,
    docUrl: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html#grant-log-delivery-permissions-general",
    subject: "source",
    readPermissions: ["s3:GetBucketLogging", "s3:GetBucketPolicy", "s3:GetBucketAcl", "s3:GetBucketOwnershipControls"],
  },
  evaluate(ctx) {
    const cache = parsedPolicies(ctx);
    return eachTargetFacts(ctx, (b, s) => {
      const { cfg, facts, target } = s;
      const T = cfg.targetBucket;
      const req = deliveryRequest({
        partition: ctx.index.partition,
        targetBucket: T,
        key: representativeKey(b, cfg),
        sourceBucket: b.name,
        account: b.account,
      });
      const d: Record<string, unknown> = { ...loggingDetails(cfg), targetRegion: target.region, resource: req.resource };
      const pol = facts.policy;
      if (pol.status === "error") return readError(b, `bucket policy of target ${T}`, pol, d);
      let pd: PolicyDecision | undefined;
      if (pol.status === "ok") {
        const p = parsed(cache, pol.value);
        pd = p.ok ? evaluatePolicy(p.policy, req) : { decision: "unknown", reason: p.reason, malformed: true };
        d.policy = pd.decision;
        if (pd.statement) d.statement = pd.statement;
        d.reason = pd.reason;
        if (pd.decision === "explicit-deny") {
          const st = pd.statement ?? { index: -1 };
          d.explicitDeny = { sid: st.sid ?? null, index: st.index };
          return result(b, "fail", `delivery from ${b.name} to ${T} is blocked: ${pd.reason}`, d);
        }
        if (pd.decision === "allow") {
          d.route = "policy";
          return result(b, "pass", `${T} allows log delivery from ${b.name}: ${pd.reason}`, d);
        }
        if (pd.decision === "unknown" && (pd.malformed || pd.unknownEffect === "Deny")) {
          return result(b, "error", `cannot evaluate delivery from ${b.name} to ${T}: ${pd.reason}`, {
            ...d,
            operation: "evaluate-policy",
            code: pd.malformed ? "MalformedPolicy" : "UndecidableCondition",
          });
        }
      } else d.policy = "none";

      // The policy does not allow (or an Allow is undecidable): the ACL route.
      const own = facts.ownership;
      const policyText = pd ? (pd.decision === "unknown" ? `whether its policy allows it is unknown (${pd.reason})` : "its bucket policy does not allow it") : "it has no bucket policy";
      const undecidedAllow = pd?.decision === "unknown";
      if (own.status === "ok" && own.value === "BucketOwnerEnforced") {
        d.acl = "disabled";
        return undecidedAllow
          ? result(b, "error", `cannot evaluate delivery from ${b.name} to ${T}: ${policyText}; ACLs are disabled`, {
              ...d,
              operation: "evaluate-policy",
              code: "UndecidableCondition",
            })
          : result(b, "fail", `${T} does not permit log delivery from ${b.name}: ${policyText}, and ACLs are disabled (BucketOwnerEnforced)`, d);
      }
      const acl = aclStatus(facts.acl);
      d.acl = acl;
      if (acl === "error") return readError(b, `ACL of target ${T}`, facts.acl as Extract<Read<Acl>, { status: "error" }>, d);
      if (acl === "granted") {
        if (own.status === "error") return readError(b, `object ownership of target ${T} (needed to know whether its ACL is in effect)`, own, d);
        d.route = "acl";
        return result(b, "pass", `${T} grants the LogDelivery group WRITE and READ_ACP (ACLs enabled)`, d);
      }
      return undecidedAllow
        ? result(b, "error", `cannot evaluate delivery from ${b.name} to ${T}: ${policyText}; its ACL does not grant the LogDelivery group`, {
            ...d,
            operation: "evaluate-policy",
            code: "UndecidableCondition",
          })
        : result(
            b,
            "fail",
            `${T} does not permit log delivery from ${b.name}: ${policyText}, and its ACL does not grant the LogDelivery group WRITE and READ_ACP`,
            d,
          );
    });
  },
  planFix(f) {
    const d = f.details;
    const target = typeof d.target === "string" ? d.target : undefined;
    if (!target) return [];
    const region = typeof d.targetRegion === "string" ? d.targetRegion : f.region;
    const deny = d.explicitDeny as { sid?: unknown; index?: unknown } | undefined;
    if (deny && typeof deny === "object") {
      const statement = typeof deny.sid === "string" ? deny.sid : `#${typeof deny.index === "number" ? deny.index : -1}`;
      return [{ kind: "manual-policy-edit", account: f.account, region, targetBucket: target, sourceBucket: f.bucket, statement }];
    }
    return [
      {
        kind: "grant-delivery",
        account: f.account,
        region,
        targetBucket: target,
        sourceBucket: f.bucket,
        prefix: typeof d.prefix === "string" ? d.prefix : "",
      },
    ];
  },
});
