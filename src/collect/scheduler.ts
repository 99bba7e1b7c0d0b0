/**
 * Bounded concurrency for AWS calls, with p-limit pools:
 *   - a global pool (--concurrency) and one pool per account (--per-account-concurrency), so one
 *     huge account cannot take every slot and no account gets more parallel calls than its share.
 *     An HTTP attempt first waits for a slot of its account, then for a global slot. For S3 the
 *     pools bound each *attempt* (ClientPool.setAttemptLimiter), so a call waiting out a retry
 *     backoff holds no slot;
 *   - an admission pool per account (per-account + 1) bounding how many S3 calls are under way at
 *     all, so an account's queued calls wait as cheap closures, not as half-built SDK requests.
 */
import pLimit, { type LimitFunction } from "p-limit";

export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_PER_ACCOUNT_CONCURRENCY = 8;
/** Calls admitted per account beyond its slots: one in retry backoff does not idle the account. */
const ADMISSION_SPARE = 1;

export type CallRunner = <T>(fn: () => Promise<T>) => Promise<T>;

interface AccountPools {
  slots: LimitFunction;
  admission: LimitFunction;
}

export class Scheduler {
  private readonly global: LimitFunction;
  private readonly perAccount: number;
  private readonly accounts = new Map<string, AccountPools>();
  private inFlightCount = 0;
  private completedCount = 0;
  private readonly onChange: ((inFlight: number, completed: number) => void) | undefined;

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

  private pools(account: string): AccountPools {
    let p = this.accounts.get(account);
    if (!p) {
      p = { slots: pLimit(this.perAccount), admission: pLimit(this.perAccount + ADMISSION_SPARE) };
      this.accounts.set(account, p);
    }
    return p;
  }

  /** Runner for one account's calls that are bounded as a whole (STS, Organizations). */
  forAccount(account: string): CallRunner {
    const { slots } = this.pools(account);
    return <T>(fn: () => Promise<T>) => slots(() => this.global(() => this.track(fn)));
  }

  /** Runner admitting one account's S3 calls (their attempts are bounded by `attempt`). */
  admission(account: string): CallRunner {
    const { admission } = this.pools(account);
    return <T>(fn: () => Promise<T>) => admission(fn);
  }

  /** Run one HTTP attempt of an account's call (for ClientPool.setAttemptLimiter). */
  readonly attempt = <T>(account: string, fn: () => Promise<T>): Promise<T> => {
    const { slots } = this.pools(account);
    return slots(() => this.global(() => this.track(fn)));
  };

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
