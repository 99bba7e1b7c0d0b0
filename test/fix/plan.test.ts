/** The planner (pure): intents of the real rules → ordered, merged steps. */
import { describe, expect, it } from "vitest";
import { evaluateSnapshot } from "../../src/engine/evaluate.js";
import {
  DELIVERY_SID,
  describeStep,
  parsePlan,
  serializePlan,
  stepDiff,
  summarizePlan,
  planCountLine,
  planCounts,
  stepKind,
  type Plan,
  type PlanStep,
  type PolicyDocument,
} from "../../src/fix/index.js";
import { InputError } from "../../src/base/errors.js";
import type { Snapshot } from "../../src/model/snapshot.js";
import { planFixes } from "./helpers.js";
import { ACCOUNT, REGION, absent, allowPolicy, ok, snap, logsTo } from "../rules/helpers.js";

const LB = `s3-access-logs-${ACCOUNT}-${REGION}`;
const NOW = new Date("2026-02-01T00:00:00Z");

function plan(s: Snapshot, opts: Parameters<typeof planFixes>[2] = {}): Plan {
  return planFixes(s, evaluateSnapshot(s), { now: NOW, ...opts });
}

const ops = (p: Plan) => p.steps.map((s) => `${s.bucket}:${s.operation}${s.manual ? ":manual" : ""}`);
const step = (p: Plan, bucket: string, op: string): PlanStep => {
  const s = p.steps.find((x) => x.bucket === bucket && x.operation === op);
  if (!s) throw new Error(`no ${op} on ${bucket} in ${ops(p).join(", ")}`);
  return s;
};

describe("planFixes", () => {
  it("creates a hardened log bucket, grants delivery, then enables logging — in that order", () => {
    const p = plan(snap().bucket("app").bucket("data").build());
    expect(ops(p)).toEqual([
      `${LB}:CreateBucket`,
      `${LB}:PutBucketOwnershipControls`,
      `${LB}:PutPublicAccessBlock`,
      `${LB}:PutBucketEncryption`,
      `${LB}:PutBucketLifecycleConfiguration`,
      `${LB}:PutBucketPolicy`,
      "app:PutBucketLogging",
      "data:PutBucketLogging",
    ]);
    const create = step(p, LB, "CreateBucket");
    for (const s of p.steps.filter((x) => x.bucket === LB && x !== create)) {
      expect(s.dependsOn).toEqual([create.id]);
      expect(s.createdBucket).toBe(true);
    }
    const logging = step(p, "app", "PutBucketLogging");
    expect(logging.dependsOn).toEqual(p.steps.filter((x) => x.bucket === LB).map((x) => x.id));
    expect(logging.after).toEqual({
      targetBucket: LB,
      targetPrefix: "app/",
      targetGrants: [],
      keyFormat: { type: "partitioned", partitionDateSource: "EventTime" },
      keyFormatExplicit: true,
    });
    expect(logging.resolves).toHaveLength(1);
    const pol = step(p, LB, "PutBucketPolicy").after as PolicyDocument;
    expect(pol.Statement).toEqual([
      {
        Sid: DELIVERY_SID,
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${LB}/*`,
        Condition: {
          StringEquals: { "aws:SourceAccount": ACCOUNT },
          ArnLike: { "aws:SourceArn": ["arn:aws:s3:::app", "arn:aws:s3:::data"] },
        },
      },
    ]);
    expect(step(p, LB, "PutBucketLifecycleConfiguration").after).toEqual([
      { ID: "s3-log-auditor-expire-logs", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 365 } },
    ]);
    expect(step(p, LB, "PutPublicAccessBlock").after).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    expect(step(p, LB, "PutBucketEncryption").after).toEqual({ algorithm: "AES256" });
    // the created log bucket never logs into itself
    expect(p.steps.some((s) => s.bucket === LB && s.operation === "PutBucketLogging")).toBe(false);
  });

  it("merges into an existing log bucket's policy and lifecycle, keeping every statement and rule", () => {
    const other = { Sid: "DenyInsecure", Effect: "Deny", Principal: "*", Action: "s3:*", Resource: `arn:aws:s3:::${LB}/*`, Condition: { Bool: { "aws:SecureTransport": "false" } } };
    const mine = {
      Sid: DELIVERY_SID,
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::${LB}/*`,
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": "arn:aws:s3:::old" } },
    };
    const s = snap()
      .bucket("app")
      .bucket("old", { logging: logsTo(LB, "old/") })
      .bucket(LB, {
        facts: {
          policy: ok(JSON.stringify({ Version: "2012-10-17", Statement: [other, mine] })),
          lifecycle: ok([{ ID: "tidy", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 3 } }]),
          publicAccessBlock: absent("NoSuchPublicAccessBlockConfiguration"),
        },
      })
      .build();
    const p = plan(s);
    expect(ops(p)).toEqual([`${LB}:PutPublicAccessBlock`, `${LB}:PutBucketLifecycleConfiguration`, `${LB}:PutBucketPolicy`, "app:PutBucketLogging"]);
    const pol = step(p, LB, "PutBucketPolicy");
    const after = pol.after as PolicyDocument;
    expect(after.Statement[0]).toEqual(other);
    expect(after.Statement[1]).toMatchObject({ Sid: DELIVERY_SID, Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:s3:::app", "arn:aws:s3:::old"] } } });
    expect(after.Statement).toHaveLength(2);
    const lc = step(p, LB, "PutBucketLifecycleConfiguration").after as unknown[];
    expect(lc[0]).toEqual({ ID: "tidy", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 3 } });
    expect(lc).toHaveLength(2);
    expect(step(p, "app", "PutBucketLogging").dependsOn).toEqual(p.steps.filter((x) => x.bucket === LB).map((x) => x.id));
  });

  it("turns several findings on one bucket into one PutBucketLogging", () => {
    const s = snap()
      .bucket("app", { logging: logsTo("logs", "", { grants: [{ grantee: { type: "CanonicalUser", id: "x" }, permission: "READ" }] }) })
      .bucket("logs")
      .build();
    const findings = evaluateSnapshot(s).filter((f) => f.status === "fail");
    expect(findings.map((f) => f.ruleId).sort()).toEqual(expect.arrayContaining(["target-grants-compatible", "target-prefix-structured"]));
    const p = planFixes(s, findings, { now: NOW });
    const logs = p.steps.filter((x) => x.operation === "PutBucketLogging");
    expect(logs).toHaveLength(1);
    expect(logs[0]!.after).toMatchObject({ targetBucket: "logs", targetPrefix: "", targetGrants: [], keyFormat: { type: "partitioned" } });
    expect(logs[0]!.resolves.length).toBeGreaterThanOrEqual(2);
  });

  it("with --key-format simple gives each source the prefix {bucket}/", () => {
    const s = snap().bucket("app", { logging: logsTo("logs", "") }).bucket("logs").build();
    const p = plan(s, { keyFormat: "simple" });
    expect(step(p, "app", "PutBucketLogging").after).toMatchObject({ targetBucket: "logs", targetPrefix: "app/", keyFormat: { type: "simple" } });
    const q = plan(snap().bucket("fresh").build(), { keyFormat: "simple" });
    expect(step(q, "fresh", "PutBucketLogging").after).toMatchObject({ targetPrefix: "fresh/", keyFormat: { type: "simple" } });
  });

  it("re-prefixing keeps delivery working: grants the new prefix only when the target's policy would no longer allow it", () => {
    const s = snap()
      .bucket("app", { logging: logsTo("logs", "shared") })
      .bucket("web", { logging: logsTo("logs", "shared") })
      .bucket("logs", { facts: { policy: ok(allowPolicy("logs", ACCOUNT, "shared")) } })
      .build();
    const simple = plan(s, { keyFormat: "simple" });
    const grant = step(simple, "logs", "PutBucketPolicy");
    expect((grant.after as PolicyDocument).Statement).toHaveLength(2);
    expect(JSON.stringify(grant.after)).toContain("arn:aws:s3:::app");
    expect(step(simple, "app", "PutBucketLogging").dependsOn).toEqual([grant.id]);
    expect(step(simple, "app", "PutBucketLogging").after).toMatchObject({ targetPrefix: "app/" });
    const partitioned = plan(s);
    expect(ops(partitioned)).toEqual(["app:PutBucketLogging", "web:PutBucketLogging"]);
    expect(step(partitioned, "web", "PutBucketLogging").after).toMatchObject({ targetPrefix: "shared/", keyFormat: { type: "partitioned" } });
  });

  it("retargets a bucket that logs into itself, and only the chosen member of a cycle", () => {
    const s = snap()
      .bucket("self", { logging: logsTo("self", "s/") })
      .bucket("a", { logging: logsTo("b", "a/") })
      .bucket("b", { logging: logsTo("a", "b/") })
      .build();
    const p = plan(s);
    const retargeted = p.steps.filter((x) => x.operation === "PutBucketLogging").map((x) => x.bucket);
    expect(retargeted).toContain("self");
    expect(retargeted.filter((b) => b === "a" || b === "b")).toHaveLength(1);
  });

  it("reports an explicit Deny of delivery as a manual step naming the statement, never rewritten", () => {
    const deny = {
      Sid: "NoLogs",
      Effect: "Deny",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: "arn:aws:s3:::logs/*",
    };
    const s = snap()
      .bucket("app", { logging: logsTo("logs", "app/") })
      .bucket("logs", { facts: { policy: ok(JSON.stringify({ Version: "2012-10-17", Statement: [deny] })) } })
      .build();
    const p = plan(s);
    const m = step(p, "logs", "PutBucketPolicy");
    expect(m.manual?.statement).toBe("NoLogs");
    expect(m.manual?.reason).toMatch(/NoLogs/);
    expect(m.after).toEqual(m.before);
    expect(describeStep(m)).toMatch(/^\[manual\]/);
  });

  it("does not ask for a manual policy edit when the denied source is retargeted anyway", () => {
    const deny = { Sid: "NoLogs", Effect: "Deny", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs/*" };
    const s = snap()
      .bucket("app", { logging: logsTo("logs", "app/") })
      .bucket("logs", { region: "eu-west-1", facts: { policy: ok(JSON.stringify({ Version: "2012-10-17", Statement: [deny] })) } })
      .build();
    const findings = evaluateSnapshot(s).filter((f) => f.status === "fail");
    expect(findings.map((f) => f.ruleId).sort()).toEqual(["delivery-permitted", "target-same-region"]);
    const p = planFixes(s, findings, { now: NOW });
    expect(p.steps.filter((x) => x.manual)).toEqual([]);
    expect(step(p, "app", "PutBucketLogging").resolves.sort()).toEqual(findings.map((f) => f.fingerprint).sort());
  });

  it("refuses a merged policy over the size limit (manual, with the reason)", () => {
    const big = Array.from({ length: 60 }, (_, i) => ({
      Sid: `S${i}`,
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/r${i}` },
      Action: "s3:GetObject",
      Resource: `arn:aws:s3:::logs/${"x".repeat(300)}${i}/*`,
    }));
    const s = snap()
      .bucket("app", { logging: logsTo("logs", "app/") })
      .bucket("logs", { facts: { policy: ok(JSON.stringify({ Version: "2012-10-17", Statement: big })) } })
      .build();
    const p = plan(s);
    const m = step(p, "logs", "PutBucketPolicy");
    expect(m.manual?.reason).toMatch(/over the 20480-byte limit/);
  });

  it("narrows by --rules, --buckets and --accounts", () => {
    const s = snap().bucket("app").bucket("web").bucket("other", { account: "444455556666" }).build();
    expect(plan(s, { buckets: ["web*"] }).steps.filter((x) => x.operation === "PutBucketLogging").map((x) => x.bucket)).toEqual(["web"]);
    expect(plan(s, { accounts: ["444455556666"] }).steps.filter((x) => x.operation === "PutBucketLogging").map((x) => x.bucket)).toEqual(["other"]);
    expect(plan(s, { rules: ["log-bucket-retention"] }).steps).toEqual([]);
  });

  it("checks the log bucket name template", () => {
    const s = snap().bucket("app").build();
    expect(() => plan(s, { logBucketTemplate: "Logs_{account}" })).toThrow(InputError);
    expect(() => plan(s, { logBucketTemplate: "logs-{acount}" })).toThrow(/unknown placeholder/);
    expect(() => plan(s, { logBucketTemplate: `${"x".repeat(50)}-{account}-{region}` })).toThrow(/3 to 63/);
    expect(step(plan(s, { logBucketTemplate: "central-logs-{region}-{account}" }), "app", "PutBucketLogging").after).toMatchObject({
      targetBucket: `central-logs-${REGION}-${ACCOUNT}`,
    });
  });

  it("refuses a template that gives two accounts or two Regions the same bucket name (issue 10 item 15)", () => {
    const s = snap().bucket("app").build();
    expect(() => plan(s, { logBucketTemplate: "logs" })).toThrow(/has no \{account\} placeholder/);
    expect(() => plan(s, { logBucketTemplate: "logs-{region}" })).toThrow(/has no \{account\} placeholder/);
    // every Region in scope (the snapshot's scope.regions is null): {region} is needed
    expect(() => plan(s, { logBucketTemplate: "logs-{account}" })).toThrow(/has no \{region\} placeholder/);
    expect(() => plan(snap().bucket("app").withRegions([REGION, "eu-west-1"]).build(), { logBucketTemplate: "logs-{account}" })).toThrow(/\{region\}/);
    // exactly one Region in scope: {account} alone is unambiguous
    const one = snap().bucket("app").withRegions([REGION]).build();
    expect(step(plan(one, { logBucketTemplate: "logs-{account}" }), "app", "PutBucketLogging").after).toMatchObject({ targetBucket: `logs-${ACCOUNT}` });
  });

  it("does not retarget into an existing log bucket that cannot receive logs (manual)", () => {
    const s = snap()
      .bucket("app")
      .bucket(LB, { facts: { encryption: ok({ algorithm: "aws:kms", kmsKeyId: "k" }) } })
      .build();
    const p = plan(s);
    expect(step(p, "app", "PutBucketLogging").manual?.reason).toMatch(/aws:kms/);
  });
});

describe("plan file, descriptions and diffs", () => {
  const p = plan(snap().bucket("app").build());

  it("round-trips through the plan file", () => {
    expect(parsePlan(serializePlan(p), "p.json")).toEqual(p);
  });

  it("rejects malformed files and other schema versions with one line", () => {
    expect(() => parsePlan("{nope", "p.json")).toThrow(/p\.json: not a valid plan file/);
    expect(() => parsePlan(JSON.stringify({ ...p, schemaVersion: 2 }), "p.json")).toThrow(/schema version 2 is not supported/);
    expect(() => parsePlan(JSON.stringify({ kind: "x" }), "p.json")).toThrow(/not an s3-log-auditor-plan file/);
    const broken = JSON.parse(serializePlan(p)) as { steps: { operation: string }[] };
    broken.steps[0]!.operation = "DeleteEverything";
    expect(() => parsePlan(JSON.stringify(broken), "p.json")).toThrow(/invalid plan file at steps\.0/);
    for (const text of ["{nope", JSON.stringify({ ...p, schemaVersion: 2 })]) {
      try {
        parsePlan(text, "p.json");
      } catch (e) {
        expect(e).toBeInstanceOf(InputError);
        expect((e as Error).message).not.toContain("\n");
      }
    }
  });

  it("describes steps in one line and diffs before → after", () => {
    const pol = step(p, LB, "PutBucketPolicy");
    expect(describeStep(pol)).toBe(`${ACCOUNT} ${REGION} ${LB}: PutBucketPolicy — merge log-delivery statement (keeps 0 existing statement(s))`);
    const diff = stepDiff(pol);
    expect(diff).toMatch(/^--- .*PutBucketPolicy \(before\)/m);
    expect(diff).toMatch(/^\+\s+"Sid": "S3ServerAccessLogsDelivery"/m);
    expect(diff).toMatch(/^-null/m);
    const summary = summarizePlan(p).split("\n");
    expect(summary[0]).toBe("Plan for 2 bucket(s), resolving 1 finding(s):");
    // A created log bucket: ownership, Block Public Access and SSE-S3 are AWS's defaults of a new bucket.
    expect(summary.at(-1)).toBe("Plan: 1 to create, 3 to change, 0 already in place, 0 manual: up to 7 AWS write(s) (3 may already be in place).");
    expect(p.steps.map((s) => `${s.operation}:${stepKind(s)}`)).toEqual([
      "CreateBucket:create",
      "PutBucketOwnershipControls:may-be-in-place",
      "PutPublicAccessBlock:may-be-in-place",
      "PutBucketEncryption:may-be-in-place",
      "PutBucketLifecycleConfiguration:change",
      "PutBucketPolicy:change",
      "PutBucketLogging:change",
    ]);
  });

  it("counts a step whose before already equals after as in place, and a differing default as a change", () => {
    const pab = step(p, LB, "PutPublicAccessBlock");
    const known = { ...pab, createdBucket: undefined, before: pab.after } as PlanStep;
    expect(stepKind(known)).toBe("in-place");
    const enc = step(p, LB, "PutBucketEncryption");
    expect(stepKind({ ...enc, after: { algorithm: "aws:kms", kmsKeyId: "k" } } as PlanStep)).toBe("change");
    expect(stepKind({ ...enc, manual: { reason: "x" } })).toBe("manual");
    expect(planCountLine([known])).toBe("Plan: 0 to create, 0 to change, 1 already in place, 0 manual: 0 AWS write(s).");
    expect(planCounts(p.steps)).toEqual({ create: 1, change: 3, manual: 0, inPlace: 0, mayBeInPlace: 3 });
  });
});
