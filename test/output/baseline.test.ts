import { describe, expect, it } from "vitest";
import { InputError } from "../../src/base/errors.js";
import { BASELINE_KIND, applyBaseline, baselineOf, expiredBaselineEntries, parseBaseline } from "../../src/output/baseline.js";
import { A1, finding, sampleReport } from "./fixtures.js";

const fail = finding("logging-enabled", "fail", "medium", A1, "us-east-1", "a");
const err = finding("logging-enabled", "error", "medium", A1, "us-east-1", "b");
const pass = finding("logging-enabled", "pass", "medium", A1, "us-east-1", "c");

describe("baseline", () => {
  it("mutes failing findings whose fingerprint is listed, never errors or passes", () => {
    const out = applyBaseline([fail, err, pass], new Set([fail.fingerprint, err.fingerprint, pass.fingerprint]));
    expect(out.map((f) => f.status)).toEqual(["muted", "error", "pass"]);
    expect(out.map((f) => f.mute)).toEqual([{ source: "baseline" }, undefined, undefined]);
  });

  it("entries with reason and expiry: the reason travels with the mute, an expired entry no longer mutes", () => {
    const text = JSON.stringify({
      kind: BASELINE_KIND,
      version: 1,
      createdAt: "2026-01-01T00:00:00Z",
      findings: [{ fingerprint: fail.fingerprint, reason: "accepted for the migration", owner: "ops", expires: "2027-01-31" }],
    });
    const entries = parseBaseline(text, "b.json");
    expect(applyBaseline([fail], entries, "2027-01-31")[0]!.mute).toEqual({ source: "baseline", reason: "accepted for the migration", owner: "ops", expires: "2027-01-31" });
    expect(applyBaseline([fail], entries, "2027-02-01")[0]!.status).toBe("fail");
    expect(expiredBaselineEntries(entries, "2027-02-01")).toEqual([fail.fingerprint]);
    expect(() => parseBaseline(text.replace("2027-01-31", "soon"), "b.json")).toThrow(/expires/);
  });

  it("leaves unlisted failures failing", () => {
    expect(applyBaseline([fail], new Set(["other"]))[0]!.status).toBe("fail");
  });

  it("round-trips through the baseline file", () => {
    const muted = { ...finding("target-not-source", "muted", "critical", A1, "us-east-1", "m") };
    const b = baselineOf([fail, err, pass, muted, fail], "2026-01-01T00:00:00.000Z");
    expect(b.kind).toBe(BASELINE_KIND);
    expect(b.findings.map((e) => e.fingerprint).sort()).toEqual([fail.fingerprint, muted.fingerprint].sort());
    expect([...parseBaseline(JSON.stringify(b), "b.json").keys()].sort()).toEqual([fail.fingerprint, muted.fingerprint].sort());
  });

  it("accepts an earlier JSON report as a baseline (fail and muted findings)", () => {
    const r = sampleReport();
    const set = parseBaseline(JSON.stringify(r), "r.json");
    expect([...set.keys()].sort()).toEqual(r.findings.filter((f) => f.status === "fail" || f.status === "muted").map((f) => f.fingerprint).sort());
  });

  it("rejects bad files with one-line usage errors", () => {
    expect(() => parseBaseline("{", "x.json")).toThrow(InputError);
    expect(() => parseBaseline("{", "x.json")).toThrow("baseline x.json is not valid JSON");
    expect(() => parseBaseline(JSON.stringify({ hello: 1 }), "x.json")).toThrow("neither a baseline");
    expect(() => parseBaseline(JSON.stringify({ kind: BASELINE_KIND, version: 1, createdAt: "x", findings: [{}] }), "x.json")).toThrow(
      /malformed at findings\.0\.fingerprint/,
    );
  });
});
