/**
 * `fix`: plan fixes for the failing findings of a scan, write the plan (`--plan-out`), apply it
 * (`--yes`, or `--apply PLAN --yes`), journaling every write for `undo`.
 * In a terminal without --yes/--plan-out/--apply it opens the interactive fix session.
 */
import { escapeControl } from "../../base/text.js";
import { Option, type Command } from "@commander-js/extra-typings";
import { catalogMetas } from "../../app/catalog.js";
import { applyFixPlan, applyLeftWork, loadPlanFile, planOptionsFor, planScanFixes, writePlanFile } from "../../app/fix.js";
import { accessOf, type AwsAccess } from "../../app/options.js";
import { runScan } from "../../app/scan.js";
import { InputError } from "../../base/errors.js";
import { describeStep, summarizePlan } from "../../fix/describe.js";
import { checkJournalPath } from "../../fix/journal.js";
import { journalPathFor } from "../../fix/journal-dir.js";
import { logBucketTemplateProblem } from "../../fix/plan.js";
import type { ApplyEvent, ApplySummary, Plan } from "../../model/plan.js";
import { EXIT_INTERRUPTED, withInterrupt } from "../interrupt.js";
import { runInteractiveFix } from "../interactive.js";
import { registerFixShow } from "./fix-show.js";
import { addTargetOptions, parseAccessOptions, parseScanOptions } from "../scan-options.js";
import { checkOutputTargets, scanFiles } from "../output-targets.js";
import { applyCommand, undoCommand } from "../shell.js";
import { assertWritable } from "../writable.js";
import { addConfigOptions, resolveScanConfig, withConfigFile } from "../config-options.js";

export interface FixCliOptions {
  planOut?: string;
  apply?: string;
  yes: boolean;
  journal?: string;
  logBucketTemplate: string;
  logRetentionDays: number;
  keyFormat: "partitioned" | "simple";
}

/** Where the log bucket template came from (for its error message), and how many Regions are in scope. */
export interface TemplateContext {
  /** e.g. `fix.logBucketTemplate in s3-log-auditor.yaml`; default `--log-bucket-template`. */
  from?: string;
  /** Exactly one Region is in scope: a template without {region} is unambiguous. */
  singleRegion?: boolean;
}

/** Validates the fix flags (shared by `fix` and `demo fix`). */
export function parseFixOptions(raw: Record<string, unknown>, ctx: TemplateContext = {}): FixCliOptions {
  const days = (typeof raw.logRetentionDays === "string" ? raw.logRetentionDays : "365").trim();
  if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 36500)
    throw new InputError(`--log-retention-days must be a whole number of days between 1 and 36500, got "${days}"`);
  const template = typeof raw.logBucketTemplate === "string" ? raw.logBucketTemplate : "s3-access-logs-{account}-{region}";
  const singleRegion = ctx.singleRegion ?? (Array.isArray(raw.regions) && new Set(raw.regions).size === 1);
  // --apply uses the plan's own options: the template is not used then.
  const problem = typeof raw.apply === "string" ? undefined : logBucketTemplateProblem(template, singleRegion);
  if (problem) throw new InputError(`${ctx.from ?? "--log-bucket-template"}: ${problem}`);
  const o: FixCliOptions = {
    yes: raw.yes === true,
    logBucketTemplate: template,
    logRetentionDays: Number(days),
    keyFormat: raw.keyFormat === "simple" ? "simple" : "partitioned",
  };
  if (typeof raw.planOut === "string") o.planOut = raw.planOut;
  if (typeof raw.apply === "string") o.apply = raw.apply;
  if (typeof raw.journal === "string") o.journal = raw.journal;
  if (o.apply && o.planOut) throw new InputError("--apply and --plan-out cannot be combined (the plan is already written)");
  return o;
}

/** One progress line per apply event (stderr). */
export function eventLine(e: ApplyEvent): string | undefined {
  const d = `${e.step.id} ${describeStep(e.step)}`;
  switch (e.type) {
    case "started":
    case "verified":
      return undefined;
    case "applied":
      return `applied          ${d}`;
    case "already-applied":
      return `already applied  ${d}`;
    case "skipped-drifted":
      return `skipped (drift)  ${d}: ${e.reason}`;
    case "skipped-dependent":
      return `skipped          ${d}: ${e.reason}`;
    case "failed":
      return `FAILED           ${d}: ${e.error.code}: ${e.error.message}`;
    case "manual":
      return `manual           ${d}`;
    case "not-run":
      return `not run          ${d}: ${e.reason}`;
  }
}

export function summaryLine(s: ApplySummary): string {
  return (
    `Summary: ${s.applied} applied, ${s.alreadyApplied} already applied, ` +
    `${s.skippedDrifted + s.skippedDependent} skipped (${s.skippedDrifted} drifted, ${s.skippedDependent} dependent), ` +
    `${s.failed} failed, ${s.manual} manual${s.notRun > 0 ? `, ${s.notRun} not run (interrupted)` : ""}.`
  );
}

/** Exit code of an apply: 130 interrupted, 1 when a step failed, drifted or was skipped or a manual step is left, else 0. */
export function applyExitCode(s: ApplySummary): number {
  if (s.aborted) return EXIT_INTERRUPTED;
  return applyLeftWork(s) ? 1 : 0;
}

/** The journal of a fix run, checked before anything is scanned or written: a bad or busy journal costs nothing. */
async function checkedJournal(fix: FixCliOptions): Promise<string> {
  const journalPath = journalPathFor("fix", fix.journal);
  await assertWritable(journalPath, "--journal");
  await checkJournalPath(journalPath);
  return journalPath;
}

/** What the run leaves to undo: the journal and the command, or that nothing was written (and so no journal). */
export function journalLines(writes: number, journalPath: string, access: AwsAccess): string {
  if (writes === 0) return "Nothing was written to AWS: nothing to undo, no journal written.\n";
  return `Journal: ${journalPath}\nUndo with: ${undoCommand(journalPath, access)}\n`;
}

async function runApply(plan: Plan, fix: FixCliOptions, journalPath: string, access: AwsAccess, quiet: boolean): Promise<number> {
  const auto = plan.steps.filter((s) => !s.manual).length;
  if (!quiet) process.stderr.write(`Applying ${auto} step(s); journal: ${journalPath}\n`);
  // applyFixPlan never throws on Ctrl-C: it returns a summary with aborted=true.
  const summary = await withInterrupt((signal) =>
    applyFixPlan(plan, {
      access,
      journalPath,
      signal,
      onEvent: (e) => {
        const line = eventLine(e);
        if (line && (!quiet || e.type === "failed")) process.stderr.write(`${escapeControl(line)}\n`);
      },
    }),
  );
  process.stdout.write(`${summaryLine(summary)}\n`);
  if (summary.aborted) process.stdout.write("Interrupted: stopped after the step in flight; the journal is complete up to there.\n");
  process.stdout.write(journalLines(summary.writes, journalPath, access));
  return applyExitCode(summary);
}

/**
 * Flags that choose what to plan, which `--apply` cannot honour: the plan's scope and options
 * were fixed when it was written (its summary shows them). Refused rather than ignored; a
 * configuration file's scope and fix options are not used by `--apply` either.
 */
const NOT_WITH_APPLY: [string, string][] = [
  ["org", "--org"],
  ["accounts", "--accounts"],
  ["excludeAccounts", "--exclude-accounts"],
  ["regions", "--regions"],
  ["buckets", "--buckets"],
  ["excludeBuckets", "--exclude-buckets"],
  ["rules", "--rules"],
  ["skipRules", "--skip-rules"],
  ["fromSnapshot", "--from-snapshot"],
  ["shard", "--shard"],
  ["saveSnapshot", "--save-snapshot"],
  ["checkDelivery", "--check-delivery"],
  ["allowEmpty", "--allow-empty"],
  ["logBucketTemplate", "--log-bucket-template"],
  ["logRetentionDays", "--log-retention-days"],
  ["keyFormat", "--key-format"],
];

function refuseIgnoredWithApply(cmd: { getOptionValueSource(key: string): string | undefined }): void {
  const given = NOT_WITH_APPLY.filter(([key]) => cmd.getOptionValueSource(key) === "cli").map(([, flag]) => flag);
  if (given.length > 0)
    throw new InputError(
      `${given.join(", ")} cannot be combined with --apply: a plan is applied as written (its scope and options were fixed by --plan-out); write a new plan with ${given.length > 1 ? "these flags" : "that flag"} instead`,
    );
}

export function registerFix(program: Command): void {
  const cmd = program
    .command("fix")
    .description("plan safe fixes for failing findings; --plan-out writes the plan, --yes applies it (journaled, undoable)")
    .option("--plan-out <file>", "write the plan (JSON) and print a summary; nothing is written to AWS")
    .option("--apply <plan>", "apply a plan written by --plan-out (with --yes)")
    .option("-y, --yes", "apply without asking (required outside a terminal)")
    .option("--journal <file>", "journal of the applied changes (default: a new file in the journals directory, see `journals`)")
    .option("--log-bucket-template <name>", "name of the account+Region log bucket", "s3-access-logs-{account}-{region}")
    .option("--log-retention-days <days>", "expiration of log objects in created log buckets", "365")
    .addOption(new Option("--key-format <format>", "key format of the logging configurations written").choices(["partitioned", "simple"]).default("partitioned"))
    .addHelpText(
      "after",
      `
Exit codes: 0 done (or plan written), 1 a step failed or was skipped (drift, or a step it
depends on did not apply) or a manual step is left to do, 2 bad usage or plan file (nothing
done), 3 scan incomplete, 130 interrupted (the journal is consistent; undo works).`,
    );
  addTargetOptions(cmd);
  addConfigOptions(cmd, { print: false });
  registerFixShow(cmd);
  cmd.action(async () => {
    const catalog = catalogMetas();
    // The configuration file gives rules, scope, exceptions and fix options (log bucket template, retention, key format).
    const { raw, loaded, ruleIds } = resolveScanConfig(cmd as never, cmd.opts(), catalog);
    const templateFromFile = cmd.getOptionValueSource("logBucketTemplate") !== "cli" && loaded.config.fix?.logBucketTemplate !== undefined;
    const fix = parseFixOptions(raw, {
      ...(templateFromFile ? { from: `fix.logBucketTemplate in ${loaded.file ?? "the configuration file"}` } : {}),
      // --from-snapshot without --regions: the snapshot's own Regions decide (the planner checks).
      ...(raw.fromSnapshot !== undefined && raw.regions === undefined ? { singleRegion: true } : {}),
    });
    const quiet = raw.quiet === true;
    if (fix.apply) {
      refuseIgnoredWithApply(cmd);
      if (!fix.yes) {
        if (process.stdout.isTTY && process.stdin.isTTY) throw new InputError("--apply needs --yes (review the plan first with its summary)");
        throw new InputError("--apply needs --yes when not run in a terminal");
      }
      const access = parseAccessOptions(raw);
      const plan = await loadPlanFile(fix.apply);
      const journalPath = await checkedJournal(fix);
      if (!quiet) process.stderr.write(`${summarizePlan(plan)}\n`);
      process.exitCode = await runApply(plan, fix, journalPath, access, quiet);
      return;
    }
    const scan = parseScanOptions({ ...raw, rules: ruleIds }, catalog);
    withConfigFile(scan, loaded.config);
    // Someone at a terminal can answer: the session (full screen, or line mode when stdout is not
    // a terminal or TERM=dumb). Without one, nothing is applied unless --yes says so.
    if (process.stdin.isTTY && !fix.yes && !fix.planOut && !fix.apply) {
      process.exitCode = await runInteractiveFix({ scan, fix });
      return;
    }
    if (!fix.yes && !fix.planOut) {
      throw new InputError("not a terminal: use --plan-out FILE to write the plan (then --apply FILE --yes), or --yes to plan and apply");
    }
    const files = scanFiles(scan, [["--plan-out", fix.planOut]]);
    await checkOutputTargets(files.outputs, files.inputs);
    const journalPath = fix.yes ? await checkedJournal(fix) : undefined;
    const result = await withInterrupt((signal) => runScan(scan, { signal }));
    if (result.report.summary.complete === false && !quiet) {
      process.stderr.write("note: the scan is incomplete; findings on unreadable resources are not planned\n");
    }
    const plan = planScanFixes(result.snapshot, result.findings, planOptionsFor(scan, fix));
    const access = scan.target;
    if (fix.planOut) {
      await writePlanFile(fix.planOut, plan);
      process.stdout.write(`${summarizePlan(plan)}\nPlan written to ${fix.planOut}; apply with: ${applyCommand(fix.planOut, access)}\n`);
      if (!fix.yes) return;
    } else if (!quiet) {
      process.stderr.write(`${summarizePlan(plan)}\n`);
    }
    process.exitCode = await runApply(plan, fix, journalPath!, accessOf(access), quiet);
  });
}
