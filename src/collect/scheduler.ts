/**
 * Bounded concurrency for AWS calls: a global p-limit pool and one pool per account, so one huge
 * account cannot take every slot and no account gets more parallel calls than its share.
 * A call first waits for a slot of its account, then for a global slot.
 */
import pLimit, { type LimitFunction } from "p-limit";

export const DEFAULT_CONCURRENCY = 32;
export const DEFAULT_PER_ACCOUNT_CONCURRENCY = 8;

export type CallRunner = <T>(fn: () => Promise<T>) => Promise<T>;

export class Scheduler {
  private readonly global: LimitFunction;
  private readonly perAccount: number;
  private readonly accounts = new Map<string, LimitFunction>();
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

  /** The runner for calls of one account. */
  forAccount(account: string): CallRunner {
    let limit = this.accounts.get(account);
    if (!limit) {
      limit = pLimit(this.perAccount);
      this.accounts.set(account, limit);
    }
    const accountLimit = limit;
    return <T>(fn: () => Promise<T>) => accountLimit(() => this.global(() => this.track(fn)));
  }

  /** Run one attempt of an account's call (for ClientPool.setAttemptLimiter). */
  readonly attempt = <T>(account: string, fn: () => Promise<T>): Promise<T> => this.forAccount(account)(fn);

  /** Forget an account's pool once it is done. */
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
