/** The progress model: a pure reducer over collection's progress events. */
import type { AccountOutcome, ProgressEvent } from "./events.js";

export interface FinishedAccount {
  account: string;
  name?: string;
  status: AccountOutcome;
  buckets: number;
  errors: number;
  elapsedMs: number;
}

export interface ProgressState {
  /** null until the account list is known. */
  accountsTotal: number | null;
  accountsDone: number;
  bucketsFound: number;
  bucketsRead: number;
  inFlight: number;
  callsCompleted: number;
  errors: number;
  elapsedMs: number;
  /** Accounts in the order they finished. */
  finished: FinishedAccount[];
  done: boolean;
}

export const initialProgressState: ProgressState = {
  accountsTotal: null,
  accountsDone: 0,
  bucketsFound: 0,
  bucketsRead: 0,
  inFlight: 0,
  callsCompleted: 0,
  errors: 0,
  elapsedMs: 0,
  finished: [],
  done: false,
};

export function progressReducer(state: ProgressState, e: ProgressEvent): ProgressState {
  const elapsedMs = Math.max(state.elapsedMs, e.elapsedMs);
  switch (e.type) {
    case "accounts":
      return { ...state, accountsTotal: e.total, elapsedMs };
    case "account-started":
      return { ...state, elapsedMs };
    case "buckets-found":
      return { ...state, bucketsFound: state.bucketsFound + e.count, elapsedMs };
    case "bucket-read":
      return { ...state, bucketsRead: state.bucketsRead + 1, elapsedMs };
    case "calls":
      return { ...state, inFlight: e.inFlight, callsCompleted: Math.max(state.callsCompleted, e.completed), elapsedMs };
    case "error":
      return { ...state, errors: state.errors + 1, elapsedMs };
    case "account-finished": {
      const f: FinishedAccount = {
        account: e.account,
        status: e.status,
        buckets: e.buckets,
        errors: e.errors,
        elapsedMs: e.elapsedMs,
      };
      if (e.name !== undefined) f.name = e.name;
      return { ...state, accountsDone: state.accountsDone + 1, finished: [...state.finished, f], elapsedMs };
    }
    case "finished":
      return { ...state, inFlight: 0, done: true, elapsedMs };
  }
}

/** `12.3s`, `4m05s`. */
export function formatElapsed(ms: number): string {
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  const rest = Math.floor(s - m * 60);
  return `${m}m${String(rest).padStart(2, "0")}s`;
}

/** One status line, plain text (no control characters). */
export function statusLine(s: ProgressState): string {
  const total = s.accountsTotal === null ? "?" : String(s.accountsTotal);
  return (
    `accounts ${s.accountsDone}/${total}, buckets ${s.bucketsRead}/${s.bucketsFound} read, ` +
    `${s.inFlight} calls in flight, ${s.errors} error${s.errors === 1 ? "" : "s"}, ${formatElapsed(s.elapsedMs)}`
  );
}

/** One line for a finished account, plain text. */
export function finishedLine(a: FinishedAccount): string {
  const label = a.name ? `${a.account} (${a.name})` : a.account;
  const errs = a.errors > 0 ? `, ${a.errors} error${a.errors === 1 ? "" : "s"}` : "";
  return `account ${label} ${a.status}: ${a.buckets} bucket${a.buckets === 1 ? "" : "s"}${errs}`;
}
