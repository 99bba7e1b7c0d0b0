/**
 * @fileoverview The one place that keeps control characters from AWS data (policy Sids, logging
 * prefixes, target names, error messages, log records) out of terminals and reports.
 *
 * Escaped: C0 (U+0000–U+001F), DEL (U+007F), C1 (U+0080–U+009F, e.g. U+009B, the one-byte CSI),
 * the line/paragraph separators U+2028/U+2029 and the bidirectional controls U+202A–U+202E,
 * U+2066–U+2069 (they reorder what a reader sees).
 *   - Human formats (table, markdown, CSV, HTML, JUnit text, plan summaries, progress lines, the
 *     UI, stderr) show each one as a visible `\uXXXX`: `escapeControl`, or `escapeStrings` for a
 *     whole value before rendering. `keep` lets a format keep `\t` / `\n` raw where it allows them.
 *   - JSON formats (the JSON report, SARIF, snapshots, plans, journals) keep the exact value and
 *     write the characters JSON.stringify leaves raw as `\uXXXX` escapes: `safeJsonStringify`.
 */

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const CONTROL_G = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
/** What JSON.stringify leaves raw (it escapes C0 itself). */
const JSON_RAW = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const JSON_RAW_G = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const u = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** True when `s` holds a character `escapeControl` would escape. */
export function hasControl(s: string): boolean {
  return CONTROL.test(s);
}

/** `s` with every control character shown as `\uXXXX`, except those listed in `keep` (e.g. "\t"). */
export function escapeControl(s: string, keep = ""): string {
  if (!CONTROL.test(s)) return s;
  return s.replace(CONTROL_G, (c) => (keep.includes(c) ? c : u(c)));
}

/** JSON.stringify whose output never holds a raw control character (the value is unchanged). */
export function safeJsonStringify(value: unknown, space?: number): string {
  const s = JSON.stringify(value, null, space);
  if (s === undefined || !JSON_RAW.test(s)) return s;
  return s.replace(JSON_RAW_G, u);
}

/**
 * A copy of `value` with every string (values and keys) passed through `escapeControl`; parts
 * without control characters are shared, not copied, so a clean report costs one walk.
 */
export function escapeStrings<T>(value: T): T {
  return walk(value) as T;
}

function walk(v: unknown): unknown {
  if (typeof v === "string") return escapeControl(v);
  if (Array.isArray(v)) {
    let out: unknown[] | undefined;
    for (let i = 0; i < v.length; i++) {
      const w = walk(v[i]);
      if (w !== v[i]) (out ??= v.slice())[i] = w;
    }
    return out ?? v;
  }
  if (v !== null && typeof v === "object") {
    let out: Record<string, unknown> | undefined;
    for (const [k, x] of Object.entries(v)) {
      const w = walk(x);
      const key = escapeControl(k);
      if (w !== x || key !== k) {
        out ??= { ...(v as Record<string, unknown>) };
        if (key !== k) delete out[k];
        out[key] = w;
      }
    }
    return out ?? v;
  }
  return v;
}
