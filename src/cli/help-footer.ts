/**
 * The end of every command's `--help`: two or three real examples and the environment variables
 * the command reads. One table for the whole tree, attached after every command is registered.
 */
import type { Command } from "@commander-js/extra-typings";
import { TOOL_NAME } from "../base/identity.js";

const AWS_ENV = [
  "AWS_PROFILE, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN (credentials; --profile wins)",
  "AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE (profiles; default ~/.aws/config, ~/.aws/credentials)",
  "AWS_REGION, AWS_DEFAULT_REGION (Region of the first calls; default: the profile's, else us-east-1)",
  "AWS_ENDPOINT_URL, AWS_ENDPOINT_URL_S3, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS (endpoints; --endpoint-url wins)",
  "AWS_MAX_ATTEMPTS, AWS_RETRY_MODE (retries; default 6, standard)",
];
const PROGRESS_ENV = ["S3_LOG_AUDITOR_PROGRESS_INTERVAL (seconds between progress lines in pipes; default 10)", "CI (plain progress lines)"];
const COLOR_ENV = ["NO_COLOR (no colour)"];
const STATE_ENV = ["XDG_STATE_HOME, HOME (journals go to $XDG_STATE_HOME/s3-log-auditor/journals/, default ~/.local/state/…)"];

interface Footer {
  examples: string[];
  env: string[];
}

/** Examples and environment of each command, by its path below the program. */
export const HELP_FOOTERS: Record<string, Footer> = {
  scan: {
    examples: [
      `${TOOL_NAME} scan --org --role-name SecurityAudit --fail-on high --output s3-logging.sarif`,
      `${TOOL_NAME} scan --profile audit --regions eu-west-1 --buckets 'prod-*' --format json | jq .summary`,
      `${TOOL_NAME} scan --from-snapshot org.json --accounts 111122223333 --rules logging-enabled`,
    ],
    env: [...AWS_ENV, ...PROGRESS_ENV, ...COLOR_ENV],
  },
  fix: {
    examples: [
      `${TOOL_NAME} fix --org --plan-out plan.json`,
      `${TOOL_NAME} fix --apply plan.json --yes --journal fix.jsonl`,
      `${TOOL_NAME} fix --accounts 111122223333 --rules target-not-source,no-logging-cycle`,
    ],
    env: [...AWS_ENV, ...STATE_ENV, ...PROGRESS_ENV, ...COLOR_ENV],
  },
  "fix show": {
    examples: [
      `${TOOL_NAME} fix show plan.json`,
      `${TOOL_NAME} fix show plan.json | less -R`,
      `${TOOL_NAME} fix show plan.json --format json | jq '.steps | length'`,
    ],
    env: ["NO_COLOR, FORCE_COLOR (colour of the diffs on a terminal)"],
  },
  undo: {
    examples: [`${TOOL_NAME} undo fix.jsonl`, `${TOOL_NAME} undo fix.jsonl --force --journal undo.jsonl`],
    env: [...AWS_ENV, ...STATE_ENV, ...COLOR_ENV],
  },
  journals: {
    examples: [
      `${TOOL_NAME} journals`,
      `${TOOL_NAME} journals --format json | jq -r '.journals[] | select(.command == "fix" and (.undoneBy | length) == 0) | .path'`,
    ],
    env: [...STATE_ENV, ...COLOR_ENV],
  },
  rules: {
    examples: [`${TOOL_NAME} rules`, `${TOOL_NAME} rules --format md > RULES.md`, `${TOOL_NAME} rules --format json | jq -r '.rules[].id'`],
    env: COLOR_ENV,
  },
  merge: {
    examples: [
      `${TOOL_NAME} merge shard-*.json --fail-on high --format sarif --output s3-logging.sarif`,
      `${TOOL_NAME} merge shard-1.json shard-2.json --format json > report.json`,
    ],
    env: COLOR_ENV,
  },
  demo: {
    examples: [`${TOOL_NAME} demo`, `${TOOL_NAME} demo --format json | jq .summary.status`, `${TOOL_NAME} demo --fail-on high --rules no-logging-cycle`],
    env: ["none of the AWS_* variables: the demo uses its own simulated organization", ...PROGRESS_ENV, ...COLOR_ENV],
  },
  "demo fix": {
    examples: [`${TOOL_NAME} demo fix`, `${TOOL_NAME} demo fix --accounts 222222222222 --key-format simple`],
    env: ["none of the AWS_* variables: the demo uses its own simulated organization", ...STATE_ENV, "TERM, NO_COLOR (the terminal session)"],
  },
  sim: {
    examples: [
      `${TOOL_NAME} sim`,
      `${TOOL_NAME} sim --port 4566 --scenario my-org.yaml`,
      `${TOOL_NAME} sim --generate 50x200 --latency 20 --throttle 0.05 --seed 1`,
    ],
    env: ["none"],
  },
  completion: {
    examples: [
      `source <(${TOOL_NAME} completion bash)`,
      `source <(${TOOL_NAME} completion zsh)`,
      `${TOOL_NAME} completion fish > ~/.config/fish/completions/${TOOL_NAME}.fish`,
    ],
    env: ["none when generating; at completion time AWS_CONFIG_FILE and AWS_SHARED_CREDENTIALS_FILE (profile names)"],
  },
  logs: {
    examples: [`${TOOL_NAME} logs summarize ./logs/`, `${TOOL_NAME} logs parse s3://my-log-bucket/app/ --since 24h --format csv`],
    env: [...AWS_ENV, ...COLOR_ENV],
  },
  "logs parse": {
    examples: [
      `${TOOL_NAME} logs parse ./logs/ --status 403 | jq -r .requester`,
      `${TOOL_NAME} logs parse s3://my-log-bucket/app/ --since 24h --format csv --output records.csv`,
    ],
    env: [...AWS_ENV, ...COLOR_ENV],
  },
  "logs summarize": {
    examples: [`${TOOL_NAME} logs summarize ./logs/`, `${TOOL_NAME} logs summarize s3://my-log-bucket/app/ --since 7d --top 20`],
    env: [...AWS_ENV, ...COLOR_ENV],
  },
  "logs query": {
    examples: [
      `${TOOL_NAME} logs query "SELECT requester, count(*) FROM logs WHERE httpstatus = 403 GROUP BY 1" ./logs/`,
      `${TOOL_NAME} logs query --example deletions s3://my-log-bucket/app/ --since 7d`,
      `${TOOL_NAME} logs query --list-examples`,
    ],
    env: [...AWS_ENV, ...COLOR_ENV],
  },
  "logs athena": {
    examples: [
      `${TOOL_NAME} logs athena --from-snapshot snapshot.json --output athena.sql`,
      `${TOOL_NAME} logs athena --bucket my-log-bucket --prefix logs/ --key-format partitioned`,
    ],
    env: [...AWS_ENV],
  },
  "demo logs": {
    examples: [`${TOOL_NAME} demo logs summarize`, `${TOOL_NAME} demo logs parse s3://demo-logs-222222222222-us-east-1/ --status 4xx`],
    env: ["none of the AWS_* variables: the demo uses its own simulated organization", ...COLOR_ENV],
  },
  "demo logs parse": {
    examples: [`${TOOL_NAME} demo logs parse --status 403`, `${TOOL_NAME} demo logs parse s3://demo-logs-222222222222-us-east-1/ --format csv`],
    env: ["none of the AWS_* variables: the demo uses its own simulated organization", ...COLOR_ENV],
  },
  "demo logs summarize": {
    examples: [`${TOOL_NAME} demo logs summarize`, `${TOOL_NAME} demo logs summarize --format markdown --top 5`],
    env: ["none of the AWS_* variables: the demo uses its own simulated organization", ...COLOR_ENV],
  },
  "demo logs query": {
    examples: [`${TOOL_NAME} demo logs query --example forbidden`, `${TOOL_NAME} demo logs query "SELECT operation, count(*) FROM logs GROUP BY 1"`],
    env: ["none of the AWS_* variables: the demo uses its own simulated organization", ...COLOR_ENV],
  },
};

/** Every command of the tree with its path below the program ("demo fix"); `help` left out. */
export function commandsByPath(program: Command): [string, Command][] {
  const out: [string, Command][] = [];
  const visit = (cmd: Command, path: string[]) => {
    for (const sub of cmd.commands as unknown as Command[]) {
      if (sub.name() === "help") continue;
      const p = [...path, sub.name()];
      out.push([p.join(" "), sub]);
      visit(sub, p);
    }
  };
  visit(program, []);
  return out;
}

/** The text appended to a command's help. */
export function helpFooter(f: Footer): string {
  return `\nExamples:\n${f.examples.map((e) => `  ${e}`).join("\n")}\n\nEnvironment:\n${f.env.map((e) => `  ${e}`).join("\n")}`;
}

/** Appends examples and environment to the help of every command that has an entry. */
export function addHelpFooters(program: Command): void {
  for (const [path, cmd] of commandsByPath(program)) {
    const f = HELP_FOOTERS[path];
    if (f) cmd.addHelpText("after", helpFooter(f));
  }
}
