/**
 * Live reads and writes of the resources a plan touches, one pair per resource kind. Reads return
 * the same normalised shapes as the snapshot (via src/collect/normalise.ts); "not configured"
 * answers are `null`; any other failure throws.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketOwnershipControlsCommand,
  DeleteBucketPolicyCommand,
  DeletePublicAccessBlockCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListObjectsV2Command,
  paginateListBuckets,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketLoggingCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type LifecycleRule as SdkLifecycleRule,
  type LoggingEnabled,
  type S3Client,
  type ServerSideEncryption,
} from "@aws-sdk/client-s3";
import {
  normaliseEncryption,
  normaliseLifecycle,
  normaliseLogging,
  normalisePublicAccessBlock,
} from "../collect/normalise.js";
import { errorCode, errorMessage, httpStatusOf } from "../collect/errors.js";
import type { Encryption, LifecycleRule, LoggingConfig, ObjectOwnership, PublicAccessBlock } from "../model/snapshot.js";
import { parsePolicyDocument, policyText } from "./merge.js";
import type { PolicyDocument } from "../model/plan.js";
import type { ResourceKind } from "../model/journal.js";

/** A live read: the normalised state, plus the exact policy text for policies. */
export interface LiveState {
  value: unknown;
  raw?: string;
}

export interface Target {
  client: S3Client;
  account: string;
  bucket: string;
  region: string;
}

const ABSENT: Record<string, string[]> = {
  ownership: ["OwnershipControlsNotFoundError"],
  "public-access-block": ["NoSuchPublicAccessBlockConfiguration"],
  encryption: ["ServerSideEncryptionConfigurationNotFoundError"],
  lifecycle: ["NoSuchLifecycleConfiguration"],
  policy: ["NoSuchBucketPolicy"],
};

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

function fail(op: string, err: unknown): StepFailure {
  return new StepFailure(errorCode(err), `${op} failed: ${errorMessage(err)}`);
}

async function absentAsNull<T>(resource: ResourceKind, op: string, run: () => Promise<T>): Promise<T | null> {
  try {
    return await run();
  } catch (err) {
    if (ABSENT[resource]?.includes(errorCode(err))) return null;
    throw fail(op, err);
  }
}

/** Reads the current state of a resource. */
export async function readResource(t: Target, resource: ResourceKind): Promise<LiveState> {
  const { client, bucket, account } = t;
  const base = { Bucket: bucket, ExpectedBucketOwner: account };
  switch (resource) {
    case "bucket": {
      try {
        const out = await client.send(new HeadBucketCommand(base));
        return { value: { region: out.BucketRegion ?? t.region } };
      } catch (err) {
        const status = httpStatusOf(err);
        if (status === 404 || errorCode(err) === "NotFound" || errorCode(err) === "NoSuchBucket") return { value: null };
        if (status === 403) throw new StepFailure("AccessDenied", `HeadBucket ${bucket}: exists but is not accessible (owned by another account?)`);
        throw fail("HeadBucket", err);
      }
    }
    case "ownership": {
      const v = await absentAsNull(resource, "GetBucketOwnershipControls", async () => {
        const out = await client.send(new GetBucketOwnershipControlsCommand(base));
        return (out.OwnershipControls?.Rules?.[0]?.ObjectOwnership ?? null);
      });
      return { value: v };
    }
    case "public-access-block": {
      const v = await absentAsNull(resource, "GetPublicAccessBlock", async () =>
        normalisePublicAccessBlock(await client.send(new GetPublicAccessBlockCommand(base))),
      );
      return { value: v };
    }
    case "encryption": {
      const v = await absentAsNull(resource, "GetBucketEncryption", async () => {
        const r = normaliseEncryption(await client.send(new GetBucketEncryptionCommand(base)));
        return r.status === "ok" ? r.value : null;
      });
      return { value: v };
    }
    case "lifecycle": {
      const v = await absentAsNull(resource, "GetBucketLifecycleConfiguration", async () => {
        const rules = normaliseLifecycle(await client.send(new GetBucketLifecycleConfigurationCommand(base)));
        return rules.length === 0 ? null : rules;
      });
      return { value: v };
    }
    case "policy": {
      const raw = await absentAsNull(resource, "GetBucketPolicy", async () => {
        const out = await client.send(new GetBucketPolicyCommand(base));
        return out.Policy ?? null;
      });
      if (raw === null) return { value: null };
      const doc = parsePolicyDocument(raw);
      if (!doc) throw new StepFailure("MalformedPolicy", `GetBucketPolicy ${bucket}: the policy is not a valid policy document`);
      return { value: doc, raw };
    }
    case "logging": {
      try {
        const out = await client.send(new GetBucketLoggingCommand(base));
        return { value: normaliseLogging(out) };
      } catch (err) {
        throw fail("GetBucketLogging", err);
      }
    }
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

/** The AWS operation that writes `value` to `resource` (Delete* when value is null). */
export function writeOperation(resource: ResourceKind, value: unknown): string {
  const del = value === null || (resource === "lifecycle" && Array.isArray(value) && value.length === 0);
  switch (resource) {
    case "bucket":
      return del ? "DeleteBucket" : "CreateBucket";
    case "ownership":
      return del ? "DeleteBucketOwnershipControls" : "PutBucketOwnershipControls";
    case "public-access-block":
      return del ? "DeletePublicAccessBlock" : "PutPublicAccessBlock";
    case "encryption":
      return del ? "DeleteBucketEncryption" : "PutBucketEncryption";
    case "lifecycle":
      return del ? "DeleteBucketLifecycle" : "PutBucketLifecycleConfiguration";
    case "policy":
      return del ? "DeleteBucketPolicy" : "PutBucketPolicy";
    case "logging":
      return "PutBucketLogging";
  }
}

/**
 * Writes `value` to a resource (null → remove the configuration / delete the bucket).
 * For policies, `raw` (exact text) is written when given, else compact JSON of `value`.
 */
export async function writeResource(t: Target, resource: ResourceKind, value: unknown, raw?: string): Promise<void> {
  const { client, bucket, account } = t;
  const base = { Bucket: bucket, ExpectedBucketOwner: account };
  const op = writeOperation(resource, value);
  try {
    switch (resource) {
      case "bucket":
        if (value === null) await client.send(new DeleteBucketCommand(base));
        else {
          const region = (value as { region: string }).region;
          await client.send(
            new CreateBucketCommand({
              Bucket: bucket,
              ...(region !== "us-east-1"
                ? { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }
                : {}),
            }),
          );
        }
        return;
      case "ownership":
        if (value === null) await client.send(new DeleteBucketOwnershipControlsCommand(base));
        else
          await client.send(
            new PutBucketOwnershipControlsCommand({
              ...base,
              OwnershipControls: { Rules: [{ ObjectOwnership: value as ObjectOwnership }] },
            }),
          );
        return;
      case "public-access-block": {
        if (value === null) {
          await client.send(new DeletePublicAccessBlockCommand(base));
          return;
        }
        const p = value as PublicAccessBlock;
        await client.send(
          new PutPublicAccessBlockCommand({
            ...base,
            PublicAccessBlockConfiguration: {
              BlockPublicAcls: p.blockPublicAcls,
              IgnorePublicAcls: p.ignorePublicAcls,
              BlockPublicPolicy: p.blockPublicPolicy,
              RestrictPublicBuckets: p.restrictPublicBuckets,
            },
          }),
        );
        return;
      }
      case "encryption": {
        if (value === null) {
          await client.send(new DeleteBucketEncryptionCommand(base));
          return;
        }
        const e = value as Encryption;
        await client.send(
          new PutBucketEncryptionCommand({
            ...base,
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
        );
        return;
      }
      case "lifecycle": {
        const rules = value as LifecycleRule[] | null;
        if (!rules || rules.length === 0) await client.send(new DeleteBucketLifecycleCommand(base));
        else
          await client.send(
            new PutBucketLifecycleConfigurationCommand({
              ...base,
              LifecycleConfiguration: { Rules: reviveDates(rules) as SdkLifecycleRule[] },
            }),
          );
        return;
      }
      case "policy":
        if (value === null) await client.send(new DeleteBucketPolicyCommand(base));
        else await client.send(new PutBucketPolicyCommand({ ...base, Policy: raw ?? policyText(value as PolicyDocument) }));
        return;
      case "logging":
        await client.send(
          new PutBucketLoggingCommand({
            ...base,
            BucketLoggingStatus: value === null ? {} : { LoggingEnabled: loggingEnabled(value as LoggingConfig) },
          }),
        );
        return;
    }
  } catch (err) {
    throw fail(op, err);
  }
}

/** True when the bucket holds no object (ListObjectsV2, one key). */
export async function bucketIsEmpty(t: Target): Promise<boolean> {
  try {
    const out = await t.client.send(new ListObjectsV2Command({ Bucket: t.bucket, ExpectedBucketOwner: t.account, MaxKeys: 1 }));
    return (out.KeyCount ?? out.Contents?.length ?? 0) === 0;
  } catch (err) {
    throw fail("ListObjectsV2", err);
  }
}

/**
 * The bucket's `CreationDate` as ListBuckets reports it for the account (exact name match on a
 * prefix-filtered, paginated listing); undefined when the account does not list the bucket.
 */
export async function bucketCreationDate(t: Target): Promise<Date | undefined> {
  try {
    for await (const page of paginateListBuckets({ client: t.client, pageSize: 1000 }, { Prefix: t.bucket, MaxBuckets: 1000 })) {
      const hit = page.Buckets?.find((b) => b.Name === t.bucket);
      if (hit) return hit.CreationDate;
    }
    return undefined;
  } catch (err) {
    throw fail("ListBuckets", err);
  }
}
