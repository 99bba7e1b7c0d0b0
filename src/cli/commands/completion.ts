/** `completion bash|zsh|fish`: prints a completion script generated from the program's own command tree. */
import { Argument, type Command } from "@commander-js/extra-typings";
import { catalogMetas } from "../../app/catalog.js";
import { COMPLETION_SHELLS, completionScript, completionTree } from "../completion.js";

/** The root of the command tree `cmd` belongs to. */
function rootOf(cmd: Command): Command {
  let c = cmd;
  while (c.parent) c = c.parent as Command;
  return c;
}

export function registerCompletion(program: Command): void {
  const cmd = program
    .command("completion")
    .description("print a shell completion script (commands, options, choices, rule ids, profiles)")
    .addArgument(new Argument("<shell>", "bash, zsh or fish").choices(COMPLETION_SHELLS));
  cmd.action((shell) => {
    const tree = completionTree(rootOf(cmd as unknown as Command), catalogMetas().map((m) => m.id));
    process.stdout.write(completionScript(shell, tree));
  });
}
