/**
 * The planner's working data, shared by its parts (plan-needs, plan-sources, plan-log-buckets,
 * plan-policies, plan-order): what each bucket needs, the steps under construction, and the
 * context every part reads.
 */
import type { SnapshotIndex } from "../engine/snapshot-index.js";
import type { IntentSource } from "../engine/define-rule.js";
import type { PlanOptions, PlanScope, PlanStep } from "../model/plan.js";
import { bucketKey, type PublicAccessBlock, type Read, type Snapshot } from "../model/snapshot.js";

/** What every part of the planner reads. */
export interface PlanContext {
  snapshot: Snapshot;
  index: SnapshotIndex;
  opts: PlanOptions;
  scope: PlanScope;
  intents: IntentSource;
  /** The scan listed only some buckets: a log bucket missing from it may exist all the same. */
  filtered: boolean;
}

/** What one bucket needs, with the findings it resolves and why. */
export interface Need {
  account: string;
  region: string;
  bucket: string;
  fps: Set<string>;
  reasons: Set<string>;
}

/** A source's logging changes. */
export interface SourceNeed extends Need {
  useLogBucket: boolean;
  structure: boolean;
  removeGrants: boolean;
}

/** A target's delivery statement: the sources it must allow. */
export interface PolicyNeed extends Need {
  sources: Set<string>;
}

/** A target whose policy denies delivery: the manual edit, and the sources denied (→ fingerprint). */
export interface DenyNeed extends Need {
  statement: string;
  denied: Map<string, string>;
}

/** Needs by bucket key, one entry per bucket. */
export class NeedMap<T extends Need> extends Map<string, T> {
  constructor(private readonly make: (base: Need) => T) {
    super();
  }

  /** The need of this bucket, created on first use. */
  of(account: string, region: string, bucket: string): T {
    const k = bucketKey(account, bucket);
    let n = this.get(k);
    if (!n) {
      n = this.make({ account, region, bucket, fps: new Set(), reasons: new Set() });
      this.set(k, n);
    }
    return n;
  }

  /** Entries in bucket-key order (the plan's order is deterministic). */
  sorted(): [string, T][] {
    return [...this.entries()].sort(([a], [b]) => a.localeCompare(b));
  }
}

/** Every need the intents of the findings gave. */
export interface Needs {
  sources: NeedMap<SourceNeed>;
  policies: NeedMap<PolicyNeed>;
  pabs: NeedMap<Need>;
  retention: NeedMap<Need>;
  denies: NeedMap<DenyNeed>;
}

/** Empty needs. */
export function emptyNeeds(): Needs {
  return {
    sources: new NeedMap((b) => ({ ...b, useLogBucket: false, structure: false, removeGrants: false })),
    policies: new NeedMap((b) => ({ ...b, sources: new Set() })),
    pabs: new NeedMap((b) => b),
    retention: new NeedMap((b) => b),
    denies: new NeedMap((b) => ({ ...b, statement: "", denied: new Map() })),
  };
}

/** A step under construction: dependencies by key, ids assigned at the end. */
export type Draft = Omit<PlanStep, "id" | "dependsOn"> & { key: string; deps: string[] };

/** The key of a step: one write per resource of a bucket. */
export function stepKey(account: string, bucket: string, op: string): string {
  return `${account}/${bucket}/${op}`;
}

/** The fields every step of a need shares. */
export function needFields(n: Need, region: string): Pick<Draft, "account" | "region" | "bucket" | "resolves" | "reasons"> {
  return { account: n.account, region, bucket: n.bucket, resolves: [...n.fps].sort(), reasons: [...n.reasons] };
}

/** A read's value when the scan knows it (absent = null), or why it does not. */
export function readValue<T>(r: Read<T> | undefined): { known: true; value: T | null } | { known: false; why: string } {
  if (!r) return { known: false, why: "not read by the scan" };
  if (r.status === "ok") return { known: true, value: r.value };
  if (r.status === "absent") return { known: true, value: null };
  return { known: false, why: `${r.operation} failed: ${r.code}` };
}

/** All four Block Public Access settings on. */
export const FULL_PAB: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};
