/**
 * @fileoverview Cycle detection over the logging target graph.
 *
 * Every bucket logs into at most one target, so the target graph is a *functional graph*
 * (out-degree ≤ 1). Following links from any node either stops (logging off, target outside the
 * account), reaches a node whose out-edge is unknown (logging unreadable, target never collected),
 * or enters a cycle. One pass with a path stack classifies every node in O(n) time and memory.
 *
 * Certainty: a node whose link could not be read (`UNKNOWN`) may point at ANY bucket of its
 * account. So
 *   - a readable bucket whose chain reaches an unknown node U could be on a cycle through U
 *     (U → it) — undecidable, reported as `uncertain` with U named;
 *   - a readable bucket whose chain stops, or enters a cycle it is not on, is certainly not on a
 *     cycle, whatever else is unknown (its own path is fully known);
 *   - an unreadable bucket B can only be on a cycle if something can lead back to it: a bucket
 *     that logs into it, another unknown node in its account, or buckets missing from the
 *     snapshot (a --buckets/--regions filtered scan). Otherwise it is certainly not on one.
 */
import type { BucketSnapshot } from "../model/snapshot.js";
import { bucketKey } from "../model/snapshot.js";
import type { SnapshotIndex } from "./snapshot-index.js";

/** `next[i]` values that are not node indices. */
export const TERMINAL = -1;
export const UNKNOWN = -2;

export interface FunctionalGraphAnalysis {
  /** Cycle id of each node that lies on a cycle (length ≥ 1, self-loops included), else -1. */
  cycleOf: Int32Array;
  /** Members of each cycle, in link order. */
  cycles: number[][];
  /** Position of each cycle node within its cycle's member list, else -1. */
  cyclePos: Int32Array;
  /**
   * For nodes not on a cycle: the first node with an UNKNOWN out-edge that the chain reaches
   * (the node itself if its own edge is unknown), else -1 (the chain is fully known).
   */
  reachesUnknown: Int32Array;
}

/**
 * Classify every node of a functional graph in O(n). `next[i]` is the successor of node i, or
 * TERMINAL (no successor) or UNKNOWN (successor could not be read).
 */
export function analyzeFunctionalGraph(next: Int32Array): FunctionalGraphAnalysis {
  const n = next.length;
  const state = new Uint8Array(n); // 0 new, 1 on the current path, 2 done
  const pos = new Int32Array(n);
  const path = new Int32Array(n);
  const cycleOf = new Int32Array(n).fill(-1);
  const cyclePos = new Int32Array(n).fill(-1);
  const reachesUnknown = new Int32Array(n).fill(-1);
  const cycles: number[][] = [];

  for (let start = 0; start < n; start++) {
    if (state[start] !== 0) continue;
    let len = 0;
    let v = start;
    while (v >= 0 && state[v] === 0) {
      state[v] = 1;
      pos[v] = len;
      path[len++] = v;
      v = next[v] ?? TERMINAL;
    }
    // Outcome for the nodes of this path that are not on a newly found cycle.
    let tailEnd = len;
    let unknownAt = -1;
    if (v === UNKNOWN) {
      unknownAt = path[len - 1] ?? -1;
    } else if (v >= 0 && state[v] === 1) {
      // Closed a new cycle: path[pos[v]..len-1].
      const from = pos[v] ?? 0;
      const id = cycles.length;
      const members: number[] = [];
      for (let i = from; i < len; i++) {
        const m = path[i] as number;
        cycleOf[m] = id;
        cyclePos[m] = members.length;
        members.push(m);
      }
      cycles.push(members);
      tailEnd = from;
    } else if (v >= 0) {
      // Reached a node finished earlier: inherit its outcome (a cycle member counts as known).
      unknownAt = cycleOf[v] === -1 ? (reachesUnknown[v] ?? -1) : -1;
    }
    for (let i = 0; i < len; i++) {
      const m = path[i] as number;
      state[m] = 2;
      if (i < tailEnd) reachesUnknown[m] = unknownAt;
    }
  }
  return { cycleOf, cycles, cyclePos, reachesUnknown };
}

// ---------------------------------------------------------------------------------------------
// The logging graph of a snapshot
// ---------------------------------------------------------------------------------------------

export type CycleStatus =
  /** On a cycle of length ≥ 2. `cycle` lists the members in link order (shared array). */
  | { kind: "cycle"; cycleId: number; cycle: readonly BucketSnapshot[]; position: number }
  /** Logs into itself (cycle of length 1): target-not-source's business. */
  | { kind: "self" }
  /** Certainly not on a cycle. `reason` says why when it is not obvious. */
  | { kind: "clear"; reason?: string }
  /** Could be on a cycle: its chain reaches `via`, whose target is not known. */
  | { kind: "uncertain"; via: string; viaBucket?: BucketSnapshot; reason: string };

export interface LoggingGraph {
  status(b: BucketSnapshot): CycleStatus;
  /** The cycle member that a fix should retarget (deterministic), or undefined. */
  fixMember(cycleId: number): BucketSnapshot | undefined;
  /** Number of cycles of length ≥ 2. */
  readonly cycleCount: number;
}

const CLEAR: CycleStatus = Object.freeze({ kind: "clear" });
const SELF: CycleStatus = Object.freeze({ kind: "self" });

const cache = new WeakMap<SnapshotIndex, LoggingGraph>();

/** The logging graph of an indexed snapshot, built once per index (O(n)). */
export function loggingGraph(index: SnapshotIndex): LoggingGraph {
  let g = cache.get(index);
  if (!g) {
    g = buildLoggingGraph(index);
    cache.set(index, g);
  }
  return g;
}

function buildLoggingGraph(index: SnapshotIndex): LoggingGraph {
  const buckets = index.snapshot.buckets;
  const n = buckets.length;
  const nodeOf = new Map<BucketSnapshot, number>();
  for (let i = 0; i < n; i++) nodeOf.set(buckets[i] as BucketSnapshot, i);

  // Virtual nodes: targets named by some source but never collected (resolution "unknown").
  const virtualNames: string[] = [];
  const virtualAccount: string[] = [];
  const virtualByKey = new Map<string, number>();
  const edges: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const b = buckets[i] as BucketSnapshot;
    if (b.logging.status !== "ok") {
      edges[i] = UNKNOWN;
      continue;
    }
    const cfg = b.logging.value;
    if (!cfg) {
      edges[i] = TERMINAL;
      continue;
    }
    const r = index.resolveTarget(b, cfg);
    if (r.kind === "self") edges[i] = i;
    else if (r.kind === "owned") edges[i] = nodeOf.get(r.bucket) ?? TERMINAL;
    else if (r.kind === "external") edges[i] = TERMINAL; // not a bucket of this account: the chain stops
    else {
      const k = bucketKey(b.account, r.name);
      let v = virtualByKey.get(k);
      if (v === undefined) {
        v = n + virtualNames.length;
        virtualByKey.set(k, v);
        virtualNames.push(r.name);
        virtualAccount.push(b.account);
      }
      edges[i] = v;
    }
  }
  const total = n + virtualNames.length;
  const next = new Int32Array(total).fill(UNKNOWN);
  for (let i = 0; i < n; i++) next[i] = edges[i] as number;

  const a = analyzeFunctionalGraph(next);

  // Predecessor facts: any predecessor other than itself; a predecessor outside its own cycle.
  const hasOtherPred = new Uint8Array(total);
  const hasOutsidePred = new Uint8Array(total);
  for (let u = 0; u < total; u++) {
    const v = next[u] as number;
    if (v < 0 || v === u) continue;
    hasOtherPred[v] = 1;
    const cu = a.cycleOf[u] as number;
    if (cu === -1 || cu !== a.cycleOf[v]) hasOutsidePred[v] = 1;
  }
  // Unknown out-edges per account (unreadable buckets and uncollected targets).
  const unknownPerAccount = new Map<string, number>();
  for (let u = 0; u < total; u++) {
    if (next[u] !== UNKNOWN) continue;
    const acct = u < n ? (buckets[u] as BucketSnapshot).account : (virtualAccount[u - n] as string);
    unknownPerAccount.set(acct, (unknownPerAccount.get(acct) ?? 0) + 1);
  }
  const scope = index.snapshot.scope;
  const filtered = (scope.bucketGlobs?.length ?? 0) > 0 || scope.regions !== null;

  const cycleBuckets: Array<readonly BucketSnapshot[] | undefined> = a.cycles.map((c) =>
    c.length >= 2 ? c.map((m) => buckets[m] as BucketSnapshot) : undefined,
  );
  const chosen = new Map<number, BucketSnapshot | undefined>();
  const nameOf = (u: number): string => (u < n ? (buckets[u] as BucketSnapshot).name : (virtualNames[u - n] as string));

  return {
    cycleCount: cycleBuckets.filter((c) => c !== undefined).length,
    status(b: BucketSnapshot): CycleStatus {
      const i = nodeOf.get(b);
      if (i === undefined) return CLEAR;
      const cid = a.cycleOf[i] as number;
      if (cid !== -1) {
        const members = cycleBuckets[cid];
        if (!members) return SELF;
        const position = a.cyclePos[i] as number;
        return { kind: "cycle", cycleId: cid, cycle: members, position };
      }
      const u = a.reachesUnknown[i] as number;
      if (u === -1) return CLEAR;
      if (u !== i) {
        const viaBucket = u < n ? (buckets[u] as BucketSnapshot) : undefined;
        return {
          kind: "uncertain",
          via: nameOf(u),
          ...(viaBucket ? { viaBucket } : {}),
          reason: viaBucket
            ? `its target chain reaches ${nameOf(u)}, whose logging configuration could not be read`
            : `its target chain reaches ${nameOf(u)}, which was not collected`,
        };
      }
      // The bucket's own link is unknown: it can only be on a cycle if something leads back to it.
      const otherUnknown = (unknownPerAccount.get(b.account) ?? 0) > 1;
      if (hasOtherPred[i] || otherUnknown || filtered) {
        return {
          kind: "uncertain",
          via: b.name,
          viaBucket: b,
          reason: hasOtherPred[i]
            ? "its logging configuration could not be read and another bucket logs into it"
            : otherUnknown
              ? "its logging configuration could not be read and another bucket of the account is unreadable too"
              : "its logging configuration could not be read and the scan is filtered, so buckets logging into it may be missing",
        };
      }
      return {
        kind: "clear",
        reason: "its logging configuration could not be read, but no bucket of the account can lead back to it",
      };
    },
    fixMember(cycleId: number): BucketSnapshot | undefined {
      if (chosen.has(cycleId)) return chosen.get(cycleId);
      const members = a.cycles[cycleId] ?? [];
      // Prefer in-scope members that no bucket outside the cycle logs into (i.e. not a
      // dedicated log bucket); lexicographically first name; fall back to any in-scope member.
      let best: number | undefined;
      let bestRank = 3;
      for (const m of members) {
        const mb = buckets[m] as BucketSnapshot;
        const rank = mb.inScope === false ? 2 : hasOutsidePred[m] ? 1 : 0;
        if (rank === 2) continue;
        if (best === undefined || rank < bestRank || (rank === bestRank && mb.name < nameOf(best))) {
          best = m;
          bestRank = rank;
        }
      }
      const pick = best === undefined ? undefined : (buckets[best] as BucketSnapshot);
      chosen.set(cycleId, pick);
      return pick;
    },
  };
}
