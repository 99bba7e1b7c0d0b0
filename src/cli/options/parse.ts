/**
 * Turns a command's raw option values into its typed options with the command's zod schema. The
 * first issue becomes exactly one InputError line (exit 2) naming where the value came from: the
 * flag (from commander's declaration) or the configuration key (when the file gave it).
 *
 * Messages of the schemas name no flag themselves: `{flag}` stands for the name of the issue's
 * key, `{flag:key}` for the name of another key; a message without `{flag}` is prefixed
 * `NAME: `. So one schema serves flags and configuration values alike.
 */
import type { Command } from "@commander-js/extra-typings";
import type { z } from "zod";
import { InputError } from "../../base/errors.js";

type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The name of a raw option key, for a message (`--regions`, `scope.regions in s3-log-auditor.yaml`). */
export type KeyNames = (key: string) => string;

/** Names of a command's option keys: its long flags; keys in `overrides` (values the configuration file gave) by those names. */
export function flagNames(cmd: AnyCommand, overrides: Readonly<Record<string, string>> = {}): KeyNames {
  return (key) => {
    const named = overrides[key];
    if (named !== undefined) return named;
    const option = cmd.options.find((o) => o.attributeName() === key);
    return option?.long ?? `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
  };
}

/** One line for a zod issue, its `{flag}` placeholders replaced by the names of the keys. */
export function issueLine(issue: z.core.$ZodIssue, names: KeyNames): string {
  const key = typeof issue.path[0] === "string" ? issue.path[0] : undefined;
  const message = issue.message.replace(/\{flag(?::(\w+))?\}/g, (_m, other: string | undefined) => names(other ?? key ?? ""));
  if (key === undefined || issue.message.includes("{flag}")) return message;
  return `${names(key)}: ${message}`;
}

/** Parses `raw` with `schema`; the first issue throws an InputError of one line (see issueLine). */
export function parseOptions<S extends z.ZodType>(schema: S, raw: unknown, names: KeyNames): z.output<S> {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const first = result.error.issues[0];
  throw new InputError(first ? issueLine(first, names) : "invalid options");
}

/** `o` without its undefined values: an option that was not given stays absent from the typed options. */
export function definedOnly<T extends Record<string, unknown>>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
}
