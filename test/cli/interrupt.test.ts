/** Ctrl-C during a scan: a clean one-line "interrupted", exit 130, no report, no stack trace. */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSim } from "../../src/sim/index.js";
import { CLI, ROOT, cleanEnv } from "./helpers.js";

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSimulator({ scenario: "demo", port: 0, latencyMs: 300 });
});
afterAll(async () => {
  await sim.close();
});

describe("SIGINT", () => {
  it("aborts the scan with exit 130", async () => {
    const child = spawn(process.execPath, [CLI, "scan", "--org", "--endpoint-url", sim.endpoint, "--format", "json"], {
      cwd: ROOT,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    let sent = false;
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => {
      stderr += d;
      // the scan is under way once the first progress line appears
      if (!sent && stderr.includes("accounts")) {
        sent = true;
        child.kill("SIGINT");
      }
    });
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code).toBe(130);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n").at(-1)).toBe("s3-log-auditor: interrupted");
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
