/** SDK outputs → the snapshot's plain shapes (src/model/snapshot.ts). */
import type {
  GetBucketAclCommandOutput,
  GetBucketEncryptionCommandOutput,
  GetBucketLifecycleConfigurationCommandOutput,
  GetBucketLoggingCommandOutput,
  GetBucketOwnershipControlsCommandOutput,
  GetBucketRequestPaymentCommandOutput,
  GetObjectLockConfigurationCommandOutput,
  GetPublicAccessBlockCommandOutput,
  Grant as SdkGrant,
  TargetGrant as SdkTargetGrant,
} from "@aws-sdk/client-s3";
import type {
  Acl,
  Encryption,
  Grant,
  LifecycleRule,
  LoggingConfig,
  ObjectLock,
  ObjectOwnership,
  PublicAccessBlock,
  Read,
} from "../model/snapshot.js";

/** GetBucketLocation's LocationConstraint → Region (null/"" → us-east-1, EU → eu-west-1). */
export function normaliseLocation(constraint: string | null | undefined): string {
  if (constraint === undefined || constraint === null || constraint === "") return "us-east-1";
  if (constraint === "EU") return "eu-west-1";
  return constraint;
}

function grant(g: SdkGrant | SdkTargetGrant): Grant {
  const ge = g.Grantee;
  const out: Grant = { grantee: { type: ge?.Type ?? "Unknown" }, permission: g.Permission ?? "" };
  if (ge?.ID !== undefined) out.grantee.id = ge.ID;
  if (ge?.URI !== undefined) out.grantee.uri = ge.URI;
  if (ge?.DisplayName !== undefined) out.grantee.displayName = ge.DisplayName;
  if (ge?.EmailAddress !== undefined) out.grantee.emailAddress = ge.EmailAddress;
  return out;
}

export function normaliseLogging(out: GetBucketLoggingCommandOutput): LoggingConfig | null {
  const le = out.LoggingEnabled;
  if (!le || le.TargetBucket === undefined) return null;
  const fmt = le.TargetObjectKeyFormat;
  const partitioned = fmt?.PartitionedPrefix;
  const cfg: LoggingConfig = {
    targetBucket: le.TargetBucket,
    targetPrefix: le.TargetPrefix ?? "",
    targetGrants: (le.TargetGrants ?? []).map(grant),
    keyFormat: partitioned
      ? {
          type: "partitioned",
          partitionDateSource: partitioned.PartitionDateSource === "DeliveryTime" ? "DeliveryTime" : "EventTime",
        }
      : { type: "simple" },
    keyFormatExplicit: fmt !== undefined && (fmt.PartitionedPrefix !== undefined || fmt.SimplePrefix !== undefined),
  };
  return cfg;
}

export function normaliseAcl(out: GetBucketAclCommandOutput): Acl {
  const acl: Acl = { grants: (out.Grants ?? []).map(grant) };
  if (out.Owner?.ID !== undefined) acl.ownerId = out.Owner.ID;
  return acl;
}

const OWNERSHIP: readonly string[] = ["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"];

export function normaliseOwnership(out: GetBucketOwnershipControlsCommandOutput): Read<ObjectOwnership> {
  const value = out.OwnershipControls?.Rules?.[0]?.ObjectOwnership;
  if (value && OWNERSHIP.includes(value)) return { status: "ok", value: value };
  return {
    status: "error",
    operation: "GetBucketOwnershipControls",
    code: "UnexpectedResponse",
    message: `unrecognised ObjectOwnership ${JSON.stringify(value ?? null)}`,
  };
}

export function normaliseEncryption(out: GetBucketEncryptionCommandOutput): Read<Encryption> {
  const rule = out.ServerSideEncryptionConfiguration?.Rules?.[0];
  const def = rule?.ApplyServerSideEncryptionByDefault;
  if (!def?.SSEAlgorithm) return { status: "absent", code: "ServerSideEncryptionConfigurationNotFoundError" };
  const enc: Encryption = { algorithm: def.SSEAlgorithm };
  if (def.KMSMasterKeyID !== undefined) enc.kmsKeyId = def.KMSMasterKeyID;
  if (rule?.BucketKeyEnabled !== undefined) enc.bucketKeyEnabled = rule.BucketKeyEnabled;
  return { status: "ok", value: enc };
}

export function normaliseObjectLock(out: GetObjectLockConfigurationCommandOutput): ObjectLock {
  const cfg = out.ObjectLockConfiguration;
  const lock: ObjectLock = { enabled: cfg?.ObjectLockEnabled === "Enabled" };
  const r = cfg?.Rule?.DefaultRetention;
  if (r) {
    const retention: NonNullable<ObjectLock["defaultRetention"]> = {};
    if (r.Mode !== undefined) retention.mode = r.Mode;
    if (r.Days !== undefined) retention.days = r.Days;
    if (r.Years !== undefined) retention.years = r.Years;
    lock.defaultRetention = retention;
  }
  return lock;
}

export function normaliseRequestPayment(out: GetBucketRequestPaymentCommandOutput): Read<"Requester" | "BucketOwner"> {
  const payer = out.Payer ?? "BucketOwner";
  if (payer === "Requester" || payer === "BucketOwner") return { status: "ok", value: payer };
  return {
    status: "error",
    operation: "GetBucketRequestPayment",
    code: "UnexpectedResponse",
    message: `unrecognised Payer ${JSON.stringify(payer)}`,
  };
}

export function normalisePublicAccessBlock(out: GetPublicAccessBlockCommandOutput): PublicAccessBlock {
  const c = out.PublicAccessBlockConfiguration;
  return {
    blockPublicAcls: c?.BlockPublicAcls === true,
    ignorePublicAcls: c?.IgnorePublicAcls === true,
    blockPublicPolicy: c?.BlockPublicPolicy === true,
    restrictPublicBuckets: c?.RestrictPublicBuckets === true,
  };
}

/** Lifecycle rules in the SDK's own shape, JSON-serialised (dates become ISO strings). */
export function normaliseLifecycle(out: GetBucketLifecycleConfigurationCommandOutput): LifecycleRule[] {
  return JSON.parse(JSON.stringify(out.Rules ?? [])) as LifecycleRule[];
}
