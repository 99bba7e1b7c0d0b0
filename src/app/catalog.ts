/** The rule catalog: every rule of rules/, and its metadata (for the CLI, the UI and the reports). */
import { allRules } from "../../rules/index.js";
import type { Rule, RuleMeta } from "../engine/define-rule.js";

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

