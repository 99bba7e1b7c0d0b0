/** Reading and writing snapshot files (plain JSON, validated on load by the model's schema). */
import { writeFileAtomic } from "../base/atomic-file.js";
import { SNAPSHOT_SCHEMA_VERSION, SnapshotSchema, type Snapshot } from "../model/snapshot.js";
import { InputError, term, worded } from "../base/errors.js";
import { safeJsonStringify } from "../base/text.js";
import { readInputFile } from "./files.js";

const KIND = "s3-log-auditor-snapshot";

/** Parses and validates snapshot text; a one-line InputError for anything unusable. */
export function parseSnapshot(text: string, file: string): Snapshot {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof SyntaxError ? `: ${err.message.split("\n")[0]}` : "";
    throw new InputError(`snapshot ${file} is not valid JSON${detail}`);
  }
  if (typeof data !== "object" || data === null || (data as { kind?: unknown }).kind !== KIND) {
    throw new InputError(worded`${file} is not an s3-log-auditor snapshot (written by ${term("snapshotWriter")})`);
  }
  const version = (data as { schemaVersion?: unknown }).schemaVersion;
  if (version !== SNAPSHOT_SCHEMA_VERSION) {
    throw new InputError(
      `snapshot ${file} has schemaVersion ${JSON.stringify(version)}; this version of the tool reads version ${SNAPSHOT_SCHEMA_VERSION}`,
    );
  }
  const parsed = SnapshotSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.map(String).join(".") || "top level" : "top level";
    throw new InputError(`snapshot ${file} is malformed at ${where}: ${issue?.message ?? "invalid"}`);
  }
  return parsed.data;
}

/** Reads and validates a snapshot file. */
export async function loadSnapshot(file: string): Promise<Snapshot> {
  return parseSnapshot(await readInputFile(file, "snapshot"), file);
}

/** Writes a snapshot file (plain JSON, one line). */
export async function saveSnapshot(file: string, snapshot: Snapshot): Promise<void> {
  try {
    await writeFileAtomic(file, `${safeJsonStringify(snapshot)}\n`);
  } catch (err) {
    throw new InputError(`cannot write snapshot ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
}
