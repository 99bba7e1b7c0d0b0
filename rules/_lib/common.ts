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

/**
 * A result for a bucket. The object is laid out like a Finding (the engine fills in ruleId,
 * severity, fixable and fingerprint in place), so a 100k-bucket scan allocates one object per
 * result and every result shares one shape.
 */
export function result(
  b: BucketSnapshot,
  status: RuleResult["status"],
  message: string,
  details?: Record<string, unknown>,
): RuleResult {
  const r = {
    ruleId: "",
    status,
    severity: "info",
    account: b.account,
    region: b.region,
    bucket: b.name,
    message,
    fixable: false,
    fingerprint: "",
    details: details ?? {},
  };
  return r;
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

/** What collection knows about a source's logging and target, computed once per bucket. */
type SourceCore =
  | { kind: "error"; err: ReadError }
  | { kind: "disabled" }
  | { kind: "enabled"; cfg: LoggingConfig; target: TargetResolution; facts: FactsCore };

/** What the facts-based rules can use, computed once per bucket. */
type FactsCore =
  | { kind: "skip" }
  | { kind: "unknown-target" }
  | { kind: "no-facts" }
  | { kind: "ok"; cfg: LoggingConfig; target: BucketSnapshot; facts: TargetFacts };

const SKIP: FactsCore = { kind: "skip" };
const NO_FACTS: FactsCore = { kind: "no-facts" };
const UNKNOWN_TARGET: FactsCore = { kind: "unknown-target" };
const DISABLED: SourceCore = { kind: "disabled" };

function core(ctx: RuleContext, b: BucketSnapshot): SourceCore {
  const l = b.logging;
  if (l.status === "error") return { kind: "error", err: l };
  if (l.status === "absent" || l.value === null) return DISABLED;
  const cfg = l.value;
  const target = ctx.index.resolveTarget(b, cfg);
  let facts: FactsCore;
  if (target.kind === "unknown" || (target.kind === "external" && target.target.state === "error")) facts = UNKNOWN_TARGET;
  else if (target.kind === "external") facts = SKIP;
  else facts = target.bucket.targetFacts ? { kind: "ok", cfg, target: target.bucket, facts: target.bucket.targetFacts } : NO_FACTS;
  return { kind: "enabled", cfg, target, facts };
}

/** Per index: the cores of the in-scope buckets, by position in `index.inScope`. */
const cores = new WeakMap<object, Array<SourceCore | undefined>>();

/**
 * The core of a bucket, computed once per index. `i` is the bucket's position in
 * `ctx.index.inScope` (rules iterate that array); without it nothing is cached.
 */
function coreOf(ctx: RuleContext, b: BucketSnapshot, i?: number): SourceCore {
  if (i === undefined || ctx.index.inScope[i] !== b) return core(ctx, b);
  let arr = cores.get(ctx.index);
  if (!arr) {
    arr = new Array<SourceCore | undefined>(ctx.index.inScope.length);
    cores.set(ctx.index, arr);
  }
  let c = arr[i];
  if (!c) {
    c = core(ctx, b);
    arr[i] = c;
  }
  return c;
}

export type SourceState =
  | { kind: "error"; result: RuleResult }
  | { kind: "disabled" }
  | { kind: "enabled"; cfg: LoggingConfig; target: TargetResolution };

/**
 * The logging state of a source bucket. Unreadable logging is an `error` result for every
 * source rule (the rule cannot know whether it applies, and it must never pass).
 */
export function sourceState(ctx: RuleContext, b: BucketSnapshot, i?: number): SourceState {
  const c = coreOf(ctx, b, i);
  if (c.kind === "error") return { kind: "error", result: readError(b, "its logging configuration", c.err) };
  return c;
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
export function targetFacts(ctx: RuleContext, b: BucketSnapshot, i?: number): FactsState {
  const c = coreOf(ctx, b, i);
  if (c.kind === "error") return { kind: "error", result: readError(b, "its logging configuration", c.err) };
  if (c.kind === "disabled") return SKIP as FactsState;
  const f = c.facts;
  switch (f.kind) {
    case "ok":
    case "skip":
      return f;
    case "unknown-target":
      return { kind: "error", result: targetUnknownError(b, c.cfg, c.target) as RuleResult };
    case "no-facts":
      return {
        kind: "error",
        result: result(b, "error", `cannot evaluate ${b.name}: facts of target ${c.cfg.targetBucket} were not collected`, {
          ...loggingDetails(c.cfg),
          operation: "collect",
          code: "TargetFactsNotCollected",
        }),
      };
  }
}

export type EnabledSource = Extract<SourceState, { kind: "enabled" }>;
export type KnownTargetFacts = Extract<FactsState, { kind: "ok" }>;

/**
 * The loop of a source rule: `check` runs for every in-scope bucket with logging enabled and
 * gives its result (or none). Unreadable logging is an `error` result; no logging, nothing.
 * With `knownTarget`, a target whose existence could not be established is an `error` result too
 * (see targetUnknownError) and `check` does not run for it.
 */
export function eachLoggingSource(
  ctx: RuleContext,
  check: (b: BucketSnapshot, s: EnabledSource) => RuleResult | undefined,
  opts: { knownTarget?: boolean } = {},
): RuleResult[] {
  const out: RuleResult[] = [];
  const inScope = ctx.index.inScope;
  for (let i = 0; i < inScope.length; i++) {
    const b = inScope[i] as BucketSnapshot;
    const s = sourceState(ctx, b, i);
    let r: RuleResult | undefined;
    if (s.kind === "error") r = s.result;
    else if (s.kind === "enabled") r = (opts.knownTarget && targetUnknownError(b, s.cfg, s.target)) || check(b, s);
    if (r) out.push(r);
  }
  return out;
}

/**
 * The loop of a rule about where a source's target is (exists, same account, same Region):
 * eachLoggingSource over the sources whose target's existence is established, with the source's
 * logging details.
 */
export function eachKnownTarget(
  ctx: RuleContext,
  check: (b: BucketSnapshot, s: EnabledSource, details: Record<string, unknown>) => RuleResult | undefined,
): RuleResult[] {
  return eachLoggingSource(ctx, (b, s) => check(b, s, loggingDetails(s.cfg)), { knownTarget: true });
}

/**
 * The loop of a rule about the target's facts: `check` runs for every in-scope source whose
 * target facts are known. `error` states (see targetFacts) are results; `skip`, nothing.
 */
export function eachTargetFacts(ctx: RuleContext, check: (b: BucketSnapshot, s: KnownTargetFacts) => RuleResult | undefined): RuleResult[] {
  const out: RuleResult[] = [];
  const inScope = ctx.index.inScope;
  for (let i = 0; i < inScope.length; i++) {
    const b = inScope[i] as BucketSnapshot;
    const s = targetFacts(ctx, b, i);
    const r = s.kind === "skip" ? undefined : s.kind === "error" ? s.result : check(b, s);
    if (r) out.push(r);
  }
  return out;
}

/** A fact of the target that was read: its value, or that it is not configured. */
export type ReadFact<K extends keyof TargetFacts> = Exclude<TargetFacts[K], ReadError>;

/**
 * The loop of a rule about one fact of the target (`key`, called `what` in messages): like
 * eachTargetFacts, with the source's logging details; a failed read of that fact is an `error`
 * result, and `check` runs only for a fact that was read.
 */
export function eachTargetFact<K extends keyof TargetFacts>(
  ctx: RuleContext,
  key: K,
  what: string,
  check: (b: BucketSnapshot, s: KnownTargetFacts, fact: ReadFact<K>, details: Record<string, unknown>) => RuleResult | undefined,
): RuleResult[] {
  return eachTargetFacts(ctx, (b, s) => {
    const d = loggingDetails(s.cfg);
    const fact = s.facts[key];
    return isReadError<unknown>(fact) ? readError(b, `${what} of target ${s.cfg.targetBucket}`, fact, d) : check(b, s, fact as ReadFact<K>, d);
  });
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
 * The loop of the log-bucket-* rules: `check` runs for every log target bucket — an in-scope
 * bucket that at least one readable logging configuration of its account names as target, the
 * bucket itself included (a self-logging bucket receives logs too; target-not-source reports
 * the loop separately) — with its sources and facts. Missing facts are an `error` result.
 * A bucket no readable configuration names, but into which a bucket whose logging could not be
 * read may log (same account and Region), gets an `error` result instead: whether it is a log
 * target is unknown, and a rule must neither pass it nor drop it.
 */
export function eachLogTarget(
  ctx: RuleContext,
  check: (b: BucketSnapshot, sources: readonly BucketSnapshot[], facts: TargetFacts) => RuleResult | undefined,
): RuleResult[] {
  const out: RuleResult[] = [];
  for (const b of ctx.index.inScope) {
    const sources = ctx.index.sourcesOf(b.account, b.name);
    if (sources.length === 0) {
      const maybe = possibleTargetError(ctx, b);
      if (maybe) out.push(maybe);
      continue;
    }
    const r = b.targetFacts
      ? check(b, sources, b.targetFacts)
      : result(b, "error", `cannot evaluate log bucket ${b.name}: its facts were not collected`, {
          sources: sources.length,
          operation: "collect",
          code: "TargetFactsNotCollected",
        });
    if (r) out.push(r);
  }
  return out;
}

/**
 * The loop of a log-bucket rule about one of the log bucket's facts (`key`, called `what` in
 * messages): like eachLogTarget, with the number of sources as details; a failed read of that
 * fact is an `error` result, and `check` runs only for a fact that was read.
 */
export function eachLogTargetFact<K extends keyof TargetFacts>(
  ctx: RuleContext,
  key: K,
  what: string,
  check: (b: BucketSnapshot, sources: readonly BucketSnapshot[], fact: ReadFact<K>, details: Record<string, unknown>) => RuleResult | undefined,
): RuleResult[] {
  return eachLogTarget(ctx, (b, sources, facts) => {
    const d: Record<string, unknown> = { sources: sources.length };
    const fact = facts[key];
    return isReadError<unknown>(fact) ? readError(b, what, fact, d) : check(b, sources, fact as ReadFact<K>, d);
  });
}

/**
 * `error` result for a bucket that no readable source logs into, but that a source whose logging
 * could not be read may (same account and Region, see SnapshotIndex.unreadableSourcesNear):
 * whether it is a log target is unknown, so its log-bucket rules can neither pass nor vanish.
 */
function possibleTargetError(ctx: RuleContext, b: BucketSnapshot): RuleResult | undefined {
  const { count, sample } = ctx.index.unreadableSourcesNear(b);
  const first = sample[0];
  if (!first || first.logging.status !== "error") return undefined;
  const err = first.logging;
  const names = sample.map((s) => s.name).join(", ") + (count > sample.length ? `, … (${count} in all)` : "");
  return result(
    b,
    "error",
    `cannot tell whether ${b.name} is a log target: the logging configuration of ${names} could not be read (${err.operation} failed: ${err.code})`,
    { operation: err.operation, code: err.code, error: err.message, unreadableSources: count, sample: sample.map((s) => s.name) },
  );
}
