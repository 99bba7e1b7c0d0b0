/** `merge FILE…`: one report from the JSON reports of `scan --shard I/N` runs. */
import type { Command } from "@commander-js/extra-typings";
import { z } from "zod";
import { exitCodeFor } from "../../output/exit-code.js";
import { loadReport, mergeReports } from "../../output/merge.js";
import { catalogMetas } from "../../app/catalog.js";
import { exceptionNotes } from "../config-options.js";
import { emitReport } from "../report-output.js";
import { checkOutputTargets } from "../output-targets.js";
import { flagNames, parseOptions } from "../options/parse.js";
import { addReportFlags, gateShape, outputShape, reportOutputOf } from "../options/report.js";
import { flag } from "../options/values.js";

/** The options of `merge`: the report's format and files, the gate, --quiet. */
function mergeSchema(stdoutIsTTY: boolean) {
  return z
    .object({ ...outputShape, ...gateShape, quiet: flag })
    .transform((v, ctx) => ({ out: reportOutputOf(v, stdoutIsTTY ? "table" : "json", ctx), failOn: v.failOn, allowPartial: v.allowPartial, quiet: v.quiet }));
}

export function registerMerge(program: Command): void {
  const cmd = program
    .command("merge")
    .description("combine the JSON reports of sharded scans (scan --shard I/N --format json) into one report")
    .argument("<files...>", "JSON reports, one per shard")
    .addHelpText(
      "after",
      `
Every shard of one scan must be given exactly once; the result equals a single full scan
(except its timestamps) and gets the same exit codes as scan.`,
    );
  addReportFlags(cmd, { baseline: false });
  cmd.option("-q, --quiet", "no notes on stderr");
  cmd.action(async (files: string[]) => {
    const { out, failOn, allowPartial, quiet } = parseOptions(mergeSchema(process.stdout.isTTY === true), cmd.opts(), flagNames(cmd as never));
    await checkOutputTargets(
      out.files.map((f) => ({ flag: "--output", path: f.file })),
      files.map((path) => ({ flag: "merge", path })),
    );
    const inputs = [];
    for (const file of files) inputs.push({ file, report: await loadReport(file) });
    const report = mergeReports(inputs);
    await emitReport(report, out, catalogMetas(), { quiet });
    process.stderr.write(exceptionNotes(report));
    process.exitCode = exitCodeFor(report, { failOn, allowPartial });
  });
}
