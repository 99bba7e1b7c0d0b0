/** Chooses and runs the report formatter. */
import { escapeStrings, safeJsonStringify } from "../base/text.js";
import type { RuleMeta } from "../engine/define-rule.js";
import type { Report } from "./report.js";
import { renderCsv } from "./csv.js";
import { renderJunit } from "./junit.js";
import { renderMarkdown } from "./markdown.js";
import { renderSarif } from "./sarif.js";
import { renderTable } from "./table.js";
import type { Style } from "./style.js";

export const REPORT_FORMATS = ["table", "json", "sarif", "junit", "markdown", "csv", "html"] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** Every name --format accepts: the formats, and `md` for markdown (as `rules --format` has it). */
export const REPORT_FORMAT_NAMES = [...REPORT_FORMATS, "md"] as const;

/** The format a --format name means (`md` → markdown). */
export function reportFormatNamed(name: string): ReportFormat {
  return name === "md" ? "markdown" : (name as ReportFormat);
}

const EXTENSIONS: Record<string, ReportFormat> = {
  ".json": "json",
  ".sarif": "sarif",
  ".xml": "junit",
  ".md": "markdown",
  ".markdown": "markdown",
  ".txt": "table",
  ".csv": "csv",
  ".html": "html",
  ".htm": "html",
};

/** The file extensions that name a format, for messages and help. */
export const FORMAT_EXTENSIONS: readonly string[] = [".sarif.json", ...Object.keys(EXTENSIONS)];

/** The format a file name's extension names (`.sarif.json` counts as SARIF), else undefined. */
export function formatFromExtension(file: string): ReportFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith(".sarif.json")) return "sarif";
  for (const [ext, fmt] of Object.entries(EXTENSIONS)) if (lower.endsWith(ext)) return fmt;
  return undefined;
}

/** The JSON report; control characters in AWS data are `\uXXXX` escapes, never raw. */
export function renderJson(report: Report): string {
  return `${safeJsonStringify(report, 2)}\n`;
}

export interface RenderOptions {
  catalog: readonly RuleMeta[];
  style?: Style;
  width?: number;
}

/** Each format's renderer; `html` loads its own (and the graph layout) on demand. */
const RENDERERS: Record<ReportFormat, (report: Report, opts: RenderOptions) => string | Promise<string>> = {
  html: async (report, opts) => (await import("./html.js")).renderHtml(report, opts.catalog),
  json: (report) => renderJson(report),
  sarif: (report, opts) => renderSarif(report, opts.catalog),
  junit: (report, opts) => renderJunit(report, opts.catalog),
  markdown: (report) => renderMarkdown(report),
  csv: (report, opts) => renderCsv(report, opts.catalog),
  table: (report, opts) => renderTable(report, { style: opts.style, width: opts.width }),
};

/**
 * Renders a report in any format (see RENDERERS).
 * JSON and SARIF keep every value exact (control characters as JSON escapes); every other format
 * renders a copy whose strings show control characters as visible `\uXXXX` (src/base/text.ts).
 */
export async function renderReport(original: Report, format: ReportFormat, opts: RenderOptions): Promise<string> {
  const report = format === "json" || format === "sarif" ? original : escapeStrings(original);
  return RENDERERS[format](report, opts);
}
