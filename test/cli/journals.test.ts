/**
 * Journals in the per-user state directory, through the built CLI on the demo organization:
 * `fix --yes` journals to $XDG_STATE_HOME/s3-log-auditor/journals/ (else ~/.local/state/…), never
 * the working directory; a run that writes nothing leaves no journal (and appends nothing to an
 * existing one); the printed undo command names the real path, quoted, and works as printed;
 * `journals` lists them (table and JSON), with torn and foreign files as one unreadable line each.
 * Every run gets a temporary XDG_STATE_HOME and HOME: nothing is written into the real home.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../../src/sim/index.js";
import { CLI, cliEnv, runCli, tempDir, type Sim } from "../fix/helpers.js";

/** Runs a command line in sh without blocking this process. */
function shell(line: string, cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("sh", ["-c", line], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stdout, stderr }));
  });
}

interface Listed {
  file: string;
  path: string;
  command: string;
  writes: number;
  undoneBy: string[];
  undoOf?: string;
}

describe("journals directory and the journals command (demo organization, built CLI)", () => {
  let sim: Sim;
  let dir: string;
  let state: string;
  let env: NodeJS.ProcessEnv;
  let journals: string;
  const files = () => (existsSync(journals) ? readdirSync(journals).sort() : []);
  beforeAll(async () => {
    sim = await startSimulator({ scenario: "demo", port: 0 });
    dir = tempDir();
    // a space and a quote in the path: the printed undo command must quote it
    state = join(dir, "state dir's");
    env = { ...cliEnv(sim), XDG_STATE_HOME: state, HOME: join(dir, "home") };
    journals = join(state, "s3-log-auditor", "journals");
  });
  afterAll(async () => {
    await sim.close();
  });

  it("a plan-only run creates nothing; an empty directory lists as none", async () => {
    const plan = await runCli(["fix", "--org", "--plan-out", join(dir, "plan.json"), "-q"], env, { cwd: dir });
    expect(plan.code).toBe(0);
    expect(existsSync(state)).toBe(false);
    const r = await runCli(["journals"], env);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toBe(`Journals in ${journals}\nnone yet (fix --yes, fix --apply and undo write one here unless given --journal)\n`);
    const j = await runCli(["journals", "--format", "json"], env);
    expect(JSON.parse(j.stdout)).toEqual({ kind: "s3-log-auditor-journals", schemaVersion: 1, dir: journals, journals: [], unreadable: [] });
  });

  it("fix --yes journals into the state directory (not the working directory); the printed undo command works as printed", async () => {
    const cwd = join(dir, "work");
    mkdirSync(cwd);
    const fix = await runCli(["fix", "--org", "--yes", "-q"], env, { cwd });
    expect(fix.code).toBe(1); // the demo's one manual step is left
    expect(fix.stdout).toMatch(/^Summary: [1-9]\d* applied, .*0 failed, 1 manual/m);
    expect(readdirSync(cwd)).toEqual([]);
    expect(files()).toHaveLength(1);
    const journal = join(journals, files()[0]!);
    expect(files()[0]).toMatch(/^fix-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z\.jsonl$/);
    expect(fix.stdout).toContain(`Journal: ${journal}\n`);
    const undoLine = /^Undo with: (.*)$/m.exec(fix.stdout)![1]!;
    // POSIX-quoted by the shared helper: the shell gives back exactly the real path
    const words = spawnSync("sh", ["-c", `printf '%s\\n' ${undoLine}`], { encoding: "utf8" }).stdout.trimEnd().split("\n");
    expect(words).toEqual(["s3-log-auditor", "undo", journal]);

    // the command as printed, with `s3-log-auditor` being the built CLI
    const bin = join(dir, "bin");
    mkdirSync(bin);
    writeFileSync(join(bin, "s3-log-auditor"), `#!/bin/sh\nexec "${process.execPath}" "${CLI}" "$@"\n`, { mode: 0o755 });
    // (asynchronously: the simulator answers from this process)
    const undo = await shell(`${undoLine} -q`, cwd, { ...env, PATH: `${bin}:${dirname(process.execPath)}:${env.PATH ?? ""}` });
    // exit 1: the demo's broken prior logging configurations are not restorable (AWS refuses them)
    expect({ status: undo.status, stderr: undo.stderr }).toEqual({ status: 1, stderr: "" });
    expect(undo.stdout).toMatch(/^Summary: [1-9]\d* restored, .* 0 failed/m);
    expect(readdirSync(cwd)).toEqual([]);
    const undoJournal = /^Undo journal: (.*)$/m.exec(undo.stdout)![1]!;
    expect(dirname(undoJournal)).toBe(journals);
    expect(files()).toHaveLength(2);
  });

  it("a run that writes nothing leaves no journal, and appends nothing to an existing one", async () => {
    const before = files();
    // one bucket fixed, undone, then undone again: the second undo finds everything as before
    const one = await runCli(["fix", "--org", "--buckets", "demo-dev-scratch", "--yes", "-q"], env);
    expect(one.code).toBe(0);
    const oneJournal = /^Journal: (.*)$/m.exec(one.stdout)![1]!;
    expect((await runCli(["undo", oneJournal, "-q"], env)).code).toBe(0);
    const afterUndo = files();
    expect(afterUndo).toHaveLength(before.length + 2);
    const again = await runCli(["undo", oneJournal, "-q"], env);
    expect(again.code).toBe(0);
    expect(again.stdout).toMatch(/^Summary: 0 restored, .*\nNothing was written to AWS: no undo journal written\.\n$/);
    expect(files()).toEqual(afterUndo);
    // the organization fixed, then a second fix finds nothing to write
    const first = await runCli(["fix", "--org", "--yes", "-q"], env);
    expect(first.stdout).toMatch(/^Journal: /m);
    const afterFirst = files();
    expect(afterFirst).toHaveLength(afterUndo.length + 1);
    const second = await runCli(["fix", "--org", "--yes", "-q"], env);
    expect(second.stdout).toMatch(/^Summary: 0 applied, .*\nNothing was written to AWS: nothing to undo, no journal written\.\n$/);
    expect(second.stdout).not.toContain("Undo with:");
    expect(files()).toEqual(afterFirst);
    // an explicit, existing journal gets no empty run appended, and no lock is left beside it
    const own = join(dir, "own.jsonl");
    const text = readFileSync(/^Journal: (.*)$/m.exec(first.stdout)![1]!, "utf8");
    writeFileSync(own, text);
    const third = await runCli(["fix", "--org", "--yes", "-q", "--journal", own], env);
    expect(third.stdout).toContain("Nothing was written to AWS");
    expect(readFileSync(own, "utf8")).toBe(text);
    expect(existsSync(`${own}.lock`)).toBe(false);
  });

  it("journals lists every journal with its command, writes and undo state; torn and foreign files are one unreadable line each", async () => {
    writeFileSync(join(journals, "notes.txt"), "not a journal\n");
    writeFileSync(join(journals, "torn.jsonl"), '{"type":"header","kind":"s3-log-auditor-journal","schemaVersion":1,"tool":{"name":"s3-log-auditor","version":"0.1.0"},"command":"fix","createdAt":"2026-01-01T00:00:00.000Z"}\n{"type":"wri');
    writeFileSync(join(journals, "broken.jsonl"), '{"type":"header","kind":"s3-log-auditor-journal","schemaVersion":1,"tool":{"name":"s3-log-auditor","version":"0.1.0"},"command":"fix","createdAt":"2026-01-01T00:00:00.000Z"}\nnot json\n{"type":"result"}\n');
    writeFileSync(join(journals, "evil\u001b[2J.jsonl"), "\u001b[31m\n");
    mkdirSync(join(journals, "a-dir"));
    const j = await runCli(["journals", "--format", "json"], env);
    expect({ code: j.code, stderr: j.stderr }).toEqual({ code: 0, stderr: "" });
    const list = JSON.parse(j.stdout) as { journals: Listed[]; unreadable: { file: string; reason: string }[] };
    const fixes = list.journals.filter((x) => x.command === "fix" && x.file.startsWith("fix-"));
    const undos = list.journals.filter((x) => x.command === "undo");
    // newest first: the organization's second fix (not undone), the one-bucket fix, the first fix
    expect(fixes).toHaveLength(3);
    expect(undos).toHaveLength(2);
    expect(fixes[0]!.undoneBy).toEqual([]);
    for (const f of fixes.slice(1)) {
      const by = undos.filter((u) => u.undoOf === f.path).map((u) => u.file);
      expect(by, f.file).toHaveLength(1);
      expect(f.undoneBy, f.file).toEqual(by);
    }
    for (const f of [...fixes, ...undos]) expect(f.writes, f.file).toBeGreaterThan(0);
    expect(list.journals.find((x) => x.file === "torn.jsonl")).toMatchObject({ command: "fix", writes: 0 });
    expect(list.unreadable.map((u) => u.file).sort()).toEqual(["a-dir", "broken.jsonl", "evil\u001b[2J.jsonl", "notes.txt"]);
    expect(list.unreadable.find((u) => u.file === "broken.jsonl")!.reason).toBe("line 2 is not valid JSON");

    const t = await runCli(["journals"], env);
    expect({ code: t.code, stderr: t.stderr }).toEqual({ code: 0, stderr: "" });
    const lines = t.stdout.trimEnd().split("\n");
    expect(lines[1]).toMatch(/^TIME +COMMAND +WRITES +STATUS +FILE$/);
    expect(lines.find((l) => l.endsWith(fixes[1]!.file))).toMatch(/ fix +\d+ write\(s\) +undone by undo-\S+ +fix-/);
    expect(lines.find((l) => l.endsWith(undos[0]!.file))).toMatch(/ undo +\d+ write\(s\).* +undoes fix-\S+ +undo-/);
    expect(lines.find((l) => l.endsWith(fixes[0]!.file))).toMatch(/ not undone +fix-/);
    expect(lines.filter((l) => l.startsWith("unreadable "))).toHaveLength(4);
    expect(lines).toContain("unreadable  evil\\u001b[2J.jsonl: not an s3-log-auditor journal (empty or no header line)");
    // eslint-disable-next-line no-control-regex
    expect(t.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f]/);
  });

  it("without XDG_STATE_HOME the journals go under $HOME/.local/state", async () => {
    const home = join(dir, "home2");
    mkdirSync(home);
    const e: NodeJS.ProcessEnv = { ...env, HOME: home };
    delete e.XDG_STATE_HOME;
    const r = await runCli(["journals", "--format", "json"], e);
    expect((JSON.parse(r.stdout) as { dir: string }).dir).toBe(join(home, ".local", "state", "s3-log-auditor", "journals"));
    // a relative XDG_STATE_HOME is ignored, as the XDG spec says
    const rel = await runCli(["journals", "--format", "json"], { ...e, XDG_STATE_HOME: "relative/state" });
    expect((JSON.parse(rel.stdout) as { dir: string }).dir).toBe(join(home, ".local", "state", "s3-log-auditor", "journals"));
  });
});
