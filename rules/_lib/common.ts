/**
 * @fileoverview Helpers shared by the rules (not a rule: files under rules/_lib are not in the
 * catalog). Everything here is pure and O(1) per bucket.
 */
import type { BucketSnapshot, LoggingConfig, Read, ReadError, TargetFacts } from "../../src/model/snapshot.js";
import type { RuleContext, RuleResult } from "../../src/engine/define-rule.js";
import type { TargetResolution } from "../../src/engine/snapshot-index.js";

/** Machine-readable description of a logging configuration for `details`. */
export function loggingDetails(cfg: LoggingConfig): Record<string, unknown> {
  return {
    target: cfg.targetBucket,
    prefix: cfg.targetPrefix,
    keyFormat: cfg.keyFormat.type,
  };
}

/** A result for a bucket. */
export function result(
  b: BucketSnapshot,
  status: RuleResult["status"],
  message: string,
  details?: Record<string, unknown>,
): RuleResult {
  return details
    ? { status, account: b.account, region: b.region, bucket: b.name, message, details }
    : { status, account: b.account, region: b.region, bucket: b.name, message };
}

/** `error` result for a failed read, naming the operation and the code. */
export function readError(
  b: BucketSnapshot,
  what: string,
  err: ReadError,
  extra?: Record<string, unknown>,
): RuleResult {
  return result(b, "error", `cannot evaluate ${b.name}: ${what} could not be read (${err.operation} failed: ${err.code})`, {
    ...extra,
    operation: err.operation,
    code: err.code,
    error: err.message,
  });
}

export type SourceState =
  | { kind: "error"; result: RuleResult }
  | { kind: "disabled" }
  | { kind: "enabled"; cfg: LoggingConfig; target: TargetResolution };

/**
 * The logging state of a source bucket. Unreadable logging is an `error` result for every
 * source rule (the rule cannot know whether it applies, and it must never pass).
 */
export function sourceState(ctx: RuleContext, b: BucketSnapshot): SourceState {
  const l = b.logging;
  if (l.status === "error") return { kind: "error", result: readError(b, "its logging configuration", l) };
  if (l.status === "absent" || l.value === null) return { kind: "disabled" };
  return { kind: "enabled", cfg: l.value, target: ctx.index.resolveTarget(b, l.value) };
}

/**
 * `error` result when a target's existence could not be established (external `error`, or a
 * target collection has no record of). Undefined for every other resolution.
 */
export function targetUnknownError(b: BucketSnapshot, cfg: LoggingConfig, t: TargetResolution): RuleResult | undefined {
  if (t.kind === "external" && t.target.state === "error") {
    const e = t.target.error;
    return result(
      b,
      "error",
      `cannot evaluate ${b.name}: whether target ${cfg.targetBucket} exists could not be read (${e?.operation ?? "HeadBucket"} failed: ${e?.code ?? "unknown"})`,
      {
        ...loggingDetails(cfg),
        operation: e?.operation ?? "HeadBucket",
        code: e?.code ?? "unknown",
        ...(e ? { error: e.message } : {}),
      },
    );
  }
  if (t.kind === "unknown") {
    return result(b, "error", `cannot evaluate ${b.name}: target ${cfg.targetBucket} was not collected`, {
      ...loggingDetails(cfg),
      operation: "collect",
      code: "TargetNotCollected",
    });
  }
  return undefined;
}

export type FactsState =
  | { kind: "skip" }
  | { kind: "error"; result: RuleResult }
  | { kind: "ok"; cfg: LoggingConfig; target: BucketSnapshot; facts: TargetFacts };

/**
 * For rules about facts of the target bucket. Returns `skip` when the rule does not apply
 * (logging disabled; the target does not exist or belongs to another account — target-exists /
 * target-same-account report those), `error` when the facts cannot be known.
 */
export function targetFacts(ctx: RuleContext, b: BucketSnapshot): FactsState {
  const s = sourceState(ctx, b);
  if (s.kind === "error") return s;
  if (s.kind === "disabled") return { kind: "skip" };
  const t = s.target;
  const unknown = targetUnknownError(b, s.cfg, t);
  if (unknown) return { kind: "error", result: unknown };
  if (t.kind === "external") return { kind: "skip" };
  if (t.kind !== "self" && t.kind !== "owned") return { kind: "skip" };
  const facts = t.bucket.targetFacts;
  if (!facts) {
    return {
      kind: "error",
      result: result(b, "error", `cannot evaluate ${b.name}: facts of target ${s.cfg.targetBucket} were not collected`, {
        ...loggingDetails(s.cfg),
        operation: "collect",
        code: "TargetFactsNotCollected",
      }),
    };
  }
  return { kind: "ok", cfg: s.cfg, target: t.bucket, facts };
}

/** Narrow a Read to its error, if any. */
export function isReadError<T>(r: Read<T>): r is ReadError {
  return r.status === "error";
}

/** Memoise a per-index computation (indexes are immutable). */
export function perIndex<T>(build: (ctx: RuleContext) => T): (ctx: RuleContext) => T {
  const cache = new WeakMap<object, T>();
  return (ctx) => {
    let v = cache.get(ctx.index);
    if (v === undefined) {
      v = build(ctx);
      cache.set(ctx.index, v);
    }
    return v;
  };
}

/** A `use-log-bucket` intent for a failing source finding. */
export function useLogBucket(f: { account: string; region: string; bucket: string }, reason: string) {
  return [{ kind: "use-log-bucket" as const, account: f.account, region: f.region, bucket: f.bucket, reason }];
}

export const S3_LOGGING_DOC = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html";
export const ENABLE_LOGGING_DOC = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html";
export const TROUBLESHOOTING_DOC =
  "https://docs.aws.amazon.com/AmazonS3/latest/userguide/troubleshooting-server-access-logging.html";

/**
 * Log target buckets the log-bucket-* rules report on: in-scope buckets that at least one
 * readable logging configuration of their account names as target — the bucket itself included
 * (a self-logging bucket receives logs too; target-not-source reports the loop separately).
 * Yields the bucket, its sources and its facts, or an error result when facts are missing.
 */
export function* logTargets(
  ctx: RuleContext,
): Generator<{ bucket: BucketSnapshot; sources: readonly BucketSnapshot[]; facts?: TargetFacts; missing?: RuleResult }> {
  for (const b of ctx.index.inScope) {
    const sources = ctx.index.sourcesOf(b.account, b.name);
    if (sources.length === 0) continue;
    if (!b.targetFacts) {
      yield {
        bucket: b,
        sources,
        missing: result(b, "error", `cannot evaluate log bucket ${b.name}: its facts were not collected`, {
          sources: sources.length,
          operation: "collect",
          code: "TargetFactsNotCollected",
        }),
      };
    } else yield { bucket: b, sources, facts: b.targetFacts };
  }
}
