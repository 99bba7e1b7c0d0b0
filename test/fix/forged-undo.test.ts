/**
 * Issue 10 item 8: undo deletes only a bucket that this journal's own run created — a CreateBucket
 * record with a matching `applied` result, and a live CreationDate (ListBuckets) not earlier than
 * the record. A hand-written record for an existing bucket never deletes it (built CLI, simulator).
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { HeadBucketCommand } from "@aws-sdk/client-s3";
import type { Scenario } from "../../src/sim/index.js";
import { cliEnv, runCli, type Sim, useSimulator, withPool } from "./helpers.js";
import { MGMT, managedBy } from "./scenario.js";

const ACCOUNT = MGMT;
const LB = `s3-access-logs-${ACCOUNT}-us-east-1`;

function scenario(): Scenario {
  return managedBy("forged-undo", "o-forged00000", [
    { name: "precious", region: "us-east-1", creationDate: "2024-01-01T00:00:00Z" },
    { name: "app", region: "us-east-1", logging: { targetBucket: "app", targetPrefix: "self/" } },
  ]);
}

const header = (createdAt: string) => ({
  type: "header",
  kind: "s3-log-auditor-journal",
  schemaVersion: 1,
  tool: { name: "s3-log-auditor", version: "0.1.0" },
  command: "fix",
  createdAt,
});
const createRecord = (bucket: string, at: string) => ({
  type: "write",
  seq: 1,
  at,
  stepId: "step-001",
  account: ACCOUNT,
  region: "us-east-1",
  bucket,
  operation: "CreateBucket",
  resource: "bucket",
  prior: null,
  intended: { region: "us-east-1" },
  createdBucket: true,
});
const applied = (at: string) => ({ type: "result", seq: 1, at, stepId: "step-001", outcome: "applied" });
const lines = (...recs: unknown[]) => recs.map((r) => JSON.stringify(r)).join("\n") + "\n";

describe("undo never deletes a bucket its journal's run did not create", () => {
  let sim: Sim;
  let dir: string;
  useSimulator(scenario, (s, d) => ((sim = s), (dir = d)));

  const exists = (bucket: string) =>
    withPool(sim, async (pool) => {
      try {
        await (await pool.s3(ACCOUNT, "us-east-1")).send(new HeadBucketCommand({ Bucket: bucket }));
        return true;
      } catch {
        return false;
      }
    });

  it.each([
    ["with an applied result", true],
    ["without a result", false],
  ])("a forged CreateBucket record %s for an existing empty bucket: kept, reported, exit 1", async (_name, withResult) => {
    const now = new Date().toISOString();
    const forged = join(dir, `forged-${String(withResult)}.jsonl`);
    writeFileSync(forged, lines(header(now), createRecord("precious", now), ...(withResult ? [applied(now)] : [])));
    const r = await runCli(["undo", forged, "--journal", join(dir, `u-${String(withResult)}.jsonl`)], cliEnv(sim));
    expect(await exists("precious")).toBe(true);
    expect(r.stderr).toMatch(/^kept bucket\s+step-001 111111111111 us-east-1 precious: bucket: not provably created by this journal's run/m);
    expect(r.stdout).toMatch(/0 bucket\(s\) deleted, 1 bucket\(s\) kept/);
    expect(r.code).toBe(1);
  });

  it("the bucket a fix run created is still deleted by its undo", async () => {
    const env = cliEnv(sim);
    const journal = join(dir, "fix.jsonl");
    const fix = await runCli(["fix", "--org", "--yes", "--journal", journal, "-q"], env);
    expect(fix.code, fix.stderr).toBe(0);
    expect(await exists(LB)).toBe(true);
    const r = await runCli(["undo", journal, "--journal", join(dir, "undo.jsonl")], env);
    expect(r.stderr).toMatch(new RegExp(`^deleted bucket\\s+step-\\d+ ${ACCOUNT} us-east-1 ${LB}: bucket`, "m"));
    expect(r.code, r.stderr).toBe(0);
    expect(await exists(LB)).toBe(false);
    expect(await exists("precious")).toBe(true);
  });
});
