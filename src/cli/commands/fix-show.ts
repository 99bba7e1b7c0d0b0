/**
 * `fix show PLAN` (Terraform's `show`): a saved plan's steps grouped by account and bucket with
 * the unified diffs the interactive review shows, and the count line; `--format json` prints the
 * validated plan file exactly as written. Offline: reads only the file. Registered on `fix`.
 */
import { Option, type Command } from "@commander-js/extra-typings";
import { readPlanFile } from "../../app/fix.js";
import { planView, type ViewLine } from "../../fix/describe.js";
import { colorEnabled, createStyle, type Style } from "../../output/style.js";

function paint(style: Style, l: ViewLine): string {
  switch (l.tone) {
    case "heading":
      return style.bold(l.text);
    case "dim":
      return style.dim(l.text);
    case "warn":
      return style.yellow(l.text);
    case "add":
      return style.green(l.text);
    case "del":
      return style.red(l.text);
    case "hunk":
      return style.cyan(l.text);
    case "text":
      return l.text;
  }
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
