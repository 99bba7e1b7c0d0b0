/** The published JSON Schema of the report (draft 2020-12), generated from the zod definition. */
import { z } from "zod";
import { ConfigSchema } from "../config/schema.js";
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

/** The exact text committed as src/schema/config-v1.schema.json (editor completion for the config file). */
export function configJsonSchemaText(): string {
  const schema = z.toJSONSchema(ConfigSchema, { target: "draft-2020-12", io: "input" }) as Record<string, unknown>;
  const { $schema, ...rest } = schema;
  return `${JSON.stringify({ $schema, $id: CONFIG_SCHEMA_ID, ...rest }, null, 2)}\n`;
}
