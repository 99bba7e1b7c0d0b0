/**
 * Merges that never overwrite: one statement into a bucket policy (every other statement kept
 * as it is), one rule into a lifecycle configuration (every other rule kept).
 */
import type { LifecycleRule } from "../model/snapshot.js";
import { canonicalJson } from "./state.js";
import type { PolicyDocument, PolicyStatement, StepPatch } from "./types.js";

/** Sid of the log-delivery statement the fixes write (one per target bucket). */
export const DELIVERY_SID = "S3ServerAccessLogsDelivery";
/** ID of the lifecycle rule the fixes add to log buckets. */
export const RETENTION_RULE_ID = "s3-log-auditor-expire-logs";
/** Bucket policy size limit (commonly cited 20 KB; treated as a hard limit, reference §1.2). */
export const POLICY_SIZE_LIMIT = 20 * 1024;
export const LOG_DELIVERY_SERVICE = "logging.s3.amazonaws.com";

/** The recommended delivery statement (reference §1.2) for sources of one account. */
export function deliveryStatement(p: {
  partition: string;
  account: string;
  targetBucket: string;
  sourceBuckets: readonly string[];
}): PolicyStatement {
  const arns = [...new Set(p.sourceBuckets)].sort().map((b) => `arn:${p.partition}:s3:::${b}`);
  return {
    Sid: DELIVERY_SID,
    Effect: "Allow",
    Principal: { Service: LOG_DELIVERY_SERVICE },
    Action: "s3:PutObject",
    Resource: `arn:${p.partition}:s3:::${p.targetBucket}/*`,
    Condition: {
      StringEquals: { "aws:SourceAccount": p.account },
      ArnLike: { "aws:SourceArn": arns.length === 1 ? arns[0] : arns },
    },
  };
}

function sourceArnsOf(st: PolicyStatement): string[] {
  const cond = st.Condition as Record<string, Record<string, unknown>> | undefined;
  const v = cond?.ArnLike?.["aws:SourceArn"];
  if (typeof v === "string") return [v];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  return [];
}

/** Parse a policy text into a document with a Statement list; undefined when not a policy. */
export function parsePolicyDocument(text: string): PolicyDocument | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) return undefined;
  const d = doc as Record<string, unknown>;
  const st = d.Statement;
  if (Array.isArray(st)) {
    if (!st.every((s) => s && typeof s === "object" && !Array.isArray(s))) return undefined;
    return d as PolicyDocument;
  }
  if (st && typeof st === "object") return { ...d, Statement: [st as PolicyStatement] } as PolicyDocument;
  return undefined;
}

/**
 * Merge `statement` into `policy`: a statement with the same Sid is replaced in place (for the
 * delivery statement, its existing `aws:SourceArn` values are kept and unioned); otherwise the
 * statement is appended. Every other statement is kept exactly as it is.
 */
export function mergeStatement(policy: PolicyDocument | null, statement: PolicyStatement): PolicyDocument {
  if (!policy) return { Version: "2012-10-17", Statement: [statement] };
  const statements = [...policy.Statement];
  const sid = statement.Sid;
  const at = typeof sid === "string" ? statements.findIndex((s) => s.Sid === sid) : -1;
  if (at < 0) return { ...policy, Statement: [...statements, statement] };
  const existing = statements[at]!;
  let merged = statement;
  if (sid === DELIVERY_SID) {
    const arns = [...new Set([...sourceArnsOf(existing), ...sourceArnsOf(statement)])].sort();
    const cond = { ...(statement.Condition as Record<string, Record<string, unknown>>) };
    cond.ArnLike = { ...cond.ArnLike, "aws:SourceArn": arns.length === 1 ? arns[0] : arns };
    merged = { ...statement, Condition: cond };
  }
  statements[at] = merged;
  return { ...policy, Statement: statements };
}

/** Byte size of the policy text the fix writes. */
export function policyText(doc: PolicyDocument): string {
  return JSON.stringify(doc);
}

/** The expiration rule added to log buckets. */
export function retentionRule(days: number): LifecycleRule {
  return { ID: RETENTION_RULE_ID, Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: days } };
}

/** True when some enabled rule covering the whole bucket expires or transitions objects. */
export function hasRetention(rules: readonly LifecycleRule[] | null): boolean {
  if (!rules) return false;
  return rules.some((r) => {
    if (r.Status !== "Enabled") return false;
    const filter = r.Filter as Record<string, unknown> | undefined;
    const prefix = (filter?.Prefix ?? r.Prefix ?? "") as unknown;
    const wholeBucket =
      (prefix === "" || prefix === undefined) && !filter?.Tag && !filter?.And && filter?.ObjectSizeGreaterThan === undefined;
    const exp = r.Expiration as Record<string, unknown> | undefined;
    const expires = !!exp && (exp.Days !== undefined || exp.Date !== undefined);
    const transitions = Array.isArray(r.Transitions) && r.Transitions.length > 0;
    return wholeBucket && (expires || transitions);
  });
}

/** Add (or replace by ID) one lifecycle rule, keeping every other rule. */
export function mergeRule(rules: readonly LifecycleRule[] | null, rule: LifecycleRule): LifecycleRule[] {
  const list = [...(rules ?? [])];
  const at = list.findIndex((r) => r.ID === rule.ID);
  if (at >= 0) list[at] = rule;
  else list.push(rule);
  return list;
}

/** Apply a step patch to a live state (used when the plan could not know `before`). */
export function applyPatch(patch: StepPatch, current: unknown): unknown {
  if (patch.kind === "policy-statement") return mergeStatement(current as PolicyDocument | null, patch.statement);
  return mergeRule(current as LifecycleRule[] | null, patch.rule);
}

/** True when merging `patch` into `current` would change nothing. */
export function patchIsNoop(patch: StepPatch, current: unknown): boolean {
  const after = applyPatch(patch, current);
  const norm = (v: unknown) => canonicalJson(v);
  if (patch.kind === "policy-statement") {
    const cur = current as PolicyDocument | null;
    return !!cur && norm(cur.Statement) === norm((after as PolicyDocument).Statement);
  }
  return norm(current ?? []) === norm(after);
}
