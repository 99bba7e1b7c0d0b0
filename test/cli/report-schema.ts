/** Validation of real CLI output against the committed JSON Schema. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { ROOT } from "./helpers.js";
import type { Report } from "../../src/output/report.js";

const schema = JSON.parse(readFileSync(join(ROOT, "src/schema/report-v1.schema.json"), "utf8")) as Record<string, unknown>;
const validate = new Ajv2020({ strict: true, allErrors: true, validateFormats: false }).compile(schema);

/** Parses stdout as a report and checks it against the published schema; throws with the errors. */
export function parseValidReport(text: string): Report {
  const data = JSON.parse(text) as unknown;
  if (!validate(data)) throw new Error(`report does not match src/schema/report-v1.schema.json: ${JSON.stringify(validate.errors?.slice(0, 5))}`);
  return data as Report;
}

/** A report without what legitimately differs between runs (timestamps). */
export function comparable(r: Report): Omit<Report, "startedAt" | "finishedAt"> {
  const { startedAt: _s, finishedAt: _f, ...rest } = r;
  return rest;
}
