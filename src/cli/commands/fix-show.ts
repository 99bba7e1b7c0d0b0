/**
 * `fix show PLAN` (Terraform's `show`): a saved plan's steps grouped by account and bucket with
 * the unified diffs the interactive review shows, and the count line; `--format json` prints the
 * validated plan file exactly as written. Offline: reads only the file. Registered on `fix`.
 */
import { Option, type Command } from "@commander-js/extra-typings";
import { readPlanFile } from "../../app/fix.js";
import { planView, type ViewLine } from "../../fix/describe.js";
import { colorEnabled, createStyle, type Style } from "../../output/style.js";

/** The style of each tone of a plan view line (plain text: none). */
const TONE_STYLES: Record<ViewLine["tone"], Exclude<keyof Style, "enabled"> | undefined> = { heading: "bold", dim: "dim", warn: "yellow", add: "green", del: "red", hunk: "cyan", text: undefined };

function paint(style: Style, l: ViewLine): string {
  const name = TONE_STYLES[l.tone];
  return name ? style[name](l.text) : l.text;
}

/** Adds `fix show` to the `fix` command. */
export function registerFixShow(fix: Command): void {
  fix
    .command("show")
    .description("show a saved plan: its steps by account and bucket with their diffs, and the counts (reads only the file)")
    .argument("<plan>", "a plan written by fix --plan-out")
    .addOption(new Option("-f, --format <format>", "table (the steps and diffs) or json (the plan file as written)").choices(["table", "json"] as const).default("table" as const))
    .addHelpText("after", "\nExit codes: 0 shown, 2 the plan file is missing or not a valid plan.")
    .action(async (file, o) => {
      const { text, plan } = await readPlanFile(file);
      if (o.format === "json") {
        process.stdout.write(text);
        return;
      }
      const style = createStyle(colorEnabled(process.stdout));
      process.stdout.write(`${planView(plan, file).map((l) => paint(style, l)).join("\n")}\n`);
    });
}
