import { describe, expect, it } from "vitest";
import type { JournalWrite } from "../../../src/model/journal.js";
import { initialUndoState, undoEventReducer, undoLines } from "../../../src/ui/state/undo.js";

const write = (seq: number, bucket: string, resource: JournalWrite["resource"] = "logging"): JournalWrite => ({
  type: "write",
  seq,
  at: "2026-01-01T00:00:00.000Z",
  stepId: `step-00${seq}`,
  account: "111111111111",
  region: "us-east-1",
  bucket,
  operation: "PutBucketLogging",
  resource,
  prior: null,
  intended: null,
});

describe("in-place undo statuses", () => {
  it("a row per journaled write, updated in place from running to its outcome; the view follows the newest", () => {
    let s = undoEventReducer(initialUndoState, { type: "started", record: write(2, "b") });
    expect(undoLines(s).map((l) => l.text)).toEqual(["… restoring         step-002 b: logging"]);
    s = undoEventReducer(s, { type: "restored", record: write(2, "b") });
    s = undoEventReducer(s, { type: "started", record: write(1, "a") });
    s = undoEventReducer(s, { type: "skipped-drifted", record: write(1, "a"), current: {} });
    expect(s.lastChanged).toBe(1);
    expect(undoLines(s).map((l) => [l.text, l.tone])).toEqual([
      ["✓ restored          step-002 b: logging", "ok"],
      ["~ skipped (drift)   step-001 a: logging — changed since the fix: not clobbered", "warn"],
    ]);
  });

  it("kept buckets and failures carry their reason", () => {
    let s = undoEventReducer(initialUndoState, { type: "bucket-in-use", record: write(3, "logs", "bucket"), sources: ["x", "y"] });
    s = undoEventReducer(s, { type: "failed", record: write(4, "c"), error: { code: "AccessDenied", message: "no" } });
    expect(undoLines(s).map((l) => l.text)).toEqual(["! bucket kept       step-003 logs: bucket — still the log target of x, y", "✗ failed            step-004 c: logging — AccessDenied: no"]);
  });

  it("before the first event: the journal is being read", () => {
    expect(undoLines(initialUndoState).map((l) => l.text)).toEqual(["Reading the journal…"]);
  });
});
