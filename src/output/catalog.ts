/**
 * The rule catalog (`rules --format md|json|table`). The README's rule table is exactly the
 * markdown form (a test compares them; regenerate with `npx tsx src/schema/generate.ts`).
 */
import type { RuleMeta } from "../engine/define-rule.js";
import { mdCell } from "./markdown.js";
import { createStyle, wrapText, type Style } from "./style.js";

export const CATALOG_FORMATS = ["md", "json", "table"] as const;
export type CatalogFormat = (typeof CATALOG_FORMATS)[number];

export function renderCatalogMarkdown(metas: readonly RuleMeta[]): string {
  const lines = [
    "## Rules",
    "",
    "Generated from the rule metadata by `s3-log-auditor rules --format md`. Rule ids are stable:",
    "the JSON report, SARIF, JUnit and baselines use them. `--rules ID,…` limits a scan to some of them.",
    "",
    "| id | severity | title | fails when | proposed fix | auto-fix |",
    "| --- | --- | --- | --- | --- | --- |",
  ];
  for (const m of metas) {
    const id = `[\`${m.id}\`](${m.docUrl})${m.optIn ? " (opt-in)" : ""}`;
    lines.push(
      `| ${id} | ${m.severity} | ${mdCell(m.title)} | ${mdCell(m.failsWhen)} | ${mdCell(m.fix)} | ${m.fixable ? "yes" : "no"} |`,
    );
  }
  return `${lines.join("\n")}\n`;
}

export function renderCatalogJson(metas: readonly RuleMeta[]): string {
  const rules = metas.map((m) => ({
    id: m.id,
    severity: m.severity,
    title: m.title,
    rationale: m.rationale,
    failsWhen: m.failsWhen,
    fix: m.fix,
    fixable: m.fixable,
    docUrl: m.docUrl,
    subject: m.subject,
    readPermissions: [...m.readPermissions],
    optIn: m.optIn ?? false,
    options: Object.entries(m.options ?? {}).map(([name, spec]) => ({ name, type: spec.type, default: spec.default, description: spec.description })),
  }));
  return `${JSON.stringify({ rules }, null, 2)}\n`;
}

export function renderCatalogTable(metas: readonly RuleMeta[], opts: { style?: Style; width?: number } = {}): string {
  const st = opts.style ?? createStyle(false);
  const width = Math.max(60, opts.width ?? 80);
  const out: string[] = [];
  for (const m of metas) {
    out.push(`${st.bold(m.id)}  ${m.severity.toUpperCase()}${m.optIn ? "  (opt-in)" : ""}${m.fixable ? "  auto-fix" : ""}`);
    for (const l of wrapText(m.title, width - 2)) out.push(`  ${l}`);
    wrapText(`Fails when: ${m.failsWhen}`, width - 4).forEach((l, i) => out.push(`${i ? "    " : "  "}${l}`));
    wrapText(`Fix: ${m.fix}`, width - 4).forEach((l, i) => out.push(`${i ? "    " : "  "}${l}`));
    out.push("");
  }
  out.push(`${metas.length} rules. Details: s3-log-auditor rules --format json`);
  return `${out.join("\n")}\n`;
}

export function renderCatalog(metas: readonly RuleMeta[], format: CatalogFormat, opts: { style?: Style; width?: number } = {}): string {
  if (format === "md") return renderCatalogMarkdown(metas);
  if (format === "json") return renderCatalogJson(metas);
  return renderCatalogTable(metas, opts);
}

/** Replaces the body of `<!-- section:NAME ... -->` … `<!-- /section:NAME -->` in a README. */
export function replaceReadmeSection(readme: string, name: string, body: string): string {
  const open = new RegExp(`<!-- section:${name}(?: [^>]*)? -->\\n`);
  const m = open.exec(readme);
  const closeTag = `<!-- /section:${name} -->`;
  if (!m) throw new Error(`README has no section ${name}`);
  const start = m.index + m[0].length;
  const end = readme.indexOf(closeTag, start);
  if (end < 0) throw new Error(`README section ${name} is not closed`);
  return readme.slice(0, start) + body + readme.slice(end);
}

/** The body of a README section (between its markers). */
export function readmeSection(readme: string, name: string): string {
  const open = new RegExp(`<!-- section:${name}(?: [^>]*)? -->\\n`);
  const m = open.exec(readme);
  if (!m) throw new Error(`README has no section ${name}`);
  const start = m.index + m[0].length;
  const end = readme.indexOf(`<!-- /section:${name} -->`, start);
  if (end < 0) throw new Error(`README section ${name} is not closed`);
  return readme.slice(start, end);
}
