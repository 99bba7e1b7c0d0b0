/**
 * Without a screen the session falls back to line mode (`demo fix`, or `fix` when someone can
 * answer on stdin); `fix` with nobody to answer refuses in one line (exit 2).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, tempDir, type CliResult } from "../cli/helpers.js";

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
});
