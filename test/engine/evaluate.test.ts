import { describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { InputError } from "../../src/base/errors.js";
import { evaluateSnapshot, evaluateSnapshotCounted, fingerprint, planIntents, selectRules } from "../../src/engine/evaluate.js";
import { SnapshotIndex } from "../../src/engine/snapshot-index.js";
import { FindingSchema, compareFindings, type Finding } from "../../src/model/finding.js";
import { absent, denied, logsTo, ok, snap } from "../rules/helpers.js";

/** A small account in which every rule fails somewhere and passes somewhere. */
function mixed() {
  return snap()
    .bucket("good", { logging: logsTo("logs", "good/") })
    .bucket("logs")
    .bucket("off")
    .bucket("selfie", { logging: logsTo("selfie", "self/"), facts: { publicAccessBlock: absent("NoSuchPublicAccessBlockConfiguration"), lifecycle: absent("NoSuchLifecycleConfiguration") } })
    .bucket("loop-a", { logging: logsTo("loop-b", "a/") })
    .bucket("loop-b", { logging: logsTo("loop-a", "b/") })
    .bucket("to-gone", { logging: logsTo("gone", "x/") })
    .external("gone", "missing")
    .bucket("to-foreign", { logging: logsTo("theirs", "y/") })
    .external("theirs", "foreign", { region: "us-east-1" })
    .bucket("far", { region: "eu-west-1", logging: logsTo("logs", "far/") })
    .bucket("to-bad", { logging: logsTo("bad-logs", "", { grants: [{ grantee: { type: "CanonicalUser", id: "x" }, permission: "READ" }] }) })
    .bucket("to-bad-2", { logging: logsTo("bad-logs", "") })
    .bucket("bad-logs", {
      facts: {
        policy: absent("NoSuchBucketPolicy"),
        encryption: ok({ algorithm: "aws:kms" }),
        objectLock: ok({ enabled: true, defaultRetention: { mode: "COMPLIANCE", days: 1 } }),
        requestPayment: ok("Requester" as const),
      },
    })
    .bucket("unreadable", { logging: denied("GetBucketLogging") })
    .bucket("hidden", { inScope: false, logging: logsTo("logs", "hidden/") })
    .build();
}

describe("evaluateSnapshot", () => {
  const findings = evaluateSnapshot(mixed());

  it("runs every rule; each rule fails on some bucket and passes on another", () => {
    const byRule = new Map<string, Set<string>>();
    for (const f of findings) {
      const s = byRule.get(f.ruleId) ?? new Set<string>();
      s.add(f.status);
      byRule.set(f.ruleId, s);
    }
    for (const r of allRules().filter((x) => !x.meta.optIn)) {
      expect(byRule.get(r.meta.id), r.meta.id).toContain("fail");
      expect(byRule.get(r.meta.id), r.meta.id).toContain("pass");
    }
  });

  it("produces valid findings with severity from the rule metadata", () => {
    const sev = new Map(allRules().map((r) => [r.meta.id, r.meta.severity]));
    for (const f of findings) {
      expect(FindingSchema.safeParse(f).success).toBe(true);
      expect(f.severity).toBe(sev.get(f.ruleId));
    }
  });

  it("sorts by account, Region, bucket, severity, rule id", () => {
    const sorted = [...findings].sort(compareFindings);
    expect(findings).toEqual(sorted);
    // Regions sort lexicographically: eu-west-1 before us-east-1.
    expect(findings[0]?.region).toBe("eu-west-1");
    const good = findings.filter((f) => f.bucket === "good").map((f) => `${f.severity}:${f.ruleId}`);
    // "unreadable" (same account and Region) may log into "good": its log-bucket rules are errors.
    expect(good).toEqual([
      "critical:no-logging-cycle",
      "critical:target-not-source",
      "high:delivery-permitted",
      "high:log-bucket-not-public",
      "high:target-encryption-supported",
      "high:target-exists",
      "high:target-no-object-lock-retention",
      "high:target-not-requester-pays",
      "high:target-same-account",
      "high:target-same-region",
      "medium:logging-enabled",
      "medium:target-grants-compatible",
      "low:log-bucket-retention",
      "low:target-prefix-structured",
      "low:target-prefix-unique",
    ]);
  });

  it("reports only on in-scope buckets", () => {
    expect(findings.some((f) => f.bucket === "hidden")).toBe(false);
  });

  it("gives stable, unique, readable fingerprints", () => {
    const fps = findings.map((f) => f.fingerprint);
    expect(new Set(fps).size).toBe(fps.length);
    const f = findings.find((x) => x.ruleId === "target-not-source" && x.bucket === "selfie");
    expect(f?.fingerprint).toBe(fingerprint("target-not-source", "111122223333", "selfie"));
    expect(f?.fingerprint).toBe("target-not-source:111122223333:selfie");
  });

  it("marks fixable only failing findings whose rule plans an intent", () => {
    const get = (rule: string, bucket: string) => findings.find((f) => f.ruleId === rule && f.bucket === bucket) as Finding;
    expect(get("target-not-source", "selfie")).toMatchObject({ status: "fail", fixable: true });
    expect(get("target-not-source", "good")).toMatchObject({ status: "pass", fixable: false });
    expect(get("logging-enabled", "unreadable")).toMatchObject({ status: "error", fixable: false });
    const loop = [get("no-logging-cycle", "loop-a"), get("no-logging-cycle", "loop-b")];
    expect(loop.map((f) => f.status)).toEqual(["fail", "fail"]);
    expect(loop.map((f) => f.fixable)).toEqual([true, false]);
  });

  it("is deterministic and survives a JSON round trip of the snapshot", () => {
    const s = mixed();
    expect(evaluateSnapshot(JSON.parse(JSON.stringify(s)))).toEqual(evaluateSnapshot(s));
  });

  it("runs only the selected rules", () => {
    const only = evaluateSnapshot(mixed(), { rules: ["target-exists", "logging-enabled"] });
    expect(new Set(only.map((f) => f.ruleId))).toEqual(new Set(["target-exists", "logging-enabled"]));
  });

  it("rejects unknown rule ids with a InputError naming them", () => {
    expect(() => evaluateSnapshot(mixed(), { rules: ["target-exists", "nope"] })).toThrow(InputError);
    expect(() => selectRules(["nope", "also-nope"])).toThrow(/unknown rule ids "nope", "also-nope"/);
    expect(selectRules().length).toBe(allRules().filter((r) => !r.meta.optIn).length);
  });

  it("passes engine options to the rules", () => {
    const s = snap().bucket("app", { logging: logsTo("logs") }).bucket("logs", { facts: { objectLock: ok({ enabled: true }) } }).build();
    const status = (opts: Parameters<typeof evaluateSnapshot>[1]) =>
      evaluateSnapshot(s, opts)
        .filter((f) => f.bucket === (opts?.rules?.[0] === "logging-enabled" ? "logs" : "app"))
        .map((f) => f.status);
    expect(status({ rules: ["logging-enabled"] })).toEqual(["pass"]);
    expect(status({ rules: ["logging-enabled"], ruleOptions: { "logging-enabled": { exemptLogTargets: false } } })).toEqual(["fail"]);
    expect(status({ rules: ["target-no-object-lock-retention"] })).toEqual(["pass"]);
    expect(status({ rules: ["target-no-object-lock-retention"], ruleOptions: { "target-no-object-lock-retention": { strictObjectLock: true } } })).toEqual(["fail"]);
  });

  it("counts pass results instead of keeping them when asked", () => {
    const counted = evaluateSnapshotCounted(mixed(), {}, false);
    const passes = findings.filter((f) => f.status === "pass").length;
    expect(passes).toBeGreaterThan(0);
    expect(counted.droppedPasses).toBe(passes);
    expect(counted.findings).toEqual(findings.filter((f) => f.status !== "pass"));
    const kept = evaluateSnapshotCounted(mixed(), {}, true);
    expect(kept).toEqual({ findings, droppedPasses: 0 });
  });

  it("handles an empty snapshot", () => {
    expect(evaluateSnapshot(snap().build())).toEqual([]);
  });

  it("scales: 10,000 buckets into shared log buckets give one finding per rule and bucket", () => {
    const b = snap();
    for (let r = 0; r < 4; r++) b.bucket(`logs-${r}`);
    for (let i = 0; i < 10_000; i++) b.bucket(`b${i}`, { logging: logsTo(`logs-${i % 4}`, `b${i}/`) });
    const all = evaluateSnapshot(b.build());
    const sources = all.filter((f) => f.bucket.startsWith("b"));
    expect(sources.length).toBe(10_000 * 13);
    expect(sources.every((f) => f.status === "pass")).toBe(true);
    expect(all.filter((f) => f.bucket.startsWith("logs-")).length).toBe(4 * 3); // logging-enabled (exempt) + 2 log-bucket rules
  });
});

describe("planIntents", () => {
  const s = mixed();
  const findings = evaluateSnapshot(s);

  it("collects the intents of failing findings, in finding order", () => {
    const intents = planIntents(findings, s);
    const kinds = new Set(intents.map((i) => i.kind));
    expect(kinds).toEqual(new Set(["use-log-bucket", "grant-delivery", "remove-target-grants", "structure-prefix", "block-public-access", "add-log-retention"]));
    expect(intents).toContainEqual({ kind: "grant-delivery", account: "111122223333", region: "us-east-1", targetBucket: "bad-logs", sourceBucket: "to-bad", prefix: "" });
    expect(intents).toContainEqual({ kind: "remove-target-grants", account: "111122223333", region: "us-east-1", bucket: "to-bad" });
    // one intent per cycle
    expect(intents.filter((i) => i.kind === "use-log-bucket" && i.reason.startsWith("break the logging loop"))).toHaveLength(1);
    expect(planIntents(findings, new SnapshotIndex(s))).toEqual(intents);
  });

  it("the number of fixable findings equals the findings that yield intents", () => {
    const fixable = findings.filter((f) => f.fixable);
    for (const f of fixable) expect(planIntents([f], s).length).toBeGreaterThan(0);
    for (const f of findings.filter((x) => !x.fixable)) expect(planIntents([f], s)).toEqual([]);
  });

  it("ignores passing findings and unknown rules", () => {
    const pass = findings.filter((f) => f.status === "pass");
    expect(planIntents(pass, s)).toEqual([]);
    const fake = { ...(findings[0] as Finding), ruleId: "no-such-rule", status: "fail" as const };
    expect(planIntents([fake], s)).toEqual([]);
  });
});
