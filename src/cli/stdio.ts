/**
 * A reader that goes away (`| head`, `| true`, a closed terminal) must never crash the program:
 * an error on stdout or stderr (EPIPE, EBADF, …) marks that stream closed and every later write to
 * it is dropped, so a running apply finishes its steps and closes its journal as if nothing
 * happened. Imports nothing: the entry point installs it before anything is written.
 */

const closed = new WeakSet<NodeJS.WriteStream>();

/** True once writes to `stream` are being dropped because its reader went away. */
export function isClosed(stream: NodeJS.WriteStream): boolean {
  return closed.has(stream);
}

function guard(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.on("error", () => {
    closed.add(stream);
  });
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (!closed.has(stream)) return write(chunk, ...rest);
    const cb = rest.find((x): x is () => void => typeof x === "function");
    if (cb) queueMicrotask(cb);
    return true;
  });
}

/** Installs the guard on process.stdout and process.stderr (once). */
export function guardStdio(): void {
  for (const s of [process.stdout, process.stderr]) if (!closed.has(s) && s.listenerCount("error") === 0) guard(s);
}
