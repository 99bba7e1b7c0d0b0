/** Reading the files a user hands the application (snapshots, plans): one-line errors. */
import { readFile } from "node:fs/promises";
import { InputError } from "../base/errors.js";

/** The text of FILE; an InputError "cannot read WHAT FILE: CODE" when it cannot be read. */
export async function readInputFile(file: string, what: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(`cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
}
