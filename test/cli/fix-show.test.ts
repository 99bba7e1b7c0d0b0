/**
 * `fix show PLAN` and the plan counts through the built CLI on the demo organization: the view
 * groups steps by account and bucket with the review's diffs and ends with the same count line as
 * `fix --plan-out`; `--format json` passes the file through byte for byte; and the counts hold on
 * a fresh run: what apply writes and what it finds already in place are what the plan announced.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePlan } from "../../src/fix/plan-file.js";
import { planCounts, stepDiffLines } from "../../src/fix/describe.js";
import { startSimulator } from "../../src/sim/index.js";
import { cliEnv, runCli, tempDir, type Sim } from "../fix/helpers.js";

describe("fix show and plan counts (demo organization, built CLI)", () => {
  let sim: Sim;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let planFile: string;
  let planOut: string;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: "demo", port: 0 });
    dir = tempDir();
    env = { ...cliEnv(sim), XDG_STATE_HOME: join(dir, "state"), HOME: dir };
    planFile = join(dir, "plan.json");
    const r = await runCli(["fix", "--org", "--plan-out", planFile, "-q"], env);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    planOut = r.stdout;
  });
  afterAll(async () => {
    await sim.close();
  });

  it("groups the steps by account and bucket, with the review's diffs, and ends with the count line of --plan-out", async () => {
    const plan = parsePlan(readFileSync(planFile, "utf8"));
    const r = await runCli(["fix", "show", planFile], env);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const lines = r.stdout.trimEnd().split("\n");
    const count = lines.at(-1)!;
    expect(count).toMatch(/^Plan: \d+ to create, \d+ to change, \d+ already in place, \d+ manual: /);
    // --plan-out: the summary ends with the same count line, then where the plan went.
    const outLines = planOut.trimEnd().split("\n");
    expect(outLines.at(-2)).toBe(count);
    expect(outLines.at(-1)).toMatch(/^Plan written to .*; apply with: s3-log-auditor fix --apply /);
    // every account once, every bucket once under its account, every step once under its bucket
    const accounts = [...new Set(plan.steps.map((s) => s.account))].sort();
    expect(lines.filter((l) => l.startsWith("account ")).map((l) => l.split(":")[0])).toEqual(accounts.map((a) => `account ${a}`));
    for (const s of plan.steps) {
      const at = lines.findIndex((l) => l.startsWith(`    ${s.id} `));
      expect(at, s.id).toBeGreaterThan(0);
      const bucketLine = lines.slice(0, at).reverse().find((l) => l.startsWith("  bucket "))!;
      const accountLine = lines.slice(0, at).reverse().find((l) => l.startsWith("account "))!;
      expect({ id: s.id, bucket: bucketLine.split(" ")[3], account: accountLine.split(/[ :]/)[1] }).toEqual({ id: s.id, bucket: s.bucket, account: s.account });
      // the automatic steps show the same diff lines as the interactive review
      if (!s.manual) expect(lines.slice(at + 1).join("\n")).toContain(stepDiffLines(s).map((d) => `      ${d}`).join("\n"));
    }
    // the manual step says why, and shows no diff
    expect(r.stdout).toMatch(/step-\d+ \[manual\] .*explicitly denies log delivery/);
  });

  it("--format json passes the plan file through unchanged", async () => {
    const r = await runCli(["fix", "show", planFile, "--format", "json"], env);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toBe(readFileSync(planFile, "utf8"));
  });

  it("a fresh apply writes what the plan counted and finds in place only what it said may be (no no-op counted as a write)", async () => {
    const plan = parsePlan(readFileSync(planFile, "utf8"));
    const c = planCounts(plan.steps);
    expect(c.mayBeInPlace).toBeGreaterThan(0); // the demo creates log buckets
    const writes = c.create + c.change;
    expect(planOut).toContain(`up to ${writes + c.mayBeInPlace} AWS write(s) (${c.mayBeInPlace} may already be in place)`);
    const r = await runCli(["fix", "--apply", planFile, "--yes", "-q", "--journal", join(dir, "j.jsonl")], env);
    expect(r.code).toBe(c.manual > 0 ? 1 : 0); // a manual step left is exit 1
    const m = /^Summary: (\d+) applied, (\d+) already applied, .* (\d+) manual/m.exec(r.stdout);
    expect(m, r.stdout).not.toBeNull();
    const [applied, already, manual] = [Number(m![1]), Number(m![2]), Number(m![3])];
    // the simulator gives a new bucket AWS's defaults: every "may" step is found in place
    expect({ applied, already, manual }).toEqual({ applied: writes, already: c.mayBeInPlace + c.inPlace, manual: c.manual });
  });
});
