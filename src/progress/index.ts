/**
 * Progress reporting for scans, always on stderr (never stdout):
 *   - `tty`:   a live ink display (accounts, buckets read, calls in flight, errors, elapsed;
 *              each finished account printed once above it);
 *   - `plain`: one line per finished account and a status line at most every 10 s (pipes, CI;
 *              S3_LOG_AUDITOR_PROGRESS_INTERVAL=SECONDS changes it), no control characters;
 *   - `none`:  nothing (`--quiet`);
 *   - `auto`:  `tty` when the stream is a terminal and not in CI, else `plain`.
 * `tty` and `plain` end with one summary line (accounts, buckets, calls, errors, time) when the
 * collection finished (not when it failed or was interrupted: the error says what happened).
 */
import { createElement } from "react";
import type { ProgressEvent } from "./events.js";
import { InputError } from "../base/errors.js";
import { finishedLine, initialProgressState, progressReducer, statusLine, summaryLine, type ProgressState } from "./model.js";

export type { ProgressEvent, AccountOutcome, FinishedAccount } from "./events.js";
export {
  progressReducer,
  initialProgressState,
  statusLine,
  statusParts,
  summaryLine,
  completion,
  bucketTotalKnown,
  finishedLine,
  formatElapsed,
  type ProgressState,
} from "./model.js";

export type ProgressMode = "auto" | "tty" | "plain" | "none";

export interface ProgressReporterOptions {
  stream?: NodeJS.WriteStream | NodeJS.WritableStream;
  mode?: ProgressMode;
  /** Plain mode: at most one status line per interval (default: PROGRESS_INTERVAL_ENV seconds, else 10 s). */
  intervalMs?: number;
  /** TTY mode: redraw interval (default 100 ms). */
  refreshMs?: number;
  env?: NodeJS.ProcessEnv;
}

export interface ProgressReporter {
  onProgress: (e: ProgressEvent) => void;
  /**
   * Final output; resolves when the display is torn down. `failed`: the run stopped with an error
   * (its one-line message says why), so no summary line is printed.
   */
  stop: (opts?: { failed?: boolean }) => Promise<void>;
  /** The mode actually used. */
  readonly mode: Exclude<ProgressMode, "auto">;
  /** Current state (for tests and callers that want the totals). */
  state: () => ProgressState;
}

function isCi(env: NodeJS.ProcessEnv): boolean {
  const ci = env.CI;
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false";
}

export function resolveMode(
  mode: ProgressMode,
  stream: NodeJS.WriteStream | NodeJS.WritableStream,
  env: NodeJS.ProcessEnv = process.env,
): Exclude<ProgressMode, "auto"> {
  if (mode !== "auto") return mode;
  const tty = (stream as NodeJS.WriteStream).isTTY === true;
  return tty && !isCi(env) && env.TERM !== "dumb" ? "tty" : "plain";
}

/** Environment variable: seconds between status lines in plain mode (pipes, CI). */
export const PROGRESS_INTERVAL_ENV = "S3_LOG_AUDITOR_PROGRESS_INTERVAL";
const DEFAULT_INTERVAL_MS = 10_000;

/** The plain-mode interval from the environment (a positive number of seconds), else 10 s. */
export function progressIntervalMs(env: NodeJS.ProcessEnv): number {
  const raw = env[PROGRESS_INTERVAL_ENV];
  if (raw === undefined || raw.trim() === "") return DEFAULT_INTERVAL_MS;
  const seconds = Number(raw);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) {
    throw new InputError(`${PROGRESS_INTERVAL_ENV} must be a number of seconds between 0 and 86400, got "${raw}"`);
  }
  return Math.round(seconds * 1000);
}

export function createProgressReporter(opts: ProgressReporterOptions = {}): ProgressReporter {
  const stream = opts.stream ?? process.stderr;
  const env = opts.env ?? process.env;
  const mode = resolveMode(opts.mode ?? "auto", stream, env);
  let state = initialProgressState;
  /** The reporter of this mode: every event updates the state, then `show` displays it. */
  const reporter = (show: (e: ProgressEvent) => void, stop: ProgressReporter["stop"]): ProgressReporter => ({
    mode,
    state: () => state,
    onProgress: (e) => {
      state = progressReducer(state, e);
      show(e);
    },
    stop,
  });

  if (mode === "none") return reporter(() => {}, async () => {});

  if (mode === "plain") {
    const interval = opts.intervalMs ?? progressIntervalMs(env);
    let lastLine = "";
    let lastAt = -Infinity;
    const write = (line: string) => {
      stream.write(`${line}\n`);
    };
    const maybeStatus = (force: boolean) => {
      const line = statusLine(state);
      const now = state.elapsedMs;
      if (line === lastLine) return;
      if (!force && now - lastAt < interval) return;
      lastLine = line;
      lastAt = now;
      write(line);
    };
    // A timer as well, so a long quiet stretch (slow Region, retries) still shows life.
    const timer = setInterval(() => maybeStatus(false), interval);
    timer.unref();
    return reporter(
      (e) => {
        if (e.type === "account-finished") {
          const f = state.finished[state.finished.length - 1];
          if (f) write(finishedLine(f));
        } else if (e.type !== "calls") {
          maybeStatus(false);
        }
      },
      async (o) => {
        clearInterval(timer);
        if (state.done && !o?.failed) write(summaryLine(state));
      },
    );
  }

  // tty: ink, loaded lazily (it costs a few hundred ms to import).
  const color = !env.NO_COLOR;
  const refresh = opts.refreshMs ?? 100;
  let dirty = true;
  let instance: { rerender: (n: React.ReactNode) => void; unmount: () => void } | undefined;
  let stopped = false;
  let viewModule: typeof import("./view.js") | undefined;
  const render = () => {
    if (!instance || !viewModule || !dirty) return;
    dirty = false;
    instance.rerender(createElement(viewModule.ProgressView, { state, color }));
  };
  const ready = (async () => {
    const [ink, view] = await Promise.all([import("ink"), import("./view.js")]);
    viewModule = view;
    if (stopped) return;
    instance = ink.render(createElement(view.ProgressView, { state, color }), {
      stdout: stream,
      stderr: stream,
      patchConsole: false,
      exitOnCtrlC: false,
      interactive: true,
    });
    dirty = false;
  })();
  const timer = setInterval(render, refresh);
  timer.unref();
  return reporter(
    (e) => {
      dirty = true;
      // Finished accounts go out promptly (they are printed once, above the live line).
      if (e.type === "account-finished" || e.type === "finished") render();
    },
    async (o) => {
      clearInterval(timer);
      await ready.catch(() => {});
      stopped = true;
      if (instance) {
        dirty = true;
        render();
        instance.unmount();
        instance = undefined;
      }
      if (state.done && !o?.failed) stream.write(`${summaryLine(state)}\n`);
    },
  );
}
