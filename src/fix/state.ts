/**
 * Canonical JSON for comparisons: object keys sorted (arrays keep their order), `undefined`
 * dropped. Drift checks compare states by meaning through each fix resource kind's normal form
 * (./resources.ts) and this text.
 */
/** JSON text with object keys sorted (arrays keep their order), `undefined` dropped. */
export function canonicalJson(v: unknown): string {
  return JSON.stringify(sortKeys(v));
}

function sortKeys(v: unknown): unknown {
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) {
      const x = (v as Record<string, unknown>)[k];
      if (x !== undefined) out[k] = sortKeys(x);
    }
    return out;
  }
  return v;
}

/** Plain-JSON copy (Dates become ISO strings, `undefined` dropped). */
export function toPlainJson<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}
