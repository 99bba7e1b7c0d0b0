/**
 * The options of `scan`, shared with `demo` and `fix`: declared once on a commander command and
 * validated into the application's typed `ScanOptions` (bad values → InputError, exit 2, one line).
 */
import { resolve } from "node:path";
import { InvalidArgumentError, Option, type Command } from "@commander-js/extra-typings";
import type { RuleMeta } from "../engine/define-rule.js";
import type { AwsAccess, ScanOptions, ScanTarget } from "../app/options.js";
import { InputError } from "../base/errors.js";
import { SEVERITIES, type Severity } from "../model/finding.js";
import { globProblem } from "../model/names.js";
import { DEFAULT_ROLE_NAME, isAccountId, parseShard } from "../collect/target-syntax.js";
import { DEFAULT_FAIL_ON, FAIL_ON_VALUES, type FailOn } from "../output/exit-code.js";
import { FORMAT_EXTENSIONS, REPORT_FORMAT_NAMES, formatFromExtension, reportFormatNamed, type ReportFormat } from "../output/format.js";
import { endpointUrl, positiveInt, regionName, roleName } from "./flag-values.js";
import { ruleOptionsOf } from "./rule-option-flags.js";
import { assertWritable } from "./writable.js";

/** One report file: `--output FILE`, its format from --format or the file's extension. */
export interface ReportFile {
  file: string;
  format: ReportFormat;
}

export interface ReportOutputOptions {
  /** The format of stdout, or of the only --output file. */
  format: ReportFormat;
  /** true when the user chose the format (not derived from the terminal or --output). */
  formatExplicit: boolean;
  /** The first --output file (the only one unless several were given). */
  output?: string;
  /** Every --output file with its format; empty: the report goes to stdout. */
  files: ReportFile[];
}

type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Splits comma lists and accumulates repeated flags; a value without any item (`''`, `',,'`) is refused. */
export function collectList(value: string, previous: string[] | undefined): string[] {
  const items = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (items.length === 0) throw new InvalidArgumentError("the list is empty");
  return [...(previous ?? []), ...items];
}

/** --role-name (help `roleHelp`), --external-id, --profile, --endpoint-url: how AWS is reached (parseAccessOptions). */
export function addAccessOptions<C extends AnyCommand>(cmd: C, roleHelp: string): C {
  cmd
    .option("--role-name <name>", roleHelp, DEFAULT_ROLE_NAME)
    .option("--external-id <id>", "external id for AssumeRole")
    .option("--profile <name>", "AWS shared-config profile for the starting credentials")
    .option("--endpoint-url <url>", "send every AWS call to this endpoint (path-style S3)");
  return cmd;
}

export interface TargetOptionSet {
  /** Offer --profile, --endpoint-url, --role-name, --external-id (not in demo). */
  credentials: boolean;
  /** Offer --from-snapshot (not in demo). */
  fromSnapshot: boolean;
}

/** Targeting, collection and evaluation flags (scan, demo, fix). */
export function addTargetOptions<C extends AnyCommand>(cmd: C, set: TargetOptionSet = { credentials: true, fromSnapshot: true }): C {
  cmd
    .option("--org", "scan every ACTIVE account of the AWS Organization")
    .option("--accounts <ids>", "scan these accounts (comma-separated or repeated)", collectList)
    .option("--exclude-accounts <ids>", "skip these accounts", collectList)
    .option("--regions <regions>", "only buckets in these Regions (comma-separated or repeated)", collectList)
    .option("--buckets <glob>", "only buckets whose name matches (glob; comma-separated or repeated)", collectList)
    .option("--exclude-buckets <glob>", "leave out buckets whose name matches (glob; comma-separated or repeated)", collectList)
    .option("--rules <ids>", "evaluate only these rules (see `rules`)", collectList)
    .option("--skip-rules <ids>", "do not evaluate these rules", collectList);
  if (set.credentials) addAccessOptions(cmd, "role assumed in every other account");
  cmd
    .option("--concurrency <n>", "AWS calls in flight at most (default 32)")
    .option("--per-account-concurrency <n>", "AWS calls in flight per account at most (default 8)")
    .option("--shard <i/n>", "scan only shard I of N (a stable subset of the accounts); combine with `merge`")
    .option("--no-exempt-log-targets", "logging-enabled: do not exempt buckets that are log targets")
    .option("--save-snapshot <file>", "also write the collected snapshot (plain JSON) to FILE")
    .option("--check-delivery", "also check that log objects actually arrive (opt-in rule logs-delivered; lists log buckets)")
    .option("--delivery-window <duration>", "with --check-delivery: how recent the newest log object must be (e.g. 48h, 2d; default 48h)")
    .option("--since-snapshot <file>", "with --check-delivery: an earlier run's snapshot; its canary requests prove delivery");
  if (set.fromSnapshot) cmd.option("--from-snapshot <file>", "evaluate a saved snapshot offline (no credentials, no network)");
  cmd.option("--allow-empty", "a --regions/--buckets/--exclude-buckets selection that matches no bucket is not an error (default: exit 2)");
  cmd.option("-q, --quiet", "no progress or notes on stderr");
  return cmd;
}

/** Report, gate and baseline flags (scan, demo, merge). */
export function addReportOptions<C extends AnyCommand>(cmd: C, opts: { defaultFailOn?: FailOn; baseline?: boolean } = {}): C {
  cmd
    .addOption(
      new Option("-f, --format <format>", "report format (default: from the --output extension, else table on a terminal, json otherwise)").choices(
        REPORT_FORMAT_NAMES,
      ),
    )
    .option(
      "-o, --output <file>",
      `write the report to FILE instead of stdout; repeat for several formats in one run (format from each extension: ${FORMAT_EXTENSIONS.join(" ")})`,
      (value: string, previous: string[] | undefined) => [...(previous ?? []), value],
    )
    .addOption(
      new Option("--fail-on <severity>", "exit 1 when a failing finding is at or above this severity")
        .choices(FAIL_ON_VALUES)
        .default(opts.defaultFailOn ?? DEFAULT_FAIL_ON),
    )
    .option("--allow-partial", "exit 0/1 even when something could not be read (instead of 3)");
  if (opts.baseline !== false) {
    cmd.option("--severity <levels>", `list only findings of these severities (${SEVERITIES.join(",")}; the exit code still follows --fail-on)`, collectList);
    cmd
      .option("--include-passed", "list passing results too")
      .option("--baseline <file>", "mute failing findings listed in FILE (a baseline or an earlier JSON report)")
      .option("--write-baseline <file>", "write the current failing findings to FILE as a baseline (and mute them)");
  }
  return cmd;
}

/** Parses --shard I/N. */
export function parseShardFlag(raw: string): { index: number; count: number } {
  const shard = parseShard(raw);
  if (!shard) throw new InputError(`--shard must be I/N with 1 ≤ I ≤ N (e.g. 2/3), got "${raw}"`);
  return shard;
}

function unique(xs: string[] | undefined): string[] | undefined {
  return xs && xs.length > 0 ? [...new Set(xs)] : undefined;
}

/** Rule ids from --rules, checked against the catalog. */
export function validateRuleIds(ids: string[] | undefined, catalog: readonly RuleMeta[]): string[] | undefined {
  const list = unique(ids);
  if (!list) return undefined;
  const known = new Set(catalog.map((m) => m.id));
  const unknown = list.filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new InputError(`unknown rule${unknown.length > 1 ? "s" : ""} ${unknown.join(", ")} (see \`s3-log-auditor rules\`)`);
  }
  return list;
}

type Raw = Record<string, unknown>;

const COLLECTION_FLAGS: [string, string][] = [
  ["org", "--org"],
  ["excludeBuckets", "--exclude-buckets"],
  ["externalId", "--external-id"],
  ["profile", "--profile"],
  ["endpointUrl", "--endpoint-url"],
  ["concurrency", "--concurrency"],
  ["perAccountConcurrency", "--per-account-concurrency"],
  ["shard", "--shard"],
  ["saveSnapshot", "--save-snapshot"],
];

/** Validates the access flags (--role-name, --external-id, --profile, --endpoint-url) of scan, fix and undo. */
export function parseAccessOptions(raw: Raw): AwsAccess {
  const a: AwsAccess = {};
  if (typeof raw.roleName === "string") a.roleName = roleName(raw.roleName);
  if (typeof raw.externalId === "string") a.externalId = raw.externalId;
  if (typeof raw.profile === "string") a.profile = raw.profile;
  if (typeof raw.endpointUrl === "string") a.endpointUrl = endpointUrl(raw.endpointUrl);
  return a;
}

/** Fails early when --save-snapshot or --write-baseline cannot be written (before anything is read). */
export async function assertScanOutputsWritable(opts: ScanOptions): Promise<void> {
  if (opts.saveSnapshot) await assertWritable(opts.saveSnapshot, "--save-snapshot");
  if (opts.writeBaseline) await assertWritable(opts.writeBaseline, "--write-baseline");
}

/** --check-delivery, --delivery-window (hours or days), --since-snapshot. */
function parseDeliveryFlags(raw: Raw, offline: boolean): ScanOptions["delivery"] {
  const window = raw.deliveryWindow as string | undefined;
  const since = raw.sinceSnapshot as string | undefined;
  if (raw.checkDelivery !== true) {
    if (window !== undefined) throw new InputError("--delivery-window needs --check-delivery");
    if (since !== undefined) throw new InputError("--since-snapshot needs --check-delivery");
    return undefined;
  }
  if (offline && since !== undefined) throw new InputError("--since-snapshot cannot be combined with --from-snapshot (the canary is looked for while collecting)");
  let windowHours = 48;
  if (window !== undefined) {
    const m = /^(\d+(?:\.\d+)?)(h|d)$/.exec(window.trim());
    const n = m ? Number(m[1]) * (m[2] === "d" ? 24 : 1) : NaN;
    if (!m || !(n > 0) || n > 24 * 90) throw new InputError(`--delivery-window: expected a duration like 48h or 2d (at most 90d), got "${window}"`);
    windowHours = n;
  }
  return { windowHours, ...(since !== undefined ? { sinceSnapshot: since } : {}) };
}

/** Validates the raw commander values of addTargetOptions + addReportOptions. */
export function parseScanOptions(raw: Raw, catalog: readonly RuleMeta[]): ScanOptions {
  const list = (k: string) => unique(raw[k] as string[] | undefined);
  const accounts = list("accounts");
  const excludeAccounts = list("excludeAccounts");
  for (const a of [...(accounts ?? []), ...(excludeAccounts ?? [])]) {
    if (!isAccountId(a)) throw new InputError(`account ids are 12 digits, got "${a}"`);
  }
  const regions = list("regions");
  for (const r of regions ?? []) regionName(r);
  for (const [k, flag] of [["buckets", "--buckets"], ["excludeBuckets", "--exclude-buckets"]] as const) {
    for (const g of list(k) ?? []) {
      const problem = globProblem(g);
      if (problem) throw new InputError(`${flag}: ${problem}`);
    }
  }
  const org = raw.org === true;
  if (org && accounts) throw new InputError("--org and --accounts cannot be combined (use --exclude-accounts to skip some)");
  const shard = raw.shard === undefined ? undefined : parseShardFlag(typeof raw.shard === "string" ? raw.shard : JSON.stringify(raw.shard));
  if (shard && !org && !accounts) throw new InputError("--shard needs --org or --accounts (it splits the list of accounts)");
  const fromSnapshot = raw.fromSnapshot as string | undefined;
  if (fromSnapshot !== undefined) {
    for (const [k, flag] of COLLECTION_FLAGS) {
      if (raw[k] !== undefined && raw[k] !== false) throw new InputError(`${flag} cannot be combined with --from-snapshot (it is evaluated offline; --accounts, --exclude-accounts, --regions and --buckets select a slice)`);
    }
    if (raw.roleName !== undefined && raw.roleName !== DEFAULT_ROLE_NAME) {
      throw new InputError("--role-name cannot be combined with --from-snapshot");
    }
  }
  const target: ScanTarget = { org };
  if (accounts) target.accounts = accounts;
  if (excludeAccounts) target.excludeAccounts = excludeAccounts;
  if (regions) target.regions = regions;
  const globs = list("buckets");
  if (globs) target.bucketGlobs = globs;
  const excluded = list("excludeBuckets");
  if (excluded) target.excludeBucketGlobs = excluded;
  Object.assign(target, parseAccessOptions(raw));
  const concurrency = positiveInt("--concurrency", raw.concurrency, 1024);
  if (concurrency) target.concurrency = concurrency;
  const perAccount = positiveInt("--per-account-concurrency", raw.perAccountConcurrency, 1024);
  if (perAccount) target.perAccountConcurrency = perAccount;
  if (shard) target.shard = shard;

  const opts: ScanOptions = {
    target,
    ruleOptions: ruleOptionsOf(raw),
    includePassed: raw.includePassed === true,
    failOn: (raw.failOn as FailOn | undefined) ?? DEFAULT_FAIL_ON,
    allowPartial: raw.allowPartial === true,
    quiet: raw.quiet === true,
  };
  if (raw.allowEmpty === true) opts.allowEmpty = true;
  const rules = validateRuleIds(raw.rules as string[] | undefined, catalog);
  if (rules) opts.rules = rules;
  const delivery = parseDeliveryFlags(raw, fromSnapshot !== undefined);
  if (delivery) {
    opts.delivery = delivery;
    if (opts.rules && !opts.rules.includes("logs-delivered")) opts.rules = [...opts.rules, "logs-delivered"];
  }
  const sev = list("severity");
  if (sev) {
    const bad = sev.filter((x) => !(SEVERITIES as readonly string[]).includes(x));
    if (bad.length > 0) throw new InputError(`--severity: not a severity: ${bad.join(", ")} (use ${SEVERITIES.join(", ")})`);
    opts.listSeverities = sev as Severity[];
  }
  if (fromSnapshot !== undefined) opts.fromSnapshot = fromSnapshot;
  if (typeof raw.saveSnapshot === "string") opts.saveSnapshot = raw.saveSnapshot;
  if (typeof raw.baseline === "string") opts.baseline = raw.baseline;
  if (typeof raw.writeBaseline === "string") opts.writeBaseline = raw.writeBaseline;
  return opts;
}

/**
 * --format and the --output files. One file: --format, else its extension. Several files: each
 * extension names its format (--format is then refused). An extension that names no format is an
 * error (exit 2) rather than a silent JSON file; so is the same file twice.
 */
export function parseOutputOptions(raw: Raw, stdoutIsTTY: boolean): ReportOutputOptions {
  const given = raw.output === undefined ? [] : Array.isArray(raw.output) ? (raw.output as string[]) : [typeof raw.output === "string" ? raw.output : JSON.stringify(raw.output)];
  const explicit = typeof raw.format === "string";
  if (given.length > 1 && explicit) {
    throw new InputError("--format applies to a single --output; with several, each file's extension names its format");
  }
  const seen = new Set<string>();
  const files = given.map((file): ReportFile => {
    if (file.trim() === "") throw new InputError("--output needs a file name");
    const key = resolve(file);
    if (seen.has(key)) throw new InputError(`--output ${file} is given twice`);
    seen.add(key);
    if (explicit) return { file, format: reportFormatNamed(raw.format as string) };
    const format = formatFromExtension(file);
    if (!format) throw new InputError(`--output ${file}: the extension names no report format (use ${FORMAT_EXTENSIONS.join(", ")}, or --format with a single --output)`);
    return { file, format };
  });
  const format = explicit ? reportFormatNamed(raw.format as string) : (files[0]?.format ?? (stdoutIsTTY ? "table" : "json"));
  const o: ReportOutputOptions = { format, formatExplicit: explicit, files };
  if (files[0]) o.output = files[0].file;
  return o;
}
