/** Writes a rendered report to stdout or --output, and the short notes that go to stderr. */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { jsonReportChunks } from "../output/json-stream.js";
import type { RuleMeta } from "../engine/define-rule.js";
import { renderReport } from "../output/format.js";
import type { Report } from "../output/report.js";
import { colorEnabled, createStyle } from "../output/style.js";
import { summaryLine } from "../output/summary.js";
import { InputError } from "../base/errors.js";
import type { ReportOutputOptions } from "./scan-options.js";

/** Terminal width for the table: the terminal's (40–120), else 80. */
export function tableWidth(stream: { isTTY?: boolean; columns?: number }): number {
  if (stream.isTTY && stream.columns && stream.columns > 0) return Math.min(120, Math.max(40, stream.columns));
  return 80;
}

/**
 * Writes chunks with backpressure. A reader that goes away (`| head`: EPIPE) ends the output
 * quietly; any other write error is thrown.
 */
async function writeChunks(stream: NodeJS.WritableStream, chunks: Iterable<string>): Promise<void> {
  let failure: NodeJS.ErrnoException | undefined;
  let closed = false;
  const onError = (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") closed = true;
    else failure ??= err;
  };
  stream.on("error", onError);
  const waitDrain = () =>
    new Promise<void>((resolve) => {
      const done = () => {
        stream.off("drain", done);
        stream.off("close", done);
        stream.off("error", done);
        resolve();
      };
      stream.on("drain", done);
      stream.on("close", done);
      stream.on("error", done);
    });
  const flush = async (text: string) => {
    if (closed || failure) return;
    if (!stream.write(text, (err) => err && onError(err as NodeJS.ErrnoException))) await waitDrain();
  };
  try {
    let pending = "";
    for (const c of chunks) {
      if (closed || failure) break;
      pending += c;
      if (pending.length >= 1 << 20) {
        await flush(pending);
        pending = "";
      }
    }
    if (pending) await flush(pending);
  } finally {
    if (stream !== process.stdout) stream.off("error", onError);
  }
  if (failure) throw failure;
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
    const chunks = out.format === "json" ? jsonReportChunks(report) : [await renderReport(report, out.format, { catalog })];
    try {
      const file = createWriteStream(out.output);
      await once(file, "open");
      await writeChunks(file, chunks);
      file.end();
      await once(file, "finish");
    } catch (err) {
      throw new InputError(`cannot write --output ${out.output}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
    }
    if (!opts.quiet) stderr.write(`Report (${out.format}) written to ${out.output}. ${summaryLine(report)}\n`);
    return;
  }
  const style = createStyle(out.format === "table" && colorEnabled(stdout));
  const chunks =
    out.format === "json" ? jsonReportChunks(report) : [await renderReport(report, out.format, { catalog, style, width: tableWidth(stdout) })];
  await writeChunks(stdout, chunks);
}
