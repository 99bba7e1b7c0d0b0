/** The published JSON Schema of the report (draft 2020-12), generated from the zod definition. */
import { z } from "zod";
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
