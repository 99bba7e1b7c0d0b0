/** Atomic writes (issue 10 item 7): a failure midway leaves the old file as it was and no temp file. */
import { mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { writeFileAtomic } from "../../src/base/atomic-file.js";

describe("writeFileAtomic", () => {
  it("writes every chunk and replaces the old file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "s3la-atomic-"));
    const file = join(dir, "r.json");
    writeFileSync(file, "old");
    await writeFileAtomic(file, (function* () {
      for (let i = 0; i < 2000; i++) yield `${"x".repeat(1000)}\n`;
    })());
    expect(readFileSync(file, "utf8")).toHaveLength(2000 * 1001);
    expect(readdirSync(dir)).toEqual(["r.json"]);
  });

  it("a failure midway keeps the old file intact and leaves no temp file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "s3la-atomic-"));
    const file = join(dir, "r.json");
    writeFileSync(file, "the previous report\n");
    const failing = (function* () {
      yield "half of a new ";
      throw new Error("rendering failed");
    })();
    await expect(writeFileAtomic(file, failing)).rejects.toThrow("rendering failed");
    expect(readFileSync(file, "utf8")).toBe("the previous report\n");
    expect(readdirSync(dir)).toEqual(["r.json"]);
  });

  it("writes through a symbolic link, keeping the link", async () => {
    const dir = mkdtempSync(join(tmpdir(), "s3la-atomic-"));
    writeFileSync(join(dir, "real.json"), "old");
    symlinkSync(join(dir, "real.json"), join(dir, "link.json"));
    await writeFileAtomic(join(dir, "link.json"), "new");
    expect(readFileSync(join(dir, "real.json"), "utf8")).toBe("new");
    expect(readdirSync(dir).sort()).toEqual(["link.json", "real.json"]);
  });
});
