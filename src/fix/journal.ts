/**
 * The journal: JSON lines, appended and fsync'd record by record. A `write` record (prior state)
 * is durable on disk BEFORE the AWS write it describes; a `result` record follows it.
 */
import { closeSync, existsSync, fsyncSync, lstatSync, openSync, readFileSync, readSync, realpathSync, statSync, writeSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../base/errors.js";
import { safeJsonStringify } from "../base/text.js";
import { TOOL_NAME, TOOL_VERSION } from "../base/identity.js";
import { JOURNAL_KIND, JOURNAL_SCHEMA_VERSION, JournalHeaderSchema, JournalRecordSchema, type JournalHeader, type JournalRecord, type JournalResult, type JournalWrite } from "../model/journal.js";

/** How long a lock whose holder stopped refreshing it (a killed run) blocks the next run. */
const LOCK_STALE_MS = 30_000;

/** The file a journal path really names: symlinks are followed only to an existing journal. */
function journalFile(path: string): string {
  let st;
  try {
    st = lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return resolve(path);
    throw new InputError(`cannot use journal ${path}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
  if (st.isSymbolicLink()) {
    let real: string;
    try {
      real = realpathSync(path);
    } catch {
      throw new InputError(`journal ${path} is a symbolic link to a missing file; refusing to follow it`);
    }
    let isJournal: boolean;
    try {
      isJournal = statSync(real).isFile() && inspectJournal(real, path).state === "journal";
    } catch {
      isJournal = false;
    }
    if (!isJournal)
      throw new InputError(`journal ${path} is a symbolic link to ${real}, which is not an ${TOOL_NAME} journal; refusing to follow it`);
    return real;
  }
  if (!st.isFile()) throw new InputError(`journal ${path} exists and is not a regular file`);
  return resolve(path);
}

/**
 * What an existing path holds: nothing, an empty file, or a well-formed journal (`endsClean`
 * false when its last line has no newline: a torn tail after a crash). Anything else is refused,
 * so a fix never appends its changes to a file undo could not read.
 */
function inspectJournal(file: string, shown: string): { state: "absent" | "empty" | "journal"; endsClean: boolean } {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return { state: "absent", endsClean: true };
    throw new InputError(`cannot read journal ${shown}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
  if (text === "") return { state: "empty", endsClean: true };
  try {
    parseJournal(text, shown);
  } catch (err) {
    throw new InputError(`${shown} exists and is not a well-formed ${TOOL_NAME} journal (${(err as Error).message}); refusing to append to it`);
  }
  return { state: "journal", endsClean: text.endsWith("\n") };
}

/** Lock of a journal file: a directory `FILE.lock` refreshed while the run lives (proper-lockfile). */
async function lockJournal(file: string, shown: string): Promise<() => void> {
  const lockfile = await import("proper-lockfile");
  try {
    const release = await lockfile.lock(file, {
      realpath: false,
      stale: LOCK_STALE_MS,
      retries: 0,
      // A lock lost while we run (its directory removed by hand) must not crash an apply midway.
      onCompromised: () => undefined,
    });
    return () => {
      release().catch(() => undefined);
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ELOCKED")
      throw new InputError(`journal ${shown} is in use by another run (lock ${file}.lock); wait for it to finish`);
    throw new InputError(`cannot lock journal ${shown}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

/**
 * Checks, without writing anything, that `path` can take a new run: absent, empty or a journal
 * (a symlink only to a journal), and not locked by a running run. Throws a one-line InputError.
 */
export async function checkJournalPath(path: string): Promise<void> {
  const file = journalFile(path);
  inspectJournal(file, path);
  const lockfile = await import("proper-lockfile");
  if (await lockfile.check(file, { realpath: false, stale: LOCK_STALE_MS }).catch(() => false))
    throw new InputError(`journal ${path} is in use by another run (lock ${file}.lock); wait for it to finish`);
}

/** True when `path` is an existing file that starts like a journal (its first line is a journal header). */
export function looksLikeJournal(path: string): boolean {
  let fd: number | undefined;
  try {
    fd = openSync(path, "r");
    const buf = Buffer.alloc(4096);
    const n = readSync(fd, buf, 0, buf.length, 0);
    const first = buf.subarray(0, n).toString("utf8").split("\n")[0] ?? "";
    const head = JSON.parse(first) as { type?: unknown; kind?: unknown };
    return head?.type === "header" && head.kind === JOURNAL_KIND;
  } catch {
    return false;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Holds the lock of a journal being read (undo) so no run appends to it meanwhile. */
export async function lockJournalForReading(path: string): Promise<() => void> {
  const file = journalFile(path);
  if (!existsSync(file)) throw new InputError(`journal ${path} does not exist`);
  try {
    return await lockJournal(file, path);
  } catch (err) {
    // A journal in a read-only folder cannot be appended to either: read it unlocked.
    if (/: (EACCES|EPERM|EROFS)$/.test((err as Error).message)) return () => undefined;
    throw err;
  }
}

/** The real file behind a journal path (for comparing two journal paths). */
export function journalIdentity(path: string): string {
  return journalFile(path);
}

/**
 * Append-only journal writer (synchronous writes + fsync: the record is on disk when it returns).
 * `open` refuses a path that is not a journal and locks the file for the run; the file itself is
 * touched only at the first `write`: the run's header goes first (on a fresh line after a torn
 * tail), so a run that writes nothing leaves no journal and appends nothing to an existing one.
 */
export class JournalWriter {
  private seq = 0;
  private fd: number | undefined;
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly file: string,
    private readonly endsClean: boolean,
    private readonly header: JournalHeader,
    private readonly release: () => void,
  ) {}

  /** Checks and locks `path` for one run (see class comment); writes nothing yet. */
  static async open(
    path: string,
    header: Omit<JournalHeader, "type" | "kind" | "schemaVersion" | "tool" | "createdAt">,
  ): Promise<JournalWriter> {
    const file = journalFile(path);
    const release = await lockJournal(file, path);
    let endsClean: boolean;
    try {
      endsClean = inspectJournal(file, path).endsClean;
    } catch (err) {
      release();
      throw err;
    }
    const head: JournalHeader = {
      type: "header",
      kind: JOURNAL_KIND,
      schemaVersion: JOURNAL_SCHEMA_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      createdAt: new Date().toISOString(),
      ...header,
    };
    return new JournalWriter(path, file, endsClean, head, release);
  }

  /** True once the run has journaled a write (the file then holds its header). */
  get written(): boolean {
    return this.fd !== undefined;
  }

  private append(rec: JournalRecord): void {
    if (this.closed) throw new InputError(`journal ${this.path} is closed: its run has ended`);
    if (this.fd === undefined) {
      // The first record of the run: create (owner-only) or append to the file, header first.
      let fd: number;
      try {
        fd = openSync(this.file, "a", 0o600);
      } catch (err) {
        throw new InputError(`cannot write journal ${this.path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split("\n")[0]}`);
      }
      this.fd = fd;
      if (!this.endsClean) writeSync(fd, "\n"); // a crash tore the last line: start on a fresh one
      writeSync(fd, `${safeJsonStringify(this.header)}\n`);
    }
    writeSync(this.fd, `${safeJsonStringify(rec)}\n`);
    fsyncSync(this.fd);
  }

  /** Records the prior state (creating the journal at the first one); returns the record's sequence number. */
  write(rec: Omit<JournalWrite, "type" | "seq" | "at">): number {
    const seq = ++this.seq;
    this.append({ type: "write", seq, at: new Date().toISOString(), ...rec });
    return seq;
  }

  /** Records the outcome of the write with sequence number `rec.seq`. */
  result(rec: Omit<JournalResult, "type" | "at">): void {
    this.append({ type: "result", at: new Date().toISOString(), ...rec });
  }

  /** Closes the file (if the run wrote one) and releases the run's lock. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      if (this.fd !== undefined) closeSync(this.fd);
    } finally {
      this.release();
    }
  }
}

/** One write of a journal with its result (if recorded). */
export interface JournalEntry {
  write: JournalWrite;
  result?: JournalResult;
  /** Index of the run (header) it belongs to, for ordering across appended runs. */
  run: number;
}

/**
 * Reads a journal. A torn line (a crash while appending) is ignored when it is the last line or
 * the next run's header follows it; any other invalid line is an error (exit 2, one line).
 */
export function readJournal(path: string): { headers: JournalHeader[]; entries: JournalEntry[] } {
  if (!existsSync(path)) throw new InputError(`journal ${path} does not exist`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read journal ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message.split("\n")[0]}`);
  }
  return parseJournal(text, path);
}

/** Parses journal text (see readJournal). */
export function parseJournal(text: string, path: string): { headers: JournalHeader[]; entries: JournalEntry[] } {
  const lines = text.split("\n");
  const headers: JournalHeader[] = [];
  const entries: JournalEntry[] = [];
  const open = new Map<string, JournalEntry>();
  const nextIsHeader = (i: number): boolean => {
    const next = lines.slice(i + 1).find((l) => l.trim() !== "");
    if (next === undefined) return true;
    try {
      return JournalHeaderSchema.safeParse(JSON.parse(next)).success;
    } catch {
      return false;
    }
  };
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (nextIsHeader(i)) return; // torn final write of a run that crashed
      throw new InputError(`journal ${path}: line ${i + 1} is not valid JSON`);
    }    const parsed = JournalRecordSchema.safeParse(json);
    if (!parsed.success) {
      const kind = (json as { kind?: unknown })?.kind;
      const version = (json as { schemaVersion?: unknown })?.schemaVersion;
      if (kind === JOURNAL_KIND && version !== JOURNAL_SCHEMA_VERSION)
        throw new InputError(`journal ${path}: schema version ${String(version)} is not supported (expected ${JOURNAL_SCHEMA_VERSION})`);
      const issue = parsed.error.issues[0];
      throw new InputError(
        `journal ${path}: line ${i + 1} is not a journal record (${issue ? `${issue.path.join(".") || "record"}: ${issue.message}` : "invalid"})`,
      );
    }
    const rec = parsed.data;
    if (rec.type === "header") {
      headers.push(rec);
      return;
    }
    if (headers.length === 0) throw new InputError(`journal ${path}: not an ${TOOL_NAME} journal (no header line)`);
    const run = headers.length - 1;
    if (rec.type === "write") {
      const e: JournalEntry = { write: rec, run };
      entries.push(e);
      open.set(`${run}:${rec.seq}`, e);
    } else {
      const e = open.get(`${run}:${rec.seq}`);
      if (e) e.result = rec;
    }
  });
  if (headers.length === 0) throw new InputError(`journal ${path}: not an ${TOOL_NAME} journal (empty or no header line)`);
  return { headers, entries };
}
