/**
 * The snapshot: plain, serialisable data that collection writes and every later stage
 * (rules, reports, fix planning, the UI) reads. Nothing here talks to AWS.
 *
 * A read of one AWS configuration is a `Read<T>`:
 *   - `ok`      the call answered; `value` holds the normalised configuration.
 *   - `absent`  the call answered with AWS's own "not configured" error
 *               (NoSuchBucketPolicy, OwnershipControlsNotFoundError, ...); `code` keeps it.
 *   - `error`   the call failed (AccessDenied, timeout, throttled out, unknown error);
 *               rules that need this value report status `error`, never `pass`.
 */
import { z } from "zod";
import { CanarySchema, DeliveryReadSchema } from "./delivery.js";

export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

export const ReadErrorSchema = z.object({
  status: z.literal("error"),
  operation: z.string(),
  code: z.string(),
  message: z.string(),
});
export type ReadError = z.infer<typeof ReadErrorSchema>;

/** Build the zod schema of a `Read<T>` for a value schema. */
export function readSchema<T extends z.ZodType>(value: T) {
  return z.discriminatedUnion("status", [
    z.object({ status: z.literal("ok"), value }),
    z.object({ status: z.literal("absent"), code: z.string() }),
    ReadErrorSchema,
  ]);
}
export type Read<T> =
  | { status: "ok"; value: T }
  | { status: "absent"; code: string }
  | ReadError;

export const GranteeSchema = z.object({
  type: z.string(), // CanonicalUser | Group | AmazonCustomerByEmail
  id: z.string().optional(),
  uri: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
});
export const GrantSchema = z.object({ grantee: GranteeSchema, permission: z.string() });
export type Grant = z.infer<typeof GrantSchema>;

export const KeyFormatSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("simple") }),
  z.object({
    type: z.literal("partitioned"),
    partitionDateSource: z.enum(["EventTime", "DeliveryTime"]),
  }),
]);
export type KeyFormat = z.infer<typeof KeyFormatSchema>;

/** `LoggingEnabled` of GetBucketLogging, normalised. `null` in a Read means logging is off. */
export const LoggingConfigSchema = z.object({
  targetBucket: z.string(),
  targetPrefix: z.string(),
  targetGrants: z.array(GrantSchema),
  /** Absent TargetObjectKeyFormat is the simple format (AWS omits it then). */
  keyFormat: KeyFormatSchema,
  /** True when GetBucketLogging returned a TargetObjectKeyFormat element at all. */
  keyFormatExplicit: z.boolean(),
});
export type LoggingConfig = z.infer<typeof LoggingConfigSchema>;

export const AclSchema = z.object({
  ownerId: z.string().optional(),
  grants: z.array(GrantSchema),
});
export type Acl = z.infer<typeof AclSchema>;

export const ObjectOwnershipSchema = z.enum(["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]);
export type ObjectOwnership = z.infer<typeof ObjectOwnershipSchema>;

export const EncryptionSchema = z.object({
  /** SSEAlgorithm of the first default-encryption rule: AES256 | aws:kms | aws:kms:dsse | ... */
  algorithm: z.string(),
  kmsKeyId: z.string().optional(),
  bucketKeyEnabled: z.boolean().optional(),
});
export type Encryption = z.infer<typeof EncryptionSchema>;

export const ObjectLockSchema = z.object({
  enabled: z.boolean(),
  defaultRetention: z
    .object({
      mode: z.string().optional(),
      days: z.number().optional(),
      years: z.number().optional(),
    })
    .optional(),
});
export type ObjectLock = z.infer<typeof ObjectLockSchema>;

export const PublicAccessBlockSchema = z.object({
  blockPublicAcls: z.boolean(),
  ignorePublicAcls: z.boolean(),
  blockPublicPolicy: z.boolean(),
  restrictPublicBuckets: z.boolean(),
});
export type PublicAccessBlock = z.infer<typeof PublicAccessBlockSchema>;

/**
 * Lifecycle rules are kept in the SDK's own shape (JSON-serialised, dates as ISO strings)
 * so that a fix can merge into them and write them back without losing a field.
 */
export const LifecycleRuleSchema = z.record(z.string(), z.unknown());
export type LifecycleRule = Record<string, unknown>;

/**
 * Facts about a bucket that is a log target of some bucket of the same account.
 * Read once per distinct target, in the target's own Region.
 */
export const TargetFactsSchema = z.object({
  /** Raw policy document text exactly as GetBucketPolicy returned it. */
  policy: readSchema(z.string()),
  acl: readSchema(AclSchema),
  ownership: readSchema(ObjectOwnershipSchema),
  encryption: readSchema(EncryptionSchema),
  objectLock: readSchema(ObjectLockSchema),
  requestPayment: readSchema(z.enum(["Requester", "BucketOwner"])),
  publicAccessBlock: readSchema(PublicAccessBlockSchema),
  lifecycle: readSchema(z.array(LifecycleRuleSchema)),
});
export type TargetFacts = z.infer<typeof TargetFactsSchema>;

export const BucketSnapshotSchema = z.object({
  account: z.string(),
  region: z.string(),
  name: z.string(),
  creationDate: z.string().optional(),
  /**
   * false when the bucket is outside --buckets/--regions but was collected because an
   * in-scope bucket logs into it (its facts and logging feed target rules and cycle
   * detection). Rules report findings only on in-scope buckets. Absent = true.
   */
  inScope: z.boolean().optional(),
  /** `ok` with `null` = logging disabled. */
  logging: readSchema(LoggingConfigSchema.nullable()),
  /** Present only when this bucket is the log target of at least one bucket of its account. */
  targetFacts: TargetFactsSchema.optional(),
  /** With --check-delivery: the scan's GetBucketLogging on this bucket (a request S3 logs). */
  canary: CanarySchema.optional(),
  /** With --check-delivery, for a logging source: what its target's listing showed. */
  delivery: DeliveryReadSchema.optional(),
});
export type BucketSnapshot = z.infer<typeof BucketSnapshotSchema>;

/** Region recorded for a bucket whose Region could not be learned (its reads are errors). */
export const UNKNOWN_REGION = "unknown";

/**
 * A target named by a source's logging configuration that is NOT among the buckets of the
 * source's account (as listed by ListBuckets). Learned with one HeadBucket from that account:
 *   404 → `missing`; 200/301 or any answer with an x-amz-bucket-region header → `foreign`
 *   (exists, owned by another account; region from that header); a 403 without the header
 *   ("someone else's" or "you may not ask" — undecided) and any other failure → `error`.
 */
export const ExternalTargetSchema = z.object({
  account: z.string(), // the account whose sources name it
  name: z.string(),
  state: z.enum(["missing", "foreign", "error"]),
  region: z.string().optional(),
  error: ReadErrorSchema.optional(),
});
export type ExternalTarget = z.infer<typeof ExternalTargetSchema>;

export const AccountSnapshotSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  /** `partial` when some Region or bucket read failed; `error` when nothing could be read. */
  status: z.enum(["ok", "partial", "error"]),
  /** Regions in which buckets of this account were found (after --regions filtering). */
  regions: z.array(z.string()),
});
export type AccountSnapshot = z.infer<typeof AccountSnapshotSchema>;

/** One failed read, for `errors[]` of the report (spec §4). */
export const CollectionErrorSchema = z.object({
  account: z.string(),
  region: z.string().optional(),
  bucket: z.string().optional(),
  operation: z.string(),
  code: z.string(),
  message: z.string(),
});
export type CollectionError = z.infer<typeof CollectionErrorSchema>;

export const SnapshotSchema = z.object({
  kind: z.literal("s3-log-auditor-snapshot"),
  schemaVersion: z.literal(SNAPSHOT_SCHEMA_VERSION),
  tool: z.object({ name: z.string(), version: z.string() }),
  startedAt: z.string(),
  finishedAt: z.string(),
  partition: z.string(), // aws | aws-cn | aws-us-gov
  scope: z.object({
    accounts: z.array(z.string()),
    /** null = every Region where buckets were found. */
    regions: z.array(z.string()).nullable(),
    bucketGlobs: z.array(z.string()).optional(),
  }),
  accounts: z.array(AccountSnapshotSchema),
  buckets: z.array(BucketSnapshotSchema),
  externalTargets: z.array(ExternalTargetSchema),
  errors: z.array(CollectionErrorSchema),
  /** With --check-delivery: the delivery window (hours) the scan judged freshness with. */
  deliveryWindowHours: z.number().positive().optional(),
});
export type Snapshot = z.infer<typeof SnapshotSchema>;

/** Key of a bucket within the snapshot: names are global, but resolution is per account. */
export function bucketKey(account: string, name: string): string {
  return `${account}/${name}`;
}
