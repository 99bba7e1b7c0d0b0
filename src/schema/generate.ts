/**
 * Regenerates the committed, generated artifacts (tests fail when they are stale):
 *   - src/schema/report-v1.schema.json  — JSON Schema of the report, from the zod definition;
 *   - src/schema/config-v1.schema.json  — JSON Schema of the configuration file (editor completion);
 *   - the README `rules` section         — `s3-log-auditor rules --format md`.
 * Run: npx tsx src/schema/generate.ts
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { allRules } from "../../rules/index.js";
import { renderCatalogMarkdown, replaceReadmeSection } from "../output/catalog.js";
import { configJsonSchemaText, reportJsonSchemaText } from "./report-schema.js";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

writeFileSync(join(root, "src/schema/report-v1.schema.json"), reportJsonSchemaText());
writeFileSync(join(root, "src/schema/config-v1.schema.json"), configJsonSchemaText(allRules().map((r) => r.meta)));
const readmePath = join(root, "README.md");
const readme = readFileSync(readmePath, "utf8");
writeFileSync(readmePath, replaceReadmeSection(readme, "rules", renderCatalogMarkdown(allRules().map((r) => r.meta))));
process.stdout.write("wrote src/schema/report-v1.schema.json, src/schema/config-v1.schema.json and the README rules section\n");
