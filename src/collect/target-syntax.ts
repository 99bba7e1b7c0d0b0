/**
 * The syntax of what a scan targets — account ids, shards — and the default role name. No AWS SDK
 * here: the CLI validates its flags with these before anything is loaded.
 */

/** The role assumed in every account other than the caller's (AWS Organizations' default). */
export const DEFAULT_ROLE_NAME = "OrganizationAccountAccessRole";

const ACCOUNT_ID = /^\d{12}$/;

/** True for a 12-digit AWS account id. */
export function isAccountId(s: string): boolean {
  return ACCOUNT_ID.test(s);
}

/** Parses `I/N` (1 ≤ I ≤ N), or undefined. */
export function parseShard(text: string): { index: number; count: number } | undefined {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return undefined;
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index < 1 || index > count) {
    return undefined;
  }
  return { index, count };
}
