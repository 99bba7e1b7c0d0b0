/**
 * Property: for random bucket states (logging links, policies with unrelated statements and
 * denies that do not touch delivery, lifecycle rules, ownership, Block Public Access, SSE-KMS
 * default encryption), planning
 * and applying the fixes against the simulator
 *   - loses no policy statement and no lifecycle rule,
 *   - leaves no failing finding that has an automatic fix,
 *   - is idempotent (a second apply makes zero writes),
 *   - and undo restores the original snapshot.
 */
import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ClientPool } from "../../src/collect/index.js";
import { applyPlan, undoJournal } from "../../src/fix/index.js";
import { readResource } from "../../src/fix/resources.js";
import { canonicalJson } from "../../src/fix/state.js";
import type { PolicyDocument } from "../../src/model/plan.js";
import type { Scenario } from "../../src/sim/scenario.js";
import { startSimulator } from "../../src/sim/index.js";
import { denyInsecureTransport } from "../../src/sim/policies.js";
import { comparable, failing, planFixes, poolFor, snapshotOf, tempDir } from "./helpers.js";

const ACCOUNT = "123456789012";
const NAMES = ["pb-alpha", "pb-bravo", "pb-charlie", "pb-delta", "pb-echo"];
const REGION = "us-east-1";

const statementArb = (bucket: string): fc.Arbitrary<Record<string, unknown>> =>
  fc.constantFrom<Record<string, unknown>>(
    denyInsecureTransport(bucket),
    { Sid: "NoDeletes", Effect: "Deny", Principal: "*", Action: "s3:DeleteObject", Resource: `arn:aws:s3:::${bucket}/*` },
    {
      Sid: "Readers",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/readers` },
      Action: ["s3:GetObject"],
      Resource: `arn:aws:s3:::${bucket}/*`,
    },
    {
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: "s3:ListBucket",
      Resource: `arn:aws:s3:::${bucket}`,
    },
    {
      Sid: "S3ServerAccessLogsDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::${bucket}/*`,
      Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT }, ArnLike: { "aws:SourceArn": "arn:aws:s3:::pb-elsewhere" } },
    },
  );

const ruleArb = fc.constantFrom<Record<string, unknown>>(
  { ID: "tidy-tmp", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 3 } },
  { ID: "abort-mpu", Status: "Enabled", Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } },
  { ID: "old-versions", Status: "Disabled", Filter: { Prefix: "" }, NoncurrentVersionExpiration: { NoncurrentDays: 30 } },
);

const bucketArb = (name: string, names: string[]) =>
  fc.record({
    logging: fc.option(
      fc.record({
        targetBucket: fc.constantFrom(...names),
        targetPrefix: fc.constantFrom("", "logs/", `${name}/`, "shared"),
        keyFormat: fc.constantFrom<"simple" | "partitioned" | undefined>(undefined, "simple", "partitioned"),
      }),
      { nil: null },
    ),
    policy: fc.option(fc.uniqueArray(statementArb(name), { minLength: 1, maxLength: 3, selector: (s) => canonicalJson(s) }), { nil: null }),
    lifecycle: fc.option(fc.uniqueArray(ruleArb, { minLength: 1, maxLength: 2, selector: (r) => r.ID }), { nil: null }),
    ownership: fc.constantFrom<"BucketOwnerEnforced" | "BucketOwnerPreferred" | null>("BucketOwnerEnforced", "BucketOwnerPreferred", null),
    publicAccessBlock: fc.constantFrom<boolean | null | Record<string, boolean>>(true, null, { blockPublicAcls: true, ignorePublicAcls: false }),
    kms: fc.boolean(),
  });

const scenarioArb: fc.Arbitrary<Scenario> = fc
  .integer({ min: 2, max: NAMES.length })
  .chain((n) => {
    const names = NAMES.slice(0, n);
    return fc.tuple(...names.map((name) => bucketArb(name, names))).map((specs) => ({ names, specs }));
  })
  .map(
    ({ names, specs }) =>
      ({
        name: "property",
        organization: null,
        accounts: [
          {
            id: ACCOUNT,
            name: "Only",
            buckets: specs.map((s, i) => {
              const name = names[i]!;
              const b: Record<string, unknown> = { name, region: REGION, ownership: s.ownership, publicAccessBlock: s.publicAccessBlock };
              if (s.logging) {
                const l: Record<string, unknown> = { targetBucket: s.logging.targetBucket, targetPrefix: s.logging.targetPrefix };
                if (s.logging.keyFormat) l.keyFormat = s.logging.keyFormat;
                b.logging = l;
              }
              if (s.policy) b.policy = { Version: "2012-10-17", Statement: s.policy };
              if (s.lifecycle) b.lifecycle = s.lifecycle;
              if (s.kms) b.encryption = { algorithm: "aws:kms", kmsKeyId: `arn:aws:kms:${REGION}:${ACCOUNT}:key/k-${name}` };
              return b;
            }),
          },
        ],
      }) as unknown as Scenario,
  );

/** Live policy statements and lifecycle rules of every bucket, as canonical JSON. */
async function liveConfig(pool: ClientPool, names: string[]): Promise<Map<string, { statements: string[]; rules: string[] }>> {
  const out = new Map<string, { statements: string[]; rules: string[] }>();
  for (const bucket of names) {
    const t = { client: await pool.s3(ACCOUNT, REGION), account: ACCOUNT, bucket, region: REGION };
    const pol = (await readResource(t, "policy")).value as PolicyDocument | null;
    const rules = ((await readResource(t, "lifecycle")).value as unknown[] | null) ?? [];
    out.set(bucket, { statements: (pol?.Statement ?? []).map((s) => canonicalJson(s)), rules: rules.map((r) => canonicalJson(r)) });
  }
  return out;
}

describe("fix property: random bucket states", () => {
  it("loses nothing, fixes every fixable finding, is idempotent, and undo restores", async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, fc.constantFrom<"partitioned" | "simple">("partitioned", "simple"), async (scenario, keyFormat) => {
        const sim = await startSimulator({ scenario, port: 0 });
        const pool = poolFor(sim);
        const dir = tempDir();
        try {
          const names = scenario.accounts[0]!.buckets!.map((b) => b.name);
          const before = await snapshotOf(sim, false);
          const liveBefore = await liveConfig(pool, names);
          const plan = planFixes(before, failing(before), { keyFormat });
          const clients = (a: string, r: string) => pool.s3(a, r);
          const first = await applyPlan(plan, { clients, journalPath: join(dir, "j.jsonl") });
          expect(first.failed, JSON.stringify(plan.steps.map((s) => [s.id, s.bucket, s.operation]))).toBe(0);
          expect(first.skippedDrifted + first.skippedDependent).toBe(0);

          const liveAfter = await liveConfig(pool, names);
          for (const [bucket, cfg] of liveBefore) {
            const now = liveAfter.get(bucket)!;
            for (const st of cfg.statements) if (!st.includes('"Sid":"S3ServerAccessLogsDelivery"')) expect(now.statements).toContain(st);
            for (const r of cfg.rules) expect(now.rules).toContain(r);
          }
          const after = await snapshotOf(sim, false);
          const left = failing(after).filter((f) => f.fixable);
          expect(left.map((f) => `${f.ruleId}:${f.bucket}`)).toEqual([]);

          const second = await applyPlan(plan, { clients, journalPath: join(dir, "j2.jsonl") });
          expect(second.writes).toBe(0);

          const undo = await undoJournal(join(dir, "j.jsonl"), { clients, journalPath: join(dir, "u.jsonl") });
          expect(undo.failed + undo.skippedDrifted + undo.unrestorable + undo.bucketsNotEmpty).toBe(0);
          expect(comparable(await snapshotOf(sim, false))).toEqual(comparable(before));
        } finally {
          pool.destroy();
          await sim.close();
        }
      }),
      { numRuns: Number(process.env.FIX_PROPERTY_RUNS ?? 25), seed: process.env.FIX_PROPERTY_RUNS ? undefined : 20261123, endOnFailure: true },
    );
  }, 600_000);
});
