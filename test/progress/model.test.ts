import { describe, expect, it } from "vitest";
import {
  finishedLine,
  formatElapsed,
  initialProgressState,
  progressReducer,
  statusLine,
  type ProgressEvent,
  type ProgressState,
} from "../../src/progress/index.js";

function run(events: ProgressEvent[]): ProgressState {
  return events.reduce(progressReducer, initialProgressState);
}

describe("progress reducer", () => {
  it("starts empty with an unknown account total", () => {
    expect(initialProgressState.accountsTotal).toBeNull();
    expect(statusLine(initialProgressState)).toBe("accounts 0/?, buckets 0/0 read, 0 calls in flight, 0 errors, 0.0s");
  });

  it("counts accounts, buckets, calls, errors and keeps finished accounts in order", () => {
    const s = run([
      { type: "accounts", total: 3, elapsedMs: 5 },
      { type: "account-started", account: "111111111111", elapsedMs: 6 },
      { type: "buckets-found", account: "111111111111", count: 4, elapsedMs: 10 },
      { type: "calls", inFlight: 3, completed: 2, elapsedMs: 11 },
      { type: "bucket-read", account: "111111111111", elapsedMs: 12 },
      { type: "bucket-read", account: "111111111111", elapsedMs: 13 },
      {
        type: "error",
        error: { account: "111111111111", bucket: "b", operation: "GetBucketLogging", code: "AccessDenied", message: "denied" },
        elapsedMs: 14,
      },
      { type: "account-finished", account: "222222222222", name: "dev", status: "error", buckets: 0, errors: 1, elapsedMs: 20 },
      { type: "account-finished", account: "111111111111", status: "partial", buckets: 4, errors: 1, elapsedMs: 30 },
      { type: "calls", inFlight: 1, completed: 9, elapsedMs: 31 },
    ]);
    expect(s).toMatchObject({
      accountsTotal: 3,
      accountsDone: 2,
      bucketsFound: 4,
      bucketsRead: 2,
      inFlight: 1,
      callsCompleted: 9,
      errors: 1,
      elapsedMs: 31,
      done: false,
    });
    expect(s.finished.map((f) => f.account)).toEqual(["222222222222", "111111111111"]);
    expect(s.finished[0]).toEqual({ account: "222222222222", name: "dev", status: "error", buckets: 0, errors: 1, elapsedMs: 20 });
    expect(statusLine(s)).toBe("accounts 2/3, buckets 2/4 read, 1 calls in flight, 1 error, 0.0s");
  });

  it("finishes with nothing in flight and never moves time backwards", () => {
    const s = run([
      { type: "calls", inFlight: 5, completed: 1, elapsedMs: 900 },
      { type: "bucket-read", account: "1", elapsedMs: 800 },
      { type: "finished", elapsedMs: 1000 },
    ]);
    expect(s.inFlight).toBe(0);
    expect(s.done).toBe(true);
    expect(s.elapsedMs).toBe(1000);
    expect(run([{ type: "calls", inFlight: 1, completed: 1, elapsedMs: 900 }, { type: "bucket-read", account: "1", elapsedMs: 10 }]).elapsedMs).toBe(900);
  });

  it("does not mutate the previous state", () => {
    const before = run([{ type: "accounts", total: 1, elapsedMs: 1 }]);
    const copy = structuredClone(before);
    progressReducer(before, { type: "account-finished", account: "1", status: "ok", buckets: 1, errors: 0, elapsedMs: 2 });
    expect(before).toEqual(copy);
  });

  it("formats elapsed time and finished-account lines", () => {
    expect(formatElapsed(0)).toBe("0.0s");
    expect(formatElapsed(12_345)).toBe("12.3s");
    expect(formatElapsed(245_000)).toBe("4m05s");
    expect(finishedLine({ account: "111111111111", name: "prod", status: "ok", buckets: 1, errors: 0, elapsedMs: 1 })).toBe(
      "account 111111111111 (prod) ok: 1 bucket",
    );
    expect(finishedLine({ account: "111111111111", status: "partial", buckets: 7, errors: 2, elapsedMs: 1 })).toBe(
      "account 111111111111 partial: 7 buckets, 2 errors",
    );
  });
});
