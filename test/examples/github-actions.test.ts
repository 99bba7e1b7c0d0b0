/**
 * The GitHub Actions examples (examples/github-actions/): parsed as YAML, every s3-log-auditor
 * command they run is checked against the built CLI's own help (the subcommand exists, every flag
 * is one of its options, choice values are allowed), the workflow wiring is checked (OIDC,
 * SARIF upload of a file the scan writes, HTML artifact, the delivery snapshot kept between runs),
 * and the sharded example's commands are run for real against the simulated organization.
 */
import { spawn } from "node:child_process";
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSim } from "../../src/sim/index.js";
import { CLI, ROOT, cleanEnv, runCli, tempDir } from "../cli/helpers.js";
import { parseValidReport } from "../cli/report-schema.js";

const DIR = join(ROOT, "examples", "github-actions");

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  if?: string;
}
interface Workflow {
  on: unknown;
  permissions?: Record<string, string>;
  env?: Record<string, string>;
  jobs: Record<string, { steps: Step[]; needs?: string | string[]; strategy?: { matrix?: Record<string, unknown[]> } }>;
}

function load(file: string): Workflow {
  return parseYaml(readFileSync(join(DIR, file), "utf8")) as Workflow;
}

/**
 * Splits a shell line into words, honouring single and double quotes (enough for these
 * examples); a GitHub expression `${{ matrix.shard }}` becomes one word `${{matrix.shard}}`.
 */
function shellWords(line: string): string[] {
  line = line.replace(/\$\{\{\s*(.*?)\s*\}\}/g, (_, e: string) => `\${{${e.replace(/\s+/g, "")}}}`);
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  for (let m = re.exec(line); m; m = re.exec(line)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

/** Every `s3-log-auditor …` invocation in a step's script, as argument lists (after the program name). */
function invocations(script: string): string[][] {
  const out: string[][] = [];
  for (const raw of script.replace(/\\\n/g, " ").split("\n")) {
    const words = shellWords(raw.trim());
    const at = words.indexOf("s3-log-auditor");
    if (at >= 0 && (at === 0 || ["then", "else", "do", "&&", "||"].includes(words[at - 1]!))) out.push(words.slice(at + 1));
  }
  return out;
}

interface CommandHelp {
  flags: Set<string>;
  choices: Map<string, string[]>;
  takesValue: Set<string>;
}

/** Options of a subcommand, from `s3-log-auditor <cmd> --help` of the built CLI. */
async function commandHelp(cmd: string): Promise<CommandHelp> {
  const r = await runCli([cmd, "--help"]);
  expect(r.code, r.stderr).toBe(0);
  const section = r.stdout.split(/^Options:$/m)[1]!.split(/^\S/m)[0]!;
  const blocks = section.split(/\n(?=\s{2}-)/);
  const help: CommandHelp = { flags: new Set(), choices: new Map(), takesValue: new Set() };
  for (const block of blocks) {
    const m = /^\s*(?:-\w, )?(--[a-z0-9-]+)(\s+[<[])?/.exec(block);
    if (!m) continue;
    help.flags.add(m[1]!);
    if (m[2]) help.takesValue.add(m[1]!);
    const c = /\(choices: ([^)]*)\)/.exec(block.replace(/\s+/g, " "));
    if (c) help.choices.set(m[1]!, [...c[1]!.matchAll(/"([^"]+)"/g)].map((x) => x[1]!));
  }
  return help;
}

async function topLevelCommands(): Promise<Set<string>> {
  const r = await runCli(["--help"]);
  const section = r.stdout.split(/^Commands:$/m)[1]!;
  return new Set([...section.matchAll(/^\s{2}([a-z][a-z-]*)/gm)].map((m) => m[1]!));
}

const files = readdirSync(DIR).filter((f) => f.endsWith(".yml") || f.endsWith(".yaml"));

describe("examples/github-actions", () => {
  it("has the single-job workflow and the sharded one", () => {
    expect(files.sort()).toEqual(["s3-logging-sharded.yml", "s3-logging.yml"]);
  });

  it.each(files)("%s: every s3-log-auditor command and flag exists in the built CLI", async (file) => {
    const wf = load(file);
    const commands = await topLevelCommands();
    const helps = new Map<string, CommandHelp>();
    let checked = 0;
    for (const job of Object.values(wf.jobs)) {
      for (const step of job.steps) {
        for (const args of invocations(step.run ?? "")) {
          const [cmd, ...rest] = args;
          expect(commands, `${file}: unknown command ${cmd}`).toContain(cmd);
          if (!helps.has(cmd!)) helps.set(cmd!, await commandHelp(cmd!));
          const help = helps.get(cmd!)!;
          for (let i = 0; i < rest.length; i++) {
            const w = rest[i]!;
            if (!w.startsWith("--")) continue;
            expect(help.flags, `${file}: ${cmd} has no ${w}`).toContain(w);
            const allowed = help.choices.get(w);
            if (allowed) expect(allowed, `${file}: ${cmd} ${w} ${rest[i + 1]}`).toContain(rest[i + 1]);
            if (help.takesValue.has(w)) i++;
          }
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it("s3-logging.yml: OIDC credentials, SARIF to code scanning, HTML as an artifact, the delivery snapshot kept between runs", () => {
    const wf = load("s3-logging.yml");
    expect(wf.permissions).toMatchObject({ "id-token": "write", "security-events": "write" });
    const steps = wf.jobs.scan!.steps;
    const uses = (prefix: string) => steps.filter((s) => s.uses?.startsWith(prefix));
    expect(uses("aws-actions/configure-aws-credentials@")[0]!.with!["role-to-assume"]).toBeTruthy();
    const scan = steps.flatMap((s) => invocations(s.run ?? "")).filter((a) => a[0] === "scan");
    expect(scan.length).toBeGreaterThan(0);
    for (const args of scan) {
      expect(args).toContain("--check-delivery");
      expect(args).toContain("--save-snapshot");
    }
    expect(scan.some((a) => a.includes("--since-snapshot"))).toBe(true);
    const outputs = new Set(scan.flatMap((a) => a.flatMap((w, i) => (w === "--output" ? [a[i + 1]!] : []))));
    expect(outputs).toContain(uses("github/codeql-action/upload-sarif@")[0]!.with!.sarif_file);
    const artifact = String(uses("actions/upload-artifact@")[0]!.with!.path);
    expect([...outputs].filter((o) => o.endsWith(".html")).every((o) => artifact.includes(o))).toBe(true);
    expect([...outputs].some((o) => o.endsWith(".html"))).toBe(true);
    const restored = uses("actions/cache/restore@")[0]!.with!.path;
    const saved = uses("actions/cache/save@")[0]!.with!.path;
    expect(restored).toBe(saved);
  });

  it("s3-logging-sharded.yml: a matrix of shards 1..N of N, then one merge of all N", () => {
    const wf = load("s3-logging-sharded.yml");
    const shards = wf.jobs.shard!.strategy!.matrix!.shard as number[];
    const scan = wf.jobs.shard!.steps.flatMap((s) => invocations(s.run ?? ""))[0]!;
    const n = shards.length;
    expect(scan[scan.indexOf("--shard") + 1]).toBe(`\${{matrix.shard}}/${n}`);
    expect(wf.jobs.merge!.needs).toBe("shard");
    const merge = wf.jobs.merge!.steps.flatMap((s) => invocations(s.run ?? ""))[0]!;
    expect(merge.filter((w) => w.endsWith(".json") && !w.startsWith("--") && merge[merge.indexOf(w) - 1] !== "--output")).toHaveLength(n);
  });
});

/** The demo simulator and a temporary folder for the describe block that calls it. */
function demoSimulator(): { sim: () => RunningSim; tmp: ReturnType<typeof tempDir> } {
  let sim: RunningSim | undefined;
  const tmp = tempDir();
  beforeAll(async () => {
    sim = await startSimulator({ scenario: "demo", port: 0 });
  });
  afterAll(async () => {
    await sim?.close();
    tmp.cleanup();
  });
  return { sim: () => sim!, tmp };
}

describe("the sharded example, run against the simulated organization", () => {
  const { sim, tmp } = demoSimulator();

  it("each shard's scan and the merge run as written (plus the simulator's endpoint) and give one complete report", async () => {
    const wf = load("s3-logging-sharded.yml");
    const shards = wf.jobs.shard!.strategy!.matrix!.shard as number[];
    const scan = wf.jobs.shard!.steps.flatMap((s) => invocations(s.run ?? ""))[0]!;
    for (const i of shards) {
      const args = scan.map((w) => w.replace("${{matrix.shard}}", String(i)));
      const r = await runCli([...args, "--endpoint-url", sim().endpoint, "--quiet"], { cwd: tmp.dir });
      expect(r.code, r.stderr).toBe(0);
    }
    const merge = wf.jobs.merge!.steps.flatMap((s) => invocations(s.run ?? ""))[0]!.map((w) => w.replace(/^shards\//, ""));
    const r = await runCli([...merge, "--quiet"], { cwd: tmp.dir });
    expect(r.code, r.stderr).toBe(1);
    const outputs = merge.flatMap((w, i) => (w === "--output" ? [merge[i + 1]!] : []));
    for (const o of outputs) expect(existsSync(join(tmp.dir, o)), o).toBe(true);
    const report = parseValidReport(readFileSync(join(tmp.dir, outputs.find((o) => o.endsWith(".json"))!), "utf8"));
    expect(report.summary.complete).toBe(true);
    expect(report.scope.shard).toBeUndefined();
    expect(report.summary.accounts).toBe(4);
  });
});

describe("the single-job example, run twice against the simulated organization", () => {
  const { sim, tmp } = demoSimulator();

  /**
   * Runs one step's script with bash in the temp dir; `s3-log-auditor` is the built CLI aimed at
   * the simulator, with `extra` arguments appended (to list passing results too).
   */
  function runStep(step: Step, env: Record<string, string>, extra = ""): Promise<{ code: number | null; stderr: string }> {
    const prelude = `s3-log-auditor() { "${process.execPath}" "${CLI}" "$@" --endpoint-url "${sim().endpoint}" --quiet ${extra}; }\n`;
    return new Promise((resolve, reject) => {
      const child = spawn("bash", ["-c", prelude + step.run!], { cwd: tmp.dir, env: cleanEnv(env), stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stderr }));
    });
  }

  it("the first run saves the snapshot the second run's delivery check starts from (canary)", async () => {
    const wf = load("s3-logging.yml");
    const steps = wf.jobs.scan!.steps;
    const scan = steps.find((s) => invocations(s.run ?? "").some((a) => a[0] === "scan"))!;
    const keep = steps.find((s) => /\bmv\b/.test(s.run ?? ""))!;
    const env = { ...wf.env! };
    const previous = join(tmp.dir, env.SNAPSHOT_DIR!, "previous.json");
    const outputs = invocations(scan.run!)[0]!.flatMap((w, i, a) => (w === "--output" ? [a[i + 1]!] : []));

    const first = await runStep(scan, env);
    expect(first.code, first.stderr).toBe(1); // the demo organization has high findings: the gate fails
    for (const o of outputs) expect(existsSync(join(tmp.dir, o)), o).toBe(true);
    expect((await runStep(keep, env)).code).toBe(0);
    expect(existsSync(previous)).toBe(true);
    const canaryRun = JSON.parse(readFileSync(previous, "utf8")) as { kind: string };
    expect(canaryRun.kind).toBe("s3-log-auditor-snapshot");

    expect(sim().advanceClock(3 * 3_600_000)).toBeGreaterThan(0); // past the simulated delivery delay
    const second = await runStep(scan, env, "--include-passed");
    expect(second.code, second.stderr).toBe(1);
    const report = parseValidReport(readFileSync(join(tmp.dir, outputs.find((o) => o.endsWith(".json"))!), "utf8"));
    const states = report.findings.filter((f) => f.ruleId === "logs-delivered").map((f) => (f.details as { delivery?: string } | undefined)?.delivery);
    expect(states.length).toBeGreaterThan(0);
    expect(states).not.toContain(undefined);
    // The second run had the first one's snapshot: its canary requests were found in the delivered logs.
    expect(states).toContain("proven");
    expect(existsSync(join(tmp.dir, env.SNAPSHOT_DIR!, "current.json"))).toBe(true);
  });
});
