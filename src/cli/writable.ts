/** Fails early (exit 2, nothing done) when an output file named by a flag cannot be written. */
import { access, constants } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { InputError } from "../base/errors.js";

/** Throws an InputError naming `flag` unless FILE's directory exists and is writable. */
export async function assertWritable(file: string, flag: string): Promise<void> {
  const dir = dirname(resolve(file));
  try {
    await access(dir, constants.W_OK);
  } catch (err) {
    throw new InputError(`${flag} ${file}: directory ${dir} is not writable (${(err as NodeJS.ErrnoException).code ?? "error"})`);
  }
}
