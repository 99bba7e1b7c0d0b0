/**
 * Undo a journal: newest write first, restore the prior state of each resource, with a drift
 * check (the live state must still be what the fix wrote, unless --force). Buckets the fix created
 * are deleted (only when empty); their other changes are undone by that deletion. Undo journals its
 * own writes the same way apply does.
 */
import { bucketCreationDate, bucketIsEmpty } from "./aws.js";
import { readResource, sameState, StepFailure, writeOperation, writeResource, type Target } from "./resources.js";
import { InputError } from "../base/errors.js";
import { JournalWriter, journalIdentity, lockJournalForReading, readJournal, type JournalEntry } from "./journal.js";
import type { StepError } from "../model/plan.js";
import { emptyUndoSummary, type UndoEvent, type UndoSummary } from "../model/journal.js";
import type { UndoOptions } from "./types.js";

/** The journal record's time at the one-second precision of S3's `CreationDate`. */
function recordSecond(at: string): number {
  return Math.floor(Date.parse(at) / 1000) * 1000;
}

/**
 * Whether undo may delete the bucket of this CreateBucket record: `proven` when the record belongs
 * to a fix run, has a matching `applied` result, and the live bucket's CreationDate (ListBuckets)
 * is not earlier than the record's time; `gone` when the bucket no longer exists; otherwise the
 * reason it is kept. A bucket that is not proven is never deleted.
 */
async function creationProof(entry: JournalEntry, target: Target): Promise<"proven" | "gone" | { reason: string }> {
  const rec = entry.write;
  if (entry.result?.outcome !== "applied") return { reason: "the journal records no applied result for its CreateBucket" };
  try {
    if ((await readResource(target, "bucket")).value === null) return "gone";
    const created = await bucketCreationDate(target);
    if (!created) return { reason: "ListBuckets does not list it for this account" };
    const at = recordSecond(rec.at);
    if (Number.isNaN(at) || created.getTime() < at)
      return { reason: `its CreationDate ${created.toISOString()} is earlier than the journal's CreateBucket record (${rec.at})` };
    return "proven";
  } catch (err) {
    return { reason: `its creation could not be checked (${stepError(err).message})` };
  }
}

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
  if (journalIdentity(options.journalPath) === journalIdentity(journalPath))
    throw new InputError(`undo's own journal must be another file than the journal being undone (${journalPath})`);
  // Held for the whole undo: no fix run may append to the journal meanwhile.
  const releaseSource = await lockJournalForReading(journalPath);
  try {
    return await undoLocked(journalPath, options);
  } finally {
    releaseSource();
  }
}

async function undoLocked(journalPath: string, options: UndoOptions): Promise<UndoSummary> {
  const { headers, entries } = readJournal(journalPath);
  const emit = (e: UndoEvent) => {
    try {
      options.onEvent?.(e);
    } catch {
      // ignore listener failures
    }
  };
  const summary: UndoSummary = emptyUndoSummary(options.journalPath);
  // CreateBucket records of fix runs: the bucket is deleted only once its creation is proven,
  // and then its other changes go with it.
  const creates = new Map<string, JournalEntry>();
  for (const e of entries) {
    const w = e.write;
    if (headers[e.run]?.command === "fix" && w.operation === "CreateBucket" && w.resource === "bucket" && w.createdBucket)
      creates.set(`${w.account}/${w.bucket}`, e);
  }
  const proofs = new Map<JournalEntry, ReturnType<typeof creationProof>>();
  const proofOf = (entry: JournalEntry, target: () => Promise<Target>) => {
    let p = proofs.get(entry);
    if (!p) {
      p = target().then(
        (t) => creationProof(entry, t),
        (err: unknown) => ({ reason: stepError(err).message }),
      );
      proofs.set(entry, p);
    }
    return p;
  };
  /** Created bucket key → sources (unrestorable) that still log into it. */
  const inUse = new Map<string, string[]>();
  const ordered = [...entries].sort((a, b) => b.run - a.run || b.write.seq - a.write.seq);
  // The real path of the journal undone: `journals` matches it to that journal from any directory.
  const journal = await JournalWriter.open(options.journalPath, { command: "undo", undoOf: journalIdentity(journalPath) });
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
    const targetOf = async (): Promise<Target> => ({
      client: await clientFor(rec.account, rec.region),
      account: rec.account,
      bucket: rec.bucket,
      region: rec.region,
    });
    const create = creates.get(key);
    if (rec.resource !== "bucket" && create) {
      const proof = await proofOf(create, targetOf);
      if (proof === "proven" || proof === "gone") {
        emit({ type: "covered-by-delete", record: rec });
        return;
      }
      // not proven: the bucket stays, so this change to it is undone like any other
    }
    if (rec.resource === "bucket" && !rec.createdBucket) return; // (undo journals: nothing to redo)
    emit({ type: "started", record: rec });
    let target: Target;
    try {
      target = await targetOf();
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
        const proof = creates.has(key) && headers[entry.run]?.command === "fix" ? await proofOf(entry, targetOf) : { reason: "the journal does not record a fix creating it" };
        if (typeof proof === "object") {
          summary.bucketsNotProven++;
          emit({ type: "bucket-not-proven", record: rec, reason: proof.reason });
          return;
        }
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
