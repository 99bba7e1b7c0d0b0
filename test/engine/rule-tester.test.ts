import { describe, expect, it } from "vitest";
import targetNotSource from "../../rules/target-not-source.js";
import { checkRuleCase, runRule } from "../../src/engine/rule-tester.js";
import { logsTo, snap } from "../rules/helpers.js";

const s = snap().bucket("a", { logging: logsTo("a") }).bucket("b", { logging: logsTo("c") }).bucket("c").build();

describe("rule tester", () => {
  it("runs a rule like the engine, with intents of failing findings", () => {
    const runs = runRule(targetNotSource, s);
    expect(runs.map((r) => [r.bucket, r.status, r.intents.map((i) => i.kind)])).toEqual([
      ["a", "fail", ["use-log-bucket"]],
      ["b", "pass", []],
    ]);
  });

  it("reports every kind of mismatch", () => {
    const problems = checkRuleCase(targetNotSource, {
      name: "wrong on purpose",
      snapshot: s,
      expect: {
        a: { status: "pass", message: "nope", details: { target: "x" }, intents: ["grant-delivery"], fixable: false },
        c: { status: "fail" },
      },
    });
    expect(problems).toEqual([
      "a: expected pass, got fail: a logs into itself (prefix \"src/\")",
      'a: message "a logs into itself (prefix \\"src/\\")" does not match nope',
      'a: details.target is "a", expected "x"',
      'a: intents ["use-log-bucket"], expected ["grant-delivery"]',
      "a: fixable is true, expected false",
      "c: expected fail, got no result",
      "b: unexpected pass: b logs into c, not itself",
    ]);
  });

  it("accepts a matching case, and null for 'no result'", () => {
    expect(checkRuleCase(targetNotSource, { name: "ok", snapshot: s, expect: { a: { status: "fail" }, b: { status: "pass" }, c: null } })).toEqual([]);
    expect(checkRuleCase(targetNotSource, { name: "partial", snapshot: s, partial: true, expect: { a: { status: "fail" } } })).toEqual([]);
  });
});
