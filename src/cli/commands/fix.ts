/**
 * `fix`: plan fixes for the failing findings of a scan, write the plan (`--plan-out`), apply it
 * (`--yes`, or `--apply PLAN --yes`), journaling every write for `undo`.
 * In a terminal without --yes/--plan-out/--apply it opens the interactive fix session.
 */
import { readFile, writeFile } from "node:fs/promises";
import { Option, type Command } from "@commander-js/extra-typings";
// The AWS SDK (collect, fix/apply) is imported where it is used, so that planning from a
// snapshot or writing a plan does not load it.
import type { ClientPoolOptions } from "../../collect/index.js";
import type { ApplyEvent, ApplySummary, Plan, PlanFixesOptions } from "../../fix/index.js";
import { describeStep, summarizePlan } from "../../fix/describe.js";
import { checkJournalPath, defaultJournalPath } from "../../fix/journal.js";
import { parsePlan, serializePlan } from "../../fix/plan-file.js";
import { checkLogBucketTemplate, planFixes } from "../../fix/plan.js";
import { catalogMetas } from "../catalog.js";
import { InputError } from "../../base/errors.js";
import { EXIT_INTERRUPTED, withInterrupt } from "../interrupt.js";
import { assertWritable, runScan } from "../run-scan.js";
import { addTargetOptions, parseScanOptions, type ScanOptions } from "../scan-options.js";
import { TOOL_NAME } from "../../base/identity.js";

export interface FixCliOptions {
  planOut?: string;
  apply?: string;
  yes: boolean;
  journal?: string;
  logBucketTemplate: string;
  logRetentionDays: number;
  keyFormat: "partitioned" | "simple";
}

/** Credential/endpoint flags to repeat in the printed undo command. */
function credentialFlags(raw: Record<string, unknown>): string {
  const parts: string[] = [];
  const q = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);
  if (typeof raw.endpointUrl === "string") parts.push(`--endpoint-url ${q(raw.endpointUrl)}`);
  if (typeof raw.profile === "string") parts.push(`--profile ${q(raw.profile)}`);
  if (typeof raw.roleName === "string" && raw.roleName !== "OrganizationAccountAccessRole") parts.push(`--role-name ${q(raw.roleName)}`);
  if (typeof raw.externalId === "string") parts.push(`--external-id ${q(raw.externalId)}`);
  return parts.length > 0 ? ` ${parts.join(" ")}` : "";
}

/** Client pool options from the credential flags. */
export function poolOptions(raw: Record<string, unknown>): ClientPoolOptions {
  const o: ClientPoolOptions = {};
  if (typeof raw.endpointUrl === "string") o.endpointUrl = raw.endpointUrl;
  if (typeof raw.profile === "string") o.profile = raw.profile;
  if (typeof raw.roleName === "string") o.roleName = raw.roleName;
  if (typeof raw.externalId === "string") o.externalId = raw.externalId;
  return o;
}

export function parseFixOptions(raw: Record<string, unknown>): FixCliOptions {
  const days = String(raw.logRetentionDays ?? "365").trim();
  if (!/^\d+$/.test(days) || Number(days) < 1 || Number(days) > 36500)
    throw new InputError(`--log-retention-days must be a whole number of days between 1 and 36500, got "${days}"`);
  const template = String(raw.logBucketTemplate ?? "s3-access-logs-{account}-{region}");
  checkLogBucketTemplate(template);
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

/** Exit code of an apply: 130 interrupted, 1 when a step failed or drifted, else 0. */
export function applyExitCode(s: ApplySummary): number {
  if (s.aborted) return EXIT_INTERRUPTED;
  return s.failed > 0 || s.skippedDrifted > 0 || s.skippedDependent > 0 ? 1 : 0;
}

/** The interactive fix session (src/ui/), loaded only when it opens (ink is not needed otherwise). */
async function openInteractiveFix(ctx: { scan: ScanOptions; fix: FixCliOptions; raw: Record<string, unknown> }): Promise<void> {
  const ui = await import("../../ui/facade.js");
  process.exitCode = await ui.openInteractiveFix(ctx);
}

async function loadPlanFile(file: string): Promise<Plan> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(`cannot read plan ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
  return parsePlan(text, file);
}

async function runApply(plan: Plan, fix: FixCliOptions, raw: Record<string, unknown>, quiet: boolean): Promise<number> {
  const journalPath = fix.journal ?? defaultJournalPath("fix");
  await assertWritable(journalPath, "--journal");
  await checkJournalPath(journalPath);
  const auto = plan.steps.filter((s) => !s.manual).length;
  if (!quiet) process.stderr.write(`Applying ${auto} step(s); journal: ${journalPath}\n`);
  const [{ ClientPool }, { applyPlan }] = await Promise.all([import("../../collect/index.js"), import("../../fix/apply.js")]);
  const pool = new ClientPool(poolOptions(raw));
  let summary: ApplySummary;
  try {
    // applyPlan never throws on Ctrl-C: it returns a summary with aborted=true.
    summary = await withInterrupt((signal) =>
      applyPlan(plan, {
        clients: (account, region) => pool.s3(account, region),
        journalPath,
        signal,
        onEvent: (e) => {
          const line = eventLine(e);
          if (line && (!quiet || e.type === "failed")) process.stderr.write(`${line}\n`);
        },
      }),
    );
  } finally {
    pool.destroy();
  }
  process.stdout.write(`${summaryLine(summary)}\n`);
  if (summary.aborted) process.stdout.write("Interrupted: stopped after the step in flight; the journal is complete up to there.\n");
  process.stdout.write(`Journal: ${journalPath}\nUndo with: ${TOOL_NAME} undo ${journalPath}${credentialFlags(raw)}\n`);
  return applyExitCode(summary);
}

export function registerFix(program: Command): void {
  const cmd = program
    .command("fix")
    .description("plan safe fixes for failing findings; --plan-out writes the plan, --yes applies it (journaled, undoable)")
    .option("--plan-out <file>", "write the plan (JSON) and print a summary; nothing is written to AWS")
    .option("--apply <plan>", "apply a plan written by --plan-out (with --yes)")
    .option("-y, --yes", "apply without asking (required outside a terminal)")
    .option("--journal <file>", "journal of the applied changes (default ./s3-log-auditor-journal-<time>.jsonl)")
    .option("--log-bucket-template <name>", "name of the account+Region log bucket", "s3-access-logs-{account}-{region}")
    .option("--log-retention-days <days>", "expiration of log objects in created log buckets", "365")
    .addOption(new Option("--key-format <format>", "key format of the logging configurations written").choices(["partitioned", "simple"]).default("partitioned"))
    .addHelpText(
      "after",
      `
Exit codes: 0 done (or plan written), 1 a step failed or was skipped (drift), 2 bad usage
or plan file, 3 scan incomplete, 130 interrupted (the journal is consistent; undo works).`,
    );
  addTargetOptions(cmd);
  cmd.action(async () => {
    const raw = cmd.opts() as Record<string, unknown>;
    const fix = parseFixOptions(raw);
    const quiet = raw.quiet === true;
    if (fix.apply) {
      if (!fix.yes) {
        if (process.stdout.isTTY && process.stdin.isTTY) throw new InputError("--apply needs --yes (review the plan first with its summary)");
        throw new InputError("--apply needs --yes when not run in a terminal");
      }
      if (fix.journal) await checkJournalPath(fix.journal);
      const plan = await loadPlanFile(fix.apply);
      if (!quiet) process.stderr.write(`${summarizePlan(plan)}\n`);
      process.exitCode = await runApply(plan, fix, raw, quiet);
      return;
    }
    const scan = parseScanOptions(raw, catalogMetas());
    if (process.stdout.isTTY && process.stdin.isTTY && !fix.yes && !fix.planOut && !fix.apply) {
      await openInteractiveFix({ scan, fix, raw });
      return;
    }
    if (!fix.yes && !fix.planOut) {
      throw new InputError("not a terminal: use --plan-out FILE to write the plan (then --apply FILE --yes), or --yes to plan and apply");
    }
    if (fix.planOut) await assertWritable(fix.planOut, "--plan-out");
    if (fix.yes && fix.journal) {
      await assertWritable(fix.journal, "--journal");
      await checkJournalPath(fix.journal); // before scanning: a bad or busy journal costs nothing
    }
    const result = await withInterrupt((signal) => runScan(scan, { signal }));
    if (result.report.summary.complete === false && !quiet) {
      process.stderr.write("note: the scan is incomplete; findings on unreadable resources are not planned\n");
    }
    const planOpts: PlanFixesOptions = {
      logBucketTemplate: fix.logBucketTemplate,
      logRetentionDays: fix.logRetentionDays,
      keyFormat: fix.keyFormat,
    };
    if (scan.rules) planOpts.rules = scan.rules;
    if (scan.target.bucketGlobs) planOpts.buckets = scan.target.bucketGlobs;
    if (scan.target.accounts) planOpts.accounts = scan.target.accounts;
    const plan = planFixes(result.snapshot, result.findings, planOpts);
    if (fix.planOut) {
      await writeFile(fix.planOut, serializePlan(plan));
      process.stdout.write(`${summarizePlan(plan)}\nPlan written to ${fix.planOut}; apply with: ${TOOL_NAME} fix --apply ${fix.planOut} --yes${credentialFlags(raw)}\n`);
      if (!fix.yes) return;
    } else if (!quiet) {
      process.stderr.write(`${summarizePlan(plan)}\n`);
    }
    process.exitCode = await runApply(plan, fix, raw, quiet);
  });
}
