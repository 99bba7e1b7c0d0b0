/**
 * The value checks that several commands share, declared once as zod schemas (Region names,
 * account ids, role names, URLs, integer ranges, globs, shards, durations). Their messages name no
 * flag: `{flag}` is filled in by ./parse.ts with the flag, or the configuration key, that gave
 * the value.
 */
import { z } from "zod";
import { ACCOUNT_ID_RE, BucketGlobSchema, REGION_NAME_RE } from "../../model/names.js";
import { parseShard } from "../../collect/target-syntax.js";
import { SEVERITIES, type Severity } from "../../model/finding.js";

const ROLE_NAME_RE = /^[\w+=,.@/-]{1,64}$/;

/** The distinct items of a list, in their first order. */
function unique<T>(xs: readonly T[]): T[] {
  return [...new Set(xs)];
}

/** A Region name such as us-east-1. */
export const regionName = z.string().regex(REGION_NAME_RE, { error: (i) => `not a Region name: "${String(i.input)}" (e.g. us-east-1)` });

/** A 12-digit account id. */
export const accountId = z.string().regex(ACCOUNT_ID_RE, { error: (i) => `account ids are 12 digits, got "${String(i.input)}"` });

/** An IAM role name. */
export const roleName = z.string().regex(ROLE_NAME_RE, { error: (i) => `{flag} is not a valid IAM role name: "${String(i.input)}"` });

/** An http(s) URL (kept as written). */
export const endpointUrl = z.string().superRefine((raw, ctx) => {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    ctx.addIssue({ code: "custom", message: `{flag} is not a URL: "${raw}"` });
    return;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") ctx.addIssue({ code: "custom", message: `{flag} must be http(s), got "${raw}"` });
});

/** A bucket name glob (picomatch; see model/names globProblem). */
export const bucketGlob = BucketGlobSchema;

/** A list (commander's collectList gives one item at least), repeated items once. */
export function list<T extends z.ZodType<string>>(item: T) {
  return z.array(item).transform((xs) => unique(xs));
}

/**
 * A whole number in [min, max], as a flag's text or a number (configuration). `what` words the
 * one message for both mistakes (`a whole number of days between 1 and 36500`); without it a bad
 * syntax and a value out of range get a message each.
 */
export function integer(min: number, max: number, what?: string) {
  return z.union([z.string(), z.number()]).transform((raw, ctx): number => {
    const s = String(raw).trim();
    const n = Number(s);
    if (!/^\d+$/.test(s)) {
      ctx.addIssue({ code: "custom", message: `{flag} must be ${what ?? (min >= 1 ? "a positive integer" : "a whole number")}, got "${s}"` });
      return z.NEVER;
    }
    if (n < min || n > max) {
      ctx.addIssue({ code: "custom", message: what ? `{flag} must be ${what}, got "${s}"` : `{flag} must be between ${min} and ${max}, got ${n}` });
      return z.NEVER;
    }
    return n;
  });
}

/** `I/N` with 1 ≤ I ≤ N: one shard of a split list of accounts. */
export const shard = z.string().transform((raw, ctx) => {
  const parsed = parseShard(raw);
  if (!parsed) {
    ctx.addIssue({ code: "custom", message: `{flag} must be I/N with 1 ≤ I ≤ N (e.g. 2/3), got "${raw}"` });
    return z.NEVER;
  }
  return parsed;
});

/** A duration in hours or days (`48h`, `2d`, `1.5d`), at most 90 days: its length in hours. */
export const hoursOrDays = z.string().transform((raw, ctx) => {
  const m = /^(\d+(?:\.\d+)?)(h|d)$/.exec(raw.trim());
  const hours = m ? Number(m[1]) * (m[2] === "d" ? 24 : 1) : NaN;
  if (!m || !(hours > 0) || hours > 24 * 90) {
    ctx.addIssue({ code: "custom", message: `expected a duration like 48h or 2d (at most 90d), got "${raw}"` });
    return z.NEVER;
  }
  return hours;
});

/** A list of severities (critical, high, medium, low, info). */
export const severities = list(z.string()).transform((xs, ctx): Severity[] => {
  const bad = xs.filter((x) => !(SEVERITIES as readonly string[]).includes(x));
  if (bad.length > 0) ctx.addIssue({ code: "custom", message: `not a severity: ${bad.join(", ")} (use ${SEVERITIES.join(", ")})` });
  return xs as Severity[];
});

/** A file name given by a flag (its readability or writability is checked when it is used). */
export const fileName = z.string();

/** A flag without value: true when given. */
export const flag = z.boolean().optional().transform((v) => v === true);
