/** The options of `sim`: declared on commander in ../commands/sim.ts, validated by this zod schema once. */
import { z } from "zod";
import { flag, integer, list, regionName } from "./values.js";

/** A fraction in [0, 1]. */
const fraction = z.string().transform((value, ctx) => {
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n < 0 || n > 1) {
    ctx.addIssue({ code: "custom", message: `expected a fraction between 0 and 1, got "${value}"` });
    return z.NEVER;
  }
  return n;
});

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** A duration: `0`, `250ms`, `30s`, `5m`, `2h` (a bare number is milliseconds), at most 7 days; in milliseconds. */
const milliseconds = z.string().transform((value, ctx) => {
  const m = /^(\d+)(ms|s|m|h)?$/.exec(value.trim());
  const ms = m ? Number(m[1]) * (DURATION_UNITS[m[2] ?? "ms"] as number) : NaN;
  if (!m) ctx.addIssue({ code: "custom", message: `expected a duration like 0, 500ms, 30s, 5m or 2h, got "${value}"` });
  else if (ms > 7 * 86_400_000) ctx.addIssue({ code: "custom", message: "expected at most 7 days" });
  else return ms;
  return z.NEVER;
});

/** ACCOUNTSxBUCKETS, e.g. 50x200. */
const generate = z.string().transform((value, ctx) => {
  const m = /^(\d+)x(\d+)$/i.exec(value.trim());
  const accounts = Number(m?.[1]);
  const buckets = Number(m?.[2]);
  if (!m) ctx.addIssue({ code: "custom", message: `expected ACCOUNTSxBUCKETS (e.g. 50x200), got "${value}"` });
  else if (accounts < 1 || accounts > 10000) ctx.addIssue({ code: "custom", message: "accounts must be between 1 and 10000" });
  else if (buckets > 100000) ctx.addIssue({ code: "custom", message: "buckets per account must be at most 100000" });
  else return { accounts, buckets };
  return z.NEVER;
});

/** The schema of `sim`. */
export const simSchema = z
  .object({
    port: integer(0, 65535).default(0),
    scenario: z.string().default("demo"),
    generate: generate.optional(),
    regions: list(regionName).optional(),
    logHistory: flag,
    latency: integer(0, 600_000).optional(),
    throttle: fraction.optional(),
    seed: integer(0, 2 ** 31 - 1).optional(),
    logDelay: milliseconds.optional(),
    logInterval: milliseconds.optional(),
    quiet: flag,
  })
  .superRefine((v, ctx) => {
    if (v.generate !== undefined && v.scenario !== "demo") ctx.addIssue({ code: "custom", path: ["generate"], message: "{flag} and {flag:scenario} cannot be combined" });
    if (v.generate === undefined && v.regions) ctx.addIssue({ code: "custom", path: ["regions"], message: "{flag} only applies to {flag:generate}" });
    if (v.generate === undefined && v.logHistory) ctx.addIssue({ code: "custom", path: ["logHistory"], message: "{flag} only applies to {flag:generate}" });
  });
