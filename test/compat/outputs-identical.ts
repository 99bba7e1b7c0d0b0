/**
 * Proves that a change kept the product's outputs byte-identical for the demo organization:
 * builds a git revision in a temporary worktree, builds this checkout, runs both on the demo
 * and diffs what they wrote.
 *
 *   npx tsx test/compat/outputs-identical.ts <revision> [--keep]
 *
 * Compared, per side (each with its own build and its own simulator, on loopback only):
 *   demo --format json · demo (table) · fix --plan-out (stdout + plan file) ·
 *   fix --yes --journal (stdout + journal) · undo (stdout + undo journal).
 * Normalised, because they differ between any two runs: ISO timestamps of the run
 * (JSON keys startedAt, finishedAt, createdAt, snapshotAt, at; in text, any ISO instant) and the
 * simulator's port. Nothing else. Exit 0 when identical, 1 with a diff otherwise.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";

const ROOT = resolve(import.meta.dirname, "../..");
const NODE = join(ROOT, "node_modules/.bin/node");
const RUN_TIME = /("(?:startedAt|finishedAt|createdAt|snapshotAt|at)":\s*)"[^"]*"/g;
const ISO = /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z/g;
const PORT = /127\.0\.0\.1:\d+/g;

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}: ${r.stderr}`);
  return r.stdout;
}

/** Runs the built CLI of `dir`; stdout, stderr and exit code. */
function cli(dir: string, cwd: string, args: string[], env: Record<string, string> = {}): { out: string; err: string; code: number } {
  const r = spawnSync(NODE, [join(dir, "dist/cli.js"), ...args], {
    cwd,
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", HOME: cwd, NO_COLOR: "1", TZ: "UTC", LANG: "C", ...env },
  });
  return { out: r.stdout, err: r.stderr, code: r.status ?? -1 };
}

/** Starts `sim --scenario demo` of `dir` on `port`; resolves with its endpoint. */
async function startSim(dir: string, port: number): Promise<{ endpoint: string; proc: ChildProcess }> {
  const proc = spawn(NODE, [join(dir, "dist/cli.js"), "sim", "--scenario", "demo", "--port", String(port), "--quiet"], {
    stdio: ["ignore", "pipe", "ignore"],
  });
  const line = await new Promise<string>((res, rej) => {
    const rl = createInterface({ input: proc.stdout });
    rl.once("line", (l) => {
      rl.close();
      res(l);
    });
    proc.once("exit", (c) => rej(new Error(`simulator exited (${c})`)));
  });
  return { endpoint: line.trim(), proc };
}

function stopSim(s: { proc: ChildProcess }): Promise<void> {
  return new Promise((res) => {
    s.proc.once("exit", () => res());
    s.proc.kill("SIGTERM");
  });
}

/** JSON text with the run's timestamps replaced in place (every other byte kept). */
function normaliseJsonText(text: string): string {
  return text.replace(RUN_TIME, '$1"<run time>"');
}

function normaliseText(text: string): string {
  return text.replace(ISO, "<time>").replace(PORT, "127.0.0.1:PORT");
}

/** Every output of one side, by name. */
async function outputs(dir: string, work: string, ports: [number, number]): Promise<Map<string, string>> {
  mkdirSync(work, { recursive: true });
  const o = new Map<string, string>();
  const put = (name: string, r: { out: string; err: string; code: number }) => {
    o.set(`${name} (stdout)`, normaliseText(r.out));
    o.set(`${name} (stderr)`, normaliseText(r.err));
    o.set(`${name} (exit code)`, `${r.code}\n`);
  };
  const json = cli(dir, work, ["demo", "--format", "json", "--quiet"]);
  o.set("demo --format json (stdout)", normaliseJsonText(json.out));
  o.set("demo --format json (exit code)", `${json.code}\n`);
  put("demo", cli(dir, work, ["demo"]));

  const creds = { AWS_ACCESS_KEY_ID: "AKIACOMPARECOMPARE00", AWS_SECRET_ACCESS_KEY: "compare", AWS_REGION: "us-east-1" };
  const a = await startSim(dir, ports[0]);
  try {
    put("fix --plan-out", cli(dir, work, ["fix", "--org", "--endpoint-url", a.endpoint, "--plan-out", "plan.json"], creds));
    o.set("plan file", normaliseJsonText(readFileSync(join(work, "plan.json"), "utf8")));
  } finally {
    await stopSim(a);
  }
  const b = await startSim(dir, ports[1]);
  try {
    put("fix --yes --journal", cli(dir, work, ["fix", "--org", "--endpoint-url", b.endpoint, "--yes", "--journal", "journal.jsonl", "--quiet"], creds));
    o.set("journal", journalText(join(work, "journal.jsonl")));
    put("undo", cli(dir, work, ["undo", "journal.jsonl", "--endpoint-url", b.endpoint, "--journal", "undo.jsonl", "--quiet"], creds));
    o.set("undo journal", journalText(join(work, "undo.jsonl")));
  } finally {
    await stopSim(b);
  }
  return o;
}

function journalText(file: string): string {
  return existsSync(file) ? normaliseJsonText(readFileSync(file, "utf8")) : "(no file)\n";
}

async function main(): Promise<number> {
  const rev = process.argv[2];
  const keep = process.argv.includes("--keep");
  if (!rev) {
    process.stderr.write("usage: tsx test/compat/outputs-identical.ts <git revision> [--keep]\n");
    return 2;
  }
  const tmp = mkdtempSync(join(tmpdir(), "s3la-compat-"));
  const base = join(tmp, "base");
  try {
    sh("git", ["worktree", "add", "--detach", base, rev], ROOT);
    // The revision's runtime dependencies are a subset of this checkout's: share node_modules.
    symlinkSync(join(ROOT, "node_modules"), join(base, "node_modules"));
    sh("npm", ["run", "build", "--silent"], base);
    sh("npm", ["run", "build", "--silent"], ROOT);
    const before = await outputs(base, join(tmp, "out-base"), [41010, 41011]);
    const after = await outputs(ROOT, join(tmp, "out-head"), [41012, 41013]);
    let differences = 0;
    for (const [name, text] of before) {
      const other = after.get(name) ?? "(missing)\n";
      if (other === text) {
        process.stdout.write(`identical  ${name} (${Buffer.byteLength(text)} bytes)\n`);
        continue;
      }
      differences++;
      writeFileSync(join(tmp, "a.txt"), text);
      writeFileSync(join(tmp, "b.txt"), other);
      const d = spawnSync("diff", ["-u", "--label", `${rev}: ${name}`, "--label", `HEAD: ${name}`, join(tmp, "a.txt"), join(tmp, "b.txt")], { encoding: "utf8" });
      process.stdout.write(`DIFFERENT  ${name}\n${d.stdout.split("\n").slice(0, 60).join("\n")}\n`);
    }
    process.stdout.write(differences === 0 ? `All ${before.size} outputs identical to ${rev}.\n` : `${differences} of ${before.size} outputs differ from ${rev}.\n`);
    return differences === 0 ? 0 : 1;
  } finally {
    spawnSync("git", ["worktree", "remove", "--force", base], { cwd: ROOT });
    if (!keep) rmSync(tmp, { recursive: true, force: true });
    else process.stdout.write(`kept ${tmp}\n`);
  }
}

process.exitCode = await main();
