/**
 * Independent checks of our machine-readable outputs: the SARIF 2.1.0 JSON Schema (draft-04,
 * through ajv-draft-04), GitHub code scanning's own upload requirements, and the Jenkins JUnit
 * XSD (through libxml2's xmllint compiled to WebAssembly). The schemas are bundled fixtures
 * (test/fixtures/schemas/), so nothing is fetched.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import Ajv04Module, { type ValidateFunction } from "ajv-draft-04";
import { validateXML } from "xmllint-wasm";

const SCHEMAS = join(import.meta.dirname, "..", "fixtures", "schemas");

// CommonJS default export: the class is the module's `default` under NodeNext typing.
const Ajv04 = Ajv04Module.default;
let sarifValidator: ValidateFunction | undefined;

/** SARIF 2.1.0 schema violations of `log` (empty when valid). */
export function sarifSchemaErrors(log: unknown): string[] {
  if (!sarifValidator) {
    const schema = JSON.parse(readFileSync(join(SCHEMAS, "sarif-2.1.0-rtm.5.json"), "utf8")) as Record<string, unknown>;
    // The schema's `language` pattern is not valid with the u flag (a stray `]`): compile without it.
    const ajv = new Ajv04({ allErrors: true, strict: false, validateFormats: false, unicodeRegExp: false });
    sarifValidator = ajv.compile(schema);
  }
  const validate = sarifValidator;
  if (validate(log)) return [];
  return (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? ""}`);
}

interface GhResult {
  ruleId?: string;
  locations?: { physicalLocation?: { artifactLocation?: { uri?: string } } }[];
  partialFingerprints?: Record<string, string>;
}
interface GhRun {
  tool: { driver: { rules?: { id: string; properties?: Record<string, unknown> }[] } };
  results?: GhResult[];
}

/**
 * GitHub code scanning's documented requirements beyond the schema: at most 20 runs and 25,000
 * results per run; every result has a ruleId declared by the driver and at least one location
 * with a relative `physicalLocation.artifactLocation.uri` ("expected artifact location"); every
 * rule's `security-severity` is a number 0.0–10.0 given as a string; at most 20 tags per rule.
 */
export function githubSarifProblems(log: { runs: GhRun[] }, maxResults = 25_000): string[] {
  const problems: string[] = [];
  if (log.runs.length > 20) problems.push(`${log.runs.length} runs > 20`);
  for (const [ri, run] of log.runs.entries()) {
    const rules = new Map((run.tool.driver.rules ?? []).map((r) => [r.id, r]));
    for (const r of rules.values()) {
      const sev = r.properties?.["security-severity"];
      if (typeof sev !== "string" || !/^\d+(\.\d+)?$/.test(sev) || Number(sev) > 10) problems.push(`rule ${r.id}: security-severity ${String(sev)}`);
      const tags = r.properties?.tags;
      if (Array.isArray(tags) && tags.length > 20) problems.push(`rule ${r.id}: ${tags.length} tags`);
    }
    const results = run.results ?? [];
    if (results.length > maxResults) problems.push(`run ${ri}: ${results.length} results > ${maxResults}`);
    for (const [i, res] of results.entries()) {
      const at = `run ${ri} result ${i}`;
      if (!res.ruleId) problems.push(`${at}: no ruleId`);
      else if (!rules.has(res.ruleId)) problems.push(`${at}: ruleId ${res.ruleId} not among the driver's rules`);
      const uri = res.locations?.[0]?.physicalLocation?.artifactLocation?.uri;
      if (!uri) problems.push(`${at}: expected artifact location`);
      else if (/^[a-z][a-z0-9+.-]*:/i.test(uri) || uri.startsWith("/")) problems.push(`${at}: artifact uri ${uri} is not relative`);
      if (!res.partialFingerprints || Object.keys(res.partialFingerprints).length === 0) problems.push(`${at}: no partialFingerprints`);
    }
  }
  return problems;
}

/** Jenkins JUnit XSD violations of `xml` (empty when valid). */
export async function junitXsdErrors(xml: string): Promise<string[]> {
  const schema = readFileSync(join(SCHEMAS, "junit-10.xsd"), "utf8");
  const res = await validateXML({ xml: [{ fileName: "report.xml", contents: xml }], schema: [{ fileName: "junit-10.xsd", contents: schema }] });
  return res.valid ? [] : res.errors.map((e) => e.rawMessage);
}
