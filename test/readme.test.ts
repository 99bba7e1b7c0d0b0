/**
 * Every piped example in the README works as written: each `sh` code-block line with a `|` runs
 * in bash (with pipefail) in a fresh checkout, with the built command on PATH as `s3-log-auditor`.
 * Examples that need a real AWS account are recognised by their command and only counted.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, cleanEnv, tempDir } from "./cli/helpers.js";

/** The command lines of the README's sh blocks that pipe into another command (comments dropped). */
export function pipedExamples(readme: string): string[] {
  const out: string[] = [];
  for (const block of readme.matchAll(/^```(?:sh|bash|shell)\n([\s\S]*?)^```$/gm)) {
    for (const raw of block[1]!.split("\n")) {
      const line = raw.replace(/\s+#\s.*$/, "").trim();
      if (line === "" || line.startsWith("#")) continue;
      if (/(?<!\|)\|(?!\|)/.test(line.replace(/'[^']*'|"[^"]*"/g, "''"))) out.push(line);
    }
  }
  return out;
}

/** Piped examples that talk to a real AWS account (no simulator behind them): shown, not run. */
const NEEDS_AWS = /^s3-log-auditor (scan|fix|undo)\b(?!.*(--from-snapshot|--endpoint-url))/;

const tmp = tempDir();
afterAll(() => tmp.cleanup());
const checkout = join(tmp.dir, "checkout");
const binDir = join(tmp.dir, "bin");

beforeAll(() => {
  // A checkout of its own: `npm run demo` rebuilds dist/, which must not disturb the other test files.
  mkdirSync(checkout);
  for (const f of ["package.json", "package-lock.json", ".npmrc", "README.md", "tsconfig.json", "src", "rules", ".ci", "dist"]) {
    cpSync(join(ROOT, f), join(checkout, f), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(checkout, "node_modules"));
  mkdirSync(binDir);
  const shim = join(binDir, "s3-log-auditor");
  writeFileSync(shim, `#!/bin/sh\nexec "${process.execPath}" "${join(checkout, "dist", "cli.js")}" "$@"\n`);
  chmodSync(shim, 0o755);
});

const examples = pipedExamples(readFileSync(join(ROOT, "README.md"), "utf8"));

describe("README piped examples", () => {
  it("finds the examples (and recognises code blocks)", () => {
    expect(pipedExamples("```sh\nnpm run x | jq .   # c\necho 'a|b'\nfoo || bar\n```\n")).toEqual(["npm run x | jq ."]);
    expect(examples.filter((e) => !NEEDS_AWS.test(e)).length).toBeGreaterThan(0);
  });

  it.each(examples.filter((e) => !NEEDS_AWS.test(e)))("%s", (line) => {
    const env: NodeJS.ProcessEnv = {};
    for (const [k, v] of Object.entries(cleanEnv())) if (!/^npm_/i.test(k)) env[k] = v;
    env.PATH = `${binDir}:${dirname(process.execPath)}:${process.env.PATH ?? ""}`;
    const r = spawnSync("bash", ["-o", "pipefail", "-c", line], { cwd: checkout, env, encoding: "utf8" });
    expect({ status: r.status, stderr: r.status === 0 ? "" : r.stderr }).toEqual({ status: 0, stderr: "" });
    expect(r.stdout.trim()).not.toBe("");
    expect(r.stdout).not.toMatch(/^> s3-log-auditor@/m);
  });
});
