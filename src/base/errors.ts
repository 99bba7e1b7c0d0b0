/**
 * The typed error family every layer shares. Messages describe the problem in the layer's own
 * terms and never name a CLI flag; the CLI (src/cli/errors.ts) maps each kind to its words and
 * exit code.
 */

/** Bad input: options, configuration, plan files, journals, snapshots, scenario files. */
export class InputError extends Error {
  readonly kind = "input" as const;
  constructor(message: string) {
    super(message);
    this.name = "InputError";
  }
}

/**
 * Bad input of one kind: the selection (Regions, bucket name globs) matches no bucket at all —
 * most likely a typo, which must not let a CI gate pass on an empty scan.
 */
export class EmptySelectionError extends InputError {
  constructor(message: string) {
    super(message);
    this.name = "EmptySelectionError";
  }
}

/** An AWS call failed in a way that stops the operation (not a per-resource read failure, which is data). */
export class AwsError extends Error {
  readonly kind = "aws" as const;
  constructor(
    message: string,
    readonly operation?: string,
    readonly code?: string,
  ) {
    super(message);
    this.name = "AwsError";
  }
}

/** A broken invariant inside the tool: a bug, never the user's fault. */
export class InternalError extends Error {
  readonly kind = "internal" as const;
  constructor(message: string) {
    super(message);
    this.name = "InternalError";
  }
}

/** One line describing any thrown value, for the user. */
export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    const typed = err instanceof InputError || err instanceof AwsError || err instanceof InternalError;
    const name = err.name && err.name !== "Error" && !typed ? `${err.name}: ` : "";
    const msg = (err.message || (typeof code === "string" || typeof code === "number" ? String(code) : "unknown error")).split("\n")[0];
    return `${name}${msg}`;
  }
  return String(err).split("\n")[0] ?? "unknown error";
}
