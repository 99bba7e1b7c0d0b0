/**
 * Issue 10 item 1: a user's statement or lifecycle rule that shares our Sid / rule ID is never
 * replaced (built CLI against the simulator): only what the fix provably wrote is widened; the
 * user's keeps its place and ours gets a fresh Sid / ID. The plan's "keeps N" counts are true.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readResource } from "../../src/fix/resources.js";
import type { PolicyDocument } from "../../src/model/plan.js";
import type { Scenario } from "../../src/sim/index.js";
import { cliEnv, runCli, type Sim, useSimulator, withPool } from "./helpers.js";
import { MGMT, managedBy } from "./scenario.js";

const ACCOUNT = MGMT;
const SID = "S3ServerAccessLogsDelivery";
const LB = `s3-access-logs-${ACCOUNT}-us-east-1`;

const userDeny = {
  Sid: SID,
  Effect: "Deny",
  Principal: "*",
  Action: "s3:DeleteObject",
  Resource: "arn:aws:s3:::logs-a/*",
};
/** Ours in shape, but written with ArnEquals: its source ARN must survive the merge. */
const arnEqualsAllow = {
  Sid: SID,
  Effect: "Allow",
  Principal: { Service: "logging.s3.amazonaws.com" },
  Action: "s3:PutObject",
  Resource: "arn:aws:s3:::logs-b/*",
  Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:s3:::src-b1" }, StringEquals: { "aws:SourceAccount": ACCOUNT } },
};
const userRule = { ID: "s3-log-auditor-expire-logs", Status: "Enabled" as const, Filter: { Prefix: "important/" }, Expiration: { Days: 3650 } };

function scenario(): Scenario {
  return managedBy("sid-collisions", "o-collide0000", [
    { name: "logs-a", region: "us-east-1", policy: { Version: "2012-10-17", Statement: [userDeny] }, lifecycle: [userRule] },
    { name: "src-a", region: "us-east-1", logging: { targetBucket: "logs-a", targetPrefix: "src-a/" } },
    { name: "logs-b", region: "us-east-1", policy: { Version: "2012-10-17", Statement: [arnEqualsAllow] } },
    { name: "src-b1", region: "us-east-1", logging: { targetBucket: "logs-b", targetPrefix: "src-b1/" } },
    { name: "src-b2", region: "us-east-1", logging: { targetBucket: "logs-b", targetPrefix: "src-b2/" } },
    // the account+Region log bucket exists with a user's rule under our ID
    { name: LB, region: "us-east-1", lifecycle: [userRule] },
    { name: "self", region: "us-east-1", logging: { targetBucket: "self", targetPrefix: "x/" } },
  ]);
}

interface Finding {
  ruleId: string;
  status: string;
  bucket: string;
}

describe("Sid / rule-ID collisions (fix --yes through the CLI)", () => {
  let sim: Sim;
  let dir: string;
  useSimulator(scenario, (s, d) => ((sim = s), (dir = d)));

  const live = (bucket: string) =>
    withPool(sim, async (pool) => {
      const t = { client: await pool.s3(ACCOUNT, "us-east-1"), account: ACCOUNT, bucket, region: "us-east-1" };
      return {
        policy: (await readResource(t, "policy")).value as PolicyDocument | null,
        rules: ((await readResource(t, "lifecycle")).value as Record<string, unknown>[] | null) ?? [],
      };
    });
  const scan = async (env: NodeJS.ProcessEnv): Promise<Finding[]> => {
    const r = await runCli(["scan", "--org", "--format", "json", "--include-passed", "--fail-on", "none", "-q"], env);
    return (JSON.parse(r.stdout) as { findings: Finding[] }).findings;
  };
  const status = (fs: Finding[], rule: string, bucket: string) => fs.find((f) => f.ruleId === rule && f.bucket === bucket)?.status;

  it("keeps the user's Deny, ArnEquals sources and scoped rule; the plan's counts are true; undo restores", async () => {
    const env = cliEnv(sim);
    const before = await scan(env);
    expect(status(before, "delivery-permitted", "src-b1")).toBe("pass");
    expect(status(before, "delivery-permitted", "src-b2")).toBe("fail");
    expect(status(before, "delivery-permitted", "src-a")).toBe("fail");

    const planFile = join(dir, "plan.json");
    const planned = await runCli(["fix", "--org", "--plan-out", planFile, "-q"], env);
    expect(planned.code, planned.stderr).toBe(0);
    const line = (bucket: string, op: string) => planned.stdout.split("\n").find((l) => l.includes(` ${bucket}: ${op} `)) ?? "";
    expect(line("logs-a", "PutBucketPolicy")).toMatch(/merge log-delivery statement \(keeps 1 existing statement\(s\)\)/);
    expect(line("logs-b", "PutBucketPolicy")).toMatch(/widen its own log-delivery statement \(keeps 0 other statement\(s\)\)/);
    expect(line("logs-a", "PutBucketLifecycleConfiguration")).toMatch(/add log expiration rule \(keeps 1 existing rule\(s\)\)/);
    expect(line(LB, "PutBucketLifecycleConfiguration")).toMatch(/add log expiration rule \(keeps every existing rule\)/);
    expect(planned.stdout).not.toMatch(/existing existing/);
    JSON.parse(readFileSync(planFile, "utf8"));

    const journal = join(dir, "journal.jsonl");
    const fix = await runCli(["fix", "--org", "--yes", "--journal", journal, "-q"], env);
    expect(fix.code, fix.stderr + fix.stdout).toBe(0);

    const a = await live("logs-a");
    expect(a.policy!.Statement[0]).toEqual(userDeny);
    expect(a.policy!.Statement[1]).toMatchObject({ Sid: `${SID}2`, Effect: "Allow", Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::src-a" } } });
    expect(a.policy!.Statement).toHaveLength(2);
    expect(a.rules[0]).toEqual(userRule);
    expect(a.rules[1]).toMatchObject({ ID: "s3-log-auditor-expire-logs-2", Filter: { Prefix: "" }, Expiration: { Days: 365 } });

    const b = await live("logs-b");
    expect(b.policy!.Statement).toHaveLength(1);
    expect(b.policy!.Statement[0]).toEqual({
      ...arnEqualsAllow,
      Condition: {
        ArnEquals: { "aws:SourceArn": ["arn:aws:s3:::src-b1", "arn:aws:s3:::src-b2"] },
        StringEquals: { "aws:SourceAccount": ACCOUNT },
      },
    });
    const lb = await live(LB);
    expect(lb.rules[0]).toEqual(userRule);
    expect(lb.rules.map((r) => r.ID)).toEqual(["s3-log-auditor-expire-logs", "s3-log-auditor-expire-logs-2"]);

    const after = await scan(env);
    for (const src of ["src-a", "src-b1", "src-b2"]) expect(status(after, "delivery-permitted", src), src).toBe("pass");
    for (const t of ["logs-a", "logs-b", LB]) expect(status(after, "log-bucket-retention", t), t).toBe("pass");

    // A second run finds its own statement and rule and writes nothing.
    const again = await runCli(["fix", "--org", "--plan-out", join(dir, "again.json"), "-q"], env);
    expect(again.stdout).toMatch(/^Plan: 0 to create, 0 to change, 0 already in place, 0 manual: 0 AWS write\(s\)\.$/m);

    const undo = await runCli(["undo", journal, "--journal", join(dir, "undo.jsonl"), "-q"], env);
    expect(undo.code, undo.stdout + undo.stderr).toBe(0);
    expect((await live("logs-a")).policy!.Statement).toEqual([userDeny]);
    expect((await live("logs-b")).policy!.Statement).toEqual([arnEqualsAllow]);
    expect((await live(LB)).rules).toEqual([userRule]);
  });
});
