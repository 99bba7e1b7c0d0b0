import { describe, expect, it } from "vitest";
import { defineRule, type Rule } from "../../src/engine/define-rule.js";
import { evaluateIndex, intentSource } from "../../src/engine/evaluate.js";
import { SnapshotIndex } from "../../src/engine/snapshot-index.js";
import { planFixes } from "../../src/fix/plan.js";
import { snap } from "../rules/helpers.js";

const meta = {
  id: "always-manual",
  title: "A rule no plan can fix",
  severity: "low" as const,
  rationale: "Stands for rules such as a delivery check, which only a person can act on.",
  failsWhen: "always, for every bucket of the snapshot under test.",
  fix: "none: a person decides what to do",
  docUrl: "https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html",
  subject: "source" as const,
  readPermissions: ["s3:GetBucketLogging"],
};

function alwaysFails(fixable: boolean): Rule {
  return {
    meta: { ...meta, fixable },
    evaluate: (ctx) =>
      ctx.index.inScope.map((b) => ({ status: "fail" as const, account: b.account, region: b.region, bucket: b.name, message: "always" })),
  };
}

describe("non-fixable rules", () => {
  it("are defined with meta.fixable false and no planFix; a planFix or a missing one is refused", () => {
    expect(defineRule(alwaysFails(false)).meta.fixable).toBe(false);
    expect(() => defineRule(alwaysFails(true))).toThrow(/fixable rules need planFix/);
    expect(() => defineRule({ ...alwaysFails(false), planFix: () => [] })).toThrow(/non-fixable rule has no planFix/);
  });

  it("give findings that are not fixable, and the planner plans nothing for them", () => {
    const s = snap().bucket("b1", { logging: null }).bucket("b2", { logging: null }).build();
    const rule = defineRule(alwaysFails(false));
    const findings = evaluateIndex(new SnapshotIndex(s), [rule]);
    expect(findings.map((f) => [f.bucket, f.status, f.fixable])).toEqual([
      ["b1", "fail", false],
      ["b2", "fail", false],
    ]);
    expect(planFixes(s, findings, { intents: intentSource(s) }).steps).toEqual([]);
  });
});
