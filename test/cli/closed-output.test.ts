/**
 * Issue 10 item 5: a closed stdout/stderr (`| head`, `| true`) never gives a stack trace, and an
 * apply whose output goes away finishes every step and closes its journal with result lines
 * (built CLI against the simulator; the reading end of the pipes is closed by the test).
 */
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readJournal } from "../../src/fix/index.js";
import { startSimulator } from "../../src/sim/index.js";
import { CLI, cliEnv, runCli, tempDir, type Sim } from "../fix/helpers.js";
import { fixScenario } from "../fix/scenario.js";

interface ClosedRun {
  code: number | null;
  stderr: string;
}

/**
 * Runs the CLI with its stdout pipe closed at once; stderr is read until `closeStderr` matches
 * what arrived (then closed too) or to the end.
 */
function runClosed(args: string[], env: NodeJS.ProcessEnv, closeStderr?: RegExp): Promise<ClosedRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ["ignore", "pipe", "pipe"] });
    child.stdout.destroy();
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      if (closeStderr?.test(stderr)) child.stderr.destroy();
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stderr }));
  });
}

const noStack = (s: string) => {
  expect(s).not.toMatch(/EPIPE|Unhandled 'error' event/);
  expect(s).not.toMatch(/^\s+at /m);
};

describe("closed stdout / stderr", () => {
  let sim: Sim;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: fixScenario(), port: 0 });
    env = cliEnv(sim);
    dir = tempDir();
    expect((await runCli(["scan", "--org", "-q", "--fail-on", "none", "--format", "json", "--save-snapshot", join(dir, "s.json")], env)).code).toBe(0);
  });
  afterAll(async () => {
    await sim.close();
  });

  it.each([
    [["rules"], 0],
    [["rules", "--format", "json"], 0],
    [["--help"], 0],
    [["--version"], 0],
    [["scan", "--help"], 0],
    [["scan", "--from-snapshot", "SNAP", "--format", "json", "--fail-on", "none"], 0],
    [["fix", "--from-snapshot", "SNAP", "--plan-out", "PLAN"], 0],
  ])("%j | true: no stack trace, exit %i", async (args, code) => {
    const argv = args.map((a) => (a === "SNAP" ? join(dir, "s.json") : a === "PLAN" ? join(dir, `plan-${Math.random()}.json`) : a));
    const r = await runClosed(argv, env);
    noStack(r.stderr);
    expect(r.code, r.stderr).toBe(code);
    const plan = argv[argv.indexOf("--plan-out") + 1];
    if (argv.includes("--plan-out")) expect(existsSync(plan!)).toBe(true);
  });

  it("fix --yes whose stdout and stderr close mid-apply finishes every step and closes the journal; undo | true too", async () => {
    sim.setFaults({ latencyMs: 30 });
    const journal = join(dir, "j.jsonl");
    const r = await runClosed(["fix", "--org", "--yes", "--journal", journal], env, /^applied/m);
    sim.setFaults({});
    noStack(r.stderr);
    expect(r.code, r.stderr).toBe(0);
    const j = readJournal(journal);
    expect(j.entries.length).toBeGreaterThan(3);
    expect(j.entries.every((e) => e.result?.outcome === "applied")).toBe(true);
    // nothing was left undone
    const again = await runCli(["fix", "--org", "--plan-out", join(dir, "again.json"), "-q"], env);
    expect(again.stdout).toMatch(/^Plan: 0 to create, 0 to change, 0 already in place, 0 manual: 0 AWS write\(s\)\.$/m);

    const u = await runClosed(["undo", journal, "--journal", join(dir, "u.jsonl")], env, /^restored/m);
    noStack(u.stderr);
    expect(u.code, u.stderr).toBe(0);
    expect(readJournal(join(dir, "u.jsonl")).entries.every((e) => e.result?.outcome === "applied")).toBe(true);
  });
});
