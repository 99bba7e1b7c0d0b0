/**
 * The journal: JSON lines, appended and fsync'd record by record. A `write` record (prior state)
 * is durable on disk BEFORE the AWS write it describes; a `result` record follows it.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, writeSync } from "node:fs";
import { InputError } from "../base/errors.js";
import { TOOL_NAME, TOOL_VERSION } from "../base/identity.js";
import {
  JOURNAL_KIND,
  JOURNAL_SCHEMA_VERSION,
  JournalRecordSchema,
  type JournalHeader,
  type JournalRecord,
  type JournalResult,
  type JournalWrite,
} from "./types.js";

/** Append-only journal writer (synchronous writes + fsync: the record is on disk when it returns). */
export class JournalWriter {
  private fd: number;
  private seq = 0;

  constructor(
    readonly path: string,
    header: Omit<JournalHeader, "type" | "kind" | "schemaVersion" | "tool" | "createdAt">,
  ) {
    try {
      this.fd = openSync(path, "a");
    } catch (err) {
      throw new InputError(`cannot write journal ${path}: ${(err as Error).message.split("\n")[0]}`);
    }
    this.append({
      type: "header",
      kind: JOURNAL_KIND,
      schemaVersion: JOURNAL_SCHEMA_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      createdAt: new Date().toISOString(),
      ...header,
    });
  }

  private append(rec: JournalRecord): void {
    writeSync(this.fd, `${JSON.stringify(rec)}\n`);
    fsyncSync(this.fd);
  }

  /** Records the prior state; returns the record's sequence number. */
  write(rec: Omit<JournalWrite, "type" | "seq" | "at">): number {
    const seq = ++this.seq;
    this.append({ type: "write", seq, at: new Date().toISOString(), ...rec });
    return seq;
  }

  result(rec: Omit<JournalResult, "type" | "at">): void {
    this.append({ type: "result", at: new Date().toISOString(), ...rec });
  }

  close(): void {
    closeSync(this.fd);
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
 * Reads a journal. A torn last line (crash while appending) is ignored; any other invalid line
 * is an error (exit 2, one line).
 */
export function readJournal(path: string): { headers: JournalHeader[]; entries: JournalEntry[] } {
  if (!existsSync(path)) throw new InputError(`journal ${path} does not exist`);
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new InputError(`cannot read journal ${path}: ${(err as Error).message.split("\n")[0]}`);
  }
  const lines = text.split("\n");
  const headers: JournalHeader[] = [];
  const entries: JournalEntry[] = [];
  const open = new Map<string, JournalEntry>();
  lines.forEach((line, i) => {
    if (line.trim() === "") return;
    const last = i === lines.length - 1 || lines.slice(i + 1).every((l) => l.trim() === "");
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      if (last && !text.endsWith("\n")) return; // torn final write
      throw new InputError(`journal ${path}: line ${i + 1} is not valid JSON`);
    }
    const parsed = JournalRecordSchema.safeParse(json);
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

/** Default journal path: ./s3-log-auditor-journal-<timestamp>.jsonl (or -undo-). */
export function defaultJournalPath(kind: "fix" | "undo", now = new Date()): string {
  const ts = now.toISOString().replace(/[:.]/g, "-");
  return `./${TOOL_NAME}-${kind === "fix" ? "journal" : "undo-journal"}-${ts}.jsonl`;
}
