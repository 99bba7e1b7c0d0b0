/** The progress model: a pure reducer over collection's progress events. */
import type { FinishedAccount, ProgressEvent } from "./events.js";

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
  /** Accounts whose buckets are listed (their bucket count is known), in the order they were listed. */
  listed: readonly string[];
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
  listed: [],
  done: false,
};

function withListed(state: ProgressState, account: string): readonly string[] {
  return state.listed.includes(account) ? state.listed : [...state.listed, account];
}

export function progressReducer(state: ProgressState, e: ProgressEvent): ProgressState {
  const elapsedMs = Math.max(state.elapsedMs, e.elapsedMs);
  switch (e.type) {
    case "accounts":
      return { ...state, accountsTotal: e.total, elapsedMs };
    case "account-started":
      return { ...state, elapsedMs };
    case "buckets-found":
      return { ...state, bucketsFound: state.bucketsFound + e.count, listed: withListed(state, e.account), elapsedMs };
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
      return {
        ...state,
        accountsDone: state.accountsDone + 1,
        finished: [...state.finished, f],
        listed: withListed(state, e.account),
        elapsedMs,
      };
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

/**
 * True once every scheduled account's buckets are listed: only then is `bucketsFound` the total
 * (log targets outside the scope may still add a few).
 */
export function bucketTotalKnown(s: ProgressState): boolean {
  return s.accountsTotal !== null && s.listed.length >= s.accountsTotal;
}

/** Percentage of buckets read and the estimated time left, once the total is known. */
export function completion(s: ProgressState): { percent: number; etaMs?: number } | undefined {
  if (!bucketTotalKnown(s)) return undefined;
  if (s.bucketsFound === 0) return { percent: 100 };
  const percent = Math.min(100, Math.floor((s.bucketsRead / s.bucketsFound) * 100));
  if (s.bucketsRead === 0 || s.done) return { percent };
  return { percent, etaMs: Math.round((s.elapsedMs * (s.bucketsFound - s.bucketsRead)) / s.bucketsRead) };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** The parts of the live line, shared by the plain status line and the terminal view. */
export function statusParts(s: ProgressState): { accounts: string; buckets: string; inFlight: string; errors: string; elapsed: string } {
  const total = s.accountsTotal === null ? "?" : String(s.accountsTotal);
  const c = completion(s);
  const buckets = c
    ? `buckets ${s.bucketsRead}/${s.bucketsFound} read (${c.percent}%${c.etaMs !== undefined ? `, ETA ${formatElapsed(c.etaMs)}` : ""})`
    : `buckets ${s.bucketsRead} read, ${s.bucketsFound} listed so far`;
  return {
    accounts: `accounts ${s.accountsDone}/${total}${c ? "" : ` (${s.listed.length} listed)`}`,
    buckets,
    inFlight: `${s.inFlight} calls in flight`,
    errors: plural(s.errors, "error"),
    elapsed: formatElapsed(s.elapsedMs),
  };
}

/** One status line, plain text (no control characters). */
export function statusLine(s: ProgressState): string {
  const p = statusParts(s);
  return `${p.accounts}, ${p.buckets}, ${p.inFlight}, ${p.errors}, ${p.elapsed}`;
}

/** The line printed once when the scan ends (terminal or not). */
export function summaryLine(s: ProgressState): string {
  return (
    `scanned ${plural(s.accountsDone, "account")}, ${plural(s.bucketsRead, "bucket")} in ${formatElapsed(s.elapsedMs)}: ` +
    `${plural(s.callsCompleted, "AWS call")}, ${plural(s.errors, "error")}`
  );
}

/** One line for a finished account, plain text. */
export function finishedLine(a: FinishedAccount): string {
  const label = a.name ? `${a.account} (${a.name})` : a.account;
  const errs = a.errors > 0 ? `, ${a.errors} error${a.errors === 1 ? "" : "s"}` : "";
  return `account ${label} ${a.status}: ${a.buckets} bucket${a.buckets === 1 ? "" : "s"}${errs}`;
}
