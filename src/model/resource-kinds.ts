/**
 * The fix resource kinds as plain data — the one place a kind's name, the write operation of its
 * plan steps and the shapes of its state are declared. The plan's step schema, the list and order
 * of step operations, and the journal's per-kind validation are all built from this table; the fix
 * engine's behaviour table (`FIX_RESOURCES` in src/fix/resources.ts: live read, write, delete,
 * normal form, description) is typed over these kinds, so the compiler asks for its entry.
 *
 * States use the snapshot's normalised shapes; `null` = not configured (for `bucket`: no bucket).
 * The order of the table is the order a plan writes the kinds on one bucket.
 */
import { z } from "zod";
import { RegionNameSchema } from "./names.js";
import { EncryptionSchema, LifecycleRuleSchema, LoggingConfigSchema, ObjectOwnershipSchema, PublicAccessBlockSchema } from "./snapshot.js";

/** A parsed IAM policy document (kept as read; statements are free-form JSON objects). */
export const PolicyDocumentSchema = z.looseObject({
  Version: z.string().optional(),
  Id: z.string().optional(),
  Statement: z.array(z.record(z.string(), z.unknown())),
});
export type PolicyDocument = z.infer<typeof PolicyDocumentSchema>;
export type PolicyStatement = Record<string, unknown>;

/** State of a bucket's existence (CreateBucket): `null` before = does not exist. */
export const BucketStateSchema = z.object({ region: RegionNameSchema });

/** A lifecycle rule as journaled (the AWS shape; every rule has a Status, an ID is a string). */
const JournalLifecycleRuleSchema = z.looseObject({ ID: z.string().optional(), Status: z.enum(["Enabled", "Disabled"]) });

/** What the table says of one kind. */
interface KindShape {
  /** The exact AWS operation of a plan step on this kind. */
  operation: string;
  /** A step's `before` (the plan's reading of the live state). */
  before: z.ZodType;
  /** A step's `after` (what the step writes). */
  after: z.ZodType;
  /** A journal record's `prior` and `intended` (undo writes them back). */
  journal: z.ZodType;
}

/** Every fix resource kind, in the order a plan writes them on one bucket. */
export const RESOURCE_KIND_SHAPES = {
  bucket: { operation: "CreateBucket", before: z.null(), after: BucketStateSchema, journal: BucketStateSchema.nullable() },
  ownership: {
    operation: "PutBucketOwnershipControls",
    before: ObjectOwnershipSchema.nullable(),
    after: ObjectOwnershipSchema,
    journal: ObjectOwnershipSchema.nullable(),
  },
  "public-access-block": {
    operation: "PutPublicAccessBlock",
    before: PublicAccessBlockSchema.nullable(),
    after: PublicAccessBlockSchema,
    journal: PublicAccessBlockSchema.nullable(),
  },
  encryption: { operation: "PutBucketEncryption", before: EncryptionSchema.nullable(), after: EncryptionSchema, journal: EncryptionSchema.nullable() },
  lifecycle: {
    operation: "PutBucketLifecycleConfiguration",
    before: z.array(LifecycleRuleSchema).nullable(),
    after: z.array(LifecycleRuleSchema),
    journal: z.array(JournalLifecycleRuleSchema).nullable(),
  },
  policy: { operation: "PutBucketPolicy", before: PolicyDocumentSchema.nullable(), after: PolicyDocumentSchema, journal: PolicyDocumentSchema.nullable() },
  logging: { operation: "PutBucketLogging", before: LoggingConfigSchema.nullable(), after: LoggingConfigSchema.nullable(), journal: LoggingConfigSchema.nullable() },
} as const satisfies Record<string, KindShape>;

type Shapes = typeof RESOURCE_KIND_SHAPES;

export type ResourceKind = keyof Shapes;
/** The kinds, in table order. */
export const RESOURCE_KINDS = Object.keys(RESOURCE_KIND_SHAPES) as [ResourceKind, ...ResourceKind[]];
export const ResourceKindSchema = z.enum(RESOURCE_KINDS);

/** The write operation of a kind's plan steps. */
export type OperationOf<K extends ResourceKind> = Shapes[K]["operation"];
export type StepOperation = OperationOf<ResourceKind>;
/** Exact AWS operation names of the writes a plan can contain, in the order a plan writes them. */
export const STEP_OPERATIONS = RESOURCE_KINDS.map((k) => RESOURCE_KIND_SHAPES[k].operation) as [StepOperation, ...StepOperation[]];
export const StepOperationSchema = z.enum(STEP_OPERATIONS);

/** The journal's shape of each kind's state (`prior` / `intended`). */
export const RESOURCE_STATE_SCHEMAS: { readonly [K in ResourceKind]: Shapes[K]["journal"] } = Object.fromEntries(
  RESOURCE_KINDS.map((k) => [k, RESOURCE_KIND_SHAPES[k].journal]),
) as { readonly [K in ResourceKind]: Shapes[K]["journal"] };

/** The plan step schema of one kind: the common step fields plus its operation, `before` and `after`. */
export function stepSchemaOf<K extends ResourceKind, Base extends z.ZodRawShape>(kind: K, base: Base) {
  const s: Shapes[K] = RESOURCE_KIND_SHAPES[kind];
  // Property access on the generic `Shapes[K]` widens to every kind's schema; the casts keep the
  // step type of each kind precise.
  const before = s.before as Shapes[K]["before"];
  const after = s.after as Shapes[K]["after"];
  return z.object({ ...base, operation: z.literal(s.operation as OperationOf<K>), before, after });
}
