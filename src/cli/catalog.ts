/** The rule catalog as the CLI sees it: every rule, and the selection for one scan. */
import { allRules } from "../../rules/index.js";
import type { Rule, RuleMeta } from "../engine/define-rule.js";

let cached: Rule[] | undefined;

/** Every rule of the catalog, in catalog order. */
export function catalogRules(): Rule[] {
  cached ??= allRules();
  return cached;
}

export function catalogMetas(): RuleMeta[] {
  return catalogRules().map((r) => r.meta);
}

