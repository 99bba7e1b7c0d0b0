/** Errors that the CLI turns into a one-line message and an exit code (never a stack trace). */

/** Bad usage, configuration or input file: exit code 2, nothing done. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

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

/** One line describing any thrown value, for the user. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const name = err.name && err.name !== "Error" && !(err instanceof UsageError) && !(err instanceof CliError) ? `${err.name}: ` : "";
    const msg = (err.message || String(code ?? "unknown error")).split("\n")[0];
    return `${name}${msg}`;
  }
  return String(err).split("\n")[0] ?? "unknown error";
}
