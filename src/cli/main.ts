/** The `s3-log-auditor` program: every command registered on one commander tree, run with the process arguments. */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { describeError, exitCodeOf } from "./errors.js";
import { EXIT_INTERRUPTED } from "./interrupt.js";
import { TOOL_NAME, TOOL_VERSION } from "../base/identity.js";
import { escapeControl } from "../base/text.js";
import { registerSim } from "./commands/sim.js";
import { registerFix } from "./commands/fix.js";
import { registerUndo } from "./commands/undo.js";
import { registerScan } from "./commands/scan.js";
import { registerRules } from "./commands/rules.js";
import { registerMerge } from "./commands/merge.js";
import { registerDemo } from "./commands/demo.js";
import { registerLogs } from "./commands/logs.js";
import { registerCompletion } from "./commands/completion.js";
import { registerJournals } from "./commands/journals.js";
import { useProfileFlag } from "./aws-profile.js";
import { addHelpFooters } from "./help-footer.js";

/** The whole command tree (also what shell completion is generated from). */
export function buildProgram(): Command {
  const program = new Command()
    .name(TOOL_NAME)
    .description("Audit and safely repair Amazon S3 server access logging across an AWS Organization")
    .version(TOOL_VERSION)
    // Options after a subcommand are the subcommand's: `demo fix --check-delivery` is demo fix's
    // flag, not demo's (commander hands a parent the flags it shares with its subcommand otherwise).
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeErr: (s) => process.stderr.write(s),
      outputError: (s, write) => write(`${TOOL_NAME}: ${s.replace(/^error: /, "").trim().replace(/\s*\n\s*/g, " ")}\n`),
    });
  registerSim(program);
  registerFix(program);
  registerUndo(program);
  registerScan(program);
  registerRules(program);
  registerMerge(program);
  registerDemo(program);
  registerLogs(program);
  registerJournals(program);
  registerCompletion(program);
  addHelpFooters(program);
  // Every command with --profile: the flag is AWS_PROFILE for the whole run.
  program.hook("preAction", (_program, action) => {
    const profile = (action.opts() as { profile?: unknown }).profile;
    if (typeof profile === "string") useProfileFlag(profile);
  });
  return program;
}

/** Parses process.argv and runs the chosen command; sets process.exitCode, never throws. */
export async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help/version print and exit 0; parse errors were already printed by commander.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`${TOOL_NAME}: ${escapeControl(describeError(err))}\n`);
    if (process.env.S3LA_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
    process.exitCode = exitCodeOf(err);
    // Interrupted: the work has stopped cleanly (steps in flight journaled, partial outputs
    // discarded); nothing still open, such as an idle stdin pipe, may keep the process alive.
    if (process.exitCode === EXIT_INTERRUPTED) process.exit();
  }
}

