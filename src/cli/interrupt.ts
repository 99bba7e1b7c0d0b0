/** Ctrl-C during a scan: the first SIGINT aborts the work cleanly (exit 130), a second one exits at once. */
import { CliError } from "./errors.js";

export const EXIT_INTERRUPTED = 130;

export async function withInterrupt<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  let count = 0;
  const onSigint = () => {
    count++;
    if (count > 1) process.exit(EXIT_INTERRUPTED);
    controller.abort(new CliError("interrupted", EXIT_INTERRUPTED));
  };
  process.on("SIGINT", onSigint);
  try {
    return await fn(controller.signal);
  } catch (err) {
    if (controller.signal.aborted) throw new CliError("interrupted", EXIT_INTERRUPTED);
    throw err;
  } finally {
    process.off("SIGINT", onSigint);
  }
}
