/**
 * Streaming text output for the `logs` commands: buffered writes to stdout or a file with
 * backpressure; a reader that goes away (`| head`: EPIPE) ends the output quietly and tells the
 * producer to stop. A file is written atomically: into a temporary file beside it, renamed over
 * it only when the output is complete, so a run that fails or is interrupted midway leaves the
 * old file as it was (the temporary file is removed when the process exits).
 */
import { openAtomicFile, type AtomicFile } from "../base/atomic-file.js";
import { InputError } from "../base/errors.js";

const FLUSH_AT = 1 << 16;

export class TextOut {
  private buf = "";
  private closedByReader = false;
  private failure: NodeJS.ErrnoException | undefined;
  private readonly onError = (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") this.closedByReader = true;
    else this.failure ??= err;
  };

  private constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly file: AtomicFile | undefined,
    readonly label: string,
  ) {
    stream.on("error", this.onError);
  }

  /** Output to stdout. */
  static stdout(stream: NodeJS.WritableStream = process.stdout): TextOut {
    return new TextOut(stream, undefined, "stdout");
  }

  /** Output to a file, replaced atomically by `end()` (InputError when it cannot be created). */
  static async file(path: string, what: string): Promise<TextOut> {
    let f: AtomicFile;
    try {
      f = await openAtomicFile(path);
    } catch (err) {
      throw new InputError(`cannot write ${what} ${path}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
    }
    return new TextOut(f.stream, f, path);
  }

  /** True once the reader has gone away (stop producing). */
  get closed(): boolean {
    return this.closedByReader;
  }

  write(s: string): void {
    if (this.closedByReader) return;
    this.buf += s;
  }

  /** Writes what is buffered when it is large enough (or `force`), waiting for the stream to drain. */
  async flush(force = false): Promise<void> {
    if (this.failure) throw new InputError(`cannot write ${this.label}: ${this.failure.code ?? this.failure.message}`);
    if (this.closedByReader || this.buf === "" || (!force && this.buf.length < FLUSH_AT)) return;
    const chunk = this.buf;
    this.buf = "";
    if (!this.stream.write(chunk)) {
      await new Promise<void>((resolve) => {
        const done = () => {
          this.stream.off("drain", done);
          this.stream.off("close", done);
          this.stream.off("error", done);
          resolve();
        };
        this.stream.on("drain", done);
        this.stream.on("close", done);
        this.stream.on("error", done);
      });
    }
  }

  /** Gives up a file output: its temporary file is removed and the target left as it was. */
  async abort(): Promise<void> {
    await this.file?.abort();
  }

  /** Flushes everything; a file is synced to disk and renamed over its target (stdout stays open). */
  async end(): Promise<void> {
    await this.flush(true);
    if (this.failure) await this.file?.abort();
    else await this.file?.commit();
    if (this.failure) throw new InputError(`cannot write ${this.label}: ${this.failure.code ?? this.failure.message}`);
  }

}
