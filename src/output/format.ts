/** Chooses and runs the report formatter. */
import type { RuleMeta } from "../engine/define-rule.js";
import type { Report } from "./report.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import { renderTable } from "./table.js";
import type { Style } from "./style.js";

export const REPORT_FORMATS = ["table", "json", "sarif", "junit", "markdown"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

const EXTENSIONS: Record<string, ReportFormat> = {
  ".json": "json",
  ".sarif": "sarif",
  ".xml": "junit",
  ".md": "markdown",
  ".markdown": "markdown",
  ".txt": "table",
};

/**
 * The format when `--format` is not given: from the `--output` file's extension
 * (.json, .sarif, .xml, .md, .txt), else `table` when stdout is a terminal, else `json`.
 */
export function defaultFormat(output: string | undefined, stdoutIsTTY: boolean): ReportFormat {
  if (output) {
    const lower = output.toLowerCase();
    if (lower.endsWith(".sarif.json")) return "sarif";
    for (const [ext, fmt] of Object.entries(EXTENSIONS)) if (lower.endsWith(ext)) return fmt;
  }
  return stdoutIsTTY && !output ? "table" : "json";
}

export function renderJson(report: Report): string {
  return `${JSON.stringify(report, null, 2)}\n`;
}

export interface RenderOptions {
  catalog: readonly RuleMeta[];
  style?: Style;
  width?: number;
}

export function renderReport(report: Report, format: ReportFormat, opts: RenderOptions): string {
  switch (format) {
    case "json":
      return renderJson(report);
    case "sarif":
      return renderSarif(report, opts.catalog);
    case "junit":
      return renderJunit(report, opts.catalog);
    case "markdown":
      return renderMarkdown(report);
    case "table":
      return renderTable(report, { style: opts.style, width: opts.width });
  }
}
