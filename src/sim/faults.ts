/**
 * Fault injection: latency, throttling, AccessDenied rules, N-times errors and dropped connections.
 * Random choices come from a seeded hash of (seed, rule, operation, account, bucket, n-th such
 * request), so the same requests get the same faults under a seed even when they run concurrently.
 */
import picomatch from "picomatch";
import type { FaultRule, FaultSpec } from "./scenario.js";

export type Service = "s3" | "sts" | "organizations";

export interface FaultRequest {
  service: Service;
  operation: string;
  account: string;
  bucket: string;
}

export type FaultOutcome =
  | { kind: "drop" }
  | { kind: "throttle" }
  | { kind: "deny" }
  | { kind: "error"; code?: string | undefined; status?: number | undefined; message?: string | undefined };

export interface FaultDecision {
  latencyMs: number;
  outcome: FaultOutcome | undefined;
}

interface CompiledRule {
  index: number;
  rule: FaultRule;
  service: Service | undefined;
  account: ((s: string) => boolean) | undefined;
  operation: ((s: string) => boolean) | undefined;
  bucket: ((s: string) => boolean) | undefined;
  seen: number;
  applied: number;
}

/** 32-bit hash of a string under a seed (FNV-1a, then a murmur3 finaliser). */
export function hash32(seed: number, s: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Sequential seeded PRNG (mulberry32), for generators. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function matcher(glob: string | undefined): ((s: string) => boolean) | undefined {
  if (glob === undefined || glob === "*") return undefined;
  const m = picomatch(glob, { dot: true, nocase: false });
  return (s: string) => m(s);
}

export class FaultEngine {
  readonly spec: FaultSpec;
  private readonly seed: number;
  private readonly rules: CompiledRule[];
  private readonly counters = new Map<string, number>();
  private readonly active: boolean;

  constructor(spec: FaultSpec, defaultSeed = 1) {
    this.spec = spec;
    this.seed = spec.seed ?? defaultSeed;
    this.rules = (spec.rules ?? []).map((rule, index) => ({
      index,
      rule,
      service: rule.service,
      account: matcher(rule.account),
      operation: matcher(rule.operation),
      bucket: matcher(rule.bucket),
      seen: 0,
      applied: 0,
    }));
    this.active = this.rules.length > 0 || (spec.throttleRate ?? 0) > 0 || (spec.dropRate ?? 0) > 0 || (spec.latencyMs ?? 0) > 0;
  }

  /** A deterministic number in [0,1) for the n-th request with this key. */
  private draw(kind: string, r: FaultRequest): number {
    const key = `${kind}|${r.service}|${r.operation}|${r.account}|${r.bucket}`;
    const n = this.counters.get(key) ?? 0;
    this.counters.set(key, n + 1);
    return hash32(this.seed, `${key}#${n}`) / 4294967296;
  }

  decide(r: FaultRequest): FaultDecision {
    if (!this.active) return NO_FAULT;
    let latencyMs = this.spec.latencyMs ?? 0;
    let outcome: FaultOutcome | undefined;
    for (const c of this.rules) {
      if (c.service !== undefined && c.service !== r.service) continue;
      if (c.account && !c.account(r.account)) continue;
      if (c.operation && !c.operation(r.operation)) continue;
      if (c.bucket && !c.bucket(r.bucket)) continue;
      const rule = c.rule;
      const isLatency = rule.effect === "latency";
      if (!isLatency && outcome) continue;
      c.seen++;
      if (c.seen <= (rule.skip ?? 0)) continue;
      if (rule.times !== undefined && c.applied >= rule.times) continue;
      if (rule.rate !== undefined && rule.rate < 1 && this.draw(`rule${c.index}`, r) >= rule.rate) continue;
      c.applied++;
      switch (rule.effect) {
        case "latency":
          latencyMs += rule.latencyMs ?? 0;
          break;
        case "deny":
          outcome = { kind: "deny" };
          break;
        case "throttle":
          outcome = { kind: "throttle" };
          break;
        case "drop":
          outcome = { kind: "drop" };
          break;
        case "error":
          outcome = { kind: "error", code: rule.code, status: rule.status, message: rule.message };
          break;
      }
    }
    if (!outcome && (this.spec.dropRate ?? 0) > 0 && this.draw("drop", r) < (this.spec.dropRate as number)) outcome = { kind: "drop" };
    if (!outcome && (this.spec.throttleRate ?? 0) > 0 && this.draw("throttle", r) < (this.spec.throttleRate as number)) outcome = { kind: "throttle" };
    return latencyMs === 0 && !outcome ? NO_FAULT : { latencyMs, outcome };
  }
}

const NO_FAULT: FaultDecision = Object.freeze({ latencyMs: 0, outcome: undefined });
