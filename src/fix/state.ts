/**
 * Resource states and their comparison. Drift checks compare by meaning, not by bytes: key
 * order, an omitted-vs-explicit simple key format, `undefined` fields and grant order do not count
 * as drift; anything else does.
 */
import type { LoggingConfig } from "../model/snapshot.js";
import type { PolicyDocument, StepOperation } from "../model/plan.js";
import type { ResourceKind } from "../model/journal.js";

/** JSON text with object keys sorted (arrays keep their order), `undefined` dropped. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** Plain-JSON copy (Dates become ISO strings, `undefined` dropped). */
export function toPlainJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

export function resourceOf(op: StepOperation): ResourceKind {
  switch (op) {
    case "CreateBucket":
      return "bucket";
    case "PutBucketOwnershipControls":
      return "ownership";
    case "PutPublicAccessBlock":
      return "public-access-block";
    case "PutBucketEncryption":
      return "encryption";
    case "PutBucketLifecycleConfiguration":
      return "lifecycle";
    case "PutBucketPolicy":
      return "policy";
    case "PutBucketLogging":
      return "logging";
  }
}

function normLogging(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const c = v as LoggingConfig;
  const grants = (c.targetGrants ?? []).map((g) => canonicalJson(g)).sort();
  const kf =
    c.keyFormat?.type === "partitioned"
      ? { type: "partitioned", partitionDateSource: c.keyFormat.partitionDateSource ?? "EventTime" }
      : { type: "simple" };
  return { targetBucket: c.targetBucket, targetPrefix: c.targetPrefix, grants, kf };
}

function normEncryption(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const e = v as { algorithm: string; kmsKeyId?: string; bucketKeyEnabled?: boolean };
  return { a: e.algorithm, k: e.kmsKeyId ?? null, b: e.bucketKeyEnabled ?? false };
}

function normPolicy(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const d = v as PolicyDocument;
  const st = (d as { Statement?: unknown }).Statement;
  // A single Statement object means the same as a one-element list.
  return { ...d, Statement: Array.isArray(st) ? st : st === undefined ? [] : [st] };
}

/** An empty prefix filter and no filter mean the same (AWS may echo either form). */
function normRule(r: unknown): unknown {
  if (!r || typeof r !== "object") return r;
  const rule = { ...(r as Record<string, unknown>) };
  if (rule.Prefix === "") delete rule.Prefix;
  const f = rule.Filter as Record<string, unknown> | undefined;
  if (f && typeof f === "object" && Object.keys(f).length === 1 && f.Prefix === "") rule.Filter = {};
  return rule;
}

function normLifecycle(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  const rules = v as unknown[];
  return rules.length === 0 ? null : rules.map(normRule);
}

/** Normalised form of a state of `resource`, for comparison. */
export function normalizeState(resource: ResourceKind, v: unknown): string {
  switch (resource) {
    case "logging":
      return canonicalJson(normLogging(v));
    case "encryption":
      return canonicalJson(normEncryption(v));
    case "policy":
      return canonicalJson(normPolicy(v));
    case "lifecycle":
      return canonicalJson(normLifecycle(v));
    default:
      return canonicalJson(v ?? null);
  }
}

/** True when two states of `resource` mean the same. */
export function sameState(resource: ResourceKind, a: unknown, b: unknown): boolean {
  return normalizeState(resource, a) === normalizeState(resource, b);
}
