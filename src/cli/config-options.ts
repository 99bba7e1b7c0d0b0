/**
 * The configuration file meets the flags: the file (`--config FILE`, else s3-log-auditor.yaml /
 * .json in the working directory) gives the values of every flag the command line did not set —
 * flags override the file. `scan --print-config` prints the result.
 */
import { basename } from "node:path";
import type { Command } from "@commander-js/extra-typings";
import { stringify } from "yaml";
import { InputError } from "../base/errors.js";
import { describeException } from "../output/exceptions.js";
import { findConfigFile, loadConfigFile } from "../config/load.js";
import type { Config } from "../config/schema.js";
import { resolveRuleOptions, type RuleMeta, type RuleOptions } from "../engine/define-rule.js";
import { RULE_OPTION_FLAGS, ruleOptionsOf } from "./rule-option-flags.js";
import type { Severity } from "../model/finding.js";
import type { ExceptionRef } from "../output/report.js";

type Raw = Record<string, unknown>;
type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface LoadedConfig {
  /** The file read, if any. */
  file?: string;
  config: Config;
}

/** Adds --config and --print-config. */
export function addConfigOptions<C extends AnyCommand>(cmd: C, opts: { print?: boolean } = {}): C {
  cmd.option("--config <file>", "configuration file (default: s3-log-auditor.yaml or .json in the working directory)");
  if (opts.print !== false) cmd.option("--print-config", "print the effective configuration (file + flags) as YAML and exit");
  return cmd;
}

/** Reads the configuration named by --config, else the one in `cwd`, else an empty one. */
export function loadConfig(raw: Raw, catalog: readonly RuleMeta[], cwd = process.cwd()): LoadedConfig {
  if (typeof raw.config === "string") return { file: raw.config, config: loadConfigFile(raw.config, catalog) };
  const found = findConfigFile(cwd);
  if (!found) return { config: {} };
  const label = basename(found);
  return { file: label, config: loadConfigFile(found, catalog, label) };
}

/** Whether the command line (not a default) set option `key`. */
function fromCli(cmd: AnyCommand | undefined, raw: Raw, key: string): boolean {
  if (!cmd) return raw[key] !== undefined;
  const src = cmd.getOptionValueSource(key);
  return src === "cli" || src === "env";
}

/** Rule ids the configuration turns off, and opt-in rules it turns on. */
export function configRuleSwitches(config: Config): { disabled: string[]; enabled: string[] } {
  const disabled: string[] = [];
  const enabled: string[] = [];
  for (const [id, rc] of Object.entries(config.rules ?? {})) {
    if (rc.enabled === false) disabled.push(id);
    if (rc.enabled === true) enabled.push(id);
  }
  return { disabled, enabled };
}

/** Rule options by rule id, as the file sets them (checked against the rules' meta.options on load). */
export function configRuleOptions(config: Config): Record<string, RuleOptions> {
  const out: Record<string, RuleOptions> = {};
  for (const [id, rc] of Object.entries(config.rules ?? {})) if (rc.options && Object.keys(rc.options).length > 0) out[id] = rc.options as RuleOptions;
  return out;
}

/** Severity overrides by rule id. */
export function configSeverities(config: Config): Record<string, Severity> {
  const out: Record<string, Severity> = {};
  for (const [id, rc] of Object.entries(config.rules ?? {})) if (rc.severity) out[id] = rc.severity;
  return out;
}

/** The raw option values with the configuration file's under them, and the names of the values it gave. */
export interface ConfiguredRaw {
  raw: Raw;
  /** Option key → the configuration key that gave its value (`scope.regions in s3-log-auditor.yaml`), for messages. */
  names: Record<string, string>;
}

/**
 * The raw option values after the configuration: every value the command line did not set is
 * taken from the file. `env` resolves `scope.externalIdEnv`. The values are checked by the
 * command's schema (src/cli/options/), which names the file's keys for the values it gave.
 */
export function applyConfig(raw: Raw, loaded: LoadedConfig, cmd?: AnyCommand, env: NodeJS.ProcessEnv = process.env): ConfiguredRaw {
  const config = loaded.config;
  const out: Raw = { ...raw };
  const names: Record<string, string> = {};
  const where = loaded.file ?? "the configuration file";
  const s = config.scope ?? {};
  // An offline evaluation (--from-snapshot) has no collection scope: the snapshot's own applies.
  const offline = raw.fromSnapshot !== undefined;
  const set = (key: string, value: unknown, configKey: string) => {
    if (value === undefined || fromCli(cmd, raw, key)) return;
    out[key] = value;
    names[key] = `${configKey} in ${where}`;
  };
  const setScope = (key: string, value: unknown) => {
    if (!offline) set(key, value, `scope.${key}`);
  };
  if (!offline && !fromCli(cmd, raw, "org") && !fromCli(cmd, raw, "accounts")) {
    set("org", s.org, "scope.org");
    set("accounts", s.accounts, "scope.accounts");
  }
  setScope("excludeAccounts", s.excludeAccounts);
  setScope("regions", s.regions);
  setScope("buckets", s.buckets);
  setScope("excludeBuckets", s.excludeBuckets);
  if ("roleName" in raw || cmd?.options.some((o) => o.attributeName() === "roleName")) setScope("roleName", s.roleName);
  if (!offline && s.externalIdEnv !== undefined && !fromCli(cmd, raw, "externalId")) {
    const value = env[s.externalIdEnv];
    if (value === undefined || value === "") throw new InputError(`scope.externalIdEnv names ${s.externalIdEnv}, which is not set in the environment`);
    set("externalId", value, "scope.externalIdEnv");
  }
  const { disabled, enabled } = configRuleSwitches(config);
  // Turning the opt-in delivery rule on in the file is --check-delivery: it needs the listings.
  if (enabled.includes("logs-delivered") && !fromCli(cmd, raw, "rules")) set("checkDelivery", true, "rules.logs-delivered.enabled");
  // --rules names exactly what to evaluate: the file's disabled rules do not apply then.
  if (disabled.length > 0 && !fromCli(cmd, raw, "skipRules") && !fromCli(cmd, raw, "rules")) {
    out.skipRules = disabled;
    names.skipRules = `the rules turned off in ${where}`;
  }
  const ruleOptions = configRuleOptions(config);
  if (Object.keys(ruleOptions).length > 0) out.ruleOptions = ruleOptions;
  // A flag that is a shortcut for a rule option wins over the file; else the file sets it.
  for (const f of RULE_OPTION_FLAGS) set(f.key, ruleOptions[f.rule]?.[f.option], `rules.${f.rule}.options.${f.option}`);
  const f = config.fix ?? {};
  set("logBucketTemplate", f.logBucketTemplate, "fix.logBucketTemplate");
  set("logRetentionDays", f.retentionDays, "fix.retentionDays");
  set("keyFormat", f.keyFormat, "fix.keyFormat");
  return { raw: out, names };
}

/** The effective configuration as YAML (`scan --print-config`): the file with the flags applied. */
export function printableConfig(loaded: LoadedConfig, raw: Raw, ruleIds: readonly string[], catalog: readonly RuleMeta[]): string {
  const c = loaded.config;
  const severities = configSeverities(c);
  const ruleOptions = ruleOptionsOf(raw);
  const rules: Record<string, unknown> = {};
  for (const m of catalog) {
    const entry: Record<string, unknown> = { enabled: ruleIds.includes(m.id), severity: severities[m.id] ?? m.severity };
    if (m.options) entry.options = resolveRuleOptions(m, ruleOptions[m.id]);
    rules[m.id] = entry;
  }
  const pick = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== false));
  const scope = pick({
    org: raw.org === true ? true : undefined,
    accounts: raw.accounts,
    excludeAccounts: raw.excludeAccounts,
    regions: raw.regions,
    buckets: raw.buckets,
    excludeBuckets: raw.excludeBuckets,
    roleName: raw.roleName,
    externalIdEnv: c.scope?.externalIdEnv,
  });
  const doc: Record<string, unknown> = { version: 1 };
  doc.rules = rules;
  doc.scope = scope;
  if (c.fix) doc.fix = c.fix;
  doc.exceptions = c.exceptions ?? [];
  if (raw.severity) doc.severity = raw.severity;
  const head = `# effective configuration: ${loaded.file ? `${loaded.file}` : "no configuration file"}, with the flags of this command line applied\n`;
  return head + stringify(doc, { lineWidth: 0 });
}

export interface ScanConfig extends ConfiguredRaw {
  loaded: LoadedConfig;
}

/** Loads the configuration (--config, else the working directory's) and applies it under the command line's flags. */
export function resolveScanConfig(cmd: AnyCommand, raw: Raw, catalog: readonly RuleMeta[]): ScanConfig {
  const loaded = loadConfig(raw, catalog);
  return { ...applyConfig(raw, loaded, cmd), loaded };
}

/** One stderr line per expired exception and one for the unused ones (stale configuration). */
export function exceptionNotes(report: { exceptions?: { expired: ExceptionRef[]; unused: ExceptionRef[] } }): string {
  const ex = report.exceptions;
  if (!ex) return "";
  const lines = ex.expired.map((e) => `s3-log-auditor: exception ${describeException(e)} expired on ${e.expires}: it no longer mutes; renew or remove it\n`);
  if (ex.unused.length > 0) lines.push(`s3-log-auditor: ${ex.unused.length} exception${ex.unused.length === 1 ? "" : "s"} matched no finding (stale?): ${ex.unused.map(describeException).join("; ")}\n`);
  return lines.join("");
}
