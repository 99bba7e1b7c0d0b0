/**
 * Issue 10 items 6 and 10, through the built CLI against the simulator: a journal path that is not
 * a journal is refused before anything is done; a torn tail is repaired so undo still reads every
 * run; a symlink is followed only to a journal; a run holds an exclusive lock on its journal, so a
 * second run on the same journal refuses with one line.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readJournal } from "../../src/fix/index.js";
import { comparable, runCli, snapshotOf, type Sim, useSimulator } from "./helpers.js";
import { fixScenario } from "./scenario.js";

const oneLine = (stderr: string) => stderr.trim().split("\n");

describe("journal safety and locking (CLI)", () => {
  let sim: Sim;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const fresh = useSimulator(fixScenario, (s, d, e) => ((sim = s), (dir = d), (env = e)));

  it("refuses a text file, a directory and a symlink to a non-journal: exit 2, one line, nothing scanned or written", async () => {
    const notes = join(dir, "notes.txt");
    writeFileSync(notes, "my notes\nline two\n");
    mkdirSync(join(dir, "a-dir"));
    symlinkSync(notes, join(dir, "link.jsonl"));
    symlinkSync(join(dir, "missing.jsonl"), join(dir, "dangling.jsonl"));
    const cases: [string, RegExp][] = [
      [notes, /notes\.txt exists and is not a well-formed s3-log-auditor journal .*refusing to append to it$/],
      [join(dir, "a-dir"), /a-dir exists and is not a regular file$/],
      [join(dir, "link.jsonl"), /link\.jsonl is a symbolic link to .*notes\.txt, which is not an s3-log-auditor journal; refusing to follow it$/],
      [join(dir, "dangling.jsonl"), /dangling\.jsonl is a symbolic link to a missing file; refusing to follow it$/],
    ];
    for (const [journal, msg] of cases) {
      sim.resetMetrics();
      const r = await runCli(["fix", "--org", "--yes", "--journal", journal], env);
      expect(r.code, journal).toBe(2);
      expect(oneLine(r.stderr), journal).toHaveLength(1);
      expect(r.stderr.trim()).toMatch(msg);
      expect(sim.metrics().total, journal).toBe(0);
    }
    expect(readFileSync(notes, "utf8")).toBe("my notes\nline two\n");
    // --apply refuses it too, before reading AWS
    const plan = join(dir, "plan.json");
    expect((await runCli(["fix", "--org", "--plan-out", plan, "-q"], env)).code).toBe(0);
    sim.resetMetrics();
    const a = await runCli(["fix", "--apply", plan, "--yes", "--journal", notes], env);
    expect(a.code).toBe(2);
    expect(oneLine(a.stderr)).toHaveLength(1);
    expect(sim.metrics().total).toBe(0);
    expect(readFileSync(notes, "utf8")).toBe("my notes\nline two\n");
  });

  it("a run after a torn tail starts on a fresh line; undo reads both runs and restores everything", async () => {
    await fresh();
    const before = await snapshotOf(sim);
    const journal = join(dir, "j.jsonl");
    const first = await runCli(["fix", "--org", "--yes", "--journal", journal, "--buckets", "web-front", "-q"], env);
    expect(first.code, first.stderr).toBe(0);
    appendFileSync(journal, '{"type":"write","seq":99,"at":"2026-'); // the process died mid-append
    const second = await runCli(["fix", "--org", "--yes", "--journal", journal, "-q"], env);
    expect(second.code, second.stderr).toBe(0);
    const j = readJournal(journal);
    expect(j.headers).toHaveLength(2);
    expect(j.entries.filter((e) => e.run === 0).length).toBeGreaterThan(0);
    expect(j.entries.filter((e) => e.run === 1).length).toBeGreaterThan(0);
    const u = await runCli(["undo", journal, "--journal", join(dir, "u.jsonl")], env);
    expect(u.code, u.stderr).toBe(0);
    expect(comparable(await snapshotOf(sim))).toEqual(comparable(before));
  });

  it("follows a symlink that points to a journal", async () => {
    await fresh();
    const journal = join(dir, "real.jsonl");
    expect((await runCli(["fix", "--org", "--yes", "--journal", journal, "--buckets", "web-front", "-q"], env)).code).toBe(0);
    symlinkSync(journal, join(dir, "alias.jsonl"));
    const r = await runCli(["fix", "--org", "--yes", "--journal", join(dir, "alias.jsonl"), "-q"], env);
    expect(r.code, r.stderr).toBe(0);
    expect(readJournal(journal).headers).toHaveLength(2);
  });

  it("a second run on a journal in use refuses with one line and writes nothing; the lock goes with the run", async () => {
    await fresh();
    const journal = join(dir, "busy.jsonl");
    sim.setFaults({ latencyMs: 40 });
    let second: Awaited<ReturnType<typeof runCli>> | undefined;
    let started: Promise<void> | undefined;
    const first = await runCli(["fix", "--org", "--yes", "--journal", journal], env, {
      onStderr: (chunk) => {
        if (!started && /^Applying \d+ step/m.test(chunk)) {
          started = (async () => {
            // wait until the first run holds its lock (its header is on disk), then race it
            for (let i = 0; i < 200 && !existsSync(`${journal}.lock`); i++) await new Promise((r) => setTimeout(r, 10));
            second = await runCli(["fix", "--org", "--yes", "--journal", journal], env);
          })();
        }
      },
    });
    sim.setFaults({});
    await started;
    expect(first.code, first.stderr).toBe(0);
    expect(second).toBeDefined();
    expect(second!.code).toBe(2);
    expect(oneLine(second!.stderr)).toEqual([expect.stringMatching(/^s3-log-auditor: journal .*busy\.jsonl is in use by another run \(lock .*busy\.jsonl\.lock\); wait for it to finish$/)]);
    expect(readJournal(journal).headers).toHaveLength(1);
    expect(existsSync(`${journal}.lock`)).toBe(false);
    // undo takes the lock too, and refuses to journal into the journal it undoes
    const same = await runCli(["undo", journal, "--journal", journal], env);
    expect(same.code).toBe(2);
    expect(oneLine(same.stderr)).toHaveLength(1);
    expect(readJournal(journal).headers).toHaveLength(1);
  });
  it("undo refuses a journal record whose prior state is malformed (exit 2, one line) before undoing anything", async () => {
    await fresh();
    const journal = join(dir, "j.jsonl");
    const fixed = await runCli(["fix", "--org", "--yes", "--journal", journal, "-q"], env);
    expect(fixed.code, fixed.stderr).toBe(0);
    const after = comparable(await snapshotOf(sim));
    const text = readFileSync(journal, "utf8");
    const lines = text.trimEnd().split("\n");
    const header = lines[0]!;
    const write = JSON.parse(lines[1]!) as Record<string, unknown>;
    const forged: [string, Record<string, unknown>, RegExp][] = [
      ["lifecycle rules: 5", { resource: "lifecycle", operation: "PutBucketLifecycleConfiguration", prior: { rules: 5 } }, /line \d+ is not a journal record \(prior: not a lifecycle state/],
      ["lifecycle rule a number", { resource: "lifecycle", operation: "PutBucketLifecycleConfiguration", prior: [5] }, /prior\.0: not a lifecycle state/],
      ["policy prior a string", { resource: "policy", operation: "PutBucketPolicy", prior: "{}" }, /prior: not a policy state/],
      ["policy text not JSON", { resource: "policy", operation: "PutBucketPolicy", prior: { Statement: [] }, priorRaw: "not json" }, /priorRaw: not a policy document/],
      ["logging prior without target", { resource: "logging", operation: "PutBucketLogging", prior: { targetPrefix: "x/" } }, /prior\.targetBucket: not a logging state/],
      ["intended PAB of strings", { resource: "public-access-block", operation: "PutPublicAccessBlock", prior: null, intended: { blockPublicAcls: "yes" } }, /intended\.blockPublicAcls: not a public-access-block state/],
      ["a path as bucket", { bucket: "../../etc" }, /bucket: not a bucket name/],
      ["a Region that is none", { region: "mars-1" }, /region: not a Region name/],
    ];
    for (const [what, change, message] of forged) {
      const bad = join(dir, `forged-${what.replace(/\W+/g, "-")}.jsonl`);
      writeFileSync(bad, `${text}${header}\n${JSON.stringify({ ...write, seq: 1, ...change })}\n`);
      sim.resetMetrics();
      const u = await runCli(["undo", bad, "--journal", join(dir, `u-${what.replace(/\W+/g, "-")}.jsonl`)], env);
      expect(u.code, `${what}: ${u.stderr}`).toBe(2);
      expect(oneLine(u.stderr), what).toHaveLength(1);
      expect(u.stderr, what).toMatch(message);
      expect(u.stderr, what).not.toMatch(/is not a function|^\s+at /m);
      expect(sim.metrics().total, what).toBe(0);
    }
    expect(comparable(await snapshotOf(sim))).toEqual(after);
  });
});
