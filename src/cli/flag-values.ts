/**
 * The checks of flag values that several commands share (scan, fix, undo, demo, logs): one
 * place each, one wording each (bad value → InputError, exit 2, one line naming the flag).
 */
import { InputError } from "../base/errors.js";
import { isAccountId } from "../collect/target-syntax.js";
import { REGION_NAME_RE } from "../model/names.js";

const ROLE_NAME_RE = /^[\w+=,.@/-]{1,64}$/;

/** A Region name, or an InputError `[FLAG ]not a Region name: "X" (e.g. us-east-1)`. */
export function regionName(raw: string, flag?: string): string {
  if (!REGION_NAME_RE.test(raw)) throw new InputError(`${flag ? `${flag} is ` : ""}not a Region name: "${raw}" (e.g. us-east-1)`);
  return raw;
}

/** A 12-digit account id, or an InputError naming FLAG. */
export function accountId(raw: string, flag: string): string {
  if (!isAccountId(raw)) throw new InputError(`${flag} must be a 12-digit account id, got "${raw}"`);
  return raw;
}

/** An IAM role name, or an InputError naming FLAG. */
export function roleName(raw: string, flag = "--role-name"): string {
  if (!ROLE_NAME_RE.test(raw)) throw new InputError(`${flag} is not a valid IAM role name: "${raw}"`);
  return raw;
}

/** An http(s) URL, or an InputError naming FLAG. */
export function endpointUrl(raw: string, flag = "--endpoint-url"): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new InputError(`${flag} is not a URL: "${raw}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new InputError(`${flag} must be http(s), got "${raw}"`);
  return raw;
}

/** An integer in [1, max] (undefined when the flag is absent), or an InputError naming FLAG. */
export function positiveInt(flag: string, raw: unknown, max = 10_000): number | undefined {
  if (raw === undefined) return undefined;
  const s = (typeof raw === "string" ? raw : JSON.stringify(raw)).trim();
  if (!/^\d+$/.test(s)) throw new InputError(`${flag} must be a positive integer, got "${s}"`);
  const n = Number(s);
  if (n < 1 || n > max) throw new InputError(`${flag} must be between 1 and ${max}, got ${n}`);
  return n;
}
