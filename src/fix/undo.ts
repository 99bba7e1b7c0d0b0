/**
 * Undo a journal: newest write first, restore the prior state of each resource, with a drift
 * check (the live state must still be what the fix wrote, unless --force). Buckets the fix created
 * are deleted (only when empty); their other changes are undone by that deletion. Undo journals its
 * own writes the same way apply does.
 */
import { bucketIsEmpty, readResource, StepFailure, writeOperation, writeResource, type Target } from "./aws.js";
import { JournalWriter, readJournal, type JournalEntry } from "./journal.js";
import { sameState } from "./state.js";
import type { StepError, UndoEvent, UndoOptions, UndoSummary } from "./types.js";

/**
 * PutBucketLogging validation errors: the prior configuration was broken in a way AWS no longer
 * accepts (target missing, in another account or Region, grants on an owner-enforced target).
 */
const REFUSED_LOGGING_CODES = new Set([
  "InvalidTargetBucketForLogging",
  "CrossLocationLoggingProhibitted",
  "CrossLocationLoggingProhibited",
  "InvalidRequest",
]);

function stepError(err: unknown): StepError {
  if (err instanceof StepFailure) return { code: err.code, message: err.message };
  const e = err as { name?: string; message?: string };
  return { code: e?.name ?? "Error", message: (e?.message ?? String(err)).split("\n")[0] ?? "" };
}

/** Restores what the journal at `journalPath` changed (see module comment). */
export async function undoJournal(journalPath: string, options: UndoOptions): Promise<UndoSummary> {
  const { headers, entries } = readJournal(journalPath);
  void headers;
  const emit = (e: UndoEvent) => {
    try {
      options.onEvent?.(e);
    } catch {
      // ignore listener failures
    }
  };
  const summary: UndoSummary = {
    restored: 0,
    alreadyRestored: 0,
    bucketsDeleted: 0,
    bucketsNotEmpty: 0,
    bucketsInUse: 0,
    skippedDrifted: 0,
    failed: 0,
    unrestorable: 0,
    notRun: 0,
    writes: 0,
    aborted: false,
    journalPath: options.journalPath,
  };
  // Buckets this journal created (the CreateBucket write may have happened).
  const createdBuckets = new Set(
    entries
      .filter((e) => e.write.createdBucket && e.write.resource === "bucket" && e.result?.outcome !== "failed")
      .map((e) => `${e.write.account}/${e.write.bucket}`),
  );
  /** Created bucket key → sources (unrestorable) that still log into it. */
  const inUse = new Map<string, string[]>();
  const ordered = [...entries].sort((a, b) => b.run - a.run || b.write.seq - a.write.seq);
  const journal = new JournalWriter(options.journalPath, { command: "undo", undoOf: journalPath });
  const clients = new Map<string, Promise<Target["client"]>>();
  const clientFor = (account: string, region: string) => {
    const k = `${account}/${region}`;
    let c = clients.get(k);
    if (!c) {
      c = options.clients(account, region);
      clients.set(k, c);
    }
    return c;
  };

  const undoOne = async (entry: JournalEntry): Promise<void> => {
    const rec = entry.write;
    const key = `${rec.account}/${rec.bucket}`;
    if (rec.resource !== "bucket" && createdBuckets.has(key)) {
      emit({ type: "covered-by-delete", record: rec });
      return;
    }
    if (rec.resource === "bucket" && !rec.createdBucket) return; // (undo journals: nothing to redo)
    emit({ type: "started", record: rec });
    let target: Target;
    try {
      target = { client: await clientFor(rec.account, rec.region), account: rec.account, bucket: rec.bucket, region: rec.region };
      const live = await readResource(target, rec.resource);
      if (sameState(rec.resource, live.value, rec.prior)) {
        summary.alreadyRestored++;
        emit({ type: "already-restored", record: rec });
        return;
      }
      if (!options.force && !sameState(rec.resource, live.value, rec.intended)) {
        summary.skippedDrifted++;
        emit({ type: "skipped-drifted", record: rec, current: live.value });
        return;
      }
      if (rec.resource === "bucket") {
        const users = inUse.get(key);
        if (users) {
          summary.bucketsInUse++;
          emit({ type: "bucket-in-use", record: rec, sources: users });
          return;
        }
        if (!(await bucketIsEmpty(target))) {
          summary.bucketsNotEmpty++;
          emit({ type: "bucket-not-empty", record: rec });
          return;
        }
      }
      const seq = journal.write({
        stepId: rec.stepId,
        account: rec.account,
        region: rec.region,
        bucket: rec.bucket,
        operation: writeOperation(rec.resource, rec.prior),
        resource: rec.resource,
        prior: live.value,
        ...(live.raw !== undefined ? { priorRaw: live.raw } : {}),
        intended: rec.prior,
      });
      try {
        summary.writes++;
        await writeResource(target, rec.resource, rec.prior, rec.priorRaw);
      } catch (err) {
        const error = stepError(err);
        journal.result({ seq, stepId: rec.stepId, outcome: "failed", error });
        if (rec.resource === "logging" && REFUSED_LOGGING_CODES.has(error.code)) {
          const target = (live.value as { targetBucket?: string } | null)?.targetBucket;
          if (target) {
            const k = `${rec.account}/${target}`;
            inUse.set(k, [...(inUse.get(k) ?? []), rec.bucket]);
          }
          summary.unrestorable++;
          emit({ type: "unrestorable", record: rec, error });
          return;
        }
        throw err;
      }
      journal.result({ seq, stepId: rec.stepId, outcome: "applied" });
      if (rec.resource === "bucket") {
        summary.bucketsDeleted++;
        emit({ type: "bucket-deleted", record: rec });
      } else {
        summary.restored++;
        emit({ type: "restored", record: rec });
      }
    } catch (err) {
      summary.failed++;
      emit({ type: "failed", record: rec, error: stepError(err) });
    }
  };

  try {
    for (const entry of ordered) {
      if (options.signal?.aborted) {
        summary.aborted = true;
        summary.notRun++;
        emit({ type: "not-run", record: entry.write, reason: "aborted" });
        continue;
      }
      await undoOne(entry);
    }
  } finally {
    journal.close();
  }
  return summary;
}
