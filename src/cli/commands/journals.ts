/**
 * `journals`: the fix and undo journals in the per-user state directory, newest first — when,
 * which command, how many writes, whether an undo journal undid it — as a table or JSON. A file
 * there that is not a readable journal is listed as unreadable, one line each; never an error.
 */
import { basename, dirname } from "node:path";
import { Option, type Command } from "@commander-js/extra-typings";
import { listJournals, type JournalListing, type JournalsList } from "../../app/journals.js";
import { escapeControl, safeJsonStringify } from "../../base/text.js";
import { journalsDir } from "../../fix/journal-dir.js";
import { colorEnabled, createStyle, type Style } from "../../output/style.js";

function writesText(j: JournalListing): string {
  const parts = [`${j.writes} write(s)`];
  if (j.failed > 0) parts.push(`${j.failed} failed`);
  if (j.unfinished > 0) parts.push(`${j.unfinished} without result`);
  return parts.join(", ");
}

function statusText(j: JournalListing): string {
  if (j.inUse) return "in use by a running run";
  if (j.command === "undo") return j.undoOf === undefined ? "undo" : `undoes ${dirname(j.undoOf) === dirname(j.path) ? basename(j.undoOf) : j.undoOf}`;
  if (j.writes === 0) return "nothing to undo";
  const [first, ...more] = j.undoneBy;
  return first === undefined ? "not undone" : `undone by ${first}${more.length > 0 ? ` and ${more.length} more` : ""}`;
}

/** The listing as aligned text lines. */
export function journalsTable(list: JournalsList, style: Style): string {
  const lines: string[] = [style.dim(`Journals in ${escapeControl(list.dir)}`)];
  if (list.journals.length === 0 && list.unreadable.length === 0) {
    lines.push("none yet (fix --yes, fix --apply and undo write one here unless given --journal)");
    return `${lines.join("\n")}\n`;
  }
  const rows = list.journals.map((j) => [j.createdAt, j.command, writesText(j), statusText(j), j.file].map((c) => escapeControl(c)));
  const head = ["TIME", "COMMAND", "WRITES", "STATUS", "FILE"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ");
  lines.push(style.bold(fmt(head)));
  for (const r of rows) lines.push(fmt(r));
  for (const u of list.unreadable) lines.push(style.yellow(`unreadable  ${escapeControl(u.file)}: ${escapeControl(u.reason)}`));
  return `${lines.join("\n")}\n`;
}

/** The listing as JSON (kind + version, like the other files the tool writes). */
export function journalsJson(list: JournalsList): string {
  return `${safeJsonStringify({ kind: "s3-log-auditor-journals", schemaVersion: 1, ...list }, 2)}\n`;
}

export function registerJournals(program: Command): void {
  program
    .command("journals")
    .description("list the fix/undo journals in the per-user state directory: time, command, writes, undone or not")
    .addOption(new Option("-f, --format <format>", "table or json").choices(["table", "json"] as const).default("table" as const))
    .addHelpText("after", "\nThe directory: $XDG_STATE_HOME/s3-log-auditor/journals/, else ~/.local/state/s3-log-auditor/journals/.")
    .action((o) => {
      const list = listJournals(journalsDir());
      process.stdout.write(o.format === "json" ? journalsJson(list) : journalsTable(list, createStyle(colorEnabled(process.stdout))));
    });
}
