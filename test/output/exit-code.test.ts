import { describe, expect, it } from "vitest";
import { exitCodeFor, failingAtOrAbove, type FailOn } from "../../src/output/exit-code.js";
import type { Report } from "../../src/output/report.js";

function summary(fail: Partial<Report["summary"]["failBySeverity"]>, complete = true): Pick<Report, "summary"> {
  const failBySeverity = { critical: 0, high: 0, medium: 0, low: 0, info: 0, ...fail };
  const n = Object.values(failBySeverity).reduce((a, b) => a + b, 0);
  return { summary: { accounts: 1, buckets: 1, complete, status: { fail: n, pass: 0, error: 0, muted: 0 }, failBySeverity } };
}

describe("exit codes", () => {
  const cases: [Partial<Report["summary"]["failBySeverity"]>, FailOn, number][] = [
    [{}, "low", 0],
    [{ medium: 1 }, "low", 1],
    [{ medium: 1 }, "medium", 1],
    [{ medium: 1 }, "high", 0],
    [{ critical: 1 }, "critical", 1],
    [{ high: 2 }, "critical", 0],
    [{ info: 1 }, "low", 0],
    [{ info: 1 }, "info", 1],
    [{ critical: 5 }, "none", 0],
  ];
  it.each(cases)("failBySeverity %j with --fail-on %s → %i", (fail, failOn, code) => {
    expect(exitCodeFor(summary(fail), { failOn, allowPartial: false })).toBe(code);
  });

  it("returns 3 for an incomplete scan, 0/1 with --allow-partial", () => {
    expect(exitCodeFor(summary({ high: 1 }, false), { failOn: "low", allowPartial: false })).toBe(3);
    expect(exitCodeFor(summary({}, false), { failOn: "low", allowPartial: false })).toBe(3);
    expect(exitCodeFor(summary({ high: 1 }, false), { failOn: "low", allowPartial: true })).toBe(1);
    expect(exitCodeFor(summary({}, false), { failOn: "low", allowPartial: true })).toBe(0);
  });

  it("counts failing findings at or above the threshold", () => {
    expect(failingAtOrAbove(summary({ critical: 1, high: 2, low: 4 }), "high")).toBe(3);
    expect(failingAtOrAbove(summary({ critical: 1, high: 2, low: 4 }), "none")).toBe(0);
  });
});
