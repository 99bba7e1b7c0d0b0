/** Running the built CLI (dist/cli.js) as a child process, as a user would. */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export const ROOT = join(import.meta.dirname, "..", "..");
export const CLI = join(ROOT, "dist", "cli.js");

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

let stateHome: string | undefined;

/**
 * A per-user state directory of this test process's own (XDG_STATE_HOME for every CLI it runs):
 * journals written by default never land in the developer's real home. Removed on exit.
 */
export function testStateHome(): string {
  if (stateHome === undefined) {
    const dir = mkdtempSync(join(tmpdir(), "s3la-state-"));
    stateHome = dir;
    process.on("exit", () => rmSync(dir, { recursive: true, force: true }));
  }
  return stateHome;
}

/**
 * An environment with no trace of the developer's AWS setup: dummy keys (the simulator maps any
 * unknown key to the management account), no profiles or config files, no endpoints, no colour,
 * journals in a state directory of the test's own.
 */
export function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("AWS_") || k === "NO_COLOR" || k === "FORCE_COLOR" || k === "S3LA_DEBUG") continue;
    env[k] = v;
  }
  Object.assign(env, {
    AWS_ACCESS_KEY_ID: "AKIATESTTESTTESTTEST",
    AWS_SECRET_ACCESS_KEY: "test-secret",
    AWS_REGION: "us-east-1",
    AWS_CONFIG_FILE: "/nonexistent/aws/config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws/credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    CI: "true",
    XDG_STATE_HOME: testStateHome(),
    ...extra,
  });
  return env;
}

/**
 * Runs `node dist/cli.js ...args` asynchronously (an in-test simulator must keep serving); with
 * `input`, stdin is a pipe that carries it and then closes (as in `echo y | …`).
 */
export function runCli(args: string[], opts: { env?: Record<string, string>; cwd?: string; input?: string } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: cleanEnv(opts.env),
      stdio: [opts.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    });
    if (opts.input !== undefined) child.stdin!.end(opts.input);
    let stdout = "";
    let stderr = "";
    child.stdout!.setEncoding("utf8").on("data", (d: string) => (stdout += d));
    child.stderr!.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

export function tempDir(): { dir: string; file: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "s3la-cli-"));
  return { dir, file: (name) => join(dir, name), cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A usage error: exit 2, exactly one line on stderr naming the tool, no stack trace, no stdout. */
export function expectUsageError(r: CliResult, pattern: RegExp | string): void {
  const lines = r.stderr.trimEnd().split("\n");
  const ok =
    r.code === 2 &&
    lines.length === 1 &&
    lines[0]!.startsWith("s3-log-auditor: ") &&
    !/\n\s+at /.test(r.stderr) &&
    r.stdout === "" &&
    (typeof pattern === "string" ? r.stderr.includes(pattern) : pattern.test(r.stderr));
  if (!ok) throw new Error(`expected a one-line usage error matching ${String(pattern)}, got code ${r.code}\nstderr: ${r.stderr}\nstdout: ${r.stdout.slice(0, 500)}`);
}

// eslint-disable-next-line no-control-regex
export const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

/** The header line of a well-formed journal (no newline), for tests that write journals by hand. */
export const JOURNAL_HEADER_LINE = JSON.stringify({
  type: "header",
  kind: "s3-log-auditor-journal",
  schemaVersion: 1,
  tool: { name: "s3-log-auditor", version: "0.1.0" },
  command: "fix",
  createdAt: "2026-01-01T00:00:00.000Z",
});
