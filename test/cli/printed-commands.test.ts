/**
 * Issue 10 item 16, through the built CLI against the simulator: the printed "apply with:" and
 * "Undo with:" commands never repeat URL userinfo or the external id, and quote every argument.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessFlags, shellQuote, withoutUserinfo } from "../../src/cli/shell.js";
import { startSimulator } from "../../src/sim/index.js";
import { cliEnv, runCli, tempDir, type Sim } from "../fix/helpers.js";
import { fixScenario } from "../fix/scenario.js";

describe("printed commands", () => {
  let sim: Sim;
  let dir: string;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: fixScenario(), port: 0 });
    dir = join(tempDir(), "it's a dir");
    mkdirSync(dir);
  });
  afterAll(async () => {
    await sim.close();
  });

  it("apply with: / Undo with: carry no userinfo and no external id, and are shell-quoted", async () => {
    const endpoint = sim.endpoint.replace("http://", "http://admin:secret@");
    const common = ["--endpoint-url", endpoint, "--external-id", "sekrit-ext-id", "-q"];
    const plan = join(dir, "plan one.json");
    const p = await runCli(["fix", "--org", "--plan-out", plan, ...common], cliEnv(sim));
    expect(p.code, p.stderr).toBe(0);
    const apply = p.stdout.split("\n").find((l) => l.includes("apply with: "))!;
    expect(apply).toContain(`apply with: s3-log-auditor fix --apply ${shellQuote(plan)} --yes --endpoint-url ${sim.endpoint}/ --external-id "$EXTERNAL_ID"`);
    expect(p.stdout).not.toMatch(/secret|admin|sekrit/);

    const journal = join(dir, "j 1.jsonl");
    const f = await runCli(["fix", "--org", "--yes", "--journal", journal, ...common], cliEnv(sim));
    expect(f.code, f.stderr).toBe(0);
    expect(f.stdout).toContain(`Undo with: s3-log-auditor undo '${journal.replace(/'/g, "'\\''")}' --endpoint-url ${sim.endpoint}/ --external-id "$EXTERNAL_ID"`);
    expect(f.stdout + f.stderr).not.toMatch(/secret|admin:|sekrit/);
  });

  it.each([
    ["plan.json", "plan.json"],
    ["a b", "'a b'"],
    ["it's", "'it'\\''s'"],
    ["$(rm -rf ~)", "'$(rm -rf ~)'"],
  ])("one quoting helper: %s is written %s (plain words unchanged, others single-quoted)", (word, quoted) => {
    expect(shellQuote(word)).toBe(quoted);
  });

  it("drops userinfo from a printed endpoint; prints the external id as a variable, never its value", () => {
    expect(withoutUserinfo("https://u:p@example.test:8443/x")).toBe("https://example.test:8443/x");
    expect(accessFlags({ endpointUrl: "http://a:b@127.0.0.1:1", externalId: "x", roleName: "OrganizationAccountAccessRole" })).toEqual([
      "--endpoint-url",
      "http://127.0.0.1:1/",
      "--external-id",
      '"$EXTERNAL_ID"',
    ]);
  });
});
