import { PassThrough } from "node:stream";
import { render } from "ink-testing-library";
import { describe, expect, it } from "vitest";
import { createProgressReporter, initialProgressState, progressReducer, resolveMode, type ProgressEvent, type ProgressState } from "../../src/progress/index.js";
import { ProgressView } from "../../src/progress/view.js";

// eslint-disable-next-line no-control-regex -- the test looks for control characters
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f\u009b]/;

function state(events: ProgressEvent[]): ProgressState {
  return events.reduce(progressReducer, initialProgressState);
}

const running = state([
  { type: "accounts", total: 5, elapsedMs: 1 },
  { type: "buckets-found", account: "111111111111", count: 40, elapsedMs: 2 },
  { type: "bucket-read", account: "111111111111", elapsedMs: 3 },
  { type: "calls", inFlight: 12, completed: 30, elapsedMs: 4 },
  { type: "error", error: { account: "222222222222", operation: "AssumeRole", code: "AccessDenied", message: "no" }, elapsedMs: 5 },
  { type: "account-finished", account: "222222222222", name: "denied", status: "error", buckets: 0, errors: 1, elapsedMs: 6 },
  { type: "calls", inFlight: 12, completed: 31, elapsedMs: 7_500 },
]);

describe("ProgressView (ink)", () => {
  it("shows accounts done/total, buckets read, calls in flight, errors and elapsed", () => {
    const { lastFrame } = render(<ProgressView state={running} color={false} />);
    const frame = lastFrame() ?? "";
    expect(frame).toContain("Scanning accounts 1/5 (2 listed) · 12 calls in flight · 1 error · 7.5s");
    expect(frame).toContain("buckets 1 read, 40 listed so far");
    expect(frame).toContain("12 calls in flight");
    expect(frame).toContain("1 error");
    expect(frame).toContain("7.5s");
    expect(frame).toContain("✗ account 222222222222 (denied) error: 0 buckets, 1 error");
  });

  it("prints each finished account once, however often it re-renders", () => {
    const { frames, rerender, lastFrame } = render(<ProgressView state={running} color={false} />);
    const next = progressReducer(running, {
      type: "account-finished",
      account: "111111111111",
      status: "ok",
      buckets: 40,
      errors: 0,
      elapsedMs: 8_000,
    });
    rerender(<ProgressView state={next} color={false} />);
    rerender(<ProgressView state={progressReducer(next, { type: "calls", inFlight: 3, completed: 80, elapsedMs: 9_000 })} color={false} />);
    // ink-testing-library repeats <Static> output in every frame; within a frame each appears once.
    const last = lastFrame() ?? "";
    expect(frames.length).toBeGreaterThanOrEqual(3);
    expect(last.split("account 222222222222").length - 1).toBe(1);
    expect(last.split("account 111111111111 ok: 40 buckets").length - 1).toBe(1);
    expect(last.indexOf("account 222222222222")).toBeLessThan(last.indexOf("account 111111111111"));
    expect(last).toContain("3 calls in flight");
  });

  it("drops the live line once the scan is done", () => {
    const done = progressReducer(running, { type: "finished", elapsedMs: 10_000 });
    const { lastFrame } = render(<ProgressView state={done} color={false} />);
    expect(lastFrame() ?? "").not.toContain("Scanning");
  });
});

function capture(isTTY: boolean): { stream: PassThrough & { isTTY?: boolean; columns?: number }; text: () => string } {
  const stream = new PassThrough() as PassThrough & { isTTY?: boolean; columns?: number; rows?: number };
  stream.isTTY = isTTY;
  stream.columns = 120;
  stream.rows = 40;
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return { stream, text: () => Buffer.concat(chunks).toString("utf8") };
}

const EVENTS: ProgressEvent[] = [
  { type: "accounts", total: 2, elapsedMs: 1 },
  { type: "account-started", account: "111111111111", elapsedMs: 1 },
  { type: "buckets-found", account: "111111111111", count: 2, elapsedMs: 2 },
  { type: "calls", inFlight: 2, completed: 1, elapsedMs: 3 },
  { type: "bucket-read", account: "111111111111", elapsedMs: 4 },
  { type: "bucket-read", account: "111111111111", elapsedMs: 5 },
  { type: "account-finished", account: "111111111111", name: "mgmt", status: "ok", buckets: 2, errors: 0, elapsedMs: 6 },
  { type: "error", error: { account: "222222222222", operation: "AssumeRole", code: "AccessDenied", message: "no" }, elapsedMs: 7 },
  { type: "account-finished", account: "222222222222", status: "error", buckets: 0, errors: 1, elapsedMs: 8 },
  { type: "finished", elapsedMs: 9 },
];

describe("createProgressReporter", () => {
  it("auto mode: plain lines for pipes and CI, ink only on a terminal", () => {
    expect(resolveMode("auto", capture(false).stream, {})).toBe("plain");
    expect(resolveMode("auto", capture(true).stream, {})).toBe("tty");
    expect(resolveMode("auto", capture(true).stream, { CI: "true" })).toBe("plain");
    expect(resolveMode("auto", capture(true).stream, { CI: "false" })).toBe("tty");
    expect(resolveMode("none", capture(true).stream, {})).toBe("none");
  });

  it("plain mode writes readable lines without any control character", async () => {
    const out = capture(false);
    const r = createProgressReporter({ stream: out.stream, mode: "auto", env: {}, intervalMs: 0 });
    expect(r.mode).toBe("plain");
    for (const e of EVENTS) r.onProgress(e);
    await r.stop();
    const text = out.text();
    const lines = text.trimEnd().split("\n");
    for (const line of lines) expect(line).not.toMatch(CONTROL);
    expect(text).not.toContain("\u001b");
    expect(text).not.toContain("\r");
    expect(lines).toContain("account 111111111111 (mgmt) ok: 2 buckets");
    expect(lines).toContain("account 222222222222 error: 0 buckets, 1 error");
    expect(lines[lines.length - 1]).toBe("scanned 2 accounts, 2 buckets in 0.0s: 1 AWS call, 1 error");
    expect(r.state().accountsDone).toBe(2);
  });

  it("none mode (--quiet) writes nothing", async () => {
    const out = capture(true);
    const r = createProgressReporter({ stream: out.stream, mode: "none" });
    for (const e of EVENTS) r.onProgress(e);
    await r.stop();
    expect(out.text()).toBe("");
    expect(r.state().done).toBe(true);
  });

  it("tty mode renders the ink display on the given stream, each finished account written once", async () => {
    const out = capture(true);
    const r = createProgressReporter({ stream: out.stream, mode: "tty", env: { NO_COLOR: "1" }, refreshMs: 1 });
    expect(r.mode).toBe("tty");
    const [first, ...rest] = EVENTS;
    r.onProgress(first as ProgressEvent);
    // Let ink load and draw the live line before the rest arrives, with redraws in between.
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const e of rest) {
      r.onProgress(e);
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    await r.stop();
    const text = out.text();
    expect(text).toContain("Scanning");
    expect(text.split("account 111111111111 (mgmt) ok: 2 buckets").length - 1).toBe(1);
    expect(text.split("account 222222222222 error: 0 buckets, 1 error").length - 1).toBe(1);
    expect(text.endsWith("\nscanned 2 accounts, 2 buckets in 0.0s: 1 AWS call, 1 error\n") || text.endsWith("hscanned 2 accounts, 2 buckets in 0.0s: 1 AWS call, 1 error\n")).toBe(true);
  });

  it("plain mode: a status line at most once per interval, one line per finished account", async () => {
    const out = capture(false);
    const r = createProgressReporter({ stream: out.stream, mode: "plain", env: {}, intervalMs: 10_000 });
    const events: ProgressEvent[] = [
      { type: "accounts", total: 3, elapsedMs: 0 },
      ...[1, 2, 3].flatMap((i): ProgressEvent[] => [
        { type: "buckets-found", account: `${i}`.repeat(12), count: 1, elapsedMs: i * 4_000 },
        { type: "bucket-read", account: `${i}`.repeat(12), elapsedMs: i * 4_000 + 1 },
        { type: "account-finished", account: `${i}`.repeat(12), status: "ok", buckets: 1, errors: 0, elapsedMs: i * 4_000 + 2 },
      ]),
      { type: "finished", elapsedMs: 12_100 },
    ];
    for (const e of events) r.onProgress(e);
    await r.stop();
    const lines = out.text().trimEnd().split("\n");
    expect(lines.filter((l) => l.startsWith("account "))).toHaveLength(3);
    // at 0 s and then at 12 s (4 s and 8 s are within 10 s of the last one)
    expect(lines.filter((l) => l.startsWith("accounts "))).toEqual([
      "accounts 0/3 (0 listed), buckets 0 read, 0 listed so far, 0 calls in flight, 0 errors, 0.0s",
      "accounts 2/3, buckets 2/3 read (66%, ETA 6.0s), 0 calls in flight, 0 errors, 12.0s",
    ]);
    expect(lines.at(-1)).toBe("scanned 3 accounts, 3 buckets in 12.1s: 0 AWS calls, 0 errors");
  });
});
