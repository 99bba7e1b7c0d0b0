/**
 * Bytes → lines, streaming: gzip is recognised by its magic bytes (not the name) and inflated on
 * the fly; UTF-8 is decoded across chunk boundaries; `\n` and `\r\n` both end a line; a last line
 * without a newline still counts. Memory stays at one chunk plus one partial line.
 */
import { Readable, pipeline } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import { createGunzip } from "node:zlib";

/** Called with each line's text (without `\n`) and its 1-based number. */
export type LineHandler = (text: string, line: number) => void;

/** True when a buffer starts like a gzip member (1f 8b). */
export function isGzip(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/** The chunks of `src`, inflated when the first bytes are a gzip header (multi-member files included). */
export async function* maybeGunzip(src: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const it = src[Symbol.asyncIterator]();
  let first = await it.next();
  while (!first.done && first.value.length === 0) first = await it.next();
  if (first.done) return;
  const head = first.value;
  if (head.length < 2) {
    // too short to tell: take one more chunk
    const next = await it.next();
    const joined = next.done ? head : Buffer.concat([head, next.value]);
    yield* maybeGunzip(
      (async function* () {
        yield joined;
        for (;;) {
          const n = await it.next();
          if (n.done) return;
          yield n.value;
        }
      })(),
    );
    return;
  }
  if (!isGzip(head)) {
    yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  }
  const rest = async function* () {
    yield head;
    for (;;) {
      const n = await it.next();
      if (n.done) return;
      yield n.value;
    }
  };
  const gunzip = createGunzip();
  pipeline(Readable.from(rest()), gunzip, () => undefined);
  for await (const chunk of gunzip) yield chunk as Buffer;
}

/**
 * True when text is printable-safe ASCII for JSON: no byte ≥ 0x7f (so no DEL, C1 or bidi
 * control that JSON.stringify would leave as is). One native pass per chunk.
 */
export function isPlainAscii(text: string): boolean {
  return Buffer.byteLength(text, "utf8") === text.length && text.indexOf("\x7f") < 0;
}

/**
 * Feeds every line of the byte chunks to `onLine` (with whether the chunk was plain ASCII);
 * after each chunk awaits `afterChunk` (the consumer's backpressure). Returns the number of
 * bytes read (after inflating).
 */
export async function readLines(
  chunks: AsyncIterable<Uint8Array>,
  onLine: LineHandler,
  afterChunk?: () => Promise<void> | void,
  onChunk?: (plain: boolean) => void,
): Promise<number> {
  const decoder = new StringDecoder("utf8");
  let carry = "";
  let line = 0;
  let bytes = 0;
  for await (const chunk of chunks) {
    bytes += chunk.length;
    const text = carry + decoder.write(chunk);
    onChunk?.(isPlainAscii(text));
    let start = 0;
    let nl = text.indexOf("\n");
    while (nl >= 0) {
      onLine(text.slice(start, nl), ++line);
      start = nl + 1;
      nl = text.indexOf("\n", start);
    }
    carry = start === 0 ? text : text.slice(start);
    const wait = afterChunk?.();
    if (wait) await wait;
  }
  const last = carry + decoder.end();
  if (last !== "") {
    onChunk?.(isPlainAscii(last));
    onLine(last, line + 1);
  }
  return bytes;
}
