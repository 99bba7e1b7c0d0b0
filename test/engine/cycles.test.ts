import { describe, expect, it } from "vitest";
import { TERMINAL, UNKNOWN, analyzeFunctionalGraph, loggingGraph } from "../../src/engine/cycles.js";
import { SnapshotIndex } from "../../src/engine/snapshot-index.js";
import type { BucketSnapshot } from "../../src/model/snapshot.js";
import { denied, logsTo, snap } from "../rules/helpers.js";

const g = (...next: number[]) => analyzeFunctionalGraph(Int32Array.from(next));

describe("analyzeFunctionalGraph", () => {
  it("finds A→B→A and leaves the tail off the cycle", () => {
    // 0→1, 1→0, 2→0 (tail), 3 terminal
    const a = g(1, 0, 0, TERMINAL);
    expect(a.cycles).toEqual([[0, 1]]);
    expect([...a.cycleOf]).toEqual([0, 0, -1, -1]);
    expect([...a.reachesUnknown]).toEqual([-1, -1, -1, -1]);
    expect([...a.cyclePos]).toEqual([0, 1, -1, -1]);
  });

  it("finds A→B→C→A and a self-loop as separate cycles", () => {
    const a = g(1, 2, 0, 3);
    expect(a.cycles).toEqual([[0, 1, 2], [3]]);
  });

  it("finds a cycle entered from the middle of a walk", () => {
    // 0→1→2→3→1
    const a = g(1, 2, 3, 1);
    expect(a.cycles).toEqual([[1, 2, 3]]);
    expect(a.cycleOf[0]).toBe(-1);
  });

  it("propagates 'reaches an unknown node' along chains, including from finished nodes", () => {
    // 3 is unknown; 2→3, 1→2, 0→1; 4→1 (visited later); 5→6→5 cycle, 7→5
    const a = g(1, 2, 3, UNKNOWN, 1, 6, 5, 5);
    expect([...a.reachesUnknown]).toEqual([3, 3, 3, 3, 3, -1, -1, -1]);
    expect(a.cycles).toEqual([[5, 6]]);
  });

  it("handles the empty graph", () => {
    expect(g().cycles).toEqual([]);
  });

  it("handles a 200,000-node chain and a 200,000-node cycle in one linear pass", () => {
    const n = 200_000;
    const chain = new Int32Array(n);
    for (let i = 0; i < n; i++) chain[i] = i + 1 < n ? i + 1 : TERMINAL;
    const a = analyzeFunctionalGraph(chain);
    expect(a.cycles.length).toBe(0);
    expect(a.reachesUnknown.every((x) => x === -1)).toBe(true);

    const ring = new Int32Array(n);
    for (let i = 0; i < n; i++) ring[i] = (i + 1) % n;
    // visit from the end so the walk starts mid-way
    const r = analyzeFunctionalGraph(ring);
    expect(r.cycles.length).toBe(1);
    expect(r.cycles[0]?.length).toBe(n);
    expect(r.cyclePos[n - 1]).toBe(n - 1);

    const tailToUnknown = new Int32Array(n);
    for (let i = 0; i < n; i++) tailToUnknown[i] = i + 1 < n ? i + 1 : UNKNOWN;
    const u = analyzeFunctionalGraph(tailToUnknown);
    expect(u.reachesUnknown[0]).toBe(n - 1);
  });
});

function statusOf(s: ReturnType<ReturnType<typeof snap>["build"]>, name: string) {
  const index = new SnapshotIndex(s);
  const b = index.bucket("111122223333", name) as BucketSnapshot;
  return loggingGraph(index).status(b);
}

describe("loggingGraph over a snapshot", () => {
  it("A→B→A: both on the cycle, path in link order", () => {
    const s = snap().bucket("a", { logging: logsTo("b") }).bucket("b", { logging: logsTo("a") }).build();
    const st = statusOf(s, "b");
    expect(st.kind).toBe("cycle");
    if (st.kind === "cycle") {
      expect(st.cycle.map((x) => x.name)).toEqual(["a", "b"]);
      expect(st.position).toBe(1);
    }
  });

  it("a self-loop is 'self', a bucket leading into it is clear", () => {
    const s = snap().bucket("a", { logging: logsTo("a") }).bucket("b", { logging: logsTo("a") }).build();
    expect(statusOf(s, "a").kind).toBe("self");
    expect(statusOf(s, "b").kind).toBe("clear");
  });

  it("a readable chain reaching an unreadable bucket is uncertain", () => {
    const s = snap()
      .bucket("a", { logging: logsTo("b") })
      .bucket("b", { logging: denied("GetBucketLogging") })
      .build();
    const st = statusOf(s, "a");
    expect(st).toMatchObject({ kind: "uncertain", via: "b" });
    // b itself: a logs into it, so b→a→b is possible
    expect(statusOf(s, "b").kind).toBe("uncertain");
  });

  it("an unreadable bucket nothing can lead back to is clear", () => {
    const s = snap().bucket("a", { logging: denied("GetBucketLogging") }).bucket("b", { logging: logsTo("c") }).bucket("c").build();
    expect(statusOf(s, "a")).toMatchObject({ kind: "clear" });
  });

  it("two unreadable buckets could form a cycle together", () => {
    const s = snap().bucket("a", { logging: denied("GetBucketLogging") }).bucket("b", { logging: denied("GetBucketLogging") }).build();
    expect(statusOf(s, "a").kind).toBe("uncertain");
  });

  it("a filtered scan makes an unreadable bucket uncertain", () => {
    const s = snap().bucket("a", { logging: denied("GetBucketLogging") }).filtered(["a*"]).build();
    expect(statusOf(s, "a").kind).toBe("uncertain");
  });

  it("a target never collected is an unknown node", () => {
    const s = snap().bucket("a", { logging: logsTo("ghost") }).build();
    expect(statusOf(s, "a")).toMatchObject({ kind: "uncertain", via: "ghost" });
  });

  it("targets outside the account end the chain", () => {
    const s = snap().bucket("a", { logging: logsTo("elsewhere") }).external("elsewhere", "foreign").build();
    expect(statusOf(s, "a").kind).toBe("clear");
  });

  it("chooses the non-log-bucket member to fix, deterministically", () => {
    // logs ↔ app, and other → logs: logs is a dedicated log bucket, app gets the fix
    const s = snap()
      .bucket("logs", { logging: logsTo("app") })
      .bucket("app", { logging: logsTo("logs") })
      .bucket("other", { logging: logsTo("logs") })
      .build();
    const index = new SnapshotIndex(s);
    const lg = loggingGraph(index);
    const st = lg.status(index.bucket("111122223333", "logs") as BucketSnapshot);
    expect(st.kind).toBe("cycle");
    if (st.kind === "cycle") expect(lg.fixMember(st.cycleId)?.name).toBe("app");
  });

  it("falls back to the lexicographically first member", () => {
    const s = snap().bucket("c", { logging: logsTo("a") }).bucket("a", { logging: logsTo("b") }).bucket("b", { logging: logsTo("c") }).build();
    const index = new SnapshotIndex(s);
    const lg = loggingGraph(index);
    const st = lg.status(index.bucket("111122223333", "b") as BucketSnapshot);
    if (st.kind !== "cycle") throw new Error("expected a cycle");
    expect(lg.fixMember(st.cycleId)?.name).toBe("a");
    expect(lg.cycleCount).toBe(1);
  });

  it("keeps accounts apart: same names in two accounts do not link", () => {
    const s = snap()
      .bucket("a", { logging: logsTo("b") })
      .bucket("b", { account: "444455556666", logging: logsTo("a") })
      .external("b", "foreign")
      .build();
    expect(statusOf(s, "a").kind).toBe("clear");
  });
});
