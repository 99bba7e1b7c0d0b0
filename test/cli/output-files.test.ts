/**
 * Issue 10 item 7, through the built CLI against the simulator: output flags never overwrite a
 * journal or an input of the same run, a directory target is refused before scanning, and reports
 * are replaced atomically (no temp file left, the old content intact when refused).
 */
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../../src/sim/index.js";
import { cliEnv, runCli, tempDir, type Sim } from "../fix/helpers.js";
import { JOURNAL_HEADER_LINE } from "./helpers.js";
import { fixScenario } from "../fix/scenario.js";

const JOURNAL = `${JOURNAL_HEADER_LINE}\n`;

describe("output files: never a journal, never the run's own input, atomic", () => {
  let sim: Sim;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const f = (name: string) => join(dir, name);
  beforeAll(async () => {
    sim = await startSimulator({ scenario: fixScenario(), port: 0 });
    env = cliEnv(sim);
    dir = tempDir();
    const r = await runCli(["scan", "--org", "-q", "--format", "json", "--fail-on", "none", "--save-snapshot", f("s.json"), "--output", f("r.json")], env);
    expect(r.code, r.stderr).toBe(0);
    writeFileSync(f("j.jsonl"), JOURNAL);
    writeFileSync(f("b.json"), JSON.stringify({ kind: "s3-log-auditor-baseline", schemaVersion: 1, createdAt: "2026-01-01T00:00:00Z", findings: [] }));
    mkdirSync(f("a-dir"));
    symlinkSync(f("s.json"), f("s-link.json"));
  });
  afterAll(async () => {
    await sim.close();
  });

  const cases: [string, string[], RegExp, string?][] = [
    ["--output = --from-snapshot", ["scan", "--from-snapshot", "s.json", "--output", "s.json"], /--output .*s\.json is the input of this run \(--from-snapshot\); refusing to overwrite it/, "s.json"],
    ["--output = a symlink to --from-snapshot", ["scan", "--from-snapshot", "s.json", "--output", "s-link.json"], /is the input of this run \(--from-snapshot\)/, "s.json"],
    ["--write-baseline = --baseline", ["scan", "--from-snapshot", "s.json", "--baseline", "b.json", "--write-baseline", "b.json"], /--write-baseline .*b\.json is the input of this run \(--baseline\)/, "b.json"],
    ["fix --plan-out = --from-snapshot", ["fix", "--from-snapshot", "s.json", "--plan-out", "s.json"], /--plan-out .*s\.json is the input of this run/, "s.json"],
    ["merge --output = one of its reports", ["merge", "r.json", "--output", "r.json"], /--output .*r\.json is the input of this run/, "r.json"],
    ["--output = a journal", ["scan", "--org", "--format", "json", "--output", "j.jsonl"], /--output .*j\.jsonl is an s3-log-auditor journal; refusing to overwrite it/, "j.jsonl"],
    ["--save-snapshot = a journal", ["scan", "--org", "--save-snapshot", "j.jsonl"], /--save-snapshot .*j\.jsonl is an s3-log-auditor journal/, "j.jsonl"],
    ["--write-baseline = a journal", ["scan", "--org", "--write-baseline", "j.jsonl"], /--write-baseline .*j\.jsonl is an s3-log-auditor journal/, "j.jsonl"],
    ["--plan-out = a journal", ["fix", "--org", "--plan-out", "j.jsonl"], /--plan-out .*j\.jsonl is an s3-log-auditor journal/, "j.jsonl"],
    ["--output = a directory", ["scan", "--org", "--format", "json", "--output", "a-dir"], /--output .*a-dir is a directory/],
    ["two outputs, one file", ["scan", "--org", "--output", "x.json", "--save-snapshot", "x.json"], /--save-snapshot and --output name the same file/],
  ];

  it.each(cases)("%s: exit 2, one line, nothing read from AWS, the file unchanged", async (_name, args, message, kept) => {
    const before = kept ? readFileSync(f(kept), "utf8") : undefined;
    sim.resetMetrics();
    const r = await runCli(
      args.map((a) => (/\.(json|jsonl)$|^a-dir$/.test(a) ? f(a) : a)),
      env,
    );
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(message);
    expect(sim.metrics().total).toBe(0);
    if (kept) expect(readFileSync(f(kept), "utf8")).toBe(before);
  });

  it("replaces an earlier report atomically: the new content, no temp file beside it", async () => {
    writeFileSync(f("again.md"), "old report\n");
    const r = await runCli(["scan", "--from-snapshot", f("s.json"), "--output", f("again.md"), "--fail-on", "none", "-q"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(f("again.md"), "utf8")).toMatch(/^# /);
    expect(readdirSync(dir).filter((n) => n.endsWith(".tmp"))).toEqual([]);
  });
});
