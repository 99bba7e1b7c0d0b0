/** Without a terminal the interactive session refuses in one line (exit 2), pointing to the non-interactive ways. */
import { describe, expect, it } from "vitest";
import { runCli } from "../cli/helpers.js";

describe("fix / demo fix without a terminal", () => {
  it("fix (no --yes, --plan-out or --apply) refuses with one line pointing to --plan-out and --apply", async () => {
    const r = await runCli(["fix", "--endpoint-url", "http://127.0.0.1:9"]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/not a terminal/);
    expect(lines[0]).toContain("--plan-out");
    expect(lines[0]).toContain("--apply");
  });

  it("demo fix refuses the same way, before starting anything", async () => {
    const r = await runCli(["demo", "fix"]);
    expect(r.code).toBe(2);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("needs a terminal");
    expect(lines[0]).toContain("--plan-out");
  });
});
