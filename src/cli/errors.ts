/** How the CLI words errors: a one-line message and an exit code (never a stack trace). */
import { AwsError, EmptySelectionError, InputError, describeError as describeAny, type Vocabulary } from "../base/errors.js";

/** How the CLI says the terms lower layers refer to (src/base/errors.ts PLAIN_TERMS): its flags. */
export const CLI_TERMS: Vocabulary = {
  chooseConfig: "or pass --config",
  snapshotWriter: "scan --save-snapshot",
  savedSnapshot: "--save-snapshot",
  jsonReport: "scan --format json",
  writtenBaseline: "--write-baseline",
  ruleSelection: "--rules",
  bucketFilters: "--buckets",
  passesKept: "--include-passed",
  shardOfScan: "scan --shard I/N",
};

/** A failure with a chosen exit code and a message meant for the user. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = "CliError";
  }
}

/** The exit code the CLI gives a thrown value: 2 for bad input, 3 for AWS failures, the chosen one for CliError. */
export function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof InputError) return 2;
  if (err instanceof AwsError) return 3;
  return 2;
}

/** One line describing any thrown value, for the user. */
export function describeError(err: unknown): string {
  if (err instanceof CliError) return err.message.split("\n")[0] ?? "";
  if (err instanceof EmptySelectionError) return `${describeAny(err)}: a typo? (pass --allow-empty if an empty scan is expected)`;
  if (err instanceof InputError && err.worded) return err.worded.render(CLI_TERMS).split("\n")[0] ?? "";
  return describeAny(err);
}
