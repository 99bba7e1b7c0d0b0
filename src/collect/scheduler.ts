/**
 * Bounded concurrency for AWS calls, with p-limit pools:
 *   - a global pool (--concurrency) and one pool per account (--per-account-concurrency), so one
 *     huge account cannot take every slot and no account gets more parallel calls than its share.
 *     An HTTP attempt first waits for a slot of its account, then for a global slot. For S3 the
 *     pools bound each *attempt* (ClientPool.setAttemptLimiter), so a call waiting out a retry
 *     backoff holds no slot;
 *   - an admission pool per account (per-account + 2) bounding how many S3 calls are under way at
 *     all, so an account's queued calls wait as cheap closures, not as half-built SDK requests.
 */
import pLimit, { type LimitFunction } from "p-limit";

export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_PER_ACCOUNT_CONCURRENCY = 8;
/** Calls admitted per account beyond its slots: one in retry backoff does not idle the account. */
const ADMISSION_SPARE = 2;

export type CallRunner = <T>(fn: () => Promise<T>) => Promise<T>;

interface AccountPools {
  slots: LimitFunction;
  admission: LimitFunction;
  /** Attempts of this account waiting for a slot or running. */
  backlog: number;
  /** True until the account's bucket reads are queued (AssumeRole, ListBuckets). */
  listing: boolean;
}

export class Scheduler {
  private readonly global: LimitFunction;
  private readonly perAccount: number;
  private readonly accounts = new Map<string, AccountPools>();
  private inFlightCount = 0;
  private completedCount = 0;
  private backlogCount = 0;
  private readonly onChange: ((inFlight: number, completed: number) => void) | undefined;
  /** Called whenever an attempt finishes (collection starts more accounts when work runs low). */
  onSettled: (() => void) | undefined;

  constructor(concurrency: number, perAccount: number, onChange?: (inFlight: number, completed: number) => void) {
    this.global = pLimit(Math.max(1, concurrency));
    this.perAccount = Math.max(1, Math.min(perAccount, concurrency));
    this.onChange = onChange;
  }

  get inFlight(): number {
    return this.inFlightCount;
  }

  get completed(): number {
    return this.completedCount;
  }

  /** Attempts waiting for a slot or running (calls in retry backoff are not counted). */
  get backlog(): number {
    return this.backlogCount;
  }

  /**
   * Slots the queued work can use soon: per account, its attempts waiting or running plus its
   * calls awaiting admission, at most its per-account share; an account still listing its buckets
   * counts for its whole share while it has a call under way. Calls waiting out a retry backoff
   * are not counted.
   */
  get usableWork(): number {
    let n = 0;
    for (const p of this.accounts.values()) {
      n += p.listing ? (p.backlog > 0 ? this.perAccount : 0) : Math.min(this.perAccount, p.backlog + p.admission.pendingCount);
    }
    return n;
  }

  /** Mark an account as still listing (its reads are not queued yet). */
  setListing(account: string, listing: boolean): void {
    this.pools(account).listing = listing;
  }

  private pools(account: string): AccountPools {
    let p = this.accounts.get(account);
    if (!p) {
      p = { slots: pLimit(this.perAccount), admission: pLimit(this.perAccount + ADMISSION_SPARE), backlog: 0, listing: false };
      this.accounts.set(account, p);
    }
    return p;
  }

  /** Runner for one account's calls that are bounded as a whole (STS, Organizations). */
  forAccount(account: string): CallRunner {
    const pools = this.pools(account);
    return <T>(fn: () => Promise<T>) => this.queued(pools, fn);
  }

  /** Runner admitting one account's S3 calls (their attempts are bounded by `attempt`). */
  admission(account: string): CallRunner {
    const { admission } = this.pools(account);
    return <T>(fn: () => Promise<T>) => admission(fn);
  }

  /** Run one HTTP attempt of an account's call (for ClientPool.setAttemptLimiter). */
  readonly attempt = <T>(account: string, fn: () => Promise<T>): Promise<T> => {
    return this.queued(this.pools(account), fn);
  };

  private async queued<T>(pools: AccountPools, fn: () => Promise<T>): Promise<T> {
    this.backlogCount++;
    pools.backlog++;
    try {
      return await pools.slots(() => this.global(() => this.track(fn)));
    } finally {
      this.backlogCount--;
      pools.backlog--;
      this.onSettled?.();
    }
  }

  /** Forget an account's pools once it is done. */
  release(account: string): void {
    this.accounts.delete(account);
  }

  private async track<T>(fn: () => Promise<T>): Promise<T> {
    this.inFlightCount++;
    this.onChange?.(this.inFlightCount, this.completedCount);
    try {
      return await fn();
    } finally {
      this.inFlightCount--;
      this.completedCount++;
      this.onChange?.(this.inFlightCount, this.completedCount);
    }
  }
}
