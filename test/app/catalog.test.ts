import { describe, expect, it } from "vitest";
import { catalogMetas, noFixReason, noFixReasons } from "../../src/app/catalog.js";
import { finding } from "../ui/fixtures.js";

const meta = (id: string) => catalogMetas().find((m) => m.id === id)!;

describe("why a finding has no selectable fix", () => {
  it("a rule without an automatic fix: its fix text", () => {
    const f = finding("111111111111", "us-east-1", "b", "logs-delivered", "high", { fixable: false });
    expect(meta("logs-delivered").fixable).toBe(false);
    const why = noFixReason(f, meta("logs-delivered"))!;
    expect(why).toMatch(/^logs-delivered has no automatic fix: /);
    expect(why).not.toMatch(/: none:/);
  });

  it("a fixable rule whose fix does not apply here, an error finding, a fixable finding", () => {
    const f = finding("111111111111", "us-east-1", "b", "delivery-permitted", "high", { fixable: false });
    expect(noFixReason(f, meta("delivery-permitted"))).toBe("delivery-permitted: no automatic fix applies here; a person must change it (see the detail pane)");
    const loop = finding("111111111111", "us-east-1", "b", "no-logging-cycle", "critical", { fixable: false, details: { fixBucket: "a" } });
    expect(noFixReason(loop, meta("no-logging-cycle"))).toBe("no-logging-cycle is fixed through a (select that bucket's finding)");
    const e = finding("111111111111", "us-east-1", "b", "logging-enabled", "medium", { status: "error", fixable: false, message: "GetBucketLogging AccessDenied" });
    expect(noFixReason(e, meta("logging-enabled"))).toBe("logging-enabled could not be evaluated (GetBucketLogging AccessDenied)");
    expect(noFixReason(finding("1", "r", "b", "logging-enabled", "medium"), meta("logging-enabled"))).toBeUndefined();
    expect(noFixReasons([f, e, finding("1", "r", "b", "logging-enabled", "medium")]).size).toBe(2);
  });
});
