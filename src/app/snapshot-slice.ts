/**
 * `--from-snapshot` with `--accounts`, `--exclude-accounts`, `--regions` and `--buckets`: evaluate
 * a slice of a saved snapshot the way a live scan of that scope would have collected it. Buckets
 * outside the slice stay in the snapshot marked out of scope (as log targets they still feed the
 * target rules and cycle detection) and get no findings of their own; errors and accounts outside
 * the slice are dropped.
 */
import picomatch from "picomatch";
import { InputError } from "../base/errors.js";
import { bucketKey, type BucketSnapshot, type Snapshot } from "../model/snapshot.js";

export interface SnapshotSlice {
  accounts?: string[];
  excludeAccounts?: string[];
  regions?: string[];
  bucketGlobs?: string[];
}

/** The snapshot restricted to `slice` (the same object when the slice restricts nothing). */
export function sliceSnapshot(snapshot: Snapshot, slice: SnapshotSlice): Snapshot {
  const { accounts, excludeAccounts, regions, bucketGlobs } = slice;
  if (!accounts && !excludeAccounts && !regions && !bucketGlobs) return snapshot;
  const known = new Set(snapshot.accounts.map((a) => a.id));
  const missing = (accounts ?? []).filter((a) => !known.has(a));
  if (missing.length > 0) {
    throw new InputError(`the snapshot has no account ${missing.join(", ")} (it has ${[...known].join(", ") || "none"})`);
  }
  const inAccount = (id: string) => (!accounts || accounts.includes(id)) && !(excludeAccounts ?? []).includes(id);
  const inRegion = (r: string | undefined) => !regions || r === undefined || regions.includes(r);
  const matches = bucketGlobs ? picomatch(bucketGlobs, { dot: true }) : () => true;
  const inSlice = (b: BucketSnapshot) => b.inScope !== false && inAccount(b.account) && inRegion(b.region) && matches(b.name);

  const buckets = snapshot.buckets.map((b): BucketSnapshot => (inSlice(b) || b.inScope === false ? b : { ...b, inScope: false }));
  // Errors that concern the slice: its accounts and Regions, its buckets and the targets they log into.
  const relevant = new Set<string>();
  for (const b of buckets) {
    if (b.inScope === false) continue;
    relevant.add(bucketKey(b.account, b.name));
    if (b.logging.status === "ok" && b.logging.value) relevant.add(bucketKey(b.account, b.logging.value.targetBucket));
  }
  const sliceRegions = new Set(buckets.filter((b) => b.inScope !== false).map((b) => `${b.account}/${b.region}`));
  const errors = snapshot.errors.filter(
    (e) => inAccount(e.account) && (e.bucket === undefined ? inRegion(e.region) : relevant.has(bucketKey(e.account, e.bucket))),
  );
  return {
    ...snapshot,
    scope: {
      accounts: snapshot.scope.accounts.filter(inAccount),
      regions: regions ?? snapshot.scope.regions,
      ...(bucketGlobs ?? snapshot.scope.bucketGlobs ? { bucketGlobs: bucketGlobs ?? snapshot.scope.bucketGlobs } : {}),
    },
    // an account's Regions: where its buckets of the slice are (as a live scan of the slice finds them)
    accounts: snapshot.accounts
      .filter((a) => inAccount(a.id))
      .map((a) => (regions || bucketGlobs ? { ...a, regions: a.regions.filter((r) => inRegion(r) && (!bucketGlobs || sliceRegions.has(`${a.id}/${r}`))) } : a)),
    buckets,
    externalTargets: snapshot.externalTargets.filter((t) => inAccount(t.account)),
    errors,
  };
}
