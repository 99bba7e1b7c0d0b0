/**
 * Config-file exceptions: a failing finding that an active exception selects (rule id, account,
 * bucket glob) becomes `muted` with the exception's reason, owner and expiry. An exception past
 * its `expires` day mutes nothing — the finding fails the gate again — and is reported as
 * expired; an active exception that selects no finding is reported as unused (stale config).
 * Errors are never muted: an unreadable bucket stays visible (but keeps its exception "used",
 * since whether it still applies cannot be told).
 */
import picomatch from "picomatch";
import type { Finding } from "../model/finding.js";
import type { ExceptionRef } from "../output/report.js";
import type { Exception } from "./schema.js";

export interface ExceptionOutcome {
  findings: Finding[];
  expired: ExceptionRef[];
  unused: ExceptionRef[];
}

/** Today's date in UTC as YYYY-MM-DD (what `expires` is compared with). */
export function utcDay(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10);
}

/** The exception as it appears in the report (its position in the file, selector and ownership). */
export function exceptionRef(e: Exception, index: number): ExceptionRef {
  const ref: ExceptionRef = { index, reason: e.reason, owner: e.owner };
  if (e.rule !== undefined) ref.rule = e.rule;
  if (e.account !== undefined) ref.account = e.account;
  if (e.bucket !== undefined) ref.bucket = e.bucket;
  if (e.expires !== undefined) ref.expires = e.expires;
  return ref;
}

/** Applies the exceptions on `today` (YYYY-MM-DD). Pure. */
export function applyExceptions(findings: readonly Finding[], exceptions: readonly Exception[], today: string): ExceptionOutcome {
  const active: { e: Exception; index: number; matchBucket: (b: string) => boolean }[] = [];
  const expired: ExceptionRef[] = [];
  exceptions.forEach((e, index) => {
    if (e.expires !== undefined && e.expires < today) expired.push(exceptionRef(e, index));
    else active.push({ e, index, matchBucket: e.bucket === undefined ? () => true : picomatch(e.bucket, { dot: true }) });
  });
  const used = new Set<number>();
  const out = findings.map((f) => {
    if (f.status === "pass") return f;
    const hit = active.find((a) => (a.e.rule === undefined || a.e.rule === f.ruleId) && (a.e.account === undefined || a.e.account === f.account) && a.matchBucket(f.bucket));
    if (!hit) return f;
    used.add(hit.index);
    if (f.status !== "fail") return f;
    const mute: NonNullable<Finding["mute"]> = { source: "exception", reason: hit.e.reason, owner: hit.e.owner };
    if (hit.e.expires !== undefined) mute.expires = hit.e.expires;
    return { ...f, status: "muted" as const, mute };
  });
  const unused = active.filter((a) => !used.has(a.index)).map((a) => exceptionRef(a.e, a.index));
  return { findings: out, expired, unused };
}
