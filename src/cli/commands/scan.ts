/** `scan`: collect → evaluate → report, with the exit codes of spec §2. */
import type { Command } from "@commander-js/extra-typings";
import { catalogMetas } from "../../app/catalog.js";
import { runScan } from "../../app/scan.js";
import { withInterrupt } from "../interrupt.js";
import { emitReport } from "../report-output.js";
import { addReportFlags } from "../options/report.js";
import { addTargetFlags } from "../options/target.js";
import { flagNames, parseOptions } from "../options/parse.js";
import { scanCommandSchema } from "../options/scan.js";
import { checkOutputTargets, scanFiles } from "../output-targets.js";
import { addConfigOptions, configRuleSwitches, exceptionNotes, printableConfig, resolveScanConfig } from "../config-options.js";

export function registerScan(program: Command): void {
  const cmd = program
    .command("scan")
    .description("scan S3 server access logging: the caller's account, --accounts, or the whole --org")
    .addHelpText(
      "after",
      `
Exit codes: 0 no failing finding at or above --fail-on, 1 failing findings, 2 bad usage,
3 incomplete (something could not be read; --allow-partial gives 0/1 instead).
Progress goes to stderr, the report to stdout or --output.`,
    );
  addTargetFlags(cmd);
  addReportFlags(cmd);
  addConfigOptions(cmd);
  cmd.action(async () => {
    const catalog = catalogMetas();
    const { raw, names, loaded } = resolveScanConfig(cmd as never, cmd.opts(), catalog);
    const schema = scanCommandSchema({ catalog, config: loaded.config, enabled: configRuleSwitches(loaded.config).enabled }, process.stdout.isTTY === true ? "table" : "json");
    const { scan: opts, report: out, printConfig } = parseOptions(schema, raw, flagNames(cmd as never, names));
    if (printConfig) {
      process.stdout.write(printableConfig(loaded, raw, opts.rules ?? catalog.filter((m) => !m.optIn).map((m) => m.id), catalog));
      return;
    }
    const files = scanFiles(opts, out.files.map((f): [string, string] => ["--output", f.file]));
    await checkOutputTargets(files.outputs, files.inputs);
    const result = await withInterrupt((signal) => runScan(opts, { signal }));
    await emitReport(result.report, out, catalog, { quiet: opts.quiet });
    process.stderr.write(exceptionNotes(result.report));
    process.exitCode = result.exitCode;
  });
}
