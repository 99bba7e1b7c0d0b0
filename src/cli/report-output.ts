/** Writes a rendered report to stdout or --output, and the short notes that go to stderr. */
import { writeFileAtomic } from "../base/atomic-file.js";
import { jsonReportChunks } from "../output/json-stream.js";
import type { RuleMeta } from "../engine/define-rule.js";
import { renderReport } from "../output/format.js";
import type { Report } from "../output/report.js";
import { colorEnabled, createStyle } from "../output/style.js";
import { summaryLine } from "../output/summary.js";
import { InputError } from "../base/errors.js";
import type { ReportFile, ReportOutputOptions } from "./options/report.js";

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
    if (!stream.write(text, (err) => err && onError(err))) await waitDrain();
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

/** Writes one --output file atomically (JSON streamed); a failure is one InputError line naming the file. */
async function writeReportFile(report: Report, file: ReportFile, catalog: readonly RuleMeta[]): Promise<void> {
  const chunks = file.format === "json" ? jsonReportChunks(report) : [await renderReport(report, file.format, { catalog })];
  try {
    await writeFileAtomic(file.file, chunks);
  } catch (err) {
    throw new InputError(`cannot write --output ${file.file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

/** Writes the report to every --output file (one note each on stderr), or to stdout. */
export async function emitReport(
  report: Report,
  out: ReportOutputOptions,
  catalog: readonly RuleMeta[],
  opts: { quiet?: boolean; stdout?: NodeJS.WriteStream; stderr?: NodeJS.WriteStream } = {},
): Promise<void> {
  const stdout = opts.stdout ?? process.stdout;
  const stderr = opts.stderr ?? process.stderr;
  const files = out.files.length > 0 ? out.files : out.output ? [{ file: out.output, format: out.format }] : [];
  if (files.length > 0) {
    for (const f of files) {
      await writeReportFile(report, f, catalog);
      if (!opts.quiet) stderr.write(`Report (${f.format}) written to ${f.file}. ${files.length === 1 ? summaryLine(report) : ""}`.trimEnd() + "\n");
    }
    if (!opts.quiet && files.length > 1) stderr.write(`${summaryLine(report)}\n`);
    return;
  }
  const style = createStyle(out.format === "table" && colorEnabled(stdout));
  const chunks =
    out.format === "json" ? jsonReportChunks(report) : [await renderReport(report, out.format, { catalog, style, width: tableWidth(stdout) })];
  await writeChunks(stdout, chunks);
}
