/**
 * Shell completion (`completion bash|zsh|fish`): the generated scripts are loaded into the real
 * shells and asked for completions — bash through its completion function with COMP_WORDS, fish
 * through `complete -C`, zsh through its completion function with the completion builtins
 * replaced by recorders (they only work inside a live line editor).
 */
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import type { Command } from "@commander-js/extra-typings";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { buildProgram } from "../../src/cli/main.js";
import { REPORT_FORMAT_NAMES as REPORT_FORMATS } from "../../src/output/format.js";
import { runCli, tempDir } from "./helpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const RULE_IDS = allRules().map((r) => r.meta.id);
const script: Record<string, string> = {};
const awsConfig = tmp.file("aws-config");
const awsCredentials = tmp.file("aws-credentials");

beforeAll(async () => {
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await runCli(["completion", shell]);
    expect(r).toMatchObject({ code: 0, stderr: "" });
    script[shell] = tmp.file(`completion.${shell}`);
    writeFileSync(script[shell], r.stdout);
  }
  writeFileSync(awsConfig, "[default]\nregion = us-east-1\n[profile audit]\nregion = eu-west-1\n[sso-session corp]\nsso_region = us-east-1\n[profile ci-role]\nrole_arn = arn:aws:iam::111122223333:role/x\n");
  writeFileSync(awsCredentials, "[legacy-keys]\naws_access_key_id = x\n");
  writeFileSync(tmp.file("plan.json"), "{}");
  writeFileSync(tmp.file("fix-journal.jsonl"), "");
});

const shellEnv = () => ({
  PATH: process.env.PATH ?? "/usr/bin:/bin",
  HOME: tmp.dir,
  AWS_CONFIG_FILE: awsConfig,
  AWS_SHARED_CREDENTIALS_FILE: awsCredentials,
});

function sh(bin: string, args: string[]): string[] {
  const r = spawnSync(bin, args, { cwd: tmp.dir, env: shellEnv(), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${bin} exited ${r.status}: ${r.stderr}`);
  return r.stdout.split("\n").filter((l) => l !== "");
}

/** Bash's answer for the words typed so far (the last one is being completed). */
function bash(...words: string[]): string[] {
  const prog = `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _s3_log_auditor; printf '%s\\n' "\${COMPREPLY[@]}"`;
  return sh("bash", ["--norc", "--noprofile", "-c", prog, "bash", script.bash!, "s3-log-auditor", ...words]).sort();
}

/** Fish's candidates (without descriptions) for a command line. */
function fish(line: string): string[] {
  return sh("fish", ["--no-config", "-c", `source ${script.fish}; complete -C ${JSON.stringify(line)}`])
    .map((l) => l.split("\t")[0]!)
    .sort();
}

/** What zsh's completion function offers (compadd/_describe/_files recorded), before zsh's own prefix filtering. */
function zsh(...words: string[]): string[] {
  const prog = [
    'compadd() { local -a w; while (( $# )); do case "$1" in -a) w+=( ${(P)2} ); shift 2 ;; -S|-P|-J|-X) shift 2 ;; --) shift; w+=( "$@" ); break ;; -*) shift ;; *) w+=( "$1" ); shift ;; esac; done; print -l -- $w; }',
    '_describe() { local -a entries; entries=( ${(P)4} ); print -l -- ${entries%%:*}; }',
    "_files() { print -- '<files>'; }",
    "compset() { return 0; }",
    'source "$1"; shift',
    'words=( "$@" ); CURRENT=$#',
    "_s3_log_auditor",
  ].join("\n");
  return sh("zsh", ["-f", "-c", prog, "zsh", script.zsh!, "s3-log-auditor", ...words]).sort();
}

/** Every visible command path of the program, with its visible long flags (commander's own view). */
function commandPaths(): { path: string[]; flags: string[] }[] {
  const out: { path: string[]; flags: string[] }[] = [];
  const visit = (cmd: Command, path: string[]) => {
    const help = cmd.createHelp();
    const c = cmd as unknown as Parameters<typeof help.visibleOptions>[0];
    out.push({ path, flags: help.visibleOptions(c).flatMap((o) => [o.long, o.short].filter((f): f is string => !!f)) });
    for (const sub of help.visibleCommands(c)) if (sub.name() !== "help") visit(sub as unknown as Command, [...path, sub.name()]);
  };
  visit(buildProgram(), []);
  return out;
}

describe("bash", () => {
  it("offers every command registered on the program", () => {
    const names = buildProgram().commands.map((c) => c.name());
    expect(names).toEqual(expect.arrayContaining(["scan", "fix", "undo", "rules", "demo", "completion"]));
    expect(bash("")).toEqual([...names, "help"].filter((n, i, a) => a.indexOf(n) === i).sort());
    expect(bash("sc")).toEqual(["scan"]);
  });

  it("offers every option of every command path, and the sub-commands of nested ones", () => {
    for (const { path, flags } of commandPaths()) {
      expect({ path, offered: bash(...path, "-") }).toEqual({ path, offered: [...flags].sort() });
    }
    expect(bash("demo", "")).toContain("fix");
    expect(bash("demo", "--format", "json", "fix", "--key")).toEqual(["--key-format"]);
  });

  it("completes choices, also after --opt= and a short flag", () => {
    expect(bash("scan", "--format", "")).toEqual([...REPORT_FORMATS].sort());
    expect(bash("scan", "--format", "=", "j")).toEqual(["json", "junit"]);
    expect(bash("scan", "-f", "s")).toEqual(["sarif"]);
    expect(bash("scan", "--fail-on", "cr")).toEqual(["critical"]);
    expect(bash("completion", "")).toEqual(["bash", "fish", "zsh"]);
    // a value that takes anything is not completed with commands or options
    expect(bash("scan", "--concurrency", "")).toEqual([]);
  });

  it("completes rule ids, one item of a comma list at a time", () => {
    expect(bash("scan", "--rules", "")).toEqual([...RULE_IDS].sort());
    expect(bash("fix", "--rules", "logging-enabled,target-same-")).toEqual(["logging-enabled,target-same-account", "logging-enabled,target-same-region"]);
  });

  it("completes AWS profiles from the config and credentials files, and file arguments", () => {
    expect(bash("scan", "--profile", "")).toEqual(["audit", "ci-role", "default", "legacy-keys"]);
    expect(bash("undo", "fix-")).toEqual(["fix-journal.jsonl"]);
    expect(bash("fix", "--apply", "pl")).toEqual(["plan.json"]);
    expect(bash("fix", "")).toEqual(["show"]);
    expect(bash("fix", "show", "pl")).toEqual(["plan.json"]);
    expect(bash("fix", "show", "--format", "")).toEqual(["json", "table"]);
    expect(bash("jo")).toEqual(["journals"]);
    expect(bash("journals", "--format", "")).toEqual(["json", "table"]);
    expect(bash("sim", "--scenario", "d")).toEqual(["demo"]);
  });
});

describe("fish", () => {
  it("commands, options, choices, rule ids, profiles and files", () => {
    const names = buildProgram().commands.map((c) => c.name());
    expect(fish("s3-log-auditor ")).toEqual(expect.arrayContaining(names));
    expect(fish("s3-log-auditor scan --for")).toEqual(["--format"]);
    expect(fish("s3-log-auditor scan --format ")).toEqual([...REPORT_FORMATS].sort());
    expect(fish("s3-log-auditor scan --rules target-same-")).toEqual(["target-same-account", "target-same-region"]);
    expect(fish("s3-log-auditor scan --rules logging-enabled,target-same-")).toEqual(["logging-enabled,target-same-account", "logging-enabled,target-same-region"]);
    expect(fish("s3-log-auditor demo --format json fix --key")).toEqual(["--key-format"]);
    expect(fish("s3-log-auditor scan --profile ")).toEqual(["audit", "ci-role", "default", "legacy-keys"]);
    expect(fish("s3-log-auditor undo fix-")).toEqual(["fix-journal.jsonl"]);
    expect(fish("s3-log-auditor completion ")).toEqual(["bash", "fish", "zsh"]);
    expect(fish("s3-log-auditor fix sh")).toEqual(["show"]);
    expect(fish("s3-log-auditor fix show --format ")).toEqual(["json", "table"]);
    expect(fish("s3-log-auditor journals --format ")).toEqual(["json", "table"]);
  });
});

describe("zsh", () => {
  it("the script is valid zsh and registers with compdef", () => {
    expect(sh("zsh", ["-n", script.zsh!])).toEqual([]);
    expect(sh("zsh", ["-f", "-c", `compdef() { print -- "$@"; }; source ${script.zsh}`])).toEqual(["_s3_log_auditor s3-log-auditor"]);
  });

  it("commands, options, choices, rule ids, profiles and files", () => {
    const names = buildProgram().commands.map((c) => c.name());
    expect(zsh("")).toEqual(expect.arrayContaining(names));
    expect(zsh("scan", "--f")).toEqual(expect.arrayContaining(["--format", "--fail-on", "--from-snapshot"]));
    expect(zsh("scan", "--format", "")).toEqual([...REPORT_FORMATS].sort());
    expect(zsh("scan", "--format=")).toEqual([...REPORT_FORMATS].sort());
    expect(zsh("scan", "--rules", "logging-enabled,t")).toEqual([...RULE_IDS].sort());
    expect(zsh("demo", "--format", "json", "fix", "--")).toContain("--key-format");
    expect(zsh("demo", "--format", "json", "fix", "--")).not.toContain("--from-snapshot");
    expect(zsh("scan", "--profile", "")).toEqual(["audit", "ci-role", "default", "legacy-keys"]);
    expect(zsh("undo", "")).toEqual(["<files>"]);
    expect(zsh("fix", "show", "")).toEqual(["<files>"]);
    expect(zsh("fix", "show", "--format", "")).toEqual(["json", "table"]);
  });
});
