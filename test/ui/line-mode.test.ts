/**
 * The line-mode session (TERM=dumb, no terminal) on a real scan of the simulated demo organization:
 * plan summary, y/N prompt, apply, result — plain lines, never an escape sequence.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { isYes, runLineFix } from "../../src/ui/line-mode.js";
import { sessionExitCode } from "../../src/ui/facade.js";
import { servicesOn, tempDir, useDemoSim } from "./helpers.js";

// eslint-disable-next-line no-control-regex
const ESC = /\u001b/;

function streams(input: string) {
  const stdin = new PassThrough();
  stdin.end(input);
  const out = new PassThrough();
  const err = new PassThrough();
  let o = "";
  let e = "";
  out.setEncoding("utf8").on("data", (d: string) => (o += d));
  err.setEncoding("utf8").on("data", (d: string) => (e += d));
  return { stdin, out, err, stdout: () => o, stderr: () => e };
}

describe("line-mode fix session", () => {
  const sim = useDemoSim({ each: true });

  it("y: prints the plan summary, asks once, applies with a line per step, then the result and how to undo", async () => {
    const journal = join(tempDir(), "j.jsonl");
    const services = servicesOn(sim(), journal);
    const io = streams("y\n");
    const final = await runLineFix({ services, demo: false, stdin: io.stdin, stdout: io.out, stderr: io.err });
    services.close();
    const out = io.stdout();
    const err = io.stderr();
    expect(out).toMatch(/^\d+ failing finding\(s\) on \d+ bucket\(s\), \d+ with an automatic fix\.$/m);
    expect(out).toMatch(/^Plan for \d+ bucket\(s\), resolving \d+ finding\(s\):$/m);
    expect(err).toMatch(/Apply these \d+ AWS write\(s\)\? \[y\/N\] /);
    expect(err).toMatch(/^✓ applied\s+step-001 /m);
    expect(out).toMatch(/^\d+ applied, \d+ already applied, 0 skipped, 0 failed/m);
    expect(out).toContain(`Journal: ${journal}`);
    expect(out).toContain("Undo with:");
    expect(out.replace(/ \\\n\s*/g, " ")).toContain(`s3-log-auditor undo ${journal} --endpoint-url ${sim().endpoint}`);
    expect(existsSync(journal)).toBe(true);
    expect(readFileSync(journal, "utf8")).toContain('"type":"write"');
    expect(ESC.test(out + err)).toBe(false);
    expect(sessionExitCode(final)).toBe(0);
  });

  it("no (an empty line, or stdin closed before answering): nothing is written", async () => {
    for (const input of ["\n", "", "nope\n"]) {
      const journal = join(tempDir(), "j.jsonl");
      const services = servicesOn(sim(), journal);
      const io = streams(input);
      const final = await runLineFix({ services, demo: false, stdin: io.stdin, stdout: io.out, stderr: io.err });
      services.close();
      expect(io.stderr()).toContain("Nothing applied.");
      expect(existsSync(journal)).toBe(false);
      expect(final.apply).toBeUndefined();
      expect(sessionExitCode(final)).toBe(0);
    }
  });

  it("demo: after the apply it offers the in-place undo (the simulator ends with the command) and prints no undo command", async () => {
    const journal = join(tempDir(), "j.jsonl");
    const services = servicesOn(sim(), journal);
    delete (services as { undoCommand?: unknown }).undoCommand;
    const io = streams("y\ny\n");
    const final = await runLineFix({ services, demo: true, stdin: io.stdin, stdout: io.out, stderr: io.err });
    services.close();
    expect(io.stderr()).toContain("Undo this run now, while the simulated organization still runs? [y/N] ");
    expect(io.stderr()).toMatch(/^✓ (restored|bucket deleted)\s+step-\d+ /m);
    expect(io.stdout()).toMatch(/^Undone: [1-9]\d* restored, /m);
    expect(io.stdout()).not.toContain("s3-log-auditor undo");
    expect(final.undo?.summary?.failed).toBe(0);
  });

  it("demo, declining the undo: no command is printed; the text says the command is for the real-AWS case only", async () => {
    const services = servicesOn(sim(), join(tempDir(), "j.jsonl"));
    delete (services as { undoCommand?: unknown }).undoCommand;
    const io = streams("y\nn\n");
    await runLineFix({ services, demo: true, stdin: io.stdin, stdout: io.out, stderr: io.err });
    services.close();
    const out = io.stdout().replace(/\s+/g, " ");
    expect(out).toContain("The `s3-log-auditor undo JOURNAL` command applies to the real-AWS case only");
    expect(out).not.toContain("s3-log-auditor undo /");
  });

  it("with the delivery check on: one line counts the logging sources per delivery state; the plan is the same as without it", async () => {
    const run = async (scan: Parameters<typeof servicesOn>[2]) => {
      const services = servicesOn(sim(), join(tempDir(), "j.jsonl"), scan);
      const io = streams("n\n");
      await runLineFix({ services, demo: false, stdin: io.stdin, stdout: io.out, stderr: io.err });
      services.close();
      return io.stdout();
    };
    const on = await run({ delivery: { windowHours: 48 } });
    const off = await run({});
    expect(on).toMatch(/^Delivery check \(window 48 h\): 6 delivered, 4 stale, 22 none\.$/m);
    expect(off).not.toContain("Delivery check");
    // logs-delivered has no automatic fix: more failing findings, the same fixable ones and the same plan.
    const counts = (out: string) => /^(\d+) failing finding\(s\) on (\d+) bucket\(s\), (\d+) with an automatic fix\.$/m.exec(out)!.slice(1).map(Number);
    const [failOn, , fixOn] = counts(on);
    const [failOff, , fixOff] = counts(off);
    expect(failOn).toBeGreaterThan(failOff!);
    expect(fixOn).toBe(fixOff);
    const plan = (out: string) => out.slice(out.indexOf("Plan for "));
    expect(plan(on)).toBe(plan(off));
  });

  it("y and yes (any case) are yes; anything else is no", () => {
    for (const a of ["y", "Y", "yes", " YES "]) expect(isYes(a)).toBe(true);
    for (const a of [undefined, "", "n", "no", "yy", "sure"]) expect(isYes(a)).toBe(false);
  });
});
