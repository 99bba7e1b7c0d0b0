/** Exceptions: matching by rule, account and bucket glob; expiry; unused; errors never muted. */
import { describe, expect, it } from "vitest";
import { applyExceptions, utcDay } from "../../src/config/exceptions.js";
import { describeException } from "../../src/output/exceptions.js";
import { A1, A2, finding } from "../output/fixtures.js";

const fail1 = finding("logging-enabled", "fail", "medium", A1, "us-east-1", "scratch-1");
const fail2 = finding("logging-enabled", "fail", "medium", A2, "us-east-1", "scratch-2");
const other = finding("target-not-source", "fail", "critical", A1, "us-east-1", "scratch-3");
const err = finding("logging-enabled", "error", "medium", A1, "us-east-1", "scratch-4");

describe("applyExceptions", () => {
  it("mutes failing findings selected by rule + account + bucket glob, with reason, owner and expiry", () => {
    const ex = [{ rule: "logging-enabled", account: A1, bucket: "scratch-*", reason: "no data", owner: "ops", expires: "2030-01-01" }];
    const out = applyExceptions([fail1, fail2, other, err], ex, "2029-12-31");
    expect(out.findings.map((f) => f.status)).toEqual(["muted", "fail", "fail", "error"]);
    expect(out.findings[0]!.mute).toEqual({ source: "exception", reason: "no data", owner: "ops", expires: "2030-01-01" });
    expect(out.expired).toEqual([]);
    expect(out.unused).toEqual([]);
  });

  it("mutes through its expiry day, not after: the finding fails again and the exception is listed as expired", () => {
    const ex = [{ bucket: "scratch-1", reason: "r", owner: "o", expires: "2030-01-01" }];
    expect(applyExceptions([fail1], ex, "2030-01-01").findings[0]!.status).toBe("muted");
    const after = applyExceptions([fail1], ex, "2030-01-02");
    expect(after.findings[0]!.status).toBe("fail");
    expect(after.expired).toEqual([{ index: 0, bucket: "scratch-1", reason: "r", owner: "o", expires: "2030-01-01" }]);
    expect(after.unused).toEqual([]);
  });

  it("lists active exceptions that select nothing; one that selects only an error is not stale", () => {
    const ex = [
      { rule: "target-same-region", reason: "r", owner: "o" },
      { bucket: "scratch-4", reason: "r2", owner: "o2" },
    ];
    const out = applyExceptions([fail1, err], ex, "2030-01-01");
    expect(out.unused.map((e) => e.index)).toEqual([0]);
    expect(out.findings[1]!.status).toBe("error");
    expect(describeException(out.unused[0]!)).toBe("#1 (rule target-same-region, owner o)");
  });

  it("the first matching exception wins", () => {
    const out = applyExceptions([fail1], [{ account: A1, reason: "first", owner: "a" }, { bucket: "*", reason: "second", owner: "b" }], "2030-01-01");
    expect(out.findings[0]!.mute?.reason).toBe("first");
    expect(out.unused.map((e) => e.index)).toEqual([1]);
  });

  it("compares with today's UTC date", () => {
    expect(utcDay(new Date("2030-05-06T23:59:59Z"))).toBe("2030-05-06");
  });
});
