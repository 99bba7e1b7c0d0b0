/** Writes a rendered report to stdout or --output, and the short notes that go to stderr. */
import { writeFile } from "node:fs/promises";
import type { RuleMeta } from "../engine/define-rule.js";
import { renderReport } from "../output/format.js";
import type { Report } from "../output/report.js";
import { colorEnabled, createStyle } from "../output/style.js";
import { summaryLine } from "../output/summary.js";
import { UsageError } from "./errors.js";
import type { ReportOutputOptions } from "./scan-options.js";

/** Terminal width for the table: the terminal's (40–120), else 80. */
export function tableWidth(stream: { isTTY?: boolean; columns?: number }): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return Math.min(120, Math.max(40, stream.columns));
  return 80;
}

function ignoreEpipe(err: NodeJS.ErrnoException): void {
  if (err.code !== "EPIPE") throw err;
}

export async function emitReport(
  report: Report,
  out: ReportOutputOptions,
  catalog: readonly RuleMeta[],
  opts: { quiet?: boolean; stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream } = {},
): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  if (out.output) {
    const text = renderReport(report, out.format, { catalog });
    try {
      await writeFile(out.output, text);
    } catch (err) {
      throw new UsageError(`cannot write --output ${out.output}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
    }
    if (!opts.quiet) stderr.write(`Report (${out.format}) written to ${out.output}. ${summaryLine(report)}\n`);
    return;
  }
  const style = createStyle(out.format === "table" && colorEnabled(stdout));
  const text = renderReport(report, out.format, { catalog, style, width: tableWidth(stdout) });
  // A closed pipe (`| head`) is not an error of the scan.
  stdout.on("error", ignoreEpipe);
  await new Promise<void>((resolve, reject) => {
    stdout.write(text, (err) => (err && (err as NodeJS.ErrnoException).code !== "EPIPE" ? reject(err) : resolve()));
  });
}
