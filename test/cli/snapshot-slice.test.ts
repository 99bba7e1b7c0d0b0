/**
 * `--from-snapshot` with --accounts / --exclude-accounts / --regions / --buckets evaluates a slice
 * of the saved snapshot: the findings equal those of a live scan of the same scope.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/output/report.js";
import { startSimulator, type RunningSim } from "../../src/sim/index.js";
import { expectUsageError, runCli, tempDir } from "./helpers.js";

let sim: RunningSim;
const tmp = tempDir();
const snap = tmp.file("demo-snapshot.json");

beforeAll(async () => {
  sim = await startSimulator({ scenario: "demo", port: 0 });
  const r = await runCli(["scan", "--org", "--endpoint-url", sim.endpoint, "--format", "json", "--fail-on", "none", "--save-snapshot", snap, "--quiet"]);
  expect(r.code).toBe(0);
});
afterAll(async () => {
  await sim.close();
  tmp.cleanup();
});

/** What a report says, without the times. */
function verdict(stdout: string): unknown {
  const r = JSON.parse(stdout) as Report;
  return { scope: { accounts: r.scope.accounts, regions: r.scope.regions }, summary: r.summary, findings: r.findings, errors: r.errors };
}

describe.concurrent("a slice of a saved snapshot", () => {
  const slices: string[][] = [
    ["--accounts", "222222222222"],
    ["--exclude-accounts", "222222222222,333333333333"],
    ["--regions", "eu-west-1"],
    ["--buckets", "demo-loop*"],
    ["--accounts", "222222222222", "--regions", "us-east-1", "--rules", "no-logging-cycle,target-not-source"],
  ];
  it.each(slices)("%s … gives the findings of a live scan of that scope", async (...slice) => {
    const common = ["--format", "json", "--fail-on", "none", "--quiet", ...slice];
    const org = slice.includes("--accounts") ? [] : ["--org"];
    const [offline, live] = await Promise.all([
      runCli(["scan", "--from-snapshot", snap, ...common]),
      runCli(["scan", ...org, "--endpoint-url", sim.endpoint, ...common]),
    ]);
    expect({ code: offline.code, stderr: offline.stderr }).toEqual({ code: 0, stderr: "" });
    expect(live.code).toBe(0);
    const report = JSON.parse(offline.stdout) as Report;
    expect(report.summary.buckets).toBeGreaterThan(0);
    expect(verdict(offline.stdout)).toEqual(verdict(live.stdout));
  });

  it("an account the snapshot does not have is a usage error", async () => {
    expectUsageError(await runCli(["scan", "--from-snapshot", snap, "--accounts", "999999999999"]), "the snapshot has no account 999999999999");
  });

  it("collection-only flags stay refused", async () => {
    expectUsageError(await runCli(["scan", "--from-snapshot", snap, "--org"]), "--org cannot be combined with --from-snapshot");
  });
});
