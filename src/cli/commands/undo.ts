/**
 * `undo JOURNAL`: restores every resource a fix run changed to its journaled prior state, newest
 * first, skipping (and reporting) resources changed since unless --force. Journals its own writes.
 */
import { escapeControl } from "../../base/text.js";
import type { Command } from "@commander-js/extra-typings";
import { undoFixJournal, undoLeftWork } from "../../app/fix.js";
import { describeUndoSummary } from "../../fix/describe.js";
import { journalPathFor } from "../../fix/journal-dir.js";
import type { UndoEvent } from "../../model/journal.js";
import { EXIT_INTERRUPTED, withInterrupt } from "../interrupt.js";
import { z } from "zod";
import { accessShape, addAccessFlags } from "../options/access.js";
import { flagNames, parseOptions } from "../options/parse.js";
import { fileName, flag } from "../options/values.js";
import { accessOf } from "../../app/options.js";
import { errorDetail, stepLine } from "../step-line.js";
import { assertWritable } from "../writable.js";

/** The label of each undo event that gets a progress line. */
const UNDO_LABELS: Partial<Record<UndoEvent["type"], string>> = {
  restored: "restored",
  "already-restored": "already restored",
  "bucket-deleted": "deleted bucket",
  "bucket-not-empty": "kept bucket",
  "bucket-not-proven": "kept bucket",
  "bucket-in-use": "kept bucket",
  "skipped-drifted": "skipped (drift)",
  failed: "FAILED",
  unrestorable: "not restorable",
  "not-run": "not run",
};

/** What an undo event adds after the resource, if anything. */
function undoDetail(e: UndoEvent): string | undefined {
  switch (e.type) {
    case "bucket-not-empty":
      return "created by the fix but not empty (holds objects); delete it yourself if wanted";
    case "bucket-not-proven":
      return `not provably created by this journal's run (${e.reason}); never deleted`;
    case "bucket-in-use":
      return `created by the fix and still the log target of ${e.sources.join(", ")} (not restorable)`;
    case "skipped-drifted":
      return "changed since the fix; not clobbered (use --force to restore anyway)";
    case "failed":
      return errorDetail(e.error);
    case "unrestorable":
      return `AWS refuses the prior configuration (${errorDetail(e.error)}); the fixed one is kept`;
    case "not-run":
      return e.reason;
    default:
      return undefined;
  }
}

/** One progress line per undo event (stderr). */
function undoLine(e: UndoEvent): string | undefined {
  const label = UNDO_LABELS[e.type];
  if (label === undefined) return undefined;
  const r = e.record;
  const d = `${r.stepId} ${r.account} ${r.region} ${r.bucket}: ${r.resource}`;
  return stepLine(label, e.type === "bucket-deleted" ? `${d} (created by the fix)` : d, undoDetail(e));
}

/** The options of `undo`: the access flags, --force, --journal, --quiet. */
const undoSchema = z
  .object({ ...accessShape, force: flag, journal: fileName.optional(), quiet: flag })
  .transform((v) => ({ access: accessOf(v), force: v.force, quiet: v.quiet, journal: v.journal }));

export function registerUndo(program: Command): void {
  const cmd = program
    .command("undo")
    .description("restore every resource a fix run changed to its journaled prior state")
    .argument("<journal>", "the journal written by fix")
    .option("--force", "restore even resources that changed since the fix")
    .option("--journal <file>", "undo's own journal (default: a new file in the journals directory, see `journals`)");
  addAccessFlags(cmd, "role assumed in every other account")
    .option("-q, --quiet", "no progress lines on stderr")
    .addHelpText(
      "after",
      "\nExit codes: 0 everything restored (or already as before), 1 something failed, was skipped (drift),\nkept (a created bucket not empty, in use or not provably created by the run) or is not restorable,\n2 bad journal or usage (nothing undone), 130 interrupted.",
    );
  cmd.action(async (journal) => {
    const { access, force, quiet, journal: ownFile } = parseOptions(undoSchema, cmd.opts(), flagNames(cmd as never));
    const own = journalPathFor("undo", ownFile);
    await assertWritable(own, "--journal");
    // The AWS SDK loads only when there is something to undo (inside undoFixJournal).
    const summary = await withInterrupt((signal) =>
      undoFixJournal(journal, {
        access,
        journalPath: own,
        force,
        signal,
        onEvent: (e) => {
          const line = undoLine(e);
          if (line && (!quiet || e.type === "failed")) process.stderr.write(`${escapeControl(line)}\n`);
        },
      }),
    );
    process.stdout.write(`Summary: ${describeUndoSummary(summary)}\n${summary.writes > 0 ? `Undo journal: ${own}` : "Nothing was written to AWS: no undo journal written."}\n`);
    if (summary.aborted) process.exitCode = EXIT_INTERRUPTED;
    else process.exitCode = undoLeftWork(summary) ? 1 : 0;
  });
}
