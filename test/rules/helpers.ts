/**
 * Tiny snapshot builder for rule tests. Any bucket that a readable logging configuration names as
 * target gets healthy target facts (as collection would read them) unless the test overrides them.
 */
import { describe, expect, it } from "vitest";
import type { Rule } from "../../src/engine/define-rule.js";
import { checkRuleCase, type RuleCase } from "../../src/engine/rule-tester.js";
import {
  SnapshotSchema,
  type BucketSnapshot,
  type ExternalTarget,
  type Grant,
  type LoggingConfig,
  type Read,
  type ReadError,
  type Snapshot,
  type TargetFacts,
} from "../../src/model/snapshot.js";

export const ACCOUNT = "111122223333";
export const OTHER_ACCOUNT = "444455556666";
export const REGION = "us-east-1";

export const ok = <T>(value: T): Read<T> => ({ status: "ok", value });
export const absent = <T>(code: string): Read<T> => ({ status: "absent", code });
export const denied = (operation: string, code = "AccessDenied"): ReadError => ({
  status: "error",
  operation,
  code,
  message: `${code} on ${operation}`,
});

export interface LoggingSpec {
  target: string;
  prefix?: string;
  grants?: Grant[];
  partitioned?: boolean | "EventTime" | "DeliveryTime";
}

export interface BucketSpec {
  account?: string;
  region?: string;
  inScope?: boolean;
  /** null / omitted = disabled; a ReadError = unreadable. */
  logging?: LoggingSpec | null | ReadError;
  /** Overrides merged onto healthy facts; `false` = no facts even if the bucket is a target. */
  facts?: Partial<TargetFacts> | false;
}

/** A policy allowing delivery from every source of `account` into `bucket`. */
export function allowPolicy(bucket: string, account = ACCOUNT, prefix = ""): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "S3ServerAccessLogsPolicy",
        Effect: "Allow",
        Principal: { Service: "logging.s3.amazonaws.com" },
        Action: "s3:PutObject",
        Resource: `arn:aws:s3:::${bucket}/${prefix}*`,
        Condition: { StringEquals: { "aws:SourceAccount": account } },
      },
    ],
  });
}

export const LOG_DELIVERY_URI = "http://acs.amazonaws.com/groups/s3/LogDelivery";
export const logDeliveryGrant = (permission: string): Grant => ({ grantee: { type: "Group", uri: LOG_DELIVERY_URI }, permission });

export function healthyFacts(bucket: string, account = ACCOUNT): TargetFacts {
  return {
    policy: ok(allowPolicy(bucket, account)),
    acl: ok({ ownerId: "owner", grants: [{ grantee: { type: "CanonicalUser", id: "owner" }, permission: "FULL_CONTROL" }] }),
    ownership: ok("BucketOwnerEnforced" as const),
    encryption: ok({ algorithm: "AES256", bucketKeyEnabled: false }),
    objectLock: absent("ObjectLockConfigurationNotFoundError"),
    requestPayment: ok("BucketOwner" as const),
    publicAccessBlock: ok({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true }),
    lifecycle: ok([{ ID: "expire-logs", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 365 } }]),
  };
}

function loggingRead(spec: BucketSpec["logging"]): Read<LoggingConfig | null> {
  if (spec === undefined || spec === null) return ok(null);
  if ("status" in spec) return spec;
  const partitioned = spec.partitioned;
  return ok({
    targetBucket: spec.target,
    targetPrefix: spec.prefix ?? `${"src"}/`,
    targetGrants: spec.grants ?? [],
    keyFormat: partitioned
      ? { type: "partitioned", partitionDateSource: partitioned === true ? "EventTime" : partitioned }
      : { type: "simple" },
    keyFormatExplicit: partitioned !== undefined && partitioned !== false,
  });
}

export class SnapshotBuilder {
  private readonly specs: Array<[string, BucketSpec]> = [];
  private readonly externals: ExternalTarget[] = [];
  private bucketGlobs: string[] | undefined;
  private regions: string[] | null = null;
  private partition = "aws";

  bucket(name: string, spec: BucketSpec = {}): this {
    this.specs.push([name, spec]);
    return this;
  }
  /** A target outside the account (HeadBucket result). */
  external(name: string, state: ExternalTarget["state"], extra: Partial<ExternalTarget> = {}): this {
    this.externals.push({ account: ACCOUNT, name, state, ...extra });
    return this;
  }
  filtered(globs: string[]): this {
    this.bucketGlobs = globs;
    return this;
  }
  withRegions(regions: string[]): this {
    this.regions = regions;
    return this;
  }
  withPartition(p: string): this {
    this.partition = p;
    return this;
  }

  build(): Snapshot {
    const buckets: BucketSnapshot[] = this.specs.map(([name, s]) => {
      const b: BucketSnapshot = {
        account: s.account ?? ACCOUNT,
        region: s.region ?? REGION,
        name,
        logging: loggingRead(s.logging),
      };
      if (s.inScope !== undefined) b.inScope = s.inScope;
      return b;
    });
    const targets = new Set<string>();
    for (const b of buckets) if (b.logging.status === "ok" && b.logging.value) targets.add(`${b.account}/${b.logging.value.targetBucket}`);
    this.specs.forEach(([, s], i) => {
      const b = buckets[i] as BucketSnapshot;
      if (s.facts === false) return;
      if (s.facts !== undefined || targets.has(`${b.account}/${b.name}`)) b.targetFacts = { ...healthyFacts(b.name, b.account), ...(s.facts ?? {}) };
    });
    const accounts = [...new Set(buckets.map((b) => b.account).concat(ACCOUNT))];
    const snapshot: Snapshot = {
      kind: "s3-log-auditor-snapshot",
      schemaVersion: 1,
      tool: { name: "s3-log-auditor", version: "test" },
      startedAt: "2026-01-01T00:00:00.000Z",
      finishedAt: "2026-01-01T00:00:01.000Z",
      partition: this.partition,
      scope: { accounts, regions: this.regions, ...(this.bucketGlobs ? { bucketGlobs: this.bucketGlobs } : {}) },
      accounts: accounts.map((id) => ({ id, status: "ok" as const, regions: [...new Set(buckets.filter((b) => b.account === id).map((b) => b.region))] })),
      buckets,
      externalTargets: this.externals,
      errors: [],
    };
    return SnapshotSchema.parse(snapshot);
  }
}

export const snap = (): SnapshotBuilder => new SnapshotBuilder();

/** Shorthand: a source logging into `target` with prefix `prefix`. */
export const logsTo = (target: string, prefix = "src/", more: Partial<LoggingSpec> = {}): LoggingSpec => ({ target, prefix, ...more });

/** Run a table of rule cases, one vitest test per case. */
export function ruleTable(rule: Rule, cases: RuleCase[]): void {
  describe(rule.meta.id, () => {
    it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
      expect(checkRuleCase(rule, c)).toEqual([]);
    });
  });
}
