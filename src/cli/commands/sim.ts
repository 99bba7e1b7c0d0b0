/**
 * `s3-log-auditor sim`: run the simulated organization as its own process.
 * Prints the endpoint URL as the first stdout line and the request metrics (JSON) on exit.
 */
import { Option, type Command } from "@commander-js/extra-typings";
import { flagNames, parseOptions } from "../options/parse.js";
import { simSchema } from "../options/sim.js";
import { collectList } from "../options/target.js";

export function registerSim(program: Command): void {
  const cmd = program
    .command("sim")
    .description("run the simulated AWS organization (S3, STS, Organizations) on 127.0.0.1; prints its endpoint URL first")
    .addOption(new Option("--port <n>", "port on 127.0.0.1 (0 = any free port)").default(0))
    .option("--scenario <file|demo>", "scenario file (YAML or JSON), or 'demo'", "demo")
    .option("--generate <AxB>", "generate an organization of A accounts with B buckets each (instead of --scenario)")
    .option("--regions <list>", "Regions for --generate (comma-separated)", collectList)
    .option("--log-history", "with --generate: past log deliveries for most sources (delivered, stale, none)")
    .option("--latency <ms>", "latency added to every request")
    .option("--throttle <rate>", "fraction of requests answered with throttling errors (0..1)")
    .option("--seed <n>", "seed for deterministic faults and generation")
    .option("--log-delay <duration>", "server access log delivery delay after a batch closes (e.g. 0, 30s, 2h)")
    .option("--log-interval <duration>", "how long one source's log records are batched before delivery")
    .option("--quiet", "do not print metrics on exit");
  cmd.action(async () => {
    const opts = parseOptions(simSchema, cmd.opts(), flagNames(cmd as never));
    const sim = await import("../../sim/index.js");
    let scenario: import("../../sim/index.js").Scenario | "demo";
    if (opts.generate) {
      scenario = sim.generateScenario({
        accounts: opts.generate.accounts,
        bucketsPerAccount: opts.generate.buckets,
        ...(opts.regions ? { regions: opts.regions } : {}),
        ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
        ...(opts.logHistory ? { logHistory: true } : {}),
      });
    } else {
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
