/**
 * Local sources: a file, a directory (walked in name order; log objects in either key format,
 * `.log` files and `.gz` files; other files are skipped and counted), or `-` for stdin.
 */
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError } from "../base/errors.js";
import { keyMayMatch, parseLogKey } from "./keys.js";
import { inputFailure, type LogInput, type LogSource, type SourceCounters } from "./read.js";

const CHUNK = 1 << 16;

/** A local file as an input. */
export function fileInput(path: string): LogInput {
  return {
    name: path,
    open: async () => {
      const s = createReadStream(path, { highWaterMark: CHUNK });
      // Fail here (not mid-read) when the file cannot be opened.
      await new Promise<void>((resolve, reject) => {
        s.once("open", () => resolve());
        s.once("error", reject);
      });
      return s;
    },
  };
}

/** Standard input as an input (named `-`). */
export function stdinInput(stdin: NodeJS.ReadableStream = process.stdin): LogInput {
  return { name: "-", open: async () => stdin as AsyncIterable<Uint8Array> };
}

function looksLikeLogFile(name: string): boolean {
  return parseLogKey(name) !== undefined || /\.(log|gz)$/i.test(name);
}

async function* walk(dir: string): AsyncGenerator<string> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (e.isFile()) yield p;
  }
}

/**
 * A file, directory or `-`. Checks that the path exists now (InputError otherwise), so a typo
 * fails before anything is printed.
 */
export async function localSource(spec: string, window: { since?: number; until?: number } = {}): Promise<LogSource> {
  const failure = inputFailure;
  if (spec === "-") {
    return {
      name: "-",
      failure,
      inputs: async function* () {
        yield stdinInput();
      },
    };
  }
  let st;
  try {
    st = await stat(spec);
  } catch (err) {
    throw new InputError(`cannot read ${spec}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
  if (st.isFile()) {
    return {
      name: spec,
      failure,
      inputs: async function* () {
        yield fileInput(spec);
      },
    };
  }
  if (!st.isDirectory()) throw new InputError(`${spec} is neither a file nor a directory`);
  return {
    name: spec,
    failure,
    inputs: async function* (counters: SourceCounters) {
      for await (const path of walk(spec)) {
        const base = path.slice(spec.length);
        if (!looksLikeLogFile(base)) {
          counters.skippedNotLogs++;
          continue;
        }
        const k = parseLogKey(base);
        if (k && !keyMayMatch(k, window.since, window.until)) {
          counters.skippedByTime++;
          continue;
        }
        yield fileInput(path);
      }
    },
  };
}
