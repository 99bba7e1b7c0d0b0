/**
 * Where journals go by default: a per-user state directory, as the XDG Base Directory spec
 * defines it — `$XDG_STATE_HOME/s3-log-auditor/journals/` (an absolute XDG_STATE_HOME only; the
 * spec says to ignore a relative one), else `~/.local/state/s3-log-auditor/journals/`. Nothing
 * here creates a journal: the directory is made (owner-only) when a run is about to journal.
 */
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { isAbsolute, join } from "node:path";
import { InputError } from "../base/errors.js";
import { TOOL_NAME } from "../base/identity.js";

/** The journals directory for this user (not created). */
export function journalsDir(env: NodeJS.ProcessEnv = process.env): string {
  const xdg = env.XDG_STATE_HOME;
  const base = xdg && isAbsolute(xdg) ? xdg : join(env.HOME && isAbsolute(env.HOME) ? env.HOME : homedir(), ".local", "state");
  return join(base, TOOL_NAME, "journals");
}

/** The file name of a new journal of `kind`, unique to the millisecond: `fix-2026-01-31T12-00-00-000Z.jsonl`. */
export function journalFileName(kind: "fix" | "undo", now = new Date()): string {
  return `${kind}-${now.toISOString().replace(/[:.]/g, "-")}.jsonl`;
}

/** Default journal path of a new run: a new file in the journals directory. */
export function defaultJournalPath(kind: "fix" | "undo", now = new Date(), env: NodeJS.ProcessEnv = process.env): string {
  return join(journalsDir(env), journalFileName(kind, now));
}

/** Creates the journals directory (and its parents) owner-only; one-line InputError when it cannot. */
export function ensureJournalsDir(env: NodeJS.ProcessEnv = process.env): string {
  const dir = journalsDir(env);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (err) {
    throw new InputError(`cannot create the journals directory ${dir} (${(err as NodeJS.ErrnoException).code ?? "error"}); set XDG_STATE_HOME or choose a journal file`);
  }
  return dir;
}

/** The journal a run uses: the file named by the user, else a new file in the journals directory (created now). */
export function journalPathFor(kind: "fix" | "undo", explicit: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit !== undefined) return explicit;
  ensureJournalsDir(env);
  return defaultJournalPath(kind, new Date(), env);
}
