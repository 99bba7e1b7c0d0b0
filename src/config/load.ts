/**
 * Finding and reading the configuration file. YAML and JSON are both read with the `yaml`
 * parser (JSON is YAML), so every error can name the file, the line and the field:
 *   s3-log-auditor.yaml:14: exceptions[1].reason: an exception needs a reason
 * Rule ids and rule options are checked against the rule catalog.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { LineCounter, isMap, isSeq, parseDocument, type Document } from "yaml";
import type { z } from "zod";
import { InputError, term, worded } from "../base/errors.js";
import { ruleOptionProblem, type RuleMeta } from "../engine/define-rule.js";
import { ConfigSchema, type Config } from "./schema.js";

/** The names looked for in the working directory, in this order. */
export const CONFIG_FILE_NAMES = ["s3-log-auditor.yaml", "s3-log-auditor.yml", "s3-log-auditor.json"] as const;

/** The configuration file in `dir`, if any; two of them at once is an error. */
export function findConfigFile(dir: string): string | undefined {
  const found = CONFIG_FILE_NAMES.map((n) => join(dir, n)).filter((p) => existsSync(p));
  if (found.length > 1) throw new InputError(worded`found both ${found.join(" and ")}: keep one configuration file (${term("chooseConfig")})`);
  return found[0];
}

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === "number" ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), "");
}

type Ranged = { range?: [number, number, number] } | undefined;

/** The line (1-based) of the deepest field on `path` in the document: its key's line for a mapping entry. */
function lineOf(doc: Document, counter: LineCounter, path: readonly PropertyKey[]): number {
  for (let n = path.length; n > 0; n--) {
    const parent = n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1) as unknown[], true);
    const last = path[n - 1];
    if (isMap(parent)) {
      const pair = parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last);
      const range = (pair?.key as Ranged)?.range;
      if (range) return counter.linePos(range[0]).line;
    } else if (isSeq(parent) && typeof last === "number") {
      const range = (parent.items[last] as Ranged)?.range;
      if (range) return counter.linePos(range[0]).line;
    }
  }
  const range = (doc.contents as Ranged)?.range;
  return range ? counter.linePos(range[0]).line : 1;
}

function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === "unrecognized_keys") return `unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => `'${k}'`).join(", ")}`;
  if (issue.code === "invalid_value" && "values" in issue) return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  if (issue.code === "invalid_type" && /received undefined$/.test(issue.message)) return `missing (${issue.message.replace(/^Invalid input: /, "").replace(/, received undefined$/, "")})`;
  return issue.message.replace(/^Invalid input: /, "");
}

/** YAML reads an unquoted 12-digit account id as a number: give it back as the 12-digit string. */
function accountIdsAsStrings(raw: unknown): unknown {
  const asId = (v: unknown) => (typeof v === "number" && Number.isSafeInteger(v) && v >= 0 ? String(v).padStart(12, "0") : v);
  const r = raw as { scope?: { accounts?: unknown; excludeAccounts?: unknown }; exceptions?: unknown } | null;
  if (!r || typeof r !== "object") return raw;
  if (r.scope && typeof r.scope === "object") {
    for (const k of ["accounts", "excludeAccounts"] as const) if (Array.isArray(r.scope[k])) r.scope[k] = (r.scope[k] as unknown[]).map(asId);
  }
  if (Array.isArray(r.exceptions)) for (const e of r.exceptions) if (e && typeof e === "object" && "account" in e) (e as { account: unknown }).account = asId((e as { account: unknown }).account);
  return raw;
}

/** Rule ids that the catalog does not know, and options a rule does not declare. */
function checkRules(config: Config, catalog: readonly RuleMeta[]): { path: PropertyKey[]; message: string } | undefined {
  const known = new Map(catalog.map((m) => [m.id, m]));
  for (const [id, rc] of Object.entries(config.rules ?? {})) {
    const meta = known.get(id);
    if (!meta) return { path: ["rules", id], message: `unknown rule '${id}' (see \`s3-log-auditor rules\`)` };
    for (const [opt, value] of Object.entries(rc.options ?? {})) {
      const problem = ruleOptionProblem(meta, opt, value);
      if (problem) return { path: ["rules", id, "options", opt], message: problem };
    }
  }
  for (const [i, e] of (config.exceptions ?? []).entries()) {
    if (e.rule !== undefined && !known.has(e.rule)) return { path: ["exceptions", i, "rule"], message: `unknown rule '${e.rule}'` };
  }
  return undefined;
}

/** Parses configuration text; `label` (the file name) starts every error message. */
export function parseConfigText(text: string, label: string, catalog: readonly RuleMeta[]): Config {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? 1;
    throw new InputError(`${label}:${line}: not valid ${label.endsWith(".json") ? "JSON" : "YAML"}: ${first.message.split("\n")[0]}`);
  }
  if (doc.contents !== null && !isMap(doc.contents)) throw new InputError(`${label}:1: expected a mapping of settings (rules, scope, fix, exceptions)${isSeq(doc.contents) ? ", got a list" : ""}`);
  const raw = accountIdsAsStrings(doc.toJS() ?? {});
  const res = ConfigSchema.safeParse(raw);
  if (!res.success) {
    const issue = res.error.issues[0]!;
    const where = pathText(issue.path);
    throw new InputError(`${label}:${lineOf(doc, counter, issue.path)}: ${where ? `${where}: ` : ""}${issueText(issue)}`);
  }
  const bad = checkRules(res.data, catalog);
  if (bad) throw new InputError(`${label}:${lineOf(doc, counter, bad.path)}: ${pathText(bad.path)}: ${bad.message}`);
  return res.data;
}

/** Reads and validates a configuration file; `label` names it in messages (default: the path). */
export function loadConfigFile(file: string, catalog: readonly RuleMeta[], label = file): Config {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError(`cannot read configuration ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
  return parseConfigText(text, label, catalog);
}
