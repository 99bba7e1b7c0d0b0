/**
 * Progress events emitted by collection (`CollectOptions.onProgress`). Plain data; every event
 * carries the time since the scan started.
 */
import type { CollectionError } from "../model/snapshot.js";

export type AccountOutcome = "ok" | "partial" | "error";

/** One account's outcome, as collection reports it when the account is done. */
export interface FinishedAccount {
  account: string;
  name?: string;
  status: AccountOutcome;
  buckets: number;
  errors: number;
  elapsedMs: number;
}

export type ProgressEvent =
  /** The accounts to scan are known. */
  | { type: "accounts"; total: number; elapsedMs: number }
  | { type: "account-started"; account: string; name?: string; elapsedMs: number }
  /** `count` more buckets to read in this account (in scope, plus out-of-scope log targets). */
  | { type: "buckets-found"; account: string; count: number; elapsedMs: number }
  /** One bucket's logging configuration was read (or failed). */
  | { type: "bucket-read"; account: string; elapsedMs: number }
  /** Calls in flight changed; `completed` counts every AWS call answered so far. */
  | { type: "calls"; inFlight: number; completed: number; elapsedMs: number }
  /** A failure recorded in `snapshot.errors`. */
  | { type: "error"; error: CollectionError; elapsedMs: number }
  | ({ type: "account-finished" } & FinishedAccount)
  | { type: "finished"; elapsedMs: number };
