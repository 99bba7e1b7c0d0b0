/** `rules --format` and `scan --format` accept the same names: `md` and `markdown` both. */
import { writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { runCli, tempDir } from "./helpers.js";
import { A1, bucket, noLogging, snapshot } from "../output/fixtures.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const snap = tmp.file("snapshot.json");
writeFileSync(snap, JSON.stringify(snapshot([bucket(A1, "us-east-1", "lonely", noLogging)])));

describe.concurrent("format names", () => {
  it("rules: md and markdown print the same Markdown table", async () => {
    const [md, markdown] = await Promise.all([runCli(["rules", "--format", "md"]), runCli(["rules", "--format", "markdown"])]);
    expect(md.code).toBe(0);
    expect(md.stdout).toMatch(/^\| id \| severity \|/m);
    expect(markdown).toEqual(md);
  });

  it("scan: md and markdown write the same Markdown report", async () => {
    const run = (name: string) => runCli(["scan", "--from-snapshot", snap, "--format", name]);
    const [md, markdown] = await Promise.all([run("md"), run("markdown")]);
    expect(md.code).toBe(1);
    expect(md.stdout).toContain("lonely");
    expect(md.stdout).toMatch(/^#/m);
    expect(markdown.stdout.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "T")).toBe(md.stdout.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, "T"));
  });
});
