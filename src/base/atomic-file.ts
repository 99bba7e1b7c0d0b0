/**
 * Atomic file writes: the text goes to a temporary file beside the target, is flushed to disk,
 * and is then renamed over the target, so a run that fails midway (an error, Ctrl-C, a full disk)
 * never leaves half a report, plan, snapshot or baseline — the old file stays as it was. Chunks
 * are written with backpressure, so a large report is never one string in memory.
 */
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { open, realpath, rename, rm } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { randomBytes } from "node:crypto";

/** Writes `chunks` to `path` atomically (temp file + fsync + rename); the temp file never survives a failure. */
export async function writeFileAtomic(file: string, chunks: Iterable<string> | string): Promise<void> {
  // Through a symbolic link: the file it names is replaced, the link stays.
  const path = await realpath(file).catch(() => file);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  try {
    const out = createWriteStream(temp, { flags: "wx" });
    await once(out, "open");
    let failure: Error | undefined;
    out.on("error", (err) => (failure ??= err));
    const flush = async (text: string) => {
      if (!out.write(text)) await Promise.race([once(out, "drain"), once(out, "close")]);
    };
    let pending = "";
    for (const chunk of typeof chunks === "string" ? [chunks] : chunks) {
      if (failure) break;
      pending += chunk;
      if (pending.length >= 1 << 16) {
        await flush(pending);
        pending = "";
      }
    }
    if (pending && !failure) await flush(pending);
    out.end();
    await once(out, "close");
    if (failure) throw failure;
    const fh = await open(temp, "r+");
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
}
