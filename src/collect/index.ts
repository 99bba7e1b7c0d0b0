/**
 * Collection: talks to AWS (or the simulator) and produces the `Snapshot` (src/model/snapshot.ts).
 * Nothing else in the product calls AWS for reading.
 */
import { setMaxListeners } from "node:events";
import picomatch from "picomatch";
import { AwsError, InputError } from "../base/errors.js";
import { TOOL_NAME, TOOL_VERSION } from "../base/identity.js";
import {
  SNAPSHOT_SCHEMA_VERSION,
  type AccountSnapshot,
  type BucketSnapshot,
  type CollectionError,
  type ExternalTarget,
  type Snapshot,
} from "../model/snapshot.js";
import type { ProgressEvent } from "../progress/events.js";
import { collectAccount, type AccountResult } from "./account.js";
import { listOrganizationAccounts, selectAccounts, type TargetAccount } from "./accounts.js";
import { ClientPool, type ClientPoolOptions } from "./clients.js";
import type { DeliveryCheck, EarlierSource } from "./delivery.js";
import { errorCode, errorMessage, isAbort, isMissingCredentials } from "./errors.js";
import { DEFAULT_CONCURRENCY, DEFAULT_PER_ACCOUNT_CONCURRENCY, Scheduler } from "./scheduler.js";

export type { ProgressEvent } from "../progress/events.js";
export { DEFAULT_ROLE_NAME, isAccountId, parseShard } from "./target-syntax.js";
export { ClientPool, DEFAULT_MAX_ATTEMPTS, DEFAULT_RETRY_MODE, endpointOverridden } from "./clients.js";
export type { ClientPoolOptions, CallerIdentity } from "./clients.js";
export { shardOf } from "./accounts.js";
export { DEFAULT_CONCURRENCY, DEFAULT_PER_ACCOUNT_CONCURRENCY } from "./scheduler.js";
export { classifyFailure, errorCode, errorMessage } from "./errors.js";
export { UNKNOWN_REGION } from "./account.js";

export type { EarlierSource } from "./delivery.js";

export interface CollectOptions extends ClientPoolOptions {
  /** --org: every ACTIVE account of the organization (ListAccounts). */
  org?: boolean;
  /** --accounts: these accounts (12-digit ids). */
  accounts?: string[];
  excludeAccounts?: string[];
  regions?: string[];
  /** picomatch globs on bucket names (--buckets). */
  bucketGlobs?: string[];
  /** picomatch globs on bucket names to leave out (--exclude-buckets). */
  excludeBucketGlobs?: string[];
  /** Global bound on AWS calls in flight (default 32). */
  concurrency?: number;
  /** Bound on calls in flight per account (default 8). */
  perAccountConcurrency?: number;
  /** 1-based shard of the account list, by a stable hash of the account id. */
  shard?: { index: number; count: number };
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
  /** An existing pool to use (it is not destroyed); by default one is created and closed. */
  pool?: ClientPool;
  /** Check delivery (opt-in rule logs-delivered): canaries and log-object listings. */
  delivery?: { windowHours: number; earlier?: ReadonlyMap<string, EarlierSource> };
}

/** Collect a snapshot of the chosen accounts. Failures of reads are values in the snapshot. */
export async function collectSnapshot(opts: CollectOptions): Promise<Snapshot> {
  const startedAt = new Date();
  const t0 = performance.now();
  const concurrency = opts.concurrency ?? DEFAULT_CONCURRENCY;
  const perAccount = opts.perAccountConcurrency ?? DEFAULT_PER_ACCOUNT_CONCURRENCY;
  const pool = opts.pool ?? new ClientPool({ ...opts, concurrency });
  const onProgress = opts.onProgress;
  const emit = onProgress
    ? (e: DistributiveOmit<ProgressEvent, "elapsedMs">) =>
        onProgress({ ...e, elapsedMs: Math.round(performance.now() - t0) })
    : () => {};
  const scheduler = new Scheduler(
    concurrency,
    perAccount,
    onProgress ? (inFlight, completed) => emit({ type: "calls", inFlight, completed }) : undefined,
  );
  pool.setAttemptLimiter(scheduler.attempt);
  // Every SDK request of the scan listens on the one cancel signal until it settles, so hundreds of
  // listeners are expected (requests waiting out a retry backoff included); Node's leak warning at
  // 10 would only be noise on stderr.
  if (opts.signal) setMaxListeners(0, opts.signal);
  try {
    let identity;
    try {
      identity = await pool.init(opts.signal);
    } catch (err) {
      if (isAbort(err, opts.signal) || err instanceof InputError) throw err;
      const why = `cannot determine the caller's identity (sts:GetCallerIdentity): ${errorCode(err)}: ${errorMessage(err)}`;
      // No credentials at all is a setup problem (2); anything AWS answered or a network failure is 3.
      if (isMissingCredentials(err)) throw new InputError(why);
      throw new AwsError(why, "GetCallerIdentity", errorCode(err));
    }
    const caller = identity.account;
    const errors: CollectionError[] = [];

    let candidates: TargetAccount[];
    if (opts.org) {
      const listed = await listOrganizationAccounts(pool.organizations(), scheduler.forAccount(caller), opts.signal);
      if (listed.error !== undefined) {
        if (isAbort(listed.error, opts.signal)) throw listed.error as Error;
        const e: CollectionError = {
          account: caller,
          operation: "ListAccounts",
          code: errorCode(listed.error),
          message: errorMessage(listed.error),
        };
        errors.push(e);
        emit({ type: "error", error: e });
      }
      candidates = listed.accounts;
    } else if (opts.accounts && opts.accounts.length > 0) {
      candidates = opts.accounts.map((id) => ({ id }));
    } else {
      candidates = [{ id: caller }];
    }
    const targets = selectAccounts(candidates, opts.excludeAccounts, opts.shard);
    emit({ type: "accounts", total: targets.length });

    const globs = opts.bucketGlobs?.filter((g) => g.length > 0);
    const include = globs && globs.length > 0 ? picomatch(globs, { dot: true }) : undefined;
    const excludes = opts.excludeBucketGlobs?.filter((g) => g.length > 0);
    const exclude = excludes && excludes.length > 0 ? picomatch(excludes, { dot: true }) : undefined;
    const matchBucket =
      include || exclude ? (name: string) => (include ? include(name) : true) && !(exclude ? exclude(name) : false) : undefined;
    const regions = opts.regions && opts.regions.length > 0 ? new Set(opts.regions) : undefined;

    const delivery: DeliveryCheck | undefined = opts.delivery
      ? { windowMs: opts.delivery.windowHours * 3_600_000, now: startedAt.getTime(), ...(opts.delivery.earlier ? { earlier: opts.delivery.earlier } : {}) }
      : undefined;
    const results = await runAccounts(targets, scheduler, concurrency, perAccount, (t, listed) =>
      collectAccount(
        {
          pool,
          listed,
          run: scheduler.forAccount(t.id),
          admit: scheduler.admission(t.id),
          callerAccount: caller,
          ...(matchBucket ? { matchBucket } : {}),
          ...(regions ? { regions } : {}),
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(delivery ? { delivery } : {}),
          emit,
        },
        t,
      ),
    );

    const accounts: AccountSnapshot[] = [];
    const buckets: BucketSnapshot[] = [];
    const externalTargets: ExternalTarget[] = [];
    for (const r of results) {
      accounts.push(r.account);
      for (const b of r.buckets) buckets.push(b);
      for (const x of r.externalTargets) externalTargets.push(x);
      for (const e of r.errors) errors.push(e);
    }
    accounts.sort((a, b) => cmp(a.id, b.id));
    buckets.sort((a, b) => cmp(a.account, b.account) || cmp(a.name, b.name));
    externalTargets.sort((a, b) => cmp(a.account, b.account) || cmp(a.name, b.name));
    errors.sort(compareErrors);

    const snapshot: Snapshot = {
      kind: "s3-log-auditor-snapshot",
      schemaVersion: SNAPSHOT_SCHEMA_VERSION,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      partition: identity.partition,
      scope: {
        accounts: targets.map((t) => t.id).sort(cmp),
        regions: regions ? [...regions].sort(cmp) : null,
        ...(globs && globs.length > 0 ? { bucketGlobs: globs } : {}),
      },
      accounts,
      buckets,
      externalTargets,
      errors,
      ...(opts.delivery ? { deliveryWindowHours: opts.delivery.windowHours } : {}),
    };
    emit({ type: "finished" });
    return snapshot;
  } finally {
    pool.setAttemptLimiter(undefined);
    if (!opts.pool) pool.destroy();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * Collect accounts a few at a time: enough to keep every global slot busy, few enough that
 * accounts finish one after another (progress, memory). After any attempt settles, a new account
 * starts when the slots the queued work can use (Scheduler.usableWork) fall below the global
 * concurrency — so an account whose last calls wait out a retry backoff, or that is down to its
 * last reads, does not idle the pool. Results keep the order of `targets`.
 */
async function runAccounts(
  targets: readonly TargetAccount[],
  scheduler: Scheduler,
  concurrency: number,
  perAccount: number,
  collect: (t: TargetAccount, listed: () => void) => Promise<AccountResult>,
): Promise<AccountResult[]> {
  const share = Math.max(1, Math.min(perAccount, concurrency));
  const minActive = Math.ceil(concurrency / share);
  const maxActive = minActive * 4 + 2;
  const results: AccountResult[] = new Array<AccountResult>(targets.length);
  if (targets.length === 0) return results;
  let next = 0;
  let active = 0;
  let failed = false;
  let scheduled = false;
  return new Promise<AccountResult[]>((resolve, reject) => {
    const pump = (): void => {
      // Accounts started in this pass have not queued their first call yet: count their share.
      let fresh = 0;
      while (
        !failed &&
        next < targets.length &&
        active < maxActive &&
        (active < minActive || scheduler.usableWork + fresh * share < concurrency)
      ) {
        const i = next++;
        const t = targets[i] as TargetAccount;
        active++;
        fresh++;
        scheduler.setListing(t.id, true);
        const listed = () => scheduler.setListing(t.id, false);
        collect(t, listed).then(
          (r) => {
            results[i] = r;
            active--;
            scheduler.release(t.id);
            if (next >= targets.length && active === 0) resolve(results);
            else pump();
          },
          (err: unknown) => {
            active--;
            scheduler.release(t.id);
            failed = true;
            reject(err);
          },
        );
      }
    };
    // Re-evaluated after the microtasks of a settled attempt have run (an account's next call
    // is queued by then), at most once per turn of the event loop.
    scheduler.onSettled = () => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        pump();
      });
    };
    pump();
  }).finally(() => {
    scheduler.onSettled = undefined;
  });
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareErrors(a: CollectionError, b: CollectionError): number {
  return (
    cmp(a.account, b.account) ||
    cmp(a.region ?? "", b.region ?? "") ||
    cmp(a.bucket ?? "", b.bucket ?? "") ||
    cmp(a.operation, b.operation) ||
    cmp(a.code, b.code)
  );
}
