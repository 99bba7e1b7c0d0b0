/**
 * Without a screen the session falls back to line mode (`demo fix`, or `fix` when someone can
 * answer on stdin); `fix` with nobody to answer refuses in one line (exit 2).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expectUsageError, runCli, tempDir, type CliResult } from "../cli/helpers.js";
import { useDemoSim } from "./helpers.js";

// eslint-disable-next-line no-control-regex
const ESC = /\u001b/;

/** Runs the built CLI with `input` on stdin (a pipe, as in `echo y | …`). */
function runWithInput(args: string[], input: string, env: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { env, input });
}

describe("fix / demo fix without a screen", () => {
  it("fix (no --yes, --plan-out or --apply) with nobody to answer refuses with one line pointing to --plan-out and --apply", async () => {
    const r = await runCli(["fix", "--endpoint-url", "http://127.0.0.1:9"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/not a terminal/);
    expect(lines[0]).toContain("--plan-out");
    expect(lines[0]).toContain("--apply");
  });

  it("demo fix with a closed stdin: line mode, the plan summary and the question, nothing applied, no escape sequence", async () => {
    const t = tempDir();
    const journal = t.file("j.jsonl");
    const r = await runCli(["demo", "fix", "--journal", journal], { env: { TERM: "dumb" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^\d+ failing finding\(s\) on \d+ bucket\(s\), \d+ with an automatic fix\.$/m);
    expect(r.stdout).toMatch(/^Plan for \d+ bucket\(s\), resolving \d+ finding\(s\):$/m);
    expect(r.stderr).toContain("AWS write(s)? [y/N] (no answer: stdin is closed)\nNothing applied.");
    expect(existsSync(journal)).toBe(false);
    expect(ESC.test(r.stdout + r.stderr)).toBe(false);
    t.cleanup();
  });

  it("TERM=dumb demo fix, answering y then y: applies step by step, then undoes in place; plain lines only", async () => {
    const t = tempDir();
    const journal = t.file("j.jsonl");
    const r = await runWithInput(["demo", "fix", "--journal", journal], "y\ny\n", { TERM: "dumb" });
    expect(ESC.test(r.stdout + r.stderr)).toBe(false);
    expect(r.stderr).toMatch(/Apply these \d+ AWS write\(s\)\? \[y\/N\] y\n/);
    expect(r.stderr).toMatch(/^✓ applied\s+step-001 .*CreateBucket/m);
    expect(r.stdout).toMatch(/^\d+ applied, \d+ already applied, 0 skipped, 0 failed, 0 manual · \d+ AWS write\(s\)$/m);
    expect(r.stdout).toContain(`Journal: ${journal}`);
    expect(r.stderr).toContain("Undo this run now, while the simulated organization still runs? [y/N] y\n");
    expect(r.stdout).toMatch(/^Undone: [1-9]\d* restored, /m);
    expect(r.stdout).not.toContain("s3-log-auditor undo");
    expect(readFileSync(join(t.dir, "j-undo.jsonl"), "utf8")).toContain('"command":"undo"');
    // The undo command's exit code rules: 1 when it kept something (a bucket in use, a prior state AWS refuses).
    expect(r.code).toBe(/ 0 bucket\(s\) kept/.test(r.stdout) && !/not restorable/.test(r.stdout) ? 0 : 1);
    t.cleanup();
  });

  it("demo fix takes scan's delivery-check flags: --check-delivery adds the delivery line (and --delivery-window its window); the same checks as scan", async () => {
    const r = await runCli(["demo", "fix", "--check-delivery"], { env: { TERM: "dumb" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Delivery check \(window 48 h\): 6 delivered, 4 stale, 22 none\.$/m);
    const days = await runCli(["demo", "fix", "--check-delivery", "--delivery-window", "4d"], { env: { TERM: "dumb" } });
    expect(days.stdout).toMatch(/^Delivery check \(window 96 h\): 7 delivered, 3 stale, 22 none\.$/m);
    expectUsageError(await runCli(["demo", "fix", "--delivery-window", "2d"]), "--delivery-window needs --check-delivery");
    expectUsageError(await runCli(["demo", "fix", "--check-delivery", "--delivery-window", "0h"]), "--delivery-window: expected a duration like 48h or 2d");
    expectUsageError(await runCli(["demo", "fix", "--since-snapshot", "x.json"]), "--since-snapshot needs --check-delivery");
  });
});

describe("fix --plan-out with the delivery check", () => {
  const sim = useDemoSim();

  it("the plan is the one without the check: logs-delivered failures get no step, the counts are the same", async () => {
    const t = tempDir();
    const plan = async (extra: string[]) => {
      const file = t.file(`plan${extra.length}.json`);
      const r = await runCli(["fix", "--org", "--endpoint-url", sim().endpoint, "--plan-out", file, "-q", ...extra]);
      expect(r.code).toBe(0);
      return { summary: r.stdout.slice(0, r.stdout.indexOf("Plan written")), steps: (JSON.parse(readFileSync(file, "utf8")) as { steps: { resolves: string[] }[] }).steps };
    };
    const off = await plan([]);
    const on = await plan(["--check-delivery"]);
    expect(on.summary).toBe(off.summary);
    expect(on.summary).toMatch(/^Plan for \d+ bucket\(s\), resolving \d+ finding\(s\):$/m);
    expect(on.steps).toEqual(off.steps);
    expect(on.steps.flatMap((s) => s.resolves).some((f) => f.startsWith("logs-delivered|"))).toBe(false);
    t.cleanup();
  });
});
