/**
 * The behaviour of the fix resource kinds (like a Terraform provider's resource functions): for
 * each kind of src/model/resource-kinds.ts (which declares its name, step operation and state
 * shapes as plain data), the delete that undo uses to return to "not configured", the S3 read
 * (operation, permission, "not configured" codes, from the shared table in
 * src/collect/s3-reads.ts), how to read, write and delete it live, its normal form for drift
 * checks, and the one-line description of a step. Plan, apply, undo, describe and the drift
 * checks all read these two tables; adding a resource kind is one entry in each (the compiler
 * asks for the second once the first exists).
 *
 * Live states use the snapshot's normalised shapes; `null` = not configured (no bucket). The AWS
 * SDK is loaded on the first live call, so planning never loads it.
 */
import type {
  BucketLocationConstraint,
  LifecycleRule as SdkLifecycleRule,
  LoggingEnabled,
  S3Client,
  ServerSideEncryption,
} from "@aws-sdk/client-s3";
import { errorCode, errorMessage, httpStatusOf } from "../collect/errors.js";
import { normaliseEncryption, normaliseLifecycle, normaliseLogging, normalisePublicAccessBlock } from "../collect/normalise.js";
import { S3_READS, isNoSuchBucket, type S3Read } from "../collect/s3-reads.js";
import { RESOURCE_KINDS, RESOURCE_KIND_SHAPES, type OperationOf, type ResourceKind } from "../model/resource-kinds.js";
import type { PlanStepOf, PolicyDocument, StepOperation } from "../model/plan.js";
import type { Encryption, LifecycleRule, LoggingConfig, ObjectOwnership, PublicAccessBlock } from "../model/snapshot.js";
import { canonicalJson } from "./state.js";
import { parsePolicyDocument, policyMergeCounts, policyText } from "./merge.js";

/** A live read: the normalised state, plus the exact policy text for policies. */
export interface LiveState {
  value: unknown;
  raw?: string;
}

/** Where a live call goes: the client of the bucket's account+Region. */
export interface Target {
  client: S3Client;
  account: string;
  bucket: string;
  region: string;
}

/** An AWS failure of a fix step, with its code. */
export class StepFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "StepFailure";
  }
}

/** The StepFailure of a failed AWS call. */
export function stepFailure(op: string, err: unknown): StepFailure {
  return new StepFailure(errorCode(err), `${op} failed: ${errorMessage(err)}`);
}

/** One fix resource kind (see the module comment). */
export interface FixResource<K extends ResourceKind> {
  /** The operation that returns it to "not configured" (undo of a first configuration). */
  deleteOperation: string;
  /** The S3 read of the live state. */
  read: S3Read;
  /** Reads the live state (`null` = not configured); throws StepFailure on any other failure. */
  get(t: Target): Promise<LiveState>;
  /** Writes a state; for policies `raw` (exact text) is written when given. */
  put(t: Target, value: NonNullable<PlanStepOf<OperationOf<K>>["after"]>, raw?: string): Promise<void>;
  /** Removes the configuration (or deletes the bucket). */
  remove(t: Target): Promise<void>;
  /** Normal form for comparisons: what does not count as drift is normalised away. */
  normalise(v: unknown): unknown;
  /** What a step on this kind changes, in words. */
  describe(step: PlanStepOf<OperationOf<K>>): string;
}

/** The S3 SDK, loaded on the first live call. */
const sdk = () => import("@aws-sdk/client-s3");

const where = (t: Target) => ({ Bucket: t.bucket, ExpectedBucketOwner: t.account });

/** Runs a read; the read's "not configured" codes give null, any other failure a StepFailure. */
async function readOrNull<T>(read: S3Read, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (read.absentCodes.includes(errorCode(err))) return null;
    throw stepFailure(read.operation, err);
  }
}

/** Runs a write or delete; any failure becomes a StepFailure naming `op`. */
async function send(op: string, run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (err) {
    throw stepFailure(op, err);
  }
}

function reviveDates(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reviveDates);
  if (v && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) {
      out[k] = k === "Date" && typeof x === "string" ? new Date(x) : reviveDates(x);
    }
    return out;
  }
  return v;
}

function loggingEnabled(c: LoggingConfig): LoggingEnabled {
  const le: LoggingEnabled = { TargetBucket: c.targetBucket, TargetPrefix: c.targetPrefix };
  if (c.targetGrants.length > 0) {
    le.TargetGrants = c.targetGrants.map((g) => ({
      Grantee: {
        Type: g.grantee.type as "CanonicalUser" | "Group" | "AmazonCustomerByEmail",
        ...(g.grantee.id !== undefined ? { ID: g.grantee.id } : {}),
        ...(g.grantee.uri !== undefined ? { URI: g.grantee.uri } : {}),
        ...(g.grantee.emailAddress !== undefined ? { EmailAddress: g.grantee.emailAddress } : {}),
        ...(g.grantee.displayName !== undefined ? { DisplayName: g.grantee.displayName } : {}),
      },
      Permission: g.permission as "FULL_CONTROL" | "READ" | "WRITE",
    }));
  }
  // Keep an implicit simple format implicit, so that a restore is exact.
  if (c.keyFormat.type === "partitioned") {
    le.TargetObjectKeyFormat = { PartitionedPrefix: { PartitionDateSource: c.keyFormat.partitionDateSource } };
  } else if (c.keyFormatExplicit) {
    le.TargetObjectKeyFormat = { SimplePrefix: {} };
  }
  return le;
}

function loggingText(c: LoggingConfig | null): string {
  if (!c) return "logging off";
  const fmt = c.keyFormat.type === "partitioned" ? `partitioned ${c.keyFormat.partitionDateSource}` : "simple";
  const grants = c.targetGrants.length > 0 ? `, ${c.targetGrants.length} target grant(s)` : "";
  return `s3://${c.targetBucket}/${c.targetPrefix} (${fmt}${grants})`;
}

/** What a lifecycle merge does, counted from before → after (true counts, never assumed). */
function lifecycleChange(before: LifecycleRule[] | null, after: LifecycleRule[]): string {
  const old = (before ?? []).map((r) => canonicalJson(r));
  const kept = old.filter((r) => after.some((a) => canonicalJson(a) === r)).length;
  const replaced = old.length - kept;
  return replaced > 0 ? `update its own log expiration rule (keeps ${kept} other rule(s))` : `add log expiration rule (keeps ${kept} existing rule(s))`;
}

/** What a policy merge does, counted from before → after. */
function policyChange(before: PolicyDocument | null, after: PolicyDocument): string {
  const { kept, updated } = policyMergeCounts(before, after);
  return updated > 0
    ? `widen its own log-delivery statement (keeps ${kept} other statement(s))`
    : `merge log-delivery statement (keeps ${kept} existing statement(s))`;
}

/** An empty prefix filter and no filter mean the same (AWS may echo either form). */
function normRule(r: unknown): unknown {
  if (!r || typeof r !== "object") return r;
  const rule = { ...(r as Record<string, unknown>) };
  if (rule.Prefix === "") delete rule.Prefix;
  const f = rule.Filter as Record<string, unknown> | undefined;
  if (f && typeof f === "object" && Object.keys(f).length === 1 && f.Prefix === "") rule.Filter = {};
  return rule;
}

const same = (v: unknown): unknown => v ?? null;

/** The behaviour of every fix resource kind of src/model/resource-kinds.ts (same keys, same order). */
export const FIX_RESOURCES: { readonly [K in ResourceKind]: FixResource<K> } = {
  bucket: {
    deleteOperation: "DeleteBucket",
    read: S3_READS.HeadBucket,
    async get(t) {
      const { HeadBucketCommand } = await sdk();
      try {
        const out = await t.client.send(new HeadBucketCommand(where(t)));
        return { value: { region: out.BucketRegion ?? t.region } };
      } catch (err) {
        const status = httpStatusOf(err);
        if (isNoSuchBucket(status, errorCode(err))) return { value: null };
        if (status === 403) throw new StepFailure("AccessDenied", `HeadBucket ${t.bucket}: exists but is not accessible (owned by another account?)`);
        throw stepFailure("HeadBucket", err);
      }
    },
    async put(t, value) {
      const { CreateBucketCommand } = await sdk();
      const region = value.region;
      await send("CreateBucket", () =>
        t.client.send(
          new CreateBucketCommand({
            Bucket: t.bucket,
            ...(region !== "us-east-1" ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } } : {}),
          }),
        ),
      );
    },
    async remove(t) {
      const { DeleteBucketCommand } = await sdk();
      await send("DeleteBucket", () => t.client.send(new DeleteBucketCommand(where(t))));
    },
    normalise: same,
    describe: (step) => `create log bucket in ${step.after.region}`,
  },
  ownership: {
    deleteOperation: "DeleteBucketOwnershipControls",
    read: S3_READS.GetBucketOwnershipControls,
    async get(t) {
      const { GetBucketOwnershipControlsCommand } = await sdk();
      const value = await readOrNull(this.read, async () => {
        const out = await t.client.send(new GetBucketOwnershipControlsCommand(where(t)));
        return out.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null;
      });
      return { value };
    },
    async put(t, value: ObjectOwnership) {
      const { PutBucketOwnershipControlsCommand } = await sdk();
      await send("PutBucketOwnershipControls", () =>
        t.client.send(new PutBucketOwnershipControlsCommand({ ...where(t), OwnershipControls: { Rules: [{ ObjectOwnership: value }] } })),
      );
    },
    async remove(t) {
      const { DeleteBucketOwnershipControlsCommand } = await sdk();
      await send("DeleteBucketOwnershipControls", () => t.client.send(new DeleteBucketOwnershipControlsCommand(where(t))));
    },
    normalise: same,
    describe: (step) => `object ownership ${step.before ?? "(none)"} → ${step.after}`,
  },
  "public-access-block": {
    deleteOperation: "DeletePublicAccessBlock",
    read: S3_READS.GetPublicAccessBlock,
    async get(t) {
      const { GetPublicAccessBlockCommand } = await sdk();
      const value = await readOrNull(this.read, async () => normalisePublicAccessBlock(await t.client.send(new GetPublicAccessBlockCommand(where(t)))));
      return { value };
    },
    async put(t, p: PublicAccessBlock) {
      const { PutPublicAccessBlockCommand } = await sdk();
      await send("PutPublicAccessBlock", () =>
        t.client.send(
          new PutPublicAccessBlockCommand({
            ...where(t),
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: p.blockPublicAcls,
              IgnorePublicAcls: p.ignorePublicAcls,
              BlockPublicPolicy: p.blockPublicPolicy,
              RestrictPublicBuckets: p.restrictPublicBuckets,
            },
          }),
        ),
      );
    },
    async remove(t) {
      const { DeletePublicAccessBlockCommand } = await sdk();
      await send("DeletePublicAccessBlock", () => t.client.send(new DeletePublicAccessBlockCommand(where(t))));
    },
    normalise: same,
    describe: () => "turn on all four Block Public Access settings",
  },
  encryption: {
    deleteOperation: "DeleteBucketEncryption",
    read: S3_READS.GetBucketEncryption,
    async get(t) {
      const { GetBucketEncryptionCommand } = await sdk();
      const value = await readOrNull(this.read, async () => {
        const r = normaliseEncryption(await t.client.send(new GetBucketEncryptionCommand(where(t))));
        return r.status === "ok" ? r.value : null;
      });
      return { value };
    },
    async put(t, e: Encryption) {
      const { PutBucketEncryptionCommand } = await sdk();
      await send("PutBucketEncryption", () =>
        t.client.send(
          new PutBucketEncryptionCommand({
            ...where(t),
            ServerSideEncryptionConfiguration: {
              Rules: [
                {
                  ApplyServerSideEncryptionByDefault: {
                    SSEAlgorithm: e.algorithm as ServerSideEncryption,
                    ...(e.kmsKeyId !== undefined ? { KMSMasterKeyID: e.kmsKeyId } : {}),
                  },
                  ...(e.bucketKeyEnabled !== undefined ? { BucketKeyEnabled: e.bucketKeyEnabled } : {}),
                },
              ],
            },
          }),
        ),
      );
    },
    async remove(t) {
      const { DeleteBucketEncryptionCommand } = await sdk();
      await send("DeleteBucketEncryption", () => t.client.send(new DeleteBucketEncryptionCommand(where(t))));
    },
    normalise(v) {
      if (v === null || v === undefined) return null;
      const e = v as { algorithm: string; kmsKeyId?: string; bucketKeyEnabled?: boolean };
      return { a: e.algorithm, k: e.kmsKeyId ?? null, b: e.bucketKeyEnabled ?? false };
    },
    describe: (step) => `default encryption ${step.before?.algorithm ?? "(none)"} → ${step.after.algorithm} (SSE-S3)`,
  },
  lifecycle: {
    deleteOperation: "DeleteBucketLifecycle",
    read: S3_READS.GetBucketLifecycleConfiguration,
    async get(t) {
      const { GetBucketLifecycleConfigurationCommand } = await sdk();
      const value = await readOrNull(this.read, async () => {
        const rules = normaliseLifecycle(await t.client.send(new GetBucketLifecycleConfigurationCommand(where(t))));
        return rules.length === 0 ? null : rules;
      });
      return { value };
    },
    async put(t, rules: LifecycleRule[]) {
      if (rules.length === 0) return this.remove(t);
      const { PutBucketLifecycleConfigurationCommand } = await sdk();
      await send("PutBucketLifecycleConfiguration", () =>
        t.client.send(new PutBucketLifecycleConfigurationCommand({ ...where(t), LifecycleConfiguration: { Rules: reviveDates(rules) as SdkLifecycleRule[] } })),
      );
    },
    async remove(t) {
      const { DeleteBucketLifecycleCommand } = await sdk();
      await send("DeleteBucketLifecycle", () => t.client.send(new DeleteBucketLifecycleCommand(where(t))));
    },
    normalise(v) {
      if (v === null || v === undefined) return null;
      const rules = v as unknown[];
      return rules.length === 0 ? null : rules.map(normRule);
    },
    describe: (step) => (step.beforeKnown ? lifecycleChange(step.before, step.after) : "add log expiration rule (keeps every existing rule)"),
  },
  policy: {
    deleteOperation: "DeleteBucketPolicy",
    read: S3_READS.GetBucketPolicy,
    async get(t) {
      const { GetBucketPolicyCommand } = await sdk();
      const raw = await readOrNull(this.read, async () => (await t.client.send(new GetBucketPolicyCommand(where(t)))).Policy ?? null);
      if (raw === null) return { value: null };
      const doc = parsePolicyDocument(raw);
      if (!doc) throw new StepFailure("MalformedPolicy", `GetBucketPolicy ${t.bucket}: the policy is not a valid policy document`);
      return { value: doc, raw };
    },
    async put(t, doc: PolicyDocument, raw?: string) {
      const { PutBucketPolicyCommand } = await sdk();
      await send("PutBucketPolicy", () => t.client.send(new PutBucketPolicyCommand({ ...where(t), Policy: raw ?? policyText(doc) })));
    },
    async remove(t) {
      const { DeleteBucketPolicyCommand } = await sdk();
      await send("DeleteBucketPolicy", () => t.client.send(new DeleteBucketPolicyCommand(where(t))));
    },
    normalise(v) {
      if (v === null || v === undefined) return null;
      const d = v as PolicyDocument;
      const st = (d as { Statement?: unknown }).Statement;
      // A single Statement object means the same as a one-element list.
      return { ...d, Statement: Array.isArray(st) ? st : st === undefined ? [] : [st] };
    },
    describe(step) {
      if (step.manual) return "bucket policy";
      if (!step.beforeKnown) return "merge log-delivery statement (keeps every existing statement)";
      return policyChange(step.before, step.after);
    },
  },
  logging: {
    // Logging has no delete: PutBucketLogging with an empty status turns it off.
    deleteOperation: "PutBucketLogging",
    read: S3_READS.GetBucketLogging,
    async get(t) {
      const { GetBucketLoggingCommand } = await sdk();
      const value = await readOrNull(this.read, async () => normaliseLogging(await t.client.send(new GetBucketLoggingCommand(where(t)))));
      return { value };
    },
    async put(t, c: LoggingConfig) {
      const { PutBucketLoggingCommand } = await sdk();
      await send("PutBucketLogging", () => t.client.send(new PutBucketLoggingCommand({ ...where(t), BucketLoggingStatus: { LoggingEnabled: loggingEnabled(c) } })));
    },
    async remove(t) {
      const { PutBucketLoggingCommand } = await sdk();
      await send("PutBucketLogging", () => t.client.send(new PutBucketLoggingCommand({ ...where(t), BucketLoggingStatus: {} })));
    },
    normalise(v) {
      if (v === null || v === undefined) return null;
      const c = v as LoggingConfig;
      const grants = (c.targetGrants ?? []).map((g) => canonicalJson(g)).sort();
      const kf =
        c.keyFormat?.type === "partitioned"
          ? { type: "partitioned", partitionDateSource: c.keyFormat.partitionDateSource ?? "EventTime" }
          : { type: "simple" };
      return { targetBucket: c.targetBucket, targetPrefix: c.targetPrefix, grants, kf };
    },
    describe: (step) => `logging ${loggingText(step.before)} → ${loggingText(step.after)}`,
  },
};

const KIND_OF_OPERATION = new Map<string, ResourceKind>(RESOURCE_KINDS.map((k) => [RESOURCE_KIND_SHAPES[k].operation, k]));

/** The resource kind a plan step's operation writes. */
export function resourceOf(op: StepOperation): ResourceKind {
  return KIND_OF_OPERATION.get(op) as ResourceKind;
}

/** Normalised form of a state of `resource`, for comparison. */
export function normalizeState(resource: ResourceKind, v: unknown): string {
  return canonicalJson(FIX_RESOURCES[resource].normalise(v));
}

/** True when two states of `resource` mean the same. */
export function sameState(resource: ResourceKind, a: unknown, b: unknown): boolean {
  return normalizeState(resource, a) === normalizeState(resource, b);
}

/** What a plan step changes, in words (its kind's description). */
export function describeChange(step: PlanStepOf<StepOperation>): string {
  const r = FIX_RESOURCES[resourceOf(step.operation)] as FixResource<ResourceKind>;
  return r.describe(step);
}

/** Reads the current state of a resource. */
export function readResource(t: Target, resource: ResourceKind): Promise<LiveState> {
  return FIX_RESOURCES[resource].get(t);
}

/** True when writing `value` means removing the configuration (null, or an empty rule list). */
function isRemoval(resource: ResourceKind, value: unknown): boolean {
  return value === null || (resource === "lifecycle" && Array.isArray(value) && value.length === 0);
}

/** The AWS operation that writes `value` to `resource` (its delete when value is null). */
export function writeOperation(resource: ResourceKind, value: unknown): string {
  return isRemoval(resource, value) ? FIX_RESOURCES[resource].deleteOperation : RESOURCE_KIND_SHAPES[resource].operation;
}

/**
 * Writes `value` to a resource (null → remove the configuration / delete the bucket).
 * For policies, `raw` (exact text) is written when given, else compact JSON of `value`.
 */
export function writeResource(t: Target, resource: ResourceKind, value: unknown, raw?: string): Promise<void> {
  const r = FIX_RESOURCES[resource] as FixResource<ResourceKind>;
  return isRemoval(resource, value) ? r.remove(t) : r.put(t, value as never, raw);
}
