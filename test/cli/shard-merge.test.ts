/** `scan --shard I/N` + `merge` equals one full scan of a multi-account organization. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateScenario, generatedAccountId, startSimulator, type RunningSim } from "../../src/sim/index.js";
import type { Report } from "../../src/output/report.js";
import { expectUsageError, runCli, tempDir } from "./helpers.js";
import { comparable, parseValidReport } from "./report-schema.js";
import { readFileSync, writeFileSync } from "node:fs";

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

describe("sharded scans with configuration exceptions", () => {
  const ACCOUNT = generatedAccountId(3);
  const configFile = tmp.file("exceptions.yaml");
  const exShard = (i: number) => tmp.file(`ex-shard-${i}.json`);
  let single: Report;

  beforeAll(async () => {
    writeFileSync(
      configFile,
      [
        "exceptions:",
        `  - account: "${ACCOUNT}"`,
        "    reason: sandbox account, decommissioned in Q3",
        "    owner: team-platform",
        "  - bucket: \"gen-*\"",
        "    reason: the old blanket exception",
        "    owner: ops",
        "    expires: 2020-06-30",
        "  - bucket: \"no-such-*\"",
        "    reason: left over",
        "    owner: ops",
        "",
      ].join("\n"),
    );
    const scan = (...args: string[]) =>
      runCli(["scan", "--org", "--endpoint-url", sim.endpoint, "--config", configFile, "--allow-partial", "--include-passed", "--quiet", ...args]);
    const [f, ...shards] = await Promise.all([scan("--format", "json"), ...[1, 2, 3].map((i) => scan("--shard", `${i}/3`, "--output", exShard(i)))]);
    expect(shards.map((r) => r.stderr.includes("expired on 2020-06-30"))).toEqual([true, true, true]);
    single = parseValidReport(f.stdout);
  });

  it("merge combines them as the single scan reports them: expired in any shard, unused only where no shard used it", async () => {
    // The account exception mutes in exactly one shard: every other shard reports it unused.
    const perShard = [1, 2, 3].map((i) => parseValidReport(readFileSync(exShard(i), "utf8")));
    const unusedIn = perShard.filter((r) => r.exceptions!.unused.some((e) => e.index === 0)).length;
    expect(unusedIn).toBe(2);
    expect(single.exceptions!.unused.map((e) => e.index)).toEqual([2]);
    expect(single.exceptions!.expired.map((e) => e.index)).toEqual([1]);
    expect(single.findings.some((f) => f.status === "muted" && f.account === ACCOUNT)).toBe(true);

    const merged = await runCli(["merge", exShard(1), exShard(2), exShard(3), "--allow-partial", "--format", "json"]);
    const report = parseValidReport(merged.stdout);
    expect(report.exceptions).toEqual(single.exceptions);
    expect(comparable(report)).toEqual(comparable(single));
    expect(merged.stderr).toContain("exception #2 (bucket gen-*, owner ops) expired on 2020-06-30");
    expect(merged.stderr).toContain("1 exception matched no finding (stale?): #3 (bucket no-such-*, owner ops)");
  });

  it("the table and markdown formats list the expired and the unused exceptions with their reasons", async () => {
    const table = await runCli(["merge", exShard(1), exShard(2), exShard(3), "--allow-partial", "--format", "table", "--quiet"]);
    expect(table.stdout).toMatch(/^Expired exceptions \(1\):\n {2}#2 \(bucket gen-\*, owner ops\) expired on 2020-06-30, no longer mutes: the old\n {4}blanket exception$/m);
    expect(table.stdout).toMatch(/^Unused exceptions \(stale configuration\?\) \(1\):\n {2}#3 \(bucket no-such-\*, owner ops\) matched no finding: left over$/m);
    const md = await runCli(["merge", exShard(1), exShard(2), exShard(3), "--allow-partial", "--format", "markdown", "--quiet"]);
    expect(md.stdout).toContain("## Exceptions to review");
    expect(md.stdout).toContain("| expired: no longer mutes | `#2 (bucket gen-*, owner ops)` | 2020-06-30 | the old blanket exception |");
    expect(md.stdout).toContain("| unused: matched no finding | `#3 (bucket no-such-*, owner ops)` |  | left over |");
  });

  it("refuses to merge a shard scanned with exceptions and one scanned without", async () => {
    expectUsageError(
      await runCli(["merge", exShard(1), shardFile(2), shardFile(3)]),
      /ex-shard-1\.json was scanned with configuration exceptions but .*shard-2\.json without: not shards of one scan/,
    );
  });
});
