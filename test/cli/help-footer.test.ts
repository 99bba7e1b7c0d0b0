/** Every command's --help ends with real examples and the environment variables it reads. */
import { spawn } from "node:child_process";
import type { Command } from "@commander-js/extra-typings";
import { describe, expect, it } from "vitest";
import { commandsByPath, HELP_FOOTERS } from "../../src/cli/help-footer.js";
import { buildProgram } from "../../src/cli/main.js";
import { CLI, cleanEnv, runCli } from "./helpers.js";

const program = buildProgram();
const commands = commandsByPath(program);

describe("help footers", () => {
  it("every command has two or three examples of itself, with options it really has", () => {
    for (const [path] of commands) {
      const f = HELP_FOOTERS[path];
      expect({ path, has: f !== undefined }).toEqual({ path, has: true });
      expect(f!.examples.length, path).toBeGreaterThanOrEqual(2);
      expect(f!.examples.length, path).toBeLessThanOrEqual(3);
      expect(f!.env.length, path).toBeGreaterThan(0);
      for (const example of f!.examples) {
        expect(example, path).toContain(`s3-log-auditor ${path}`);
        // the command the example runs (it may name a sub-command of `path`), and its flags
        const words = example.slice(example.indexOf("s3-log-auditor ") + 15).split(/\s[|>]\s/)[0]!.split(/\s+/);
        let target = program;
        for (const w of words) target = (target.commands as unknown as Command[]).find((c) => c.name() === w) ?? target;
        const flags = new Set(target.options.flatMap((o) => [o.long, o.short].filter(Boolean) as string[]));
        for (const flag of words.filter((w) => /^--?[a-z][\w-]*$/.test(w))) expect({ example, flag, known: flags.has(flag) }).toEqual({ example, flag, known: true });
      }
    }
    expect(Object.keys(HELP_FOOTERS).sort()).toEqual(commands.map(([p]) => p).sort());
  });

  it.each(commands.map(([p]) => [p]))("%s --help ends with Examples and Environment", async (path) => {
    const r = await runCli([...path.split(" "), "--help"]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    expect(r.stdout).toMatch(/\nExamples:\n {2}\S.*\n(?: {2}\S.*\n){1,2}\nEnvironment:\n(?: {2}\S.*\n)+$/);
  });

  it("--help | head -1 exits 0 quietly", async () => {
    for (const args of [["--help"], ["scan", "--help"], ["fix", "--help"]]) {
      const child = spawn(process.execPath, [CLI, ...args], { env: cleanEnv(), stdio: ["ignore", "pipe", "pipe"] });
      let stderr = "";
      child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
      const first = await new Promise<string>((resolve) => {
        child.stdout.setEncoding("utf8").once("data", (d: string) => {
          child.stdout.destroy(); // like `head -1`: read one line, close the pipe
          resolve(d.split("\n")[0]!);
        });
      });
      const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
      expect({ args, first: first.startsWith("Usage: s3-log-auditor"), code, stderr }).toEqual({ args, first: true, code: 0, stderr: "" });
    }
  });
});
