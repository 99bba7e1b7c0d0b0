/**
 * Would S3 deliver this source's logs into its target right now? The simulator's own, deliberately
 * simple reading of docs/aws-s3-logging-reference.md §1.1–1.3 — independent of the scanner's
 * evaluator, which it must never import.
 *
 * Delivery needs: the target exists, same account, same Region, default encryption SSE-S3 (or none),
 * no Object Lock default retention, no Requester Pays, and a grant to the log-delivery service.
 *
 * The grant, as this module reads a bucket policy:
 * - a statement *applies* to the delivery write when its Principal is `*`, `{"AWS": "*"}` or names
 *   the service `logging.s3.amazonaws.com`; its Action (glob) matches `s3:PutObject`; its Resource
 *   (glob) matches `arn:aws:s3:::TARGET/KEY` for the object about to be written; and each Condition
 *   holds for the request `aws:SourceArn = arn:aws:s3:::SOURCE`, `aws:SourceAccount = SOURCE-ACCOUNT`,
 *   `aws:SecureTransport = true` (an assumption: the reference does not say);
 * - conditions are read only with the operators String(Not)Equals, String(Not)Like, Arn(Not)Equals,
 *   Arn(Not)Like and Bool, and only on those three keys;
 * - anything else (NotPrincipal, NotAction, NotResource, another operator or key, `…IfExists`, a
 *   value that is not a string or list of strings, JSON that does not parse) makes the policy
 *   *undecidable*, and an undecidable policy delivers nothing;
 * - an applying Deny refuses; otherwise an applying Allow grants;
 * - without such an Allow, the ACL grants when ACLs are enabled (Object Ownership is not
 *   BucketOwnerEnforced) and it gives the LogDelivery group WRITE and READ_ACP (or FULL_CONTROL).
 * SCPs are not simulated.
 */
import { LOG_DELIVERY_URI, type SimBucket, type SimState } from "../state.js";

/** Why a delivery does not happen (undefined = it does). */
export type Refusal =
  | "target-missing"
  | "other-account"
  | "other-region"
  | "encryption"
  | "object-lock-retention"
  | "requester-pays"
  | "policy-denies"
  | "policy-undecidable"
  | "no-grant";

const SERVICE = "logging.s3.amazonaws.com";

class Undecidable {}

function globMatch(pattern: string, value: string, caseInsensitive: boolean): boolean {
  const re = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, caseInsensitive ? "i" : "");
  return re.test(value);
}

function strings(v: unknown): string[] {
  const list = Array.isArray(v) ? v : [v];
  if (!list.every((x) => typeof x === "string")) throw new Undecidable();
  return list;
}

function principalApplies(p: unknown): boolean {
  if (p === "*") return true;
  if (typeof p !== "object" || p === null || Array.isArray(p)) throw new Undecidable();
  const rec = p as Record<string, unknown>;
  if (rec.AWS !== undefined && strings(rec.AWS).includes("*")) return true;
  return rec.Service !== undefined && strings(rec.Service).includes(SERVICE);
}

const OPERATORS: Record<string, { kind: "string" | "like" | "bool"; negate: boolean; ci?: boolean }> = {
  StringEquals: { kind: "string", negate: false },
  StringNotEquals: { kind: "string", negate: true },
  StringLike: { kind: "like", negate: false },
  StringNotLike: { kind: "like", negate: true },
  ArnEquals: { kind: "string", negate: false },
  ArnNotEquals: { kind: "string", negate: true },
  ArnLike: { kind: "like", negate: false },
  ArnNotLike: { kind: "like", negate: true },
  Bool: { kind: "bool", negate: false },
};

function conditionsHold(cond: unknown, context: Record<string, string>): boolean {
  if (cond === undefined) return true;
  if (typeof cond !== "object" || cond === null || Array.isArray(cond)) throw new Undecidable();
  for (const [opName, block] of Object.entries(cond as Record<string, unknown>)) {
    // Own properties only: an operator or key named like an Object member ("constructor") is unknown.
    const op = Object.hasOwn(OPERATORS, opName) ? OPERATORS[opName] : undefined;
    if (!op || typeof block !== "object" || block === null || Array.isArray(block)) throw new Undecidable();
    for (const [rawKey, rawValues] of Object.entries(block as Record<string, unknown>)) {
      const key = rawKey.toLowerCase();
      const actual = Object.hasOwn(context, key) ? context[key] : undefined;
      if (actual === undefined) throw new Undecidable();
      const values = strings(rawValues);
      const any =
        op.kind === "bool"
          ? values.some((v) => v.toLowerCase() === actual)
          : values.some((v) => (op.kind === "like" ? globMatch(v, actual, false) : v === actual));
      if (op.negate ? any : !any) return false;
    }
  }
  return true;
}

/** Does this statement apply to the delivery write? Throws Undecidable. */
function statementApplies(st: Record<string, unknown>, resourceArn: string, context: Record<string, string>): boolean {
  if (st.NotPrincipal !== undefined || st.NotAction !== undefined || st.NotResource !== undefined) throw new Undecidable();
  if (!principalApplies(st.Principal)) return false;
  if (!strings(st.Action).some((a) => globMatch(a, "s3:PutObject", true))) return false;
  if (!strings(st.Resource).some((r) => globMatch(r, resourceArn, false))) return false;
  return conditionsHold(st.Condition, context);
}

/** The policy's verdict on the delivery write: "allow", "deny", "undecidable" or undefined (silent). */
function policyVerdict(policy: string | undefined, resourceArn: string, context: Record<string, string>): "allow" | "deny" | "undecidable" | undefined {
  if (policy === undefined) return undefined;
  try {
    const doc = JSON.parse(policy) as { Statement?: unknown };
    const list = Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
    let allow = false;
    let deny = false;
    for (const st of list) {
      if (typeof st !== "object" || st === null) throw new Undecidable();
      const s = st as Record<string, unknown>;
      if (s.Effect !== "Allow" && s.Effect !== "Deny") throw new Undecidable();
      if (statementApplies(s, resourceArn, context)) {
        if (s.Effect === "Deny") deny = true;
        else allow = true;
      }
    }
    return deny ? "deny" : allow ? "allow" : undefined;
  } catch {
    return "undecidable";
  }
}

function aclGrantsDelivery(target: SimBucket): boolean {
  if (target.ownership === "BucketOwnerEnforced") return false;
  const perms = new Set(target.acl.filter((g) => g.type === "Group" && g.uri === LOG_DELIVERY_URI).map((g) => g.permission));
  return perms.has("FULL_CONTROL") || (perms.has("WRITE") && perms.has("READ_ACP"));
}

/** Why S3 would not deliver a log object with key `key` from `source` right now, or undefined. */
export function deliveryRefusal(state: SimState, source: SimBucket, targetName: string, key: string): Refusal | undefined {
  const target = state.buckets.get(targetName);
  if (!target) return "target-missing";
  if (target.account !== source.account) return "other-account";
  if (target.region !== source.region) return "other-region";
  if (target.encryption && target.encryption.algorithm !== "AES256") return "encryption";
  if (target.objectLockRetention) return "object-lock-retention";
  if (target.requestPayer === "Requester") return "requester-pays";
  const context = {
    "aws:sourcearn": `arn:aws:s3:::${source.name}`,
    "aws:sourceaccount": source.account,
    "aws:securetransport": "true",
  };
  const verdict = policyVerdict(target.policy, `arn:aws:s3:::${target.name}/${key}`, context);
  if (verdict === "deny") return "policy-denies";
  if (verdict === "undecidable") return "policy-undecidable";
  if (verdict === "allow" || aclGrantsDelivery(target)) return undefined;
  return "no-grant";
}
