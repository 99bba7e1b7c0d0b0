/**
 * Shell completion generated from the commander tree at run time: `s3-log-auditor completion
 * bash|zsh|fish` prints a script covering every visible command, option, option choice, rule id
 * (`--rules`, comma lists included), AWS profile name (`--profile`) and file argument. Commands
 * registered later by any module are covered without touching this file.
 */
import type { Argument, Command, Option } from "@commander-js/extra-typings";
import { TOOL_NAME } from "../base/identity.js";

/** What can be typed as the value of an option or as a positional argument. */
export type ValueKind =
  | { kind: "none" }
  | { kind: "words"; words: string[] }
  /** Comma-separated list of these words (`--rules a,b`). */
  | { kind: "list"; words: string[] }
  | { kind: "file"; words: string[] }
  | { kind: "profile" };

export interface CompletionOption {
  /** Every spelling: `-f`, `--format`. */
  flags: string[];
  description: string;
  takesValue: boolean;
  value: ValueKind;
}

export interface CompletionNode {
  /** Sub-command names from the root, e.g. ["demo", "fix"]; [] for the program itself. */
  path: string[];
  description: string;
  commands: CompletionNode[];
  options: CompletionOption[];
  /** Completion of the next positional argument (the first one that is not a sub-command). */
  argument: ValueKind;
}

export const COMPLETION_SHELLS = ["bash", "zsh", "fish"] as const;
export type CompletionShell = (typeof COMPLETION_SHELLS)[number];

/** Value names (`<file>`) whose values are paths. */
const FILE_VALUE = /^(files?|plan|journal|snapshot|dir|path|report|baseline)$/i;

function valueKind(valueName: string | undefined, choices: readonly string[] | undefined, optionName: string, ruleIds: readonly string[]): ValueKind {
  if (choices && choices.length > 0) return { kind: "words", words: [...choices] };
  if (optionName === "rules") return { kind: "list", words: [...ruleIds] };
  if (optionName === "profile") return { kind: "profile" };
  if (valueName === undefined) return { kind: "none" };
  const parts = valueName.split("|");
  if (parts.some((p) => FILE_VALUE.test(p))) return { kind: "file", words: parts.filter((p) => !FILE_VALUE.test(p)) };
  return { kind: "none" };
}

function optionNode(o: Option, ruleIds: readonly string[]): CompletionOption {
  const valueName = /[<[]([^>\]]+?)(?:\.\.\.)?[>\]]/.exec(o.flags)?.[1];
  const takesValue = o.required || o.optional;
  const name = (o.long ?? o.short ?? "").replace(/^--?(no-)?/, "");
  return {
    flags: [o.short, o.long].filter((f): f is string => typeof f === "string"),
    description: o.description,
    takesValue,
    value: takesValue ? valueKind(valueName, o.argChoices, name, ruleIds) : { kind: "none" },
  };
}

function argumentKind(args: readonly Argument[], ruleIds: readonly string[]): ValueKind {
  const a = args[0];
  return a ? valueKind(a.name(), a.argChoices, a.name(), ruleIds) : { kind: "none" };
}

/** The completion model of a commander program (visible commands and options only). */
export function completionTree(program: Command, ruleIds: readonly string[], path: string[] = []): CompletionNode {
  const help = program.createHelp();
  const cmd = program as unknown as Parameters<typeof help.visibleOptions>[0];
  return {
    path,
    description: program.description(),
    commands: help
      .visibleCommands(cmd)
      .map((c) => completionTree(c as unknown as Command, ruleIds, [...path, c.name()])),
    options: help.visibleOptions(cmd).map((o) => optionNode(o, ruleIds)),
    argument: argumentKind(help.visibleArguments(cmd), ruleIds),
  };
}

function* walk(node: CompletionNode): Generator<CompletionNode> {
  yield node;
  for (const c of node.commands) yield* walk(c);
}

/** One line, for a description in a completion menu. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, " ").trim();
}

/** `word` quoted for a POSIX shell (single quotes). */
function sq(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** The value kind as "kind word…" — the form the generated bash and zsh functions print and read. */
function kindSpec(v: ValueKind): string {
  if (v.kind === "none") return "";
  if (v.kind === "profile") return "profile";
  return [v.kind, ...v.words].join(" ");
}

const FN = TOOL_NAME.replace(/-/g, "_");

/** A shell `case` over command paths, one arm per node that has something to say. */
function caseByPath(nodes: CompletionNode[], body: (n: CompletionNode) => string | undefined, indent = "    "): string {
  const arms = nodes.flatMap((n) => {
    const b = body(n);
    return b === undefined ? [] : [`${indent}${sq(n.path.join(" "))}) ${b} ;;`];
  });
  return arms.join("\n");
}

/** `case "$1|$2"` over path + option flag: what the option's value is. */
function valueCase(nodes: CompletionNode[], indent: string): string {
  const arms: string[] = [];
  for (const n of nodes) {
    for (const o of n.options) {
      if (!o.takesValue) continue;
      const keys = o.flags.map((f) => sq(`${n.path.join(" ")}|${f}`)).join("|");
      arms.push(`${indent}${keys}) echo ${sq(`value ${kindSpec(o.value)}`.trim())} ;;`);
    }
  }
  return arms.join("\n");
}

/** Shared by bash and zsh: the functions that describe the tree (both shells read `case`). */
function posixTables(nodes: CompletionNode[]): string {
  return `__${FN}_commands() {
  case "$1" in
${caseByPath(nodes, (n) => (n.commands.length ? `echo ${sq(n.commands.map((c) => c.path.at(-1)!).join(" "))}` : undefined))}
  esac
}
__${FN}_options() {
  case "$1" in
${caseByPath(nodes, (n) => `echo ${sq(n.options.flatMap((o) => o.flags).join(" "))}`)}
  esac
}
# "value KIND WORD…" when option $2 of command path $1 takes a value (KIND empty: anything)
__${FN}_value() {
  case "$1|$2" in
${valueCase(nodes, "    ")}
  esac
}
__${FN}_argument() {
  case "$1" in
${caseByPath(nodes, (n) => (n.argument.kind === "none" ? undefined : `echo ${sq(kindSpec(n.argument))}`))}
  esac
}
__${FN}_profiles() {
  sed -n -e 's/^[[:space:]]*\\[profile[[:space:]]\\{1,\\}\\([^]]*\\)\\].*/\\1/p' -e 's/^[[:space:]]*\\[\\(default\\)\\].*/\\1/p' \\
    "\${AWS_CONFIG_FILE:-$HOME/.aws/config}" 2>/dev/null
  sed -n -e 's/^[[:space:]]*\\[\\([^] ]*\\)\\].*/\\1/p' "\${AWS_SHARED_CREDENTIALS_FILE:-$HOME/.aws/credentials}" 2>/dev/null
}`;
}

/** The bash completion script (`complete -F`), for `source <(s3-log-auditor completion bash)`. */
export function bashScript(tree: CompletionNode): string {
  const nodes = [...walk(tree)];
  return `# bash completion for ${TOOL_NAME} — generated by \`${TOOL_NAME} completion bash\`; regenerate after an upgrade
${posixTables(nodes)}
# the sub-command path of words[1..cword-1]: options and their values skipped
__${FN}_path() {
  local cpath="" i=1 w spec
  while (( i < COMP_CWORD )); do
    w="\${COMP_WORDS[i]}"
    if [[ "$w" == -* ]]; then
      spec="$(__${FN}_value "$cpath" "\${w%%=*}")"
      if [[ -n "$spec" && "$w" != *=* ]]; then
        if [[ "\${COMP_WORDS[i+1]}" == "=" ]]; then (( i += 2 )); else (( i += 1 )); fi
      fi
    elif [[ " $(__${FN}_commands "$cpath") " == *" $w "* ]]; then
      cpath="\${cpath:+$cpath }$w"
    fi
    (( i += 1 ))
  done
  printf '%s' "$cpath"
}
# COMPREPLY for a value spec "KIND WORD…" and the word being completed
__${FN}_reply() {
  local kind="\${1%% *}" words="" cur="$2" prefix=""
  [[ "$1" == *" "* ]] && words="\${1#* }"
  case "$kind" in
    words) COMPREPLY=( $(compgen -W "$words" -- "$cur") ) ;;
    list)
      [[ "$cur" == *,* ]] && prefix="\${cur%,*},"
      COMPREPLY=( $(compgen -P "$prefix" -W "$words" -- "\${cur##*,}") )
      compopt -o nospace 2>/dev/null ;;
    file)
      COMPREPLY=( $(compgen -W "$words" -- "$cur") $(compgen -f -- "$cur") )
      compopt -o filenames 2>/dev/null ;;
    profile) COMPREPLY=( $(compgen -W "$(__${FN}_profiles)" -- "$cur") ) ;;
  esac
}
_${FN}() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" prev="" cpath spec
  (( COMP_CWORD > 0 )) && prev="\${COMP_WORDS[COMP_CWORD-1]}"
  # --option=value: bash splits at "=" (COMP_WORDBREAKS)
  if [[ "$cur" == "=" ]]; then cur=""; elif [[ "$prev" == "=" ]]; then prev="\${COMP_WORDS[COMP_CWORD-2]}"; fi
  if [[ "$cur" == --*=* ]]; then prev="\${cur%%=*}"; cur="\${cur#*=}"; fi
  COMPREPLY=()
  cpath="$(__${FN}_path)"
  if [[ "$prev" == -* ]]; then
    spec="$(__${FN}_value "$cpath" "$prev")"
    if [[ -n "$spec" ]]; then
      spec="\${spec#value}"; spec="\${spec# }"
      [[ -n "$spec" ]] && __${FN}_reply "$spec" "$cur"
      return 0
    fi
  fi
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$(__${FN}_options "$cpath")" -- "$cur") )
    return 0
  fi
  spec="$(__${FN}_argument "$cpath")"
  [[ -n "$spec" ]] && __${FN}_reply "$spec" "$cur"
  COMPREPLY+=( $(compgen -W "$(__${FN}_commands "$cpath")" -- "$cur") )
  return 0
}
complete -F _${FN} ${TOOL_NAME}
`;
}

/** `name:description` entries for zsh's _describe (colons in names escaped). */
function zshDescribed(entries: [string, string][]): string {
  return entries.map(([name, d]) => sq(`${name.replace(/:/g, "\\:")}:${oneLine(d)}`)).join(" ");
}

/** The zsh completion script (`compdef`), for `source <(s3-log-auditor completion zsh)` after compinit. */
export function zshScript(tree: CompletionNode): string {
  const nodes = [...walk(tree)];
  const described = (n: CompletionNode, what: "commands" | "options") =>
    what === "commands"
      ? zshDescribed(n.commands.map((c) => [c.path.at(-1)!, c.description]))
      : zshDescribed(n.options.flatMap((o) => o.flags.map((f): [string, string] => [f, o.description])));
  return `#compdef ${TOOL_NAME}
# zsh completion for ${TOOL_NAME} — generated by \`${TOOL_NAME} completion zsh\`; regenerate after an upgrade
${posixTables(nodes)}
__${FN}_described() {
  case "$1|$2" in
${nodes
  .flatMap((n) => [
    n.commands.length ? `    ${sq(`${n.path.join(" ")}|commands`)}) reply=( ${described(n, "commands")} ) ;;` : "",
    `    ${sq(`${n.path.join(" ")}|options`)}) reply=( ${described(n, "options")} ) ;;`,
  ])
  .filter((l) => l !== "")
  .join("\n")}
    *) reply=() ;;
  esac
}
__${FN}_zreply() {
  local kind="\${1%% *}"
  local -a vals
  [[ "$1" == *" "* ]] && vals=( \${=1#* } )
  case "$kind" in
    words) compadd -a vals ;;
    list) compset -P '*,'; compadd -S ',' -q -a vals ;;
    file) (( \${#vals} )) && compadd -a vals; _files ;;
    profile) vals=( \${(f)"$(__${FN}_profiles)"} ); compadd -a vals ;;
  esac
}
_${FN}() {
  local cpath="" i=2 w spec cur="\${words[CURRENT]}" prev="\${words[CURRENT-1]}"
  local -a reply
  while (( i < CURRENT )); do
    w="\${words[i]}"
    if [[ "$w" == -* ]]; then
      spec="$(__${FN}_value "$cpath" "\${w%%=*}")"
      [[ -n "$spec" && "$w" != *=* ]] && (( i += 1 ))
    elif [[ " $(__${FN}_commands "$cpath") " == *" $w "* ]]; then
      cpath="\${cpath:+$cpath }$w"
    fi
    (( i += 1 ))
  done
  if [[ "$cur" == --*=* ]]; then
    prev="\${cur%%=*}"
    compset -P '*='
  fi
  if [[ "$prev" == -* ]]; then
    spec="$(__${FN}_value "$cpath" "$prev")"
    if [[ -n "$spec" ]]; then
      spec="\${spec#value}"; spec="\${spec# }"
      [[ -n "$spec" ]] && __${FN}_zreply "$spec"
      return 0
    fi
  fi
  if [[ "$cur" == -* ]]; then
    __${FN}_described "$cpath" options
    _describe -t options 'option' reply
    return 0
  fi
  spec="$(__${FN}_argument "$cpath")"
  [[ -n "$spec" ]] && __${FN}_zreply "$spec"
  __${FN}_described "$cpath" commands
  (( \${#reply} )) && _describe -t commands 'command' reply
  return 0
}
if (( $+functions[compdef] )); then compdef _${FN} ${TOOL_NAME}; fi
`;
}

/** A fish string literal. */
function fq(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** The fish completion script (`complete -c`), for `s3-log-auditor completion fish | source`. */
export function fishScript(tree: CompletionNode): string {
  const nodes = [...walk(tree)];
  const cmd = TOOL_NAME;
  const lines: string[] = [
    `# fish completion for ${cmd} — generated by \`${cmd} completion fish\`; regenerate after an upgrade`,
    `function __${FN}_commands`,
    `    switch "$argv[1]"`,
    ...nodes.filter((n) => n.commands.length).map((n) => `        case ${fq(n.path.join(" "))}\n            echo ${n.commands.map((c) => fq(c.path.at(-1)!)).join(" ")}`),
    `    end`,
    `end`,
    `function __${FN}_value_options`,
    `    switch "$argv[1]"`,
    ...nodes.map((n) => {
      const flags = n.options.filter((o) => o.takesValue).flatMap((o) => o.flags);
      return `        case ${fq(n.path.join(" "))}\n            echo ${flags.length ? flags.map(fq).join(" ") : "''"}`;
    }),
    `    end`,
    `end`,
    `# the sub-command path of the words before the cursor: options and their values skipped`,
    `function __${FN}_path`,
    `    set -l tokens (commandline -opc)`,
    `    set -l cpath ''`,
    `    set -l skip 0`,
    `    for w in $tokens[2..-1]`,
    `        if test $skip = 1; set skip 0; continue; end`,
    `        if string match -q -- '-*' $w`,
    `            if not string match -q -- '*=*' $w; and contains -- $w (string split ' ' -- (__${FN}_value_options "$cpath"))`,
    `                set skip 1`,
    `            end`,
    `        else if contains -- $w (string split ' ' -- (__${FN}_commands "$cpath"))`,
    `            set cpath (string trim -- "$cpath $w")`,
    `        end`,
    `    end`,
    `    echo $cpath`,
    `end`,
    `function __${FN}_at`,
    `    test "$(__${FN}_path)" = "$argv[1]"`,
    `end`,
    `# comma lists (--rules a,b): the words after what is already typed`,
    `function __${FN}_list`,
    `    set -l cur (string replace -r -- '^--[^=]*=' '' (commandline -ct))`,
    `    set -l prefix (string match -r -- '^.*,' $cur)`,
    `    for w in $argv; echo "$prefix$w"; end`,
    `end`,
    `function __${FN}_profiles`,
    `    set -l config $HOME/.aws/config; set -q AWS_CONFIG_FILE; and set config $AWS_CONFIG_FILE`,
    `    set -l creds $HOME/.aws/credentials; set -q AWS_SHARED_CREDENTIALS_FILE; and set creds $AWS_SHARED_CREDENTIALS_FILE`,
    `    string replace -rf -- '^\\s*\\[(?:profile\\s+)?([^\\]\\s]+)\\].*$' '$1' < $config 2>/dev/null | string match -v -r '^sso-session'`,
    `    string replace -rf -- '^\\s*\\[([^\\]\\s]+)\\].*$' '$1' < $creds 2>/dev/null`,
    `end`,
    `complete -c ${cmd} -f`,
  ];
  const valueArgs = (v: ValueKind): string => {
    switch (v.kind) {
      case "none":
        return "-x";
      case "words":
        return `-x -a ${fq(v.words.join(" "))}`;
      case "list":
        return `-x -a ${fq(`(__${FN}_list ${v.words.join(" ")})`)}`;
      case "file":
        return `-r -F${v.words.length ? ` -a ${fq(v.words.join(" "))}` : ""}`;
      case "profile":
        return `-x -a ${fq(`(__${FN}_profiles)`)}`;
    }
  };
  for (const n of nodes) {
    const at = `-n ${fq(`__${FN}_at ${fq(n.path.join(" "))}`)}`;
    for (const c of n.commands) lines.push(`complete -c ${cmd} ${at} -a ${fq(c.path.at(-1)!)} -d ${fq(oneLine(c.description))}`);
    for (const o of n.options) {
      const spell = o.flags.map((f) => (f.startsWith("--") ? `-l ${f.slice(2)}` : `-s ${f.slice(1)}`)).join(" ");
      lines.push(`complete -c ${cmd} ${at} ${spell} ${o.takesValue ? valueArgs(o.value) : ""} -d ${fq(oneLine(o.description))}`.replace(/ {2,}/g, " "));
    }
    if (n.argument.kind !== "none") lines.push(`complete -c ${cmd} ${at} ${valueArgs(n.argument)}`);
  }
  return `${lines.join("\n")}\n`;
}

/** The completion script for one shell. */
export function completionScript(shell: CompletionShell, tree: CompletionNode): string {
  return shell === "bash" ? bashScript(tree) : shell === "zsh" ? zshScript(tree) : fishScript(tree);
}
