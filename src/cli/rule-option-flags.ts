/**
 * Rule options as the CLI sees them: the configuration file's `rules.<id>.options` (any option a
 * rule declares in meta.options) and the few flags that are shortcuts for one rule option.
 */
import type { RuleOptions, RuleOptionValue } from "../engine/define-rule.js";

type Raw = Record<string, unknown>;

/** A flag that sets one rule option: its commander attribute, the rule and the option. */
export interface RuleOptionFlag {
  key: string;
  rule: string;
  option: string;
}

/** `--no-exempt-log-targets` is logging-enabled's exemptLogTargets. */
export const RULE_OPTION_FLAGS: readonly RuleOptionFlag[] = [{ key: "exemptLogTargets", rule: "logging-enabled", option: "exemptLogTargets" }];

/** Rule options by rule id from raw values: `raw.ruleOptions` (the configuration), then the shortcut flags. */
export function ruleOptionsOf(raw: Raw): Record<string, RuleOptions> {
  const out: Record<string, Record<string, RuleOptionValue>> = {};
  for (const [id, o] of Object.entries((raw.ruleOptions as Record<string, RuleOptions> | undefined) ?? {})) out[id] = { ...o };
  for (const f of RULE_OPTION_FLAGS) {
    const v = raw[f.key];
    if (typeof v === "boolean" || typeof v === "number" || typeof v === "string") (out[f.rule] ??= {})[f.option] = v;
  }
  return out;
}
