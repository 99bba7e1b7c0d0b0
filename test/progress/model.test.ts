import { describe, expect, it } from "vitest";
import {
  finishedLine,
  formatElapsed,
  initialProgressState,
  progressReducer,
  statusLine,
  summaryLine,
  completion,
  bucketTotalKnown,
  type ProgressEvent,
  type ProgressState,
  PROGRESS_INTERVAL_ENV,
  progressIntervalMs,
} from "../../src/progress/index.js";
import { InputError } from "../../src/base/errors.js";

function run(events: ProgressEvent[]): ProgressState {
  return events.reduce(progressReducer, initialProgressState);
}

describe("progress reducer", () => {
  it("starts empty with an unknown account total", () => {
    expect(initialProgressState.accountsTotal).toBeNull();
    expect(statusLine(initialProgressState)).toBe(
      "accounts 0/? (0 listed), buckets 0 read, 0 listed so far, 0 calls in flight, 0 errors, 0.0s",
    );
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
    // account 333… is not listed yet: the bucket count is no total, so no 2/4 and no percentage
    expect(statusLine(s)).toBe("accounts 2/3 (2 listed), buckets 2 read, 4 listed so far, 1 calls in flight, 1 error, 0.0s");
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

  it("shows a percentage and an ETA only once every scheduled account is listed", () => {
    const listing = run([
      { type: "accounts", total: 2, elapsedMs: 0 },
      { type: "buckets-found", account: "111111111111", count: 10, elapsedMs: 1_000 },
      ...Array.from({ length: 10 }, (): ProgressEvent => ({ type: "bucket-read", account: "111111111111", elapsedMs: 2_000 })),
    ]);
    expect(bucketTotalKnown(listing)).toBe(false);
    expect(completion(listing)).toBeUndefined();
    expect(statusLine(listing)).toContain("accounts 0/2 (1 listed), buckets 10 read, 10 listed so far,");
    expect(statusLine(listing)).not.toMatch(/10\/10|%|ETA/);

    const all = run([
      { type: "accounts", total: 2, elapsedMs: 0 },
      { type: "buckets-found", account: "111111111111", count: 10, elapsedMs: 1_000 },
      ...Array.from({ length: 10 }, (): ProgressEvent => ({ type: "bucket-read", account: "111111111111", elapsedMs: 2_000 })),
      { type: "buckets-found", account: "222222222222", count: 30, elapsedMs: 3_000 },
      ...Array.from({ length: 10 }, (): ProgressEvent => ({ type: "bucket-read", account: "222222222222", elapsedMs: 4_000 })),
    ]);
    expect(completion(all)).toEqual({ percent: 50, etaMs: 4_000 });
    expect(statusLine(all)).toBe("accounts 0/2, buckets 20/40 read (50%, ETA 4.0s), 0 calls in flight, 0 errors, 4.0s");
    // a listed account with no bucket in scope (count 0) and a failed account both count as listed
    const empty = run([
      { type: "accounts", total: 2, elapsedMs: 0 },
      { type: "buckets-found", account: "111111111111", count: 0, elapsedMs: 1 },
      { type: "account-finished", account: "222222222222", status: "error", buckets: 0, errors: 1, elapsedMs: 2 },
    ]);
    expect(completion(empty)).toEqual({ percent: 100 });
  });

  it("summarises the finished scan in one line", () => {
    const s = run([
      { type: "accounts", total: 1, elapsedMs: 0 },
      { type: "buckets-found", account: "111111111111", count: 2, elapsedMs: 1 },
      { type: "bucket-read", account: "111111111111", elapsedMs: 2 },
      { type: "bucket-read", account: "111111111111", elapsedMs: 3 },
      { type: "calls", inFlight: 0, completed: 7, elapsedMs: 4 },
      { type: "account-finished", account: "111111111111", status: "ok", buckets: 2, errors: 0, elapsedMs: 5 },
      { type: "finished", elapsedMs: 1_500 },
    ]);
    expect(summaryLine(s)).toBe("scanned 1 account, 2 buckets in 1.5s: 7 AWS calls, 0 errors");
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

describe("progress interval", () => {
  it("is 10 s by default and configurable in seconds through the environment", () => {
    expect(progressIntervalMs({})).toBe(10_000);
    expect(progressIntervalMs({ [PROGRESS_INTERVAL_ENV]: "30" })).toBe(30_000);
    expect(progressIntervalMs({ [PROGRESS_INTERVAL_ENV]: "0.5" })).toBe(500);
    expect(() => progressIntervalMs({ [PROGRESS_INTERVAL_ENV]: "soon" })).toThrow(/S3_LOG_AUDITOR_PROGRESS_INTERVAL must be a number of seconds/);
    expect(() => progressIntervalMs({ [PROGRESS_INTERVAL_ENV]: "-1" })).toThrow(InputError);
  });
});
