/**
 * Config-file exceptions as reports show them: the one-line name of an exception, the lines the
 * table and markdown formats list for expired and unused ones, and how `merge` combines the
 * exception outcomes of the shards of one scan.
 */
import { InputError } from "../base/errors.js";
import type { ExceptionRef, ReportExceptions } from "./report.js";

/** The text that names an exception in messages: `#2 (rule logging-enabled, bucket tmp-*, owner ops)`. */
export function describeException(ref: ExceptionRef): string {
  const sel = [ref.rule ? `rule ${ref.rule}` : "", ref.account ? `account ${ref.account}` : "", ref.bucket ? `bucket ${ref.bucket}` : ""].filter(Boolean);
  return `#${ref.index + 1} (${[...sel, `owner ${ref.owner}`].join(", ")})`;
}

/** One line per expired and per unused exception (empty when there are none), with the reason. */
export function exceptionLines(ex: ReportExceptions | undefined): { expired: string[]; unused: string[] } {
  if (!ex) return { expired: [], unused: [] };
  return {
    expired: ex.expired.map((e) => `${describeException(e)} expired on ${e.expires ?? "?"}, no longer mutes: ${e.reason}`),
    unused: ex.unused.map((e) => `${describeException(e)} matched no finding: ${e.reason}`),
  };
}

/**
 * The exceptions of a merged report. Shards of one scan share one configuration: either every
 * report has exception outcomes or none has (else InputError). An exception is expired when it is
 * in any shard (a shard run after its expiry day no longer muted with it), and unused only when no
 * shard used it: unused in every report and expired in none.
 */
export function mergeExceptions(inputs: readonly { file: string; exceptions: ReportExceptions | undefined }[]): ReportExceptions | undefined {
  const withEx = inputs.filter((i) => i.exceptions);
  if (withEx.length === 0) return undefined;
  if (withEx.length < inputs.length) {
    const without = inputs.find((i) => !i.exceptions)!;
    throw new InputError(`${withEx[0]!.file} was scanned with configuration exceptions but ${without.file} without: not shards of one scan`);
  }
  const expired = new Map<number, ExceptionRef>();
  for (const i of withEx) for (const e of i.exceptions!.expired) expired.set(e.index, e);
  const unusedIn = new Map<number, { ref: ExceptionRef; count: number }>();
  for (const i of withEx) {
    for (const e of i.exceptions!.unused) {
      const seen = unusedIn.get(e.index);
      unusedIn.set(e.index, { ref: e, count: (seen?.count ?? 0) + 1 });
    }
  }
  const unused = [...unusedIn.values()].filter((u) => u.count === withEx.length && !expired.has(u.ref.index)).map((u) => u.ref);
  const byIndex = (a: ExceptionRef, b: ExceptionRef) => a.index - b.index;
  return { expired: [...expired.values()].sort(byIndex), unused: unused.sort(byIndex) };
}
