/**
 * The typed error family every layer shares. Messages describe the problem in the layer's own
 * terms and never name a CLI flag; the CLI (src/cli/errors.ts) maps each kind to its words and
 * exit code.
 */

/**
 * What a lower layer may refer to that the CLI says with its flags and commands. A message built
 * with `worded` says each in these plain words; the CLI renders it with its own (CLI_TERMS).
 */
export const PLAIN_TERMS = {
  /** Choosing one configuration file explicitly. */
  chooseConfig: "or name the one to use",
  /** The command that writes a snapshot file. */
  snapshotWriter: "a scan that saves its snapshot",
  /** Where a snapshot file comes from. */
  savedSnapshot: "saved by a scan",
  /** The command that writes a JSON report. */
  jsonReport: "a scan in JSON format",
  /** Where a baseline file comes from. */
  writtenBaseline: "written by a scan",
  /** A scan's rule selection. */
  ruleSelection: "rule selection",
  /** A scan's bucket name filters. */
  bucketFilters: "bucket filters",
  /** A report that keeps passing results. */
  passesKept: "kept by the scan",
  /** One shard of a scan split over several runs. */
  shardOfScan: "one part of a scan split in shards",
} as const;

/** A term of PLAIN_TERMS. */
export type Term = keyof typeof PLAIN_TERMS;

/** Words for every term. */
export type Vocabulary = Readonly<Record<Term, string>>;

/** A reference to a term inside a `worded` message. */
export interface TermRef {
  readonly term: Term;
}

/** The reference to `t`, for a `worded` message. */
export function term(t: Term): TermRef {
  return { term: t };
}

/** A message whose terms each layer says in its own words. */
export class WordedMessage {
  constructor(
    private readonly texts: readonly string[],
    private readonly values: readonly (string | number | TermRef)[],
  ) {}

  /** The message with the terms in `words`. */
  render(words: Vocabulary): string {
    return this.texts.reduce((out, text, i) => {
      const v = this.values[i - 1] as string | number | TermRef;
      return `${out}${typeof v === "object" ? words[v.term] : String(v)}${text}`;
    });
  }
}

/** Tag for a message that refers to terms: worded`${file} is a snapshot (${term("savedSnapshot")})`. */
export function worded(texts: TemplateStringsArray, ...values: (string | number | TermRef)[]): WordedMessage {
  return new WordedMessage([...texts], values);
}

/** Bad input: options, configuration, plan files, journals, snapshots, scenario files. */
export class InputError extends Error {
  readonly kind = "input" as const;
  /** The message with its terms, for the CLI to render in its words (undefined: plain text only). */
  readonly worded: WordedMessage | undefined;
  constructor(message: string | WordedMessage) {
    super(typeof message === "string" ? message : message.render(PLAIN_TERMS));
    this.name = "InputError";
    this.worded = typeof message === "string" ? undefined : message;
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
