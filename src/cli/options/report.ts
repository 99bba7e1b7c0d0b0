/**
 * The report flag group of scan, demo and merge: the report's format and files (--format,
 * --output), the gate (--fail-on, --allow-partial) and what is listed or muted (--severity,
 * --include-passed, --baseline, --write-baseline). Declared on commander and validated by zod
 * here, once.
 */
import { resolve } from "node:path";
import { Option, type Command } from "@commander-js/extra-typings";
import { z } from "zod";
import { SEVERITIES } from "../../model/finding.js";
import { DEFAULT_FAIL_ON, FAIL_ON_VALUES, type FailOn } from "../../output/exit-code.js";
import { FORMAT_EXTENSIONS, REPORT_FORMAT_NAMES, formatFromExtension, reportFormatNamed, type ReportFormat } from "../../output/format.js";
import { collectList } from "./target.js";
import { fileName, flag, severities } from "./values.js";

type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** One report file: `--output FILE`, its format from --format or the file's extension. */
export interface ReportFile {
  file: string;
  format: ReportFormat;
}

export interface ReportOutputOptions {
  /** The format of stdout, or of the only --output file. */
  format: ReportFormat;
  /** true when the user chose the format (not derived from the terminal or --output). */
  formatExplicit: boolean;
  /** The first --output file (the only one unless several were given). */
  output?: string;
  /** Every --output file with its format; empty: the report goes to stdout. */
  files: ReportFile[];
}

/** Declares the report, gate and (unless `baseline: false`) listing and baseline flags. */
export function addReportFlags<C extends AnyCommand>(cmd: C, opts: { defaultFailOn?: FailOn; baseline?: boolean } = {}): C {
  cmd
    .addOption(
      new Option("-f, --format <format>", "report format (default: from the --output extension, else table on a terminal, json otherwise)").choices(
        REPORT_FORMAT_NAMES,
      ),
    )
    .option(
      "-o, --output <file>",
      `write the report to FILE instead of stdout; repeat for several formats in one run (format from each extension: ${FORMAT_EXTENSIONS.join(" ")})`,
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a failing finding is at or above this severity")
        .choices(FAIL_ON_VALUES)
        .default(opts.defaultFailOn ?? DEFAULT_FAIL_ON),
    )
    .option("--allow-partial", "exit 0/1 even when something could not be read (instead of 3)");
  if (opts.baseline !== false) {
    cmd.option("--severity <levels>", `list only findings of these severities (${SEVERITIES.join(",")}; the exit code still follows --fail-on)`, collectList);
    cmd
      .option("--include-passed", "list passing results too")
      .option("--baseline <file>", "mute failing findings listed in FILE (a baseline or an earlier JSON report)")
      .option("--write-baseline <file>", "write the current failing findings to FILE as a baseline (and mute them)");
  }
  return cmd;
}

/** The zod shape of the gate flags (--fail-on, --allow-partial: commander checked the choices). */
export const gateShape = {
  failOn: z.enum(FAIL_ON_VALUES as [FailOn, ...FailOn[]]).default(DEFAULT_FAIL_ON),
  allowPartial: flag,
};

/** The zod shape of the listing and baseline flags. */
export const listingShape = {
  severity: severities.optional(),
  includePassed: flag,
  baseline: fileName.optional(),
  writeBaseline: fileName.optional(),
};

/** The zod shape of --format and --output. */
export const outputShape = {
  format: z.enum(REPORT_FORMAT_NAMES).optional(),
  output: z.array(z.string()).optional(),
};

/**
 * --format and the --output files, into where the report goes. One file: --format, else its
 * extension. Several files: each extension names its format (--format is then refused). An
 * extension that names no format is an error (exit 2) rather than a silent JSON file; so is the
 * same file twice. `stdoutFormat`: the format of stdout when neither flag says.
 */
export function reportOutputOf(v: { format?: (typeof REPORT_FORMAT_NAMES)[number] | undefined; output?: string[] | undefined }, stdoutFormat: ReportFormat, ctx: z.RefinementCtx): ReportOutputOptions {
  const given = v.output ?? [];
  const explicit = v.format !== undefined ? reportFormatNamed(v.format) : undefined;
  if (given.length > 1 && explicit) ctx.addIssue({ code: "custom", path: ["format"], message: "{flag} applies to a single {flag:output}; with several, each file's extension names its format" });
  const seen = new Set<string>();
  const files: ReportFile[] = [];
  for (const file of given) {
    const key = resolve(file);
    const format = explicit ?? formatFromExtension(file);
    if (file.trim() === "") ctx.addIssue({ code: "custom", path: ["output"], message: "{flag} needs a file name" });
    else if (seen.has(key)) ctx.addIssue({ code: "custom", path: ["output"], message: `{flag} ${file} is given twice` });
    else if (!format)
      ctx.addIssue({ code: "custom", path: ["output"], message: `{flag} ${file}: the extension names no report format (use ${FORMAT_EXTENSIONS.join(", ")}, or {flag:format} with a single {flag})` });
    else files.push({ file, format });
    seen.add(key);
  }
  const o: ReportOutputOptions = { format: explicit ?? files[0]?.format ?? stdoutFormat, formatExplicit: explicit !== undefined, files };
  if (files[0]) o.output = files[0].file;
  return o;
}
