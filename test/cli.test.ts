/**
 * The entry point (src/cli.ts → dist/cli.js): the Node.js version guard runs before anything that
 * needs a newer Node is loaded, and a supported Node prints no runtime warnings.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MIN_NODE_VERSION, nodeVersionSatisfies } from "../src/base/node-version.js";
import { generateScenario, startSimulator, type RunningSim } from "../src/sim/index.js";
import { CLI, ROOT, cleanEnv, runCli, tempDir } from "./cli/helpers.js";

/** Every `node` on PATH (and the usual system places) that is older than the tool needs. */
function olderNodes(): string[] {
  let candidates: string[] = ["/usr/bin/node", "/usr/local/bin/node"];
  try {
    candidates = [...execFileSync("which", ["-a", "node"], { encoding: "utf8" }).split("\n"), ...candidates];
  } catch {
    // no `which`: the fixed places only
  }
  const found = new Map<string, string>();
  for (const bin of candidates.filter((c) => c.trim() !== "")) {
    const r = spawnSync(bin, ["--version"], { encoding: "utf8" });
    const version = r.status === 0 ? r.stdout.trim() : undefined;
    if (version && !nodeVersionSatisfies(version, MIN_NODE_VERSION) && ![...found.values()].includes(version)) found.set(bin, version);
  }
  return [...found.keys()];
}

describe("Node.js version guard", () => {
  it("compares versions numerically", () => {
    expect(nodeVersionSatisfies("v22.12.0", "22.12.0")).toBe(true);
    expect(nodeVersionSatisfies("v22.23.3", "22.12.0")).toBe(true);
    expect(nodeVersionSatisfies("v24.0.0", "22.12.0")).toBe(true);
    expect(nodeVersionSatisfies("v22.9.0", "22.12.0")).toBe(false);
    expect(nodeVersionSatisfies("v20.20.2", "22.12.0")).toBe(false);
    expect(nodeVersionSatisfies("v100.0.0", "22.12.0")).toBe(true);
  });

  it("requires what package.json engines says", () => {
    const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(`>=${MIN_NODE_VERSION.replace(/\.0$/, "")}`);
  });

  const tmp = tempDir();
  afterAll(() => tmp.cleanup());

  it("on an older Node: one line naming found and required version, exit 2, nothing else loaded", () => {
    // A real older Node where the machine has one (this project's machines have Node 20 as the
    // system Node), and always the running Node made to report an old version before the entry runs.
    const fake = join(tmp.dir, "old-node.mjs");
    writeFileSync(fake, 'Object.defineProperty(process, "version", { value: "v20.11.1" });\n');
    const runs: { bin: string; args: string[]; version: RegExp }[] = [
      { bin: process.execPath, args: ["--import", `file://${fake}`, CLI], version: /v20\.11\.1/ },
      ...olderNodes().map((bin) => ({ bin, args: [CLI], version: /v\d+\.\d+\.\d+/ })),
    ];
    for (const run of runs) {
      for (const cmd of [["demo"], ["--version"], ["scan", "--org", "--format", "json"]]) {
        const r = spawnSync(run.bin, [...run.args, ...cmd], { encoding: "utf8", env: cleanEnv() });
        expect({ bin: run.bin, cmd, status: r.status, stdout: r.stdout }).toEqual({ bin: run.bin, cmd, status: 2, stdout: "" });
        const lines = r.stderr.trimEnd().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(new RegExp(`^s3-log-auditor: needs Node\\.js ${MIN_NODE_VERSION.replace(/\./g, "\\.")} or newer; this is Node\\.js ${run.version.source} \\(`));
      }
    }
  });
});

describe("no runtime warnings on a supported Node", () => {
  let sim: RunningSim;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: generateScenario({ accounts: 6, bucketsPerAccount: 60, seed: 3 }), port: 0 });
  });
  afterAll(() => sim.close());

  it("an org scan with many requests in flight writes no Node or SDK warning to stderr", async () => {
    const r = await runCli(["scan", "--org", "--endpoint-url", sim.endpoint, "--concurrency", "128", "--per-account-concurrency", "64", "--format", "json"]);
    expect(r.code).not.toBe(2);
    expect(JSON.parse(r.stdout).summary.accounts).toBe(6);
    expect(r.stderr).toMatch(/^scanned 6 accounts, /m);
    expect(r.stderr).not.toMatch(/Warning|\(node:\d+\)/);
  });

  it("the demo writes no warning either", async () => {
    const r = await runCli(["demo", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toMatch(/Warning|\(node:\d+\)/);
  });
});
