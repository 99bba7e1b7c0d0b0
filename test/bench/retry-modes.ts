/**
 * Standard vs adaptive SDK retry mode under the simulator's throttling (the measurement behind
 * DEFAULT_RETRY_MODE in src/collect/clients.ts). Simulator and scans are separate processes;
 * each scan is `scan --org --format json --quiet` with AWS_RETRY_MODE set, clients per
 * account+Region as always. Prints one line per run and a JSON summary.
 *
 * Usage: npm run build && tsx test/bench/retry-modes.ts [ACCOUNTSxBUCKETS] [THROTTLE,...] [REPEATS]
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const CLI = join(ROOT, "dist/cli.js");
const [size = "20x100", throttles = "0.05,0.2", repeatsArg = "2"] = process.argv.slice(2);
const LATENCY = 50;
const CONCURRENCY = 32;

async function startSim(throttle: number) {
  const child = spawn(process.execPath, [CLI, "sim", "--generate", size, "--latency", String(LATENCY), "--throttle", String(throttle), "--seed", "1", "--quiet"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const url = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", res);
    child.once("exit", (c) => rej(new Error(`sim exited ${c}`)));
  });
  return {
    url,
    stop: async () => {
      child.kill("SIGTERM");
      await once(child, "exit");
    },
  };
}

async function scan(url: string, mode: string): Promise<{ wallSeconds: number; errors: number; calls: number }> {
  await fetch(`${url}/_sim/metrics/reset`, { method: "POST" });
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_ACCESS_KEY_ID: "bench", AWS_SECRET_ACCESS_KEY: "bench", AWS_REGION: "us-east-1", AWS_RETRY_MODE: mode };
  delete env.AWS_MAX_ATTEMPTS;
  const t0 = performance.now();
  const child = spawn(process.execPath, [CLI, "scan", "--org", "--format", "json", "--quiet", "--concurrency", String(CONCURRENCY), "--endpoint-url", url], {
    env,
    stdio: ["ignore", "pipe", "ignore"],
  });
  let out = "";
  child.stdout?.on("data", (d: Buffer) => (out += d.toString()));
  await once(child, "exit");
  const wallSeconds = (performance.now() - t0) / 1000;
  const report = JSON.parse(out) as { errors: unknown[] };
  const m = (await (await fetch(`${url}/_sim/metrics`)).json()) as { total: number };
  return { wallSeconds: Math.round(wallSeconds * 100) / 100, errors: report.errors.length, calls: m.total };
}

const results: Record<string, Record<string, { wallSeconds: number[]; errors: number[]; calls: number[] }>> = {};
for (const t of throttles.split(",").map(Number)) {
  const sim = await startSim(t);
  try {
    const byMode: (typeof results)[string] = {};
    for (let i = 0; i < Number(repeatsArg); i++) {
      for (const mode of ["standard", "adaptive"]) {
        const r = await scan(sim.url, mode);
        const slot = (byMode[mode] ??= { wallSeconds: [], errors: [], calls: [] });
        slot.wallSeconds.push(r.wallSeconds);
        slot.errors.push(r.errors);
        slot.calls.push(r.calls);
        process.stdout.write(`throttle ${t}: ${mode.padEnd(8)} wall ${r.wallSeconds} s, errors ${r.errors}, calls ${r.calls}\n`);
      }
    }
    results[String(t)] = byMode;
  } finally {
    await sim.stop();
  }
}
process.stdout.write(`${JSON.stringify({ size, latencyMs: LATENCY, concurrency: CONCURRENCY, results })}\n`);
