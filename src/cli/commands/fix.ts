/**
 * `fix`: plan fixes for the failing findings of a scan, write the plan (`--plan-out`), apply it
 * (`--yes`, or `--apply PLAN --yes`), journaling every write for `undo`.
 * In a terminal without --yes/--plan-out/--apply it opens the interactive fix session.
 */
import { escapeControl } from "../../base/text.js";
import type { Command } from "@commander-js/extra-typings";
import { catalogMetas } from "../../app/catalog.js";
import { applyFixPlan, applyLeftWork, loadPlanFile, planOptionsFor, planScanFixes, writePlanFile } from "../../app/fix.js";
import type { AwsAccess } from "../../app/options.js";
import { runScan } from "../../app/scan.js";
import { InputError } from "../../base/errors.js";
import { describeStep, summarizePlan } from "../../fix/describe.js";
import { checkJournalPath } from "../../fix/journal.js";
import { journalPathFor } from "../../fix/journal-dir.js";
import type { ApplyEvent, ApplySummary, Plan } from "../../model/plan.js";
import { EXIT_INTERRUPTED, withInterrupt } from "../interrupt.js";
import { runInteractiveFix } from "../interactive.js";
import { registerFixShow } from "./fix-show.js";
import { addFixFlags, fixCommandSchema, type FixCliOptions } from "../options/fix.js";
import { flagNames, parseOptions } from "../options/parse.js";
import { addTargetFlags } from "../options/target.js";
import { checkOutputTargets, scanFiles } from "../output-targets.js";
import { applyCommand, undoCommand } from "../shell.js";
import { errorDetail, stepLine } from "../step-line.js";
import { assertWritable } from "../writable.js";
import { addConfigOptions, configRuleSwitches, resolveScanConfig } from "../config-options.js";

/** The label of each apply event that gets a progress line. */
const APPLY_LABELS: Partial<Record<ApplyEvent["type"], string>> = {
  applied: "applied",
  "already-applied": "already applied",
  "skipped-drifted": "skipped (drift)",
  "skipped-dependent": "skipped",
  failed: "FAILED",
  manual: "manual",
  "not-run": "not run",
};

/** One progress line per apply event (stderr). */
export function eventLine(e: ApplyEvent): string | undefined {
  const label = APPLY_LABELS[e.type];
  if (label === undefined) return undefined;
  const detail = e.type === "failed" ? errorDetail(e.error) : e.type !== "manual" && "reason" in e ? e.reason : undefined;
  return stepLine(label, `${e.step.id} ${describeStep(e.step)}`, detail);
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

export function registerFix(program: Command): void {
  const cmd = program
    .command("fix")
    .description("plan safe fixes for failing findings; --plan-out writes the plan, --yes applies it (journaled, undoable)")
    .addHelpText(
      "after",
      `
Exit codes: 0 done (or plan written), 1 a step failed or was skipped (drift, or a step it
depends on did not apply) or a manual step is left to do, 2 bad usage or plan file (nothing
done), 3 scan incomplete, 130 interrupted (the journal is consistent; undo works).`,
    );
  addFixFlags(cmd, { apply: true });
  addTargetFlags(cmd);
  addConfigOptions(cmd, { print: false });
  registerFixShow(cmd);
  cmd.action(async () => {
    const catalog = catalogMetas();
    // The configuration file gives rules, scope, exceptions and fix options (log bucket template, retention, key format).
    const { raw, names, loaded } = resolveScanConfig(cmd as never, cmd.opts(), catalog);
    const schema = fixCommandSchema({
      catalog,
      config: loaded.config,
      enabled: configRuleSwitches(loaded.config).enabled,
      given: (key) => cmd.getOptionValueSource(key) === "cli",
      terminal: process.stdout.isTTY === true && process.stdin.isTTY === true,
    });
    const options = parseOptions(schema, raw, flagNames(cmd as never, names));
    const { fix, access, quiet } = options;
    if (options.scan === undefined) {
      const plan = await loadPlanFile(options.apply);
      const journalPath = await checkedJournal(fix);
      if (!quiet) process.stderr.write(`${summarizePlan(plan)}\n`);
      process.exitCode = await runApply(plan, fix, journalPath, access, quiet);
      return;
    }
    const scan = options.scan;
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
    if (fix.planOut) {
      await writePlanFile(fix.planOut, plan);
      process.stdout.write(`${summarizePlan(plan)}\nPlan written to ${fix.planOut}; apply with: ${applyCommand(fix.planOut, access)}\n`);
      if (!fix.yes) return;
    } else if (!quiet) {
      process.stderr.write(`${summarizePlan(plan)}\n`);
    }
    process.exitCode = await runApply(plan, fix, journalPath!, access, quiet);
  });
}
