/**
 * Lower layers never name a CLI flag: every string literal (and template text) of src/ outside
 * src/cli/ is checked for a `--flag` (a heuristic: a double hyphen followed by a lower-case word
 * at a word boundary). The CLI words messages with its flags (src/cli/errors.ts CLI_TERMS).
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..", "..");
const FLAG = /(^|[\s(`'"[])--[a-z][a-z0-9-]*/;
/** CSS custom properties (`--fg: …`, `var(--fg)`) in the HTML report's stylesheet are not flags. */
const CSS_VARIABLE = /var\(--[a-z0-9-]+\)|--[a-z0-9-]+:/g;

/** Whether a string names a flag. */
function namesFlag(text: string): boolean {
  return FLAG.test(text.replace(CSS_VARIABLE, ""));
}

/**
 * Text the tool prints as documentation of how to use it (not a message of a lower layer): the
 * rule catalog's footer, the JSON report schema's field descriptions, the CSV column guide and
 * the Athena DDL's comments each tell the reader which command writes or narrows the output.
 */
const DOCUMENTATION = new Set(["src/output/catalog.ts", "src/output/report.ts", "src/output/csv.ts", "src/logs/athena.ts"]);

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return p.endsWith(join("src", "cli")) ? [] : sources(p);
    return /\.tsx?$/.test(e.name) ? [p] : [];
  });
}

/** Every string literal and template text of a file that names a flag, as `file:line: text`. */
function flagLiterals(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if (ts.isStringLiteralLike(n) || ts.isTemplateHead(n) || ts.isTemplateMiddle(n) || ts.isTemplateTail(n)) {
      if (namesFlag(n.text) && !ts.isImportDeclaration(n.parent) && !ts.isExportDeclaration(n.parent)) {
        out.push(`${relative(root, file)}:${sf.getLineAndCharacterOfPosition(n.getStart()).line + 1}: ${n.text}`);
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out;
}

describe("layers below the CLI", () => {
  const files = sources(join(root, "src")).filter((f) => f !== join(root, "src", "cli.ts"));

  it("name no CLI flag in any string (the CLI words messages with its flags)", () => {
    const found = files.filter((f) => !DOCUMENTATION.has(relative(root, f))).flatMap(flagLiterals);
    expect(found).toEqual([]);
  });

  it("the check finds a flag where there is one (it can fail)", () => {
    expect(namesFlag("cannot read the file (or pass --config)")).toBe(true);
    expect(namesFlag("a well-known name")).toBe(false);
    expect(namesFlag(":root{--fg:#000} p{color:var(--fg)}")).toBe(false);
    expect(files.length).toBeGreaterThan(50);
  });
});
