/**
 * Progress through the built CLI: in a pipe one line per finished account, status lines no more
 * often than the interval, never a finished-looking bucket count while accounts are still being
 * listed, and a final summary line; in a terminal (tmux) the summary stays on screen when stdout
 * goes to a file.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateScenario, startSimulator, type RunningSim } from "../../src/sim/index.js";
import { CLI, ROOT, expectUsageError, runCli, tempDir } from "../cli/helpers.js";

let sim: RunningSim;
const tmp = tempDir();
beforeAll(async () => {
  // latency so that accounts are listed one after another while others are read
  sim = await startSimulator({ scenario: generateScenario({ accounts: 6, bucketsPerAccount: 40, seed: 5 }), port: 0, latencyMs: 5 });
});
afterAll(async () => {
  await sim.close();
  tmp.cleanup();
});

const scan = (env: Record<string, string> = {}) =>
  runCli(["scan", "--org", "--endpoint-url", sim.endpoint, "--concurrency", "4", "--per-account-concurrency", "2", "--format", "json", "--fail-on", "none"], { env });

describe("progress in a pipe", () => {
  it("one line per finished account, status lines, a final summary; no N/N before every account is listed", async () => {
    const r = await scan({ S3_LOG_AUDITOR_PROGRESS_INTERVAL: "0.05" });
    expect(r.code).toBe(0);
    const lines = r.stderr.trimEnd().split("\n");
    expect(lines.filter((l) => /^account \d{12} .*ok: \d+ buckets?$/.test(l))).toHaveLength(6);
    const status = lines.filter((l) => l.startsWith("accounts "));
    expect(status.length).toBeGreaterThan(1);
    for (const l of status) {
      if (/\(\d+ listed\)/.test(l)) expect(l).toMatch(/buckets \d+ read, \d+ listed so far/);
      else expect(l).toMatch(/buckets \d+\/\d+ read \(\d+%/);
    }
    // the percentage appears once every account is listed, before the end
    expect(status.some((l) => /\(\d+%, ETA /.test(l))).toBe(true);
    const report = JSON.parse(r.stdout) as { summary: { buckets: number } };
    expect(lines.at(-1)).toMatch(new RegExp(`^scanned 6 accounts, \\d+ buckets in \\d+\\.\\ds: \\d+ AWS calls, 0 errors$`));
    expect(Number(/, (\d+) buckets in/.exec(lines.at(-1)!)![1])).toBeGreaterThanOrEqual(report.summary.buckets);
  });

  it("at most one status line per interval: with an interval longer than the scan, only the first is printed", async () => {
    // An hour-long interval keeps the assertion independent of how fast a loaded machine scans.
    const r = await scan({ S3_LOG_AUDITOR_PROGRESS_INTERVAL: "3600" });
    const status = r.stderr.split("\n").filter((l) => l.startsWith("accounts "));
    expect(status).toHaveLength(1);
    expect(r.stderr).toMatch(/\nscanned 6 accounts, /);
  });

  it("a bad interval is a usage error", async () => {
    expectUsageError(await scan({ S3_LOG_AUDITOR_PROGRESS_INTERVAL: "often" }), "S3_LOG_AUDITOR_PROGRESS_INTERVAL must be a number of seconds");
  });
});

describe("progress in a terminal", () => {
  const socket = `s3la-progress-${process.pid}`;
  const tmux = (...args: string[]) => execFileSync("tmux", ["-L", socket, ...args], { encoding: "utf8" });
  afterAll(() => {
    try {
      tmux("kill-server");
    } catch {
      // already gone
    }
  });

  it("with stdout redirected to a file, the summary line stays on the screen and the live line is gone", async () => {
    const out = tmp.file("report.json");
    const env = `env CI=false NO_COLOR=1 AWS_ACCESS_KEY_ID=x AWS_SECRET_ACCESS_KEY=x AWS_REGION=us-east-1 AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent`;
    const cmd = `cd ${ROOT} && ${env} ${process.execPath} ${CLI} scan --org --endpoint-url ${sim.endpoint} --format json --fail-on none > ${out}; echo "EXIT=$?"; sleep 600`;
    tmux("new-session", "-d", "-s", "p", "-x", "100", "-y", "30", cmd);
    let screen = "";
    for (let i = 0; i < 300 && !screen.includes("EXIT="); i++) {
      await new Promise((r) => setTimeout(r, 100));
      screen = tmux("capture-pane", "-p", "-t", "p:0");
    }
    expect(screen).toContain("EXIT=0");
    const lines = screen.split("\n").filter((l) => l.trim() !== "");
    expect(lines.at(-2)).toMatch(/^scanned 6 accounts, \d+ buckets in \d+\.\ds: \d+ AWS calls, 0 errors$/);
    expect(lines.filter((l) => /account \d{12} .*ok/.test(l))).toHaveLength(6);
    expect(screen).not.toContain("Scanning");
    expect(JSON.parse(readFileSync(out, "utf8")).summary.accounts).toBe(6);
  });
});
