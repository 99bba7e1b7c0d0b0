/**
 * `demo`: scans the whole simulated organization (the simulator's `demo` scenario, in-process on
 * loopback, dummy credentials) and prints the normal report — what a newcomer runs first.
 * Takes the report and targeting flags of `scan`. `--fail-on` defaults to `none` here (the demo
 * is full of deliberate findings; pass --fail-on to see the CI gate at work), and the format to
 * `table` even when stdout is not a terminal.
 *
 * `demo fix` (./demo-fix.ts) is registered on the command this returns, reusing `withDemoSim`
 * from ../demo-env.ts.
 */
import type { Command } from "@commander-js/extra-typings";
import { colorEnabled, createStyle } from "../../output/style.js";
import { catalogMetas } from "../../app/catalog.js";
import { runScan } from "../../app/scan.js";
import type { ScanOptions } from "../../app/options.js";
import { demoCanaryRoundTrip } from "../demo-round-trip.js";
import { REPORT_SCHEMA_FILE, commandHint, packagedFile } from "../install-paths.js";
import { withDemoSim, type DemoEnv } from "../demo-env.js";
import { withInterrupt } from "../interrupt.js";
import { emitReport } from "../report-output.js";
import { addReportFlags } from "../options/report.js";
import { addTargetFlags } from "../options/target.js";
import { flagNames, parseOptions } from "../options/parse.js";
import { scanCommandSchema } from "../options/scan.js";
import { checkOutputTargets, scanFiles } from "../output-targets.js";
import { loadBaseline } from "../../output/baseline.js";
import { registerDemoFix } from "./demo-fix.js";
import { registerDemoLogs } from "./demo-logs.js";
import { applyConfig, configRuleSwitches, exceptionNotes, loadConfig } from "../config-options.js";

function scenarioCounts(env: DemoEnv): { accounts: number; inactive: number; buckets: number } | undefined {
  const sc = (env.sim as { scenario?: { accounts?: { state?: string; buckets?: unknown[] }[] } }).scenario;
  if (!sc?.accounts) return undefined;
  const active = sc.accounts.filter((a) => a.state === undefined || a.state === "ACTIVE");
  return {
    accounts: active.length,
    inactive: sc.accounts.length - active.length,
    buckets: active.reduce((n, a) => n + (a.buckets?.length ?? 0), 0),
  };
}

export function demoHeader(env: DemoEnv, color: boolean): string {
  const st = createStyle(color);
  const c = scenarioCounts(env);
  const what = c
    ? `${c.accounts} active accounts${c.inactive ? ` + ${c.inactive} suspended` : ""}, ${c.buckets} buckets`
    : "several accounts";
  return (
    `${st.bold("s3-log-auditor demo")}: scanning a ${st.bold("simulated")} AWS organization (${what}) at ${env.endpoint}.\n` +
    `No AWS account or credentials are used and nothing leaves this machine; every finding below is staged on purpose.\n\n`
  );
}

/** The "Next steps" lines after the demo report, naming commands and files the user can reach. */
export function demoFooter(color: boolean, env: NodeJS.ProcessEnv = process.env): string {
  const st = createStyle(color);
  const schema = packagedFile(REPORT_SCHEMA_FILE);
  const steps: [string, string][] = [
    [commandHint("demo fix", env), "pick fixes interactively, see the diffs, apply, undo"],
    [commandHint("demo --format json", env), `the same report as JSON${schema ? ` (JSON Schema: ${schema})` : ""}`],
    [commandHint("rules", env), "what each rule checks and how it is fixed"],
    [commandHint("scan --org", env), "the real thing, from your management account (scan --help)"],
  ];
  const width = Math.max(...steps.map(([c]) => c.length)) + 2;
  return `\n${st.bold("Next steps")}\n` + steps.map(([c, what]) => `  ${c.padEnd(width)}${what}\n`).join("");
}

export function registerDemo(program: Command): Command {
  const cmd = program
    .command("demo")
    .description("scan a built-in simulated AWS organization (no AWS account needed); `demo fix` fixes it interactively")
    .addHelpText("after", "\nTakes the report flags of scan; the whole simulated organization is scanned (--org) unless --accounts is given.")
    // `demo fix --rules …`: options after a subcommand belong to the subcommand.
    .enablePositionalOptions();
  addTargetFlags(cmd, { credentials: false, fromSnapshot: false });
  addReportFlags(cmd, { defaultFailOn: "none" });
  // The demo reads a configuration only when given one: a team's file in the working directory is for its real organization.
  cmd.option("--config <file>", "configuration file (rules and exceptions apply; its scope does not)");
  cmd.option(
    "--canary-round-trip",
    "with --check-delivery: scan, let the simulated clock pass the log delivery delay, and scan again with the first scan's snapshot (shows proven and pending)",
  );
  cmd.action(async () => {
    const catalog = catalogMetas();
    const given = cmd.opts() as Record<string, unknown>;
    const loaded = typeof given.config === "string" ? loadConfig(given, catalog) : { config: {} };
    const { scope: _scope, ...rulesAndExceptions } = loaded.config;
    const { raw, names } = applyConfig(given, { ...loaded, config: rulesAndExceptions }, cmd as never);
    if (raw.org === undefined && raw.accounts === undefined) raw.org = true;
    // The demo is for people: a table unless --format or --output says otherwise, even in a pipe.
    const schema = scanCommandSchema({ catalog, config: loaded.config, enabled: configRuleSwitches(loaded.config).enabled }, "table");
    const { scan: opts, report: out, canaryRoundTrip: roundTrip } = parseOptions(schema, raw, flagNames(cmd as never, names));
    const files = scanFiles(opts, out.files.map((f): [string, string] => ["--output", f.file]));
    await checkOutputTargets(files.outputs, files.inputs);
    if (opts.baseline) await loadBaseline(opts.baseline); // a bad baseline is refused before the demo starts
    const notes = !opts.quiet;
    const color = colorEnabled(process.stderr);
    const result = await withDemoSim(async (env) => {
      if (notes) process.stderr.write(demoHeader(env, color));
      const scan = (o: ScanOptions) =>
        withInterrupt((signal) =>
          runScan({ ...o, target: { ...o.target, endpointUrl: env.endpoint } }, {
            signal,
            credentials: () => Promise.resolve(env.credentials),
            region: env.region,
          }),
        );
      return roundTrip ? demoCanaryRoundTrip(env, opts, scan, (line) => process.stderr.write(line)) : scan(opts);
    });
    await emitReport(result.report, out, catalog, { quiet: opts.quiet });
    process.stderr.write(exceptionNotes(result.report));
    if (notes) process.stderr.write(demoFooter(color));
    process.exitCode = result.exitCode;
  });
  registerDemoFix(cmd);
  registerDemoLogs(cmd);
  return cmd;
}
