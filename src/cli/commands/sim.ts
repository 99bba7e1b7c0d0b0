/**
 * `s3-log-auditor sim`: run the simulated organization as its own process.
 * Prints the endpoint URL as the first stdout line and the request metrics (JSON) on exit.
 */
import type { Command } from "@commander-js/extra-typings";
import { InputError } from "../../base/errors.js";

function parseIntFlag(name: string, min: number, max: number) {
  return (value: string): number => {
    if (!/^\d+$/.test(value)) throw new InputError(`--${name}: expected an integer, got '${value}'`);
    const n = Number(value);
    if (n < min || n > max) throw new InputError(`--${name}: expected a value between ${min} and ${max}, got ${n}`);
    return n;
  };
}

function parseRate(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) throw new InputError(`--throttle: expected a fraction between 0 and 1, got '${value}'`);
  return n;
}

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration flag: `0`, `250ms`, `30s`, `5m`, `2h` (a bare number is milliseconds). */
function parseDuration(name: string) {
  return (value: string): number => {
    const m = /^(\d+)(ms|s|m|h)?$/.exec(value.trim());
    if (!m) throw new InputError(`--${name}: expected a duration like 0, 500ms, 30s, 5m or 2h, got '${value}'`);
    const ms = Number(m[1]) * (DURATION_UNITS[m[2] ?? "ms"] as number);
    if (ms > 7 * 86_400_000) throw new InputError(`--${name}: expected at most 7 days`);
    return ms;
  };
}

function parseGenerate(value: string): { accounts: number; buckets: number } {
  const m = /^(\d+)x(\d+)$/i.exec(value.trim());
  if (!m) throw new InputError(`--generate: expected ACCOUNTSxBUCKETS (e.g. 50x200), got '${value}'`);
  const accounts = Number(m[1]);
  const buckets = Number(m[2]);
  if (accounts < 1 || accounts > 10000) throw new InputError("--generate: accounts must be between 1 and 10000");
  if (buckets > 100000) throw new InputError("--generate: buckets per account must be at most 100000");
  return { accounts, buckets };
}

function parseRegions(value: string): string[] {
  const list = value.split(",").map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new InputError("--regions: expected a comma-separated list of Regions");
  return list;
}

export function registerSim(program: Command): void {
  program
    .command("sim")
    .description("run the simulated AWS organization (S3, STS, Organizations) on 127.0.0.1; prints its endpoint URL first")
    .option("--port <n>", "port on 127.0.0.1 (0 = any free port)", parseIntFlag("port", 0, 65535), 0)
    .option("--scenario <file|demo>", "scenario file (YAML or JSON), or 'demo'", "demo")
    .option("--generate <AxB>", "generate an organization of A accounts with B buckets each (instead of --scenario)", parseGenerate)
    .option("--regions <list>", "Regions for --generate (comma-separated)", parseRegions)
    .option("--log-history", "with --generate: past log deliveries for most sources (delivered, stale, none)")
    .option("--latency <ms>", "latency added to every request", parseIntFlag("latency", 0, 600000))
    .option("--throttle <rate>", "fraction of requests answered with throttling errors (0..1)", parseRate)
    .option("--seed <n>", "seed for deterministic faults and generation", parseIntFlag("seed", 0, 2 ** 31 - 1))
    .option("--log-delay <duration>", "server access log delivery delay after a batch closes (e.g. 0, 30s, 2h)", parseDuration("log-delay"))
    .option("--log-interval <duration>", "how long one source's log records are batched before delivery", parseDuration("log-interval"))
    .option("--quiet", "do not print metrics on exit")
    .action(async (opts) => {
      const sim = await import("../../sim/index.js");
      let scenario: import("../../sim/index.js").Scenario | "demo";
      if (opts.generate) {
        if (opts.scenario !== "demo") throw new InputError("--generate and --scenario cannot be combined");
        scenario = sim.generateScenario({
          accounts: opts.generate.accounts,
          bucketsPerAccount: opts.generate.buckets,
          ...(opts.regions ? { regions: opts.regions } : {}),
          ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
          ...(opts.logHistory ? { logHistory: true } : {}),
        });
      } else {
        if (opts.regions) throw new InputError("--regions only applies to --generate");
        if (opts.logHistory) throw new InputError("--log-history only applies to --generate");
        scenario = opts.scenario === "demo" ? "demo" : sim.loadScenarioFile(opts.scenario);
      }
      const running = await sim.startSimulator({
        scenario,
        port: opts.port,
        ...(opts.latency !== undefined ? { latencyMs: opts.latency } : {}),
        ...(opts.throttle !== undefined ? { throttleRate: opts.throttle } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.logDelay !== undefined ? { logDelayMs: opts.logDelay } : {}),
        ...(opts.logInterval !== undefined ? { logIntervalMs: opts.logInterval } : {}),
      });
      process.stdout.write(`${running.endpoint}\n`);
      const accounts = running.state.accounts.size;
      const buckets = running.state.buckets.size;
      process.stderr.write(
        `simulated organization: ${accounts} accounts, ${buckets} buckets; any access key acts as account ${running.state.defaultAccount}\n` +
          `  export AWS_ENDPOINT_URL=${running.endpoint} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test AWS_REGION=us-east-1\n` +
          `  metrics: ${running.endpoint}/_sim/metrics   clock: POST ${running.endpoint}/_sim/clock/advance?ms=N   (Ctrl-C to stop)\n`,
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      const metrics = running.metrics();
      await running.close();
      if (!opts.quiet) process.stdout.write(`${JSON.stringify({ metrics })}\n`);
    });
}
