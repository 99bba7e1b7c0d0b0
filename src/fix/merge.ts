/**
 * Merges that never overwrite: one statement into a bucket policy (every other statement kept
 * as it is), one rule into a lifecycle configuration (every other rule kept).
 */
import type { LifecycleRule } from "../model/snapshot.js";
import { canonicalJson } from "./state.js";
import type { PolicyDocument, PolicyStatement, StepPatch } from "../model/plan.js";

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
  if (st && typeof st === "object") return { ...d, Statement: [st as PolicyStatement] };
  return undefined;
}

/** Condition operators the delivery statement may use for its two keys (ARN or string match). */
const DELIVERY_OPERATORS = new Set(["ArnLike", "ArnEquals", "StringEquals", "StringLike"]);
/** The only condition keys the delivery statement decides on (lower case: IAM keys are case-insensitive). */
const DELIVERY_KEYS = new Set(["aws:sourcearn", "aws:sourceaccount"]);
const STATEMENT_FIELDS = new Set(["Sid", "Effect", "Principal", "Action", "Resource", "Condition"]);

/** A string, or a list of exactly one string, as that string; otherwise undefined. */
function single(v: unknown): string | undefined {
  if (typeof v === "string") return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === "string") return v[0];
  return undefined;
}

function isStringList(v: unknown): v is string | string[] {
  return typeof v === "string" || (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string"));
}

/** True when `sid` is one of the Sids the fixes write (`S3ServerAccessLogsDelivery`, `…2`, `…3`, …). */
function isDeliverySid(sid: unknown): boolean {
  return typeof sid === "string" && new RegExp(`^${DELIVERY_SID}(?:[2-9]|[1-9]\\d+)?$`).test(sid);
}

/**
 * True when `st` is provably a delivery statement this tool wrote for the same target as `ours`:
 * one of our Sids, Allow, exactly the log-delivery service principal, exactly `s3:PutObject` on
 * our resource ARN, and conditions only on `aws:SourceArn` / `aws:SourceAccount` under plain
 * ARN or string operators. Anything else (a Deny, another action or principal, more conditions,
 * `Not…` fields, set operators, `…IfExists`) is the user's and is never replaced.
 */
export function isOwnDeliveryStatement(st: PolicyStatement, ours: PolicyStatement): boolean {
  if (!isDeliverySid(st.Sid)) return false;
  if (Object.keys(st).some((k) => !STATEMENT_FIELDS.has(k))) return false;
  if (st.Effect !== "Allow") return false;
  const principal = st.Principal as Record<string, unknown> | undefined;
  if (!principal || typeof principal !== "object" || Array.isArray(principal)) return false;
  if (Object.keys(principal).length !== 1 || single(principal.Service) !== LOG_DELIVERY_SERVICE) return false;
  if (single(st.Action) !== single(ours.Action) || single(st.Resource) !== single(ours.Resource)) return false;
  const cond = st.Condition;
  if (!cond || typeof cond !== "object" || Array.isArray(cond)) return false;
  let keys = 0;
  for (const [op, block] of Object.entries(cond as Record<string, unknown>)) {
    if (!DELIVERY_OPERATORS.has(op) || !block || typeof block !== "object" || Array.isArray(block)) return false;
    for (const [key, value] of Object.entries(block as Record<string, unknown>)) {
      if (!DELIVERY_KEYS.has(key.toLowerCase()) || !isStringList(value)) return false;
      keys++;
    }
  }
  return keys > 0;
}

/** Every value the statement's conditions give `key` (any operator), lower-cased key match. */
function conditionValues(st: PolicyStatement, key: string): string[] {
  const out: string[] = [];
  for (const block of Object.values((st.Condition ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const [k, v] of Object.entries(block ?? {})) {
      if (k.toLowerCase() === key) out.push(...(typeof v === "string" ? [v] : Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []));
    }
  }
  return out;
}

/**
 * Our own statement `existing` widened by the sources of `ours`. Conditions are ANDed, so each
 * new value is added to EVERY operator block that constrains its key, keeping the operator and
 * every value already there; a key the existing statement does not constrain stays unconstrained.
 */
function widenOwnStatement(existing: PolicyStatement, ours: PolicyStatement): PolicyStatement {
  const cond: Record<string, Record<string, unknown>> = {};
  for (const [op, block] of Object.entries(existing.Condition as Record<string, Record<string, unknown>>)) {
    const widened: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(block)) {
      const have = typeof value === "string" ? [value] : (value as string[]);
      const add = conditionValues(ours, key.toLowerCase()).filter((v) => !have.includes(v));
      if (add.length === 0) widened[key] = value;
      else {
        const all = [...have, ...add].sort();
        widened[key] = all.length === 1 ? all[0] : all;
      }
    }
    cond[op] = widened;
  }
  return { ...existing, Condition: cond };
}

/** The first Sid of our family (`S3ServerAccessLogsDelivery`, `…2`, …) no statement uses. */
function freeDeliverySid(statements: readonly PolicyStatement[]): string {
  const used = new Set(statements.map((s) => s.Sid));
  if (!used.has(DELIVERY_SID)) return DELIVERY_SID;
  for (let i = 2; ; i++) if (!used.has(`${DELIVERY_SID}${i}`)) return `${DELIVERY_SID}${i}`;
}

/**
 * Merge the delivery statement `statement` into `policy`, replacing only what the fixes provably
 * wrote: a statement of our shape for the same target (see isOwnDeliveryStatement) is widened in
 * place (its source ARNs and accounts kept, under their own operators, and ours added). Any other
 * statement — also one that merely uses our Sid — is kept exactly as it is, and ours is appended
 * under a Sid no statement uses.
 */
export function mergeStatement(policy: PolicyDocument | null, statement: PolicyStatement): PolicyDocument {
  if (!policy) return { Version: "2012-10-17", Statement: [statement] };
  const statements = [...policy.Statement];
  const at = statements.findIndex((s) => isOwnDeliveryStatement(s, statement));
  if (at >= 0) {
    statements[at] = widenOwnStatement(statements[at]!, statement);
    return { ...policy, Statement: statements };
  }
  return { ...policy, Statement: [...statements, { ...statement, Sid: freeDeliverySid(statements) }] };
}

/** How a merged policy relates to the one before: statements kept as they were, updated, added. */
export function policyMergeCounts(before: PolicyDocument | null, after: PolicyDocument): { kept: number; updated: number; added: number } {
  const old = (before?.Statement ?? []).map((s) => canonicalJson(s));
  const now = after.Statement.map((s) => canonicalJson(s));
  const kept = old.filter((s) => now.includes(s)).length;
  const updated = old.length - kept;
  return { kept, updated, added: now.length - kept - updated };
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

const RULE_FIELDS = new Set(["ID", "Status", "Filter", "Prefix", "Expiration"]);

/**
 * True when `r` is provably the expiration rule this tool writes: one of our IDs, enabled,
 * covering the whole bucket, expiring after a number of days and doing nothing else.
 */
export function isOwnRetentionRule(r: LifecycleRule): boolean {
  if (typeof r.ID !== "string" || !new RegExp(`^${RETENTION_RULE_ID}(?:-[2-9]|-[1-9]\\d+)?$`).test(r.ID)) return false;
  if (Object.keys(r).some((k) => !RULE_FIELDS.has(k)) || r.Status !== "Enabled") return false;
  if (r.Prefix !== undefined && r.Prefix !== "") return false;
  const filter = r.Filter as Record<string, unknown> | undefined;
  if (filter !== undefined && (typeof filter !== "object" || Object.keys(filter).some((k) => k !== "Prefix") || (filter.Prefix ?? "") !== "")) return false;
  const exp = r.Expiration as Record<string, unknown> | undefined;
  return !!exp && typeof exp === "object" && Object.keys(exp).length === 1 && typeof exp.Days === "number";
}

/**
 * Add our expiration rule, keeping every other rule: a rule this tool provably wrote (see
 * isOwnRetentionRule) is replaced in place; a user's rule that merely has our ID is kept, and ours
 * gets an ID no rule uses (`s3-log-auditor-expire-logs-2`, …).
 */
export function mergeRule(rules: readonly LifecycleRule[] | null, rule: LifecycleRule): LifecycleRule[] {
  const list = [...(rules ?? [])];
  const at = list.findIndex((r) => isOwnRetentionRule(r));
  if (at >= 0) {
    list[at] = { ...rule, ID: list[at]!.ID };
    return list;
  }
  const used = new Set(list.map((r) => r.ID));
  let id = RETENTION_RULE_ID;
  for (let i = 2; used.has(id); i++) id = `${RETENTION_RULE_ID}-${i}`;
  list.push({ ...rule, ID: id });
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
