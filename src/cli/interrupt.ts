/**
 * Ctrl-C during a scan or an apply: the first SIGINT aborts the work cleanly (steps in flight
 * finish and are journaled; exit 130), a second one exits at once. SIGTERM and SIGHUP (a closed
 * terminal) abort cleanly the same way, so they never stop an apply between a journal record and
 * its write.
 */
import { CliError } from "./errors.js";

export const EXIT_INTERRUPTED = 130;

const CLEAN_STOP_SIGNALS = ["SIGTERM", "SIGHUP"] as const;

/** Runs `fn` with an AbortSignal that the signals above abort (see module comment). */
export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let count = 0;
  const onSigint = () => {
    count++;
    if (count > 1) process.exit(EXIT_INTERRUPTED);
    controller.abort(new CliError("interrupted", EXIT_INTERRUPTED));
  };
  const onStop = () => controller.abort(new CliError("interrupted", EXIT_INTERRUPTED));
  process.on("SIGINT", onSigint);
  for (const s of CLEAN_STOP_SIGNALS) process.on(s, onStop);
  try {
    return await fn(controller.signal);
  } catch (err) {
    if (controller.signal.aborted) throw new CliError("interrupted", EXIT_INTERRUPTED);
    throw err;
  } finally {
    process.off("SIGINT", onSigint);
    for (const s of CLEAN_STOP_SIGNALS) process.off(s, onStop);
  }
}
