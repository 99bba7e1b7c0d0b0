/**
 * The journal as plain data: JSON lines, a header then one `write` record (the prior state,
 * fsync'd before the AWS write it describes) and one `result` record per write; and the events
 * and summary of undoing it. Zod schema + inferred type; no SDK types.
 *
 * `prior` / `intended` use the snapshot's normalised shapes; `null` = not configured / no bucket.
 */
import { z } from "zod";
import { AccountIdSchema, BucketNameSchema, RegionNameSchema } from "./names.js";
import { StepErrorSchema, type StepError } from "./plan.js";
import { RESOURCE_STATE_SCHEMAS, ResourceKindSchema } from "./resource-kinds.js";

export const JOURNAL_KIND = "s3-log-auditor-journal" as const;
export const JOURNAL_SCHEMA_VERSION = 1 as const;

export { RESOURCE_STATE_SCHEMAS, ResourceKindSchema } from "./resource-kinds.js";
export type { ResourceKind } from "./resource-kinds.js";

export const JournalHeaderSchema = z.object({
  type: z.literal("header"),
  kind: z.literal(JOURNAL_KIND),
  schemaVersion: z.literal(JOURNAL_SCHEMA_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  command: z.enum(["fix", "undo"]),
  createdAt: z.string(),
  /** fix: createdAt of the plan; undo: path of the journal being undone. */
  planCreatedAt: z.string().optional(),
  undoOf: z.string().optional(),
});

/** `priorRaw`: the exact policy text, a JSON object (a policy document). */
const PolicyTextSchema = z.string().refine((text) => {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === "object" && v !== null && !Array.isArray(v);
  } catch {
    return false;
  }
}, "not a policy document (JSON object)");

/** Written and fsync'd BEFORE the write it describes. */
const JournalWriteFields = z.object({
  type: z.literal("write"),
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  stepId: z.string(),
  account: AccountIdSchema,
  region: RegionNameSchema,
  bucket: BucketNameSchema,
  /** The write about to be made (an undo journal also holds Delete* operations). */
  operation: z.string(),
  resource: ResourceKindSchema,
  /** State read just before the write (normalised; `null` = not configured / no bucket). */
  prior: z.unknown(),
  /** For policies: the exact text read, restored byte for byte by undo. */
  priorRaw: PolicyTextSchema.optional(),
  /** State being written. */
  intended: z.unknown(),
  /** true when this write creates the bucket. */
  createdBucket: z.literal(true).optional(),
});

/** A write record whose `prior` and `intended` have the shape of its resource kind. */
export const JournalWriteSchema = JournalWriteFields.superRefine((rec, ctx) => {
  const state = RESOURCE_STATE_SCHEMAS[rec.resource];
  for (const key of ["prior", "intended"] as const) {
    const r = state.safeParse(rec[key]);
    if (!r.success) {
      const issue = r.error.issues[0];
      ctx.addIssue({ code: "custom", path: [key, ...(issue?.path ?? [])], message: `not a ${rec.resource} state (${issue?.message ?? "invalid"})` });
    }
  }
  if (rec.priorRaw !== undefined && (rec.resource !== "policy" || rec.prior === null))
    ctx.addIssue({ code: "custom", path: ["priorRaw"], message: "only a policy record with a prior policy has priorRaw" });
});

/** Written after the write (and its verification). Absent → the write may or may not have happened. */
export const JournalResultSchema = z.object({
  type: z.literal("result"),
  seq: z.number().int().positive(),
  at: z.iso.datetime(),
  stepId: z.string(),
  outcome: z.enum(["applied", "failed", "verify-mismatch"]),
  error: StepErrorSchema.optional(),
});

export const JournalRecordSchema = z.discriminatedUnion("type", [
  JournalHeaderSchema,
  JournalWriteSchema,
  JournalResultSchema,
]);
export type JournalRecord = z.infer<typeof JournalRecordSchema>;
export type JournalHeader = z.infer<typeof JournalHeaderSchema>;
export type JournalWrite = z.infer<typeof JournalWriteSchema>;
export type JournalResult = z.infer<typeof JournalResultSchema>;

// ---------------------------------------------------------------------------------------------
// Undo

export type UndoEvent =
  | { type: "started"; record: JournalWrite }
  | { type: "restored"; record: JournalWrite }
  /** The live state already equals the prior state. */
  | { type: "already-restored"; record: JournalWrite }
  | { type: "bucket-deleted"; record: JournalWrite }
  | { type: "bucket-not-empty"; record: JournalWrite }
  /**
   * Kept: nothing proves this journal's own run created the bucket (no `applied` result for its
   * CreateBucket record, or the live CreationDate is earlier than that record).
   */
  | { type: "bucket-not-proven"; record: JournalWrite; reason: string }
  /** Created by the fix but kept: sources whose prior logging AWS refused still log into it. */
  | { type: "bucket-in-use"; record: JournalWrite; sources: string[] }
  /** Changed since the fix (matches neither what the fix wrote nor the prior state); not clobbered. */
  | { type: "skipped-drifted"; record: JournalWrite; current: unknown }
  | { type: "failed"; record: JournalWrite; error: StepError }
  /**
   * AWS refuses to write the prior state back (e.g. a logging configuration whose target does
   * not exist, is in another Region or account): the fixed state is kept and reported.
   */
  | { type: "unrestorable"; record: JournalWrite; error: StepError }
  /** A change to a bucket the fix created: undone by deleting the bucket. */
  | { type: "covered-by-delete"; record: JournalWrite }
  | { type: "not-run"; record: JournalWrite; reason: string };

export interface UndoSummary {
  restored: number;
  alreadyRestored: number;
  bucketsDeleted: number;
  bucketsNotEmpty: number;
  /** Created buckets kept because unrestorable sources still log into them. */
  bucketsInUse: number;
  /** Buckets kept because nothing proves this journal's run created them. */
  bucketsNotProven: number;
  skippedDrifted: number;
  failed: number;
  /** Prior states AWS refuses to write back (invalid logging configurations); kept as fixed. */
  unrestorable: number;
  notRun: number;
  writes: number;
  aborted: boolean;
  journalPath: string;
}

/** The summary of an undo that has done nothing yet (every count 0), writing its journal to `journalPath`. */
export function emptyUndoSummary(journalPath: string): UndoSummary {
  return {
    restored: 0,
    alreadyRestored: 0,
    bucketsDeleted: 0,
    bucketsNotEmpty: 0,
    bucketsInUse: 0,
    bucketsNotProven: 0,
    skippedDrifted: 0,
    failed: 0,
    unrestorable: 0,
    notRun: 0,
    writes: 0,
    aborted: false,
    journalPath,
  };
}
