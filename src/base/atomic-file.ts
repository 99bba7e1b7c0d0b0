/**
 * Atomic file writes: the text goes to a temporary file beside the target, is flushed to disk,
 * and is then renamed over the target, so a run that fails midway (an error, Ctrl-C, a full disk)
 * never leaves half a report, plan, snapshot or baseline — the old file stays as it was. Chunks
 * are written with backpressure, so a large report is never one string in memory.
 */
import { once } from "node:events";
import { createWriteStream, rmSync, type WriteStream } from "node:fs";
import { open, realpath, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

/** An open temporary file that becomes `path` on `commit()`; `abort()` (or process exit) removes it. */
export interface AtomicFile {
  readonly stream: WriteStream;
  /** Closes the stream, syncs the file to disk and renames it over the target. */
  commit(): Promise<void>;
  /** Closes and removes the temporary file; the target is left as it was. */
  abort(): Promise<void>;
}

/** Temporary files not yet committed or aborted: removed if the process exits first. */
const pending = new Set<string>();
let exitHookInstalled = false;

/** Opens a temporary file beside `file` (through a symbolic link: beside the file it names). */
export async function openAtomicFile(file: string): Promise<AtomicFile> {
  const path = await realpath(file).catch(() => file);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  const stream = createWriteStream(temp, { flags: "wx" });
  await once(stream, "open");
  if (!exitHookInstalled) {
    process.on("exit", () => {
      for (const f of pending) rmSync(f, { force: true });
    });
    exitHookInstalled = true;
  }
  pending.add(temp);
  const close = async () => {
    if (stream.closed) return;
    stream.end();
    await once(stream, "close");
  };
  return {
    stream,
    async commit() {
      await close();
      const fh = await open(temp, "r+");
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(temp, path);
      pending.delete(temp);
    },
    async abort() {
      await close().catch(() => undefined);
      await rm(temp, { force: true }).catch(() => undefined);
      pending.delete(temp);
    },
  };
}

/** Writes `chunks` to `path` atomically (temp file + fsync + rename); the temp file never survives a failure. */
export async function writeFileAtomic(file: string, chunks: Iterable<string> | string): Promise<void> {
  const f = await openAtomicFile(file);
  try {
    const out = f.stream;
    let failure: Error | undefined;
    out.on("error", (err) => (failure ??= err));
    const flush = async (text: string) => {
      if (!out.write(text)) await Promise.race([once(out, "drain"), once(out, "close")]);
    };
    let buffered = "";
    for (const chunk of typeof chunks === "string" ? [chunks] : chunks) {
      if (failure) break;
      buffered += chunk;
      if (buffered.length >= 1 << 16) {
        await flush(buffered);
        buffered = "";
      }
    }
    if (buffered && !failure) await flush(buffered);
    if (failure) throw failure;
    await f.commit();
  } catch (err) {
    await f.abort();
    throw err;
  }
}
