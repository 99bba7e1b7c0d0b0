/**
 * The journals in the per-user state directory, as `s3-log-auditor journals` lists them: per
 * file its runs (time, command), its writes and their results, and whether an undo journal in the
 * same directory undid it. Reads only; a file that is not a readable journal (torn beyond repair,
 * foreign, a directory) is listed as unreadable with a one-line reason, never an exception.
 */
import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { InputError, describeError } from "../base/errors.js";
import { journalIdentity, readJournal } from "../fix/journal.js";

export interface JournalListing {
  /** File name in the directory, and its full path. */
  file: string;
  path: string;
  /** The command of its first run (`fix` or `undo`), when its runs were made. */
  command: "fix" | "undo";
  createdAt: string;
  runs: number;
  /** Write records (each made before its AWS write), and their recorded results. */
  writes: number;
  applied: number;
  failed: number;
  /** Writes without a result: the run stopped between the record and the write's outcome. */
  unfinished: number;
  /** undo journals: the journal they undo. */
  undoOf?: string;
  /** fix journals: the undo journals (in this directory) that undo it. */
  undoneBy: string[];
  /** A run holds its lock now (`FILE.lock` beside it). */
  inUse: boolean;
}

export interface UnreadableJournal {
  file: string;
  path: string;
  reason: string;
}

export interface JournalsList {
  dir: string;
  /** Newest first. */
  journals: JournalListing[];
  unreadable: UnreadableJournal[];
}

/** The real path of a journal path (as undo records it), or the path resolved when it is gone. */
function identity(path: string): string {
  try {
    return journalIdentity(path);
  } catch {
    return resolve(path);
  }
}

/** Reads one file of the directory into a listing, or why it cannot be read. */
function readOne(dir: string, file: string, names: ReadonlySet<string>): Omit<JournalListing, "undoneBy"> | UnreadableJournal {
  const path = join(dir, file);
  try {
    if (!statSync(path).isFile()) return { file, path, reason: "not a regular file" };
    const { headers, entries } = readJournal(path);
    const first = headers[0]!;
    const results = entries.map((e) => e.result?.outcome);
    const out: Omit<JournalListing, "undoneBy"> = {
      file,
      path,
      command: first.command,
      createdAt: first.createdAt,
      runs: headers.length,
      writes: entries.length,
      applied: results.filter((r) => r === "applied").length,
      failed: results.filter((r) => r === "failed" || r === "verify-mismatch").length,
      unfinished: results.filter((r) => r === undefined).length,
      inUse: names.has(`${file}.lock`),
    };
    const undoOf = headers.find((h) => h.undoOf !== undefined)?.undoOf;
    if (undoOf !== undefined) out.undoOf = undoOf;
    return out;
  } catch (err) {
    // one line, naming the file as listed
    const msg = describeError(err).split(path).join(file);
    return { file, path, reason: msg.startsWith(`journal ${file}: `) ? msg.slice(`journal ${file}: `.length) : msg };
  }
}

/** Lists the journals of `dir` (an absent directory lists nothing). */
export function listJournals(dir: string): JournalsList {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { dir, journals: [], unreadable: [] };
    throw new InputError(`cannot read the journals directory ${dir}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
  const all = new Set(names);
  const journals: Omit<JournalListing, "undoneBy">[] = [];
  const unreadable: UnreadableJournal[] = [];
  // A run's lock directory (FILE.lock) is not a journal; temp files of an atomic write neither.
  for (const file of names.filter((n) => !n.endsWith(".lock")).sort()) {
    const r = readOne(dir, file, all);
    if ("reason" in r) unreadable.push(r);
    else journals.push(r);
  }
  const undoers = new Map<string, string[]>();
  for (const j of journals) {
    if (j.command !== "undo" || j.undoOf === undefined) continue;
    const key = identity(j.undoOf);
    undoers.set(key, [...(undoers.get(key) ?? []), j.file]);
  }
  const listed = journals.map((j) => ({ ...j, undoneBy: j.command === "fix" ? (undoers.get(identity(j.path)) ?? []) : [] }));
  listed.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : a.file < b.file ? 1 : -1));
  return { dir, journals: listed, unreadable };
}

