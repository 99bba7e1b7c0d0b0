/**
 * A line made of parts that give way when the terminal is narrow: the header and the footer of
 * the session. Each part may name a `drop` rank; while the line is too wide, the part with the
 * lowest rank goes first. Parts without a rank always stay. Pure.
 */

/** One part of a line; `drop`: order of removal when space is short (lower goes first). */
export interface Part {
  text: string;
  drop?: number;
}

/** Width in columns (one per code point). */
export const columns = (s: string): number => [...s].length;

/** The parts joined with `sep`. */
export function joinParts(parts: readonly Part[], sep: string): string {
  return parts.map((p) => p.text).join(sep);
}

/** The parts left after dropping the lowest-ranked ones until the line fits `max` (or none can go). */
export function fitParts(parts: readonly Part[], sep: string, max: number): Part[] {
  let out = [...parts];
  while (columns(joinParts(out, sep)) > max) {
    let victim = -1;
    out.forEach((p, i) => {
      if (p.drop !== undefined && (victim < 0 || p.drop < out[victim]!.drop!)) victim = i;
    });
    if (victim < 0) break;
    out = out.filter((_, i) => i !== victim);
  }
  return out;
}
