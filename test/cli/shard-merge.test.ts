/** `scan --shard I/N` + `merge` equals one full scan of a multi-account organization. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateScenario, generatedAccountId, startSimulator, type RunningSim } from "../../src/sim/index.js";
import type { Report } from "../../src/output/report.js";
import { expectUsageError, runCli, tempDir } from "./helpers.js";
import { comparable, parseValidReport } from "./report-schema.js";
import { readFileSync } from "node:fs";

let sim: RunningSim;
const tmp = tempDir();
const shardFile = (i: number) => tmp.file(`shard-${i}.json`);
const DENIED_BUCKET = `gen-${generatedAccountId(2)}-00001`;
let full: Report;
let fullCode: number | null;
let shardCodes: (number | null)[] = [];

beforeAll(async () => {
  const scenario = generateScenario({ accounts: 8, bucketsPerAccount: 5, suspendedAccounts: 1, seed: 11 });
  scenario.faults = { rules: [{ effect: "deny", service: "s3", operation: "GetBucketLogging", bucket: DENIED_BUCKET }] };
  sim = await startSimulator({ scenario, port: 0 });
  const scan = (...args: string[]) => runCli(["scan", "--org", "--endpoint-url", sim.endpoint, "--include-passed", "--quiet", ...args]);
  const [f, ...shards] = await Promise.all([
    scan("--format", "json"),
    scan("--shard", "1/3", "--output", shardFile(1)),
    scan("--shard", "2/3", "--output", shardFile(2)),
    scan("--shard", "3/3", "--output", shardFile(3)),
  ]);
  fullCode = f.code;
  full = parseValidReport(f.stdout);
  shardCodes = shards.map((s) => s.code);
});

afterAll(async () => {
  await sim.close();
  tmp.cleanup();
});

describe("sharded scans", () => {
  it("split the accounts of the organization without overlap", () => {
    const shards = [1, 2, 3].map((i) => parseValidReport(readFileSync(shardFile(i), "utf8")));
    shards.forEach((s, i) => expect(s.scope.shard).toEqual({ index: i + 1, count: 3 }));
    const accounts = shards.flatMap((s) => s.scope.accounts);
    expect(new Set(accounts).size).toBe(accounts.length);
    expect([...accounts].sort()).toEqual(full.scope.accounts);
    expect(full.scope.accounts).toHaveLength(7); // 8 accounts, one suspended
    expect(shards.filter((s) => s.scope.accounts.length > 0).length).toBeGreaterThan(1);
    // only the shard holding the denied read is incomplete
    shards.forEach((s, i) => expect(shardCodes[i]).toBe(s.scope.accounts.includes(generatedAccountId(2)) ? 3 : s.summary.status.fail > 0 ? 1 : 0));
  });

  it("merge into the report of a single full scan (timestamps aside), with the same exit code", async () => {
    expect(fullCode).toBe(3);
    expect(full.errors).toEqual([expect.objectContaining({ bucket: DENIED_BUCKET, operation: "GetBucketLogging", code: "AccessDenied" })]);
    const merged = await runCli(["merge", shardFile(3), shardFile(1), shardFile(2), "--format", "json"]);
    expect(merged.code).toBe(3);
    expect(merged.stderr).toBe("");
    const report = parseValidReport(merged.stdout);
    expect(comparable(report)).toEqual(comparable(full));
    expect(report.scope.shard).toBeUndefined();
  });

  it("merge applies --fail-on/--allow-partial and renders other formats", async () => {
    const partial = await runCli(["merge", shardFile(1), shardFile(2), shardFile(3), "--allow-partial", "--format", "json"]);
    expect(partial.code).toBe(full.summary.status.fail > 0 ? 1 : 0);
    const none = await runCli(["merge", shardFile(1), shardFile(2), shardFile(3), "--allow-partial", "--fail-on", "none", "--format", "table"]);
    expect(none.code).toBe(0);
    expect(none.stdout).toMatch(/^Summary: \d+ buckets in 7 accounts/m);
  });

  it("refuses overlapping and missing shards", async () => {
    expectUsageError(await runCli(["merge", shardFile(1), shardFile(1), shardFile(2)]), /overlapping shards: .*shard-1\.json and .*shard-1\.json are both shard 1\/3/);
    expectUsageError(await runCli(["merge", shardFile(1), shardFile(3)]), "missing shard 2/3");
  });
});
