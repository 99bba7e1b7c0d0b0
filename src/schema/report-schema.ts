/** The published JSON Schema of the report (draft 2020-12), generated from the zod definition. */
import { z } from "zod";
import { ConfigSchema } from "../config/schema.js";
import type { RuleMeta } from "../engine/define-rule.js";
import { ReportSchema } from "../output/report.js";

export const REPORT_SCHEMA_ID = "https://s3-log-auditor.dev/schema/report-v1.schema.json";

export function reportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(ReportSchema, { target: "draft-2020-12", io: "output" }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return { $schema, $id: REPORT_SCHEMA_ID, ...rest };
}

/** The exact text committed as src/schema/report-v1.schema.json. */
export function reportJsonSchemaText(): string {
  return `${JSON.stringify(reportJsonSchema(), null, 2)}\n`;
}

export const CONFIG_SCHEMA_ID = "https://s3-log-auditor.dev/schema/config-v1.schema.json";

type JsonObject = Record<string, unknown>;

/**
 * `rules.<id>` for each rule of the catalog, its `options` from the rule's meta.options (type,
 * default, description; no other names): adding an option to a rule changes only the rule.
 */
function withRuleOptions(schema: JsonObject, catalog: readonly RuleMeta[]): JsonObject {
  const rules = (schema.properties as JsonObject).rules as JsonObject;
  const generic = rules.additionalProperties as JsonObject;
  const byId: JsonObject = {};
  for (const m of catalog) {
    const props = generic.properties as JsonObject;
    const options = Object.fromEntries(
      Object.entries(m.options ?? {}).map(([name, o]) => [name, { description: o.description, type: o.type, default: o.default }]),
    );
    byId[m.id] = { ...generic, properties: { ...props, options: { ...(props.options as JsonObject), properties: options, additionalProperties: false } } };
  }
  return { ...schema, properties: { ...(schema.properties as JsonObject), rules: { ...rules, properties: byId } } };
}

/**
 * The exact text committed as src/schema/config-v1.schema.json (editor completion for the
 * config file), with each rule's options from `catalog`.
 */
export function configJsonSchemaText(catalog: readonly RuleMeta[]): string {
  const schema = withRuleOptions(z.toJSONSchema(ConfigSchema, { target: "draft-2020-12", io: "input" }), catalog);
  const { $schema, ...rest } = schema;
  return `${JSON.stringify({ $schema, $id: CONFIG_SCHEMA_ID, ...rest }, null, 2)}\n`;
}
