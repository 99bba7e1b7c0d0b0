import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { readmeSection, renderCatalogMarkdown, replaceReadmeSection } from "../../src/output/catalog.js";
import { reportJsonSchemaText } from "../../src/schema/report-schema.js";
import { sampleReport } from "./fixtures.js";

const root = join(import.meta.dirname, "..", "..");
const REGEN = "regenerate with: npx tsx src/schema/generate.ts";

describe("published JSON Schema", () => {
  const committed = readFileSync(join(root, "src/schema/report-v1.schema.json"), "utf8");

  it(`is the one generated from the zod definition (${REGEN})`, () => {
    expect(committed).toBe(reportJsonSchemaText());
  });

  it("is draft 2020-12 and accepts a report, rejects a broken one", () => {
    const schema = JSON.parse(committed) as Record<string, unknown>;
    expect(schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
    const validate = ajv.compile(schema);
    const report = sampleReport({ includePassed: true });
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...report, schemaVersion: 2 })).toBe(false);
    expect(validate({ ...report, summary: { ...report.summary, complete: "yes" } })).toBe(false);
    expect(validate({ ...report, findings: [{ ...report.findings[0], status: "maybe" }] })).toBe(false);
  });
});

describe("README rules section", () => {
  it(`is exactly \`rules --format md\` (${REGEN})`, () => {
    const readme = readFileSync(join(root, "README.md"), "utf8");
    expect(readmeSection(readme, "rules")).toBe(renderCatalogMarkdown(allRules().map((r) => r.meta)));
  });

  it("lists every rule of the catalog with its severity", () => {
    const md = renderCatalogMarkdown(allRules().map((r) => r.meta));
    for (const r of allRules()) expect(md).toContain(`[\`${r.meta.id}\`](${r.meta.docUrl})${r.meta.optIn ? " (opt-in)" : ""} | ${r.meta.severity} |`);
  });

  it("section helpers replace only the named section", () => {
    const text = "a\n<!-- section:x (owner: y) -->\nold\n<!-- /section:x -->\n<!-- section:z -->\nkeep\n<!-- /section:z -->\n";
    const out = replaceReadmeSection(text, "x", "new\n");
    expect(readmeSection(out, "x")).toBe("new\n");
    expect(readmeSection(out, "z")).toBe("keep\n");
    expect(() => readmeSection(text, "missing")).toThrow();
  });
});

describe("README least-privilege policy", () => {
  it("grants every read the rules need, ListAccounts and AssumeRole, and nothing that writes", () => {
    const usage = readmeSection(readFileSync(join(root, "README.md"), "utf8"), "usage");
    const block = /### Least-privilege IAM for `scan`[\s\S]*?```json\n([\s\S]*?)```/.exec(usage);
    expect(block).not.toBeNull();
    const policy = JSON.parse(block![1]!) as { Statement: { Action: string | string[] }[] };
    const actions = new Set(policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action])));
    const needed = new Set(allRules().flatMap((r) => r.meta.readPermissions));
    for (const a of needed) expect(actions.has(a), a).toBe(true);
    expect(actions.has("organizations:ListAccounts")).toBe(true);
    expect(actions.has("sts:AssumeRole")).toBe(true);
    for (const a of actions) expect(a).toMatch(/^(s3:(Get|List)|organizations:List|sts:AssumeRole$)/);
  });
});

describe("README JSON example", () => {
  it("is a valid report of the published schema", () => {
    const section = readmeSection(readFileSync(join(root, "README.md"), "utf8"), "json");
    const block = /```json\n([\s\S]*?)```/.exec(section);
    expect(block).not.toBeNull();
    const ajv = new Ajv2020({ strict: true, allErrors: true, validateFormats: false });
    const validate = ajv.compile(JSON.parse(readFileSync(join(root, "src/schema/report-v1.schema.json"), "utf8")) as object);
    const example = JSON.parse(block![1]!) as unknown;
    expect(validate(example), JSON.stringify(validate.errors)).toBe(true);
  });
});
