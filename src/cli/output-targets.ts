/**
 * Output files are checked before anything is scanned or written (exit 2, one line): a target
 * that is a directory, lies in a folder that does not exist or cannot be written, is an existing
 * journal (its changes could no longer be undone), is one of the run's own input files, or is
 * named by two outputs of the same run.
 */
import { statSync } from "node:fs";
import { access, constants } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { InputError } from "../base/errors.js";
import { TOOL_NAME } from "../base/identity.js";
import { looksLikeJournal } from "../fix/journal.js";

/** A file named by a flag, e.g. `{ flag: "--output", path: "r.json" }`. */
export interface NamedFile {
  flag: string;
  path: string;
}

/** Identity of a path: device+inode when it exists (hard and symbolic links count as the same), else its absolute path. */
function identity(path: string): string {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return resolve(path);
  }
}

/** Throws one line when an output of this run could destroy data or cannot be written (see module comment). */
export async function checkOutputTargets(outputs: readonly NamedFile[], inputs: readonly NamedFile[] = []): Promise<void> {
  const seen = new Map<string, NamedFile>();
  for (const input of inputs) seen.set(identity(input.path), input);
  for (const out of outputs) {
    const id = identity(out.path);
    const clash = seen.get(id);
    if (clash && inputs.includes(clash))
      throw new InputError(`${out.flag} ${out.path} is the input of this run (${clash.flag}); refusing to overwrite it`);
    if (clash) throw new InputError(`${out.flag} and ${clash.flag} name the same file ${out.path}`);
    seen.set(id, out);
    let isDir = false;
    try {
      isDir = statSync(out.path).isDirectory();
    } catch {
      // does not exist yet: its folder is checked below
    }
    if (isDir) throw new InputError(`${out.flag} ${out.path} is a directory`);
    const dir = dirname(resolve(out.path));
    try {
      await access(dir, constants.W_OK);
    } catch (err) {
      throw new InputError(`${out.flag} ${out.path}: directory ${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? "error"})`);
    }
    if (looksLikeJournal(out.path))
      throw new InputError(`${out.flag} ${out.path} is an ${TOOL_NAME} journal; refusing to overwrite it (undo needs it)`);
  }
}

/** The named files among `[flag, path]` pairs (undefined paths dropped). */
export function named(pairs: readonly (readonly [string, string | undefined])[]): NamedFile[] {
  return pairs.filter((p): p is readonly [string, string] => typeof p[1] === "string").map(([flag, path]) => ({ flag, path }));
}

/** The output and input files of a scan-like run (scan, demo, fix). */
export function scanFiles(
  opts: { fromSnapshot?: string; baseline?: string; saveSnapshot?: string; writeBaseline?: string },
  output: readonly (readonly [string, string | undefined])[] = [],
): { outputs: NamedFile[]; inputs: NamedFile[] } {
  return {
    outputs: named([...output, ["--save-snapshot", opts.saveSnapshot], ["--write-baseline", opts.writeBaseline]]),
    inputs: named([
      ["--from-snapshot", opts.fromSnapshot],
      ["--baseline", opts.baseline],
    ]),
  };
}
