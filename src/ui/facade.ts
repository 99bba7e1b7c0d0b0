/**
 * Entry point of the interactive fix session (`fix` in a terminal, `demo fix`).
 *
 *   openInteractiveFix({ services, demo }) → exit code
 *
 * The CLI builds the services (src/app/fix-session.ts) and hands them over. This renders the ink
 * app on the terminal (alternate screen, raw mode restored on every exit path), then prints a
 * plain summary (journal and undo command) that stays in the scrollback.
 */
import { createElement } from "react";
import type { FixServices } from "../app/fix-session.js";
import { applyLeftWork, undoLeftWork } from "../app/fix.js";
import { InputError } from "../base/errors.js";
import { TOOL_NAME } from "../base/identity.js";
import { colorEnabled } from "../output/style.js";
import { exitSummary } from "./state/pinned.js";
import { sessionRuns, type SessionState } from "./state/session.js";

export { FixApp, type FixAppProps } from "./components/app.js";

export interface InteractiveFixOptions {
  /** What the session may do (scan, plan, apply), with its journal path and undo command. */
  services: FixServices & { close(): void };
  /** The demo: the simulated organization lives in this process. */
  demo: boolean;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/**
 * Exit code of a session over all its runs: 130 an interrupted apply or undo, 1 a step failed or
 * was skipped or a manual step is left (or an undo did not put everything back), else 0; a failed
 * scan its own code.
 */
export function sessionExitCode(s: SessionState | undefined): number {
  if (!s) return 0;
  const codes: number[] = sessionRuns(s).map((r) => {
    if (r.applyError) return 1;
    const sum = r.apply;
    if (!sum || sum.aborted) return 130;
    if (r.undo?.aborted) return 130;
    return applyLeftWork(sum) || (r.undo !== undefined && undoLeftWork(r.undo)) ? 1 : 0;
  });
  if (s.phase === "scan-failed") codes.push(s.scanExitCode ?? 1);
  if (s.interrupted || (s.phase === "undone" && s.undo?.summary?.aborted)) codes.push(130);
  return codes.includes(130) ? 130 : Math.max(0, ...codes);
}

/**
 * Whether the full-screen session can run: stdin and stdout are terminals and TERM names one with
 * cursor addressing (not `dumb`, not unset). Otherwise the session runs in line mode.
 */
export function canDrawScreen(stdin: { isTTY?: boolean }, stdout: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  const term = (env.TERM ?? "").trim();
  return stdin.isTTY === true && stdout.isTTY === true && term !== "" && term !== "dumb";
}

/** The session in plain lines (no screen): plan summary, y/N, apply, result; resolves with the exit code. */
export async function openLineFix(o: InteractiveFixOptions): Promise<number> {
  const { runLineFix } = await import("./line-mode.js");
  try {
    const final = await runLineFix({ services: o.services, demo: o.demo, ...(o.stdin ? { stdin: o.stdin } : {}), ...(o.stdout ? { stdout: o.stdout } : {}) });
    if (final.phase === "scan-failed") process.stderr.write(`${TOOL_NAME}: ${final.error ?? "the scan failed"}\n`);
    return sessionExitCode(final);
  } finally {
    o.services.close();
  }
}

/** Opens the interactive session on the terminal; resolves with the exit code when it is quit. */
export async function openInteractiveFix(o: InteractiveFixOptions): Promise<number> {
  const stdin = o.stdin ?? process.stdin;
  const stdout = o.stdout ?? process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) throw new InputError("the interactive fix session needs a terminal");
  const services = o.services;
  const color = colorEnabled(stdout);
  const { render } = await import("ink");
  const { FixApp } = await import("./components/app.js");
  let final: SessionState | undefined;
  // Ctrl-C arrives as a key in raw mode (handled by the app); a SIGINT from elsewhere quits too.
  let instance: ReturnType<typeof render> | undefined;
  let signalled = false;
  const onSigint = () => {
    signalled = true;
    instance?.unmount();
  };
  process.on("SIGINT", onSigint);
  try {
    instance = render(
      createElement(FixApp, {
        services,
        color,
        onExit: (s: SessionState) => {
          final = s;
        },
      }),
      { stdin, stdout, stderr: process.stderr, exitOnCtrlC: false, patchConsole: true, interactive: true, alternateScreen: true },
    );
    await instance.waitUntilExit();
  } finally {
    process.off("SIGINT", onSigint);
    instance?.cleanup();
    if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    services.close();
  }
  if (final) stdout.write(exitSummary(final, services, o.demo, stdout.columns || 80));
  if (final?.phase === "scan-failed") {
    process.stderr.write(`${TOOL_NAME}: ${final.error ?? "the scan failed"}\n`);
  }
  return signalled && !final ? 130 : sessionExitCode(final);
}
