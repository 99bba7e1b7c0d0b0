/** `rules`: the rule catalog (id, severity, title, when it fails, how it is fixed). */
import { Option, type Command } from "@commander-js/extra-typings";
import { CATALOG_FORMATS, renderCatalog } from "../../output/catalog.js";
import { colorEnabled, createStyle } from "../../output/style.js";
import { catalogMetas } from "../../app/catalog.js";
import { tableWidth } from "../report-output.js";

export function registerRules(program: Command): void {
  program
    .command("rules")
    .description("print the rule catalog")
    .addOption(new Option("-f, --format <format>", "table | md (markdown) | json").choices([...CATALOG_FORMATS, "markdown"] as const).default("table" as const))
    .action((o) => {
      const format = o.format === "markdown" ? "md" : o.format;
      const style = createStyle(format === "table" && colorEnabled(process.stdout));
      process.stdout.write(renderCatalog(catalogMetas(), format, { style, width: tableWidth(process.stdout) }));
    });
}
