/** Which accounts a scan covers: the caller's, `--accounts`, or `--org`; exclusions; sharding. */
import { ListAccountsCommand, type Account } from "@aws-sdk/client-organizations";
import type { OrganizationsClient } from "@aws-sdk/client-organizations";

export interface TargetAccount {
  id: string;
  name?: string;
}

/** The account's state: `State` (current field), falling back to the retired `Status`. */
export function accountState(a: Pick<Account, "State" | "Status">): string | undefined {
  return a.State ?? a.Status;
}

/**
 * Every ACTIVE account of the organization. Pages to the end (`NextToken` null) even through
 * empty pages. Accounts listed before a failing page are returned together with the error.
 */
export async function listOrganizationAccounts(
  client: OrganizationsClient,
  run: <T>(fn: () => Promise<T>) => Promise<T>,
  signal?: AbortSignal,
): Promise<{ accounts: TargetAccount[]; error?: unknown }> {
  const accounts: TargetAccount[] = [];
  let token: string | undefined;
  try {
    do {
      const page = await run(() =>
        client.send(new ListAccountsCommand({ NextToken: token, MaxResults: 20 }), { abortSignal: signal }),
      );
      for (const a of page.Accounts ?? []) {
        if (!a.Id || accountState(a) !== "ACTIVE") continue;
        accounts.push(a.Name !== undefined ? { id: a.Id, name: a.Name } : { id: a.Id });
      }
      token = page.NextToken || undefined;
    } while (token);
  } catch (error) {
    return { accounts, error };
  }
  return { accounts };
}

/** 32-bit FNV-1a of a string: a stable, well-spread hash for sharding. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** The 1-based shard an account belongs to among `count` shards. */
export function shardOf(accountId: string, count: number): number {
  return (fnv1a(accountId) % count) + 1;
}

/** Parse `I/N` (1 ≤ I ≤ N). Returns undefined when malformed. */

/** Apply exclusions and the shard filter; deduplicate; keep the first-seen order. */
export function selectAccounts(
  accounts: readonly TargetAccount[],
  exclude: readonly string[] | undefined,
  shard: { index: number; count: number } | undefined,
): TargetAccount[] {
  const excluded = new Set(exclude ?? []);
  const seen = new Set<string>();
  const out: TargetAccount[] = [];
  for (const a of accounts) {
    if (seen.has(a.id) || excluded.has(a.id)) continue;
    seen.add(a.id);
    if (shard && shardOf(a.id, shard.count) !== shard.index) continue;
    out.push(a);
  }
  return out;
}
