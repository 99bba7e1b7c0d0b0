/**
 * The simulator clock: real time plus an offset that tests (or the loopback control endpoint)
 * move forward instead of sleeping. Everything time-dependent in the simulator reads it: object
 * and bucket dates, credential expiry, log-record times and the log-delivery schedule.
 */
export class SimClock {
  private offsetMs: number;

  /** `start`: the simulated time at construction (default: now). */
  constructor(start?: number) {
    this.offsetMs = start === undefined ? 0 : start - Date.now();
  }

  /** Current simulated time in epoch milliseconds. */
  now(): number {
    return Date.now() + this.offsetMs;
  }

  /** Current simulated time as a Date. */
  date(): Date {
    return new Date(this.now());
  }

  /** How far the simulated time is ahead of the real clock. */
  offset(): number {
    return this.offsetMs;
  }

  /** Move the clock forward by `ms` (never backward: deliveries already made stay made). */
  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError("the clock only moves forward by a finite number of milliseconds");
    this.offsetMs += ms;
  }
}
