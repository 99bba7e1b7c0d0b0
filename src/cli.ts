#!/usr/bin/env node
/** Entry point of the `s3-log-auditor` command (bundled to dist/cli.js). */
import { Command, CommanderError } from "@commander-js/extra-typings";
import { describeError, exitCodeOf } from "./cli/errors.js";
import { TOOL_NAME, TOOL_VERSION } from "./base/identity.js";
import { registerSim } from "./cli/commands/sim.js";
import { registerFix } from "./cli/commands/fix.js";
import { registerUndo } from "./cli/commands/undo.js";
import { registerScan } from "./cli/commands/scan.js";
import { registerRules } from "./cli/commands/rules.js";
import { registerMerge } from "./cli/commands/merge.js";
import { registerDemo } from "./cli/commands/demo.js";

function buildProgram(): Command {
  const program = new Command()
    .name(TOOL_NAME)
    .description("Audit and safely repair Amazon S3 server access logging across an AWS Organization")
    .version(TOOL_VERSION)
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
  return program;
}

async function main(): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      // help/version print and exit 0; parse errors were already printed by commander.
      process.exitCode = err.exitCode === 0 ? 0 : 2;
      return;
    }
    process.stderr.write(`${TOOL_NAME}: ${describeError(err)}\n`);
    if (process.env.S3LA_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ""}\n`);
    process.exitCode = exitCodeOf(err);
  }
}

await main();
