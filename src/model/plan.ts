/**
 * The plan as plain data (like Terraform's `internal/plans`): what a fix run will write, step by
 * step, plus the events and summary of applying it. Zod schema + inferred type; no SDK types.
 * The fix engine builds and applies plans, the CLI and the UI show them; all depend on this file.
 *
 * Resource states (`before` / `after` of a step) use the snapshot's normalised shapes; `null`
 * means "not configured" (or, for CreateBucket, "bucket does not exist").
 */
import { z } from "zod";
import { AccountIdSchema, BucketNameSchema, RegionNameSchema } from "./names.js";
import { LifecycleRuleSchema } from "./snapshot.js";
import { RESOURCE_KINDS, stepSchemaOf, type ResourceKind, type StepOperation } from "./resource-kinds.js";

export const PLAN_KIND = "s3-log-auditor-plan" as const;
export const PLAN_SCHEMA_VERSION = 1 as const;

export { BucketStateSchema, PolicyDocumentSchema, STEP_OPERATIONS, StepOperationSchema } from "./resource-kinds.js";
export type { PolicyDocument, PolicyStatement, StepOperation } from "./resource-kinds.js";

/**
 * What apply merges into the live state when the plan could not know `before`
 * (`beforeKnown: false`: the snapshot holds no reading of that resource, e.g. an existing log
 * bucket that no bucket logs into yet). Also used to recognise "already applied".
 */
export const StepPatchSchema = z.discriminatedUnion("kind", [
  /** Merge (replace by Sid, or add) one statement; for the delivery statement, merge SourceArns. */
  z.object({ kind: z.literal("policy-statement"), statement: z.record(z.string(), z.unknown()) }),
  /** Add (replace by ID) one lifecycle rule, keeping every other rule. */
  z.object({ kind: z.literal("lifecycle-rule"), rule: LifecycleRuleSchema }),
]);
export type StepPatch = z.infer<typeof StepPatchSchema>;

/** Why a step is not automatic; the user has to act. */
export const ManualSchema = z.object({
  reason: z.string(),
  /** The policy statement concerned (its Sid, or `#index` when it has no Sid). */
  statement: z.string().optional(),
});

const stepBase = {
  /** Stable within a plan, e.g. `s3-0001`. */
  id: z.string().min(1),
  account: AccountIdSchema,
  region: RegionNameSchema,
  bucket: BucketNameSchema,
  /** Finding fingerprints this step (with its dependencies) resolves. */
  resolves: z.array(z.string()),
  /** Step ids that must be applied (or already applied) before this one. */
  dependsOn: z.array(z.string()),
  /** Present: not applied automatically (reported as `manual`). */
  manual: ManualSchema.optional(),
  /** true on the CreateBucket step and every step on a bucket the plan creates. */
  createdBucket: z.literal(true).optional(),
  /** false when `before` is not known from the snapshot (apply reads it and merges `patch`). */
  beforeKnown: z.boolean().default(true),
  patch: StepPatchSchema.optional(),
  /** Why: the intents/rules behind the step, human-readable. */
  reasons: z.array(z.string()).default([]),
};

/** One step schema per fix resource kind (src/model/resource-kinds.ts), told apart by `operation`. */
type StepSchemas = { [K in ResourceKind]: ReturnType<typeof stepSchemaOf<K, typeof stepBase>> };
const STEP_SCHEMAS = RESOURCE_KINDS.map((k) => stepSchemaOf(k, stepBase)) as [StepSchemas[ResourceKind], ...StepSchemas[ResourceKind][]];
export const PlanStepSchema = z.discriminatedUnion("operation", STEP_SCHEMAS);
export type PlanStep = z.infer<typeof PlanStepSchema>;
export type PlanStepOf<Op extends StepOperation> = Extract<PlanStep, { operation: Op }>;

export const KeyFormatOptionSchema = z.enum(["partitioned", "simple"]);

export const PlanOptionsSchema = z.object({
  /** Log bucket name template; `{account}` and `{region}` are replaced. */
  logBucketTemplate: z.string(),
  /** Expiration (days) of the lifecycle rule added to log buckets. */
  logRetentionDays: z.number().int().positive(),
  /** Key format of logging configurations the plan writes. */
  keyFormat: KeyFormatOptionSchema,
});
export type PlanOptions = z.infer<typeof PlanOptionsSchema>;

export const DEFAULT_PLAN_OPTIONS: PlanOptions = {
  logBucketTemplate: "s3-access-logs-{account}-{region}",
  logRetentionDays: 365,
  keyFormat: "partitioned",
};

/** Narrowing of the findings a plan covers (`--rules`, `--buckets`, `--accounts`). */
export const PlanScopeSchema = z.object({
  rules: z.array(z.string()).optional(),
  /** Bucket name globs (picomatch). */
  buckets: z.array(z.string()).optional(),
  accounts: z.array(z.string()).optional(),
});
export type PlanScope = z.infer<typeof PlanScopeSchema>;

export const PlanSchema = z.object({
  kind: z.literal(PLAN_KIND),
  schemaVersion: z.literal(PLAN_SCHEMA_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  createdAt: z.string(),
  /** `finishedAt` of the snapshot the plan was made from. */
  snapshotAt: z.string(),
  partition: z.string(),
  options: PlanOptionsSchema,
  scope: PlanScopeSchema,
  /** In dependency order (every step after the steps it depends on). */
  steps: z.array(PlanStepSchema),
});
export type Plan = z.infer<typeof PlanSchema>;

// ---------------------------------------------------------------------------------------------
// Applying a plan

export const StepErrorSchema = z.object({ code: z.string(), message: z.string() });
export type StepError = z.infer<typeof StepErrorSchema>;

export type ApplyEvent =
  | { type: "started"; step: PlanStep }
  /** The write was made. */
  | { type: "applied"; step: PlanStep }
  /** The live state already equals `after`: nothing written. */
  | { type: "already-applied"; step: PlanStep }
  /** The live state matches neither `before` nor `after`. */
  | { type: "skipped-drifted"; step: PlanStep; current: unknown; reason: string }
  /** A step it depends on failed, drifted, was manual or did not run. */
  | { type: "skipped-dependent"; step: PlanStep; dependsOn: string; reason: string }
  | { type: "failed"; step: PlanStep; error: StepError }
  | { type: "manual"; step: PlanStep; reason: string }
  /** Re-read after the write: `ok` false means the re-read differs from `after` (counted failed). */
  | { type: "verified"; step: PlanStep; ok: boolean }
  /** Not started because the run was aborted (Ctrl-C). */
  | { type: "not-run"; step: PlanStep; reason: string };

export type StepOutcome =
  | "applied"
  | "already-applied"
  | "skipped-drifted"
  | "skipped-dependent"
  | "failed"
  | "manual"
  | "not-run";

export interface ApplySummary {
  applied: number;
  alreadyApplied: number;
  skippedDrifted: number;
  skippedDependent: number;
  failed: number;
  manual: number;
  notRun: number;
  /** Number of AWS write calls made. */
  writes: number;
  aborted: boolean;
  journalPath: string;
  outcomes: Record<string, StepOutcome>;
}
