/** The rule catalog: every rule of rules/, and its metadata (for the CLI, the UI and the reports). */
import { allRules } from "../../rules/index.js";
import type { Rule, RuleMeta } from "../engine/define-rule.js";
import type { Finding } from "../model/finding.js";

let cached: Rule[] | undefined;

/** Every rule of the catalog, in catalog order. */
export function catalogRules(): Rule[] {
  cached ??= allRules();
  return cached;
}

/** The metadata of every rule, in catalog order. */
export function catalogMetas(): RuleMeta[] {
  return catalogRules().map((r) => r.meta);
}


/**
 * Why a shown finding has no fix that can be selected, in one short line (undefined when it has
 * one): it could not be evaluated, its rule has no automatic fix, the fix is made through another
 * bucket (a loop is broken at one member), or the rule's fix does not apply to this case.
 */
export function noFixReason(f: Finding, meta: RuleMeta | undefined): string | undefined {
  if (f.status === "error") return `${f.ruleId} could not be evaluated (${f.message})`;
  if (f.status !== "fail" || f.fixable) return undefined;
  if (!meta) return `${f.ruleId} is not a rule of this catalog: no fix is known`;
  if (!meta.fixable) return `${f.ruleId} has no automatic fix: ${meta.fix.replace(/^none:\s*/i, "")}`;
  const via = f.details.fixBucket;
  if (typeof via === "string" && via !== f.bucket) return `${f.ruleId} is fixed through ${via} (select that bucket's finding)`;
  return `${f.ruleId}: no automatic fix applies here; a person must change it (see the detail pane)`;
}

/** `noFixReason` of every shown finding that has one, by fingerprint. */
export function noFixReasons(findings: readonly Finding[]): Map<string, string> {
  const metas = new Map(catalogMetas().map((m) => [m.id, m] as const));
  const out = new Map<string, string>();
  for (const f of findings) {
    const why = noFixReason(f, metas.get(f.ruleId));
    if (why) out.set(f.fingerprint, why);
  }
  return out;
}
