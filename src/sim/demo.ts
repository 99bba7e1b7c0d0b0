/**
 * The built-in demo organization: what a newcomer sees first (`s3-log-auditor demo`).
 *
 * Accounts: management 111111111111, production 222222222222, development 333333333333,
 * analytics 444444444444 (all ACTIVE, each with OrganizationAccountAccessRole trusting the
 * management account), and 555555555555 "legacy-sandbox", SUSPENDED (listed, not scanned).
 * Regions: us-east-1, eu-west-1, ap-southeast-2.
 *
 * Which bucket exercises which rule of spec §3 (F = fails, P = passes):
 *   logging-enabled               F demo-prod-no-logging, demo-dev-scratch
 *                                 P demo-prod-web-assets (and every other source); central log buckets are exempt
 *   target-not-source             F demo-loop-self-prod-audit (logs into itself)
 *                                 P demo-prod-web-assets
 *   no-logging-cycle              F demo-loop2-a-… <-> demo-loop2-b-… (two-bucket cycle);
 *                                   demo-loop3-a-… -> b -> c -> a (three-bucket cycle, development)
 *                                 P demo-prod-orders
 *   target-exists                 F demo-prod-deleted-target (-> demo-deleted-log-bucket-222222222222, no such bucket)
 *                                 P demo-prod-orders
 *   target-same-account           F demo-prod-xacct-target (-> demo-logs-333333333333-us-east-1, development's)
 *                                 P demo-dev-sandbox
 *   target-same-region            F demo-prod-cross-region (us-east-1 -> demo-logs-222222222222-eu-west-1)
 *                                 P demo-prod-eu-customers
 *   delivery-permitted            F demo-prod-eu-deny-source (target policy Denies PutObject unless aws:kms),
 *                                   demo-prod-eu-no-grant-source (target has no policy and no ACL grant),
 *                                   demo-prod-unlisted-source (central policy's aws:SourceArn list omits it)
 *                                 P demo-prod-web-assets (policy), demo-prod-eu-legacy-acl-source (ACL route:
 *                                   ObjectWriter + LogDelivery WRITE/READ_ACP)
 *   target-grants-compatible      F demo-prod-eu-grants-source (TargetGrants, target BucketOwnerEnforced)
 *                                 P demo-prod-eu-legacy-acl-source (TargetGrants, target ObjectWriter)
 *   target-encryption-supported   F demo-prod-kms-target-source (-> demo-target-sse-kms-222222222222)
 *                                 P demo-prod-web-assets (SSE-S3 target)
 *   target-no-object-lock-retention F demo-prod-objlock-source (-> demo-target-object-lock-222222222222, GOVERNANCE 30 d)
 *                                 P demo-prod-web-assets
 *   target-not-requester-pays     F demo-prod-requester-pays-source (-> demo-target-requester-pays-222222222222)
 *                                 P demo-prod-web-assets
 *   target-prefix-structured      F demo-prod-syd-media (empty prefix), demo-prod-syd-reports (prefix "reports", simple)
 *                                 P demo-prod-web-assets; demo-prod-syd-partitioned-noslash (no "/" but partitioned)
 *   target-prefix-unique          F demo-prod-syd-shared-a + demo-prod-syd-shared-b (same target + "shared/", simple)
 *                                 P demo-prod-orders
 *   log-bucket-not-public         F demo-logs-333333333333-us-east-1 (only 2 of 4 Block Public Access settings)
 *                                 P demo-logs-222222222222-us-east-1
 *   log-bucket-retention          F demo-logs-333333333333-eu-west-1 (only an abort-incomplete-upload rule),
 *                                   the loop buckets (no lifecycle at all)
 *                                 P demo-logs-222222222222-us-east-1 (expiration), demo-logs-444444444444-us-east-1 (transition)
 * Central log buckets' policies also carry a DenyInsecureTransport statement, and their lifecycle
 * configurations an abort-incomplete-multipart-upload rule, so fixes can be seen to keep them.
 */
import { denyInsecureTransport, loggingStatement } from "./policies.js";
import type { BucketSpec, Scenario } from "./scenario.js";

export const DEMO_ACCOUNTS = {
  management: "111111111111",
  production: "222222222222",
  development: "333333333333",
  analytics: "444444444444",
  suspended: "555555555555",
} as const;

const EXPIRE_RULE = { ID: "expire-access-logs", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 365 } } as const;
const ABORT_MPU_RULE = { ID: "abort-incomplete-uploads", Status: "Enabled", Filter: {}, AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 } } as const;

/** A well-configured account+Region log bucket. */
function logBucket(account: string, region: string, sources: string[], extra: Partial<BucketSpec> = {}): BucketSpec {
  const name = `demo-logs-${account}-${region}`;
  return {
    name,
    region,
    creationDate: "2024-02-01T08:00:00Z",
    ownership: "BucketOwnerEnforced",
    publicAccessBlock: true,
    encryption: { algorithm: "AES256" },
    lifecycle: [EXPIRE_RULE, ABORT_MPU_RULE],
    policy: {
      Version: "2012-10-17",
      Statement: [denyInsecureTransport(name), loggingStatement(name, account, sources.map((s) => `arn:aws:s3:::${s}`))],
    },
    ...extra,
  };
}

/** A bucket that logs to `target` with prefix `{bucket}/` unless told otherwise. */
function source(name: string, region: string, target: string | null, logging: Partial<NonNullable<BucketSpec["logging"]>> = {}, extra: Partial<BucketSpec> = {}): BucketSpec {
  return {
    name,
    region,
    creationDate: "2024-05-10T10:30:00Z",
    logging: target === null ? null : { targetBucket: target, targetPrefix: `${name}/`, ...logging },
    ...extra,
  };
}

/** A dedicated target bucket with one deliberate problem (hardened otherwise). */
function target(name: string, region: string, account: string, sources: string[], extra: Partial<BucketSpec>): BucketSpec {
  return {
    name,
    region,
    creationDate: "2024-04-02T09:15:00Z",
    publicAccessBlock: true,
    lifecycle: [EXPIRE_RULE],
    policy: { Version: "2012-10-17", Statement: [loggingStatement(name, account, sources.map((s) => `arn:aws:s3:::${s}`))] },
    ...extra,
  };
}

function role(): { name: string } {
  return { name: "OrganizationAccountAccessRole" };
}

/**
 * Log history, for `demo logs …` and the delivery states of `demo --check-delivery` (window 48 h):
 *   delivered  demo-prod-web-assets (EventTime, quirks, gzip archive), demo-prod-orders (simple,
 *              quirks), demo-prod-eu-customers (DeliveryTime), demo-prod-syd-shared-a (prefix shared
 *              with -b), demo-analytics-athena-results, demo-org-cloudtrail-…
 *   stale      demo-analytics-datalake (DeliveryTime), demo-prod-syd-shared-b, demo-dev-eu-api,
 *              demo-prod-kms-target-source (stopped when its target moved to SSE-KMS: cause named)
 *   none       every other logging source, e.g. demo-dev-sandbox (configuration valid) and
 *              demo-prod-eu-deny-source (delivery-permitted fails)
 *   proven     on a second scan against the same running simulator (`sim`), once the clock has
 *              passed the delivery delay: the first scan's GetBucketLogging is in the logs.
 */
function logHistory(): NonNullable<Scenario["logHistory"]> {
  const { management: M } = DEMO_ACCOUNTS;
  return [
    { source: "demo-prod-web-assets", hoursAgo: [50, 26, 3], records: 9, quirks: true, gzip: true },
    { source: "demo-prod-orders", hoursAgo: [30, 6], records: 9, quirks: true },
    { source: "demo-prod-eu-customers", hoursAgo: [20, 2] },
    { source: "demo-prod-syd-shared-a", hoursAgo: [5] },
    { source: "demo-analytics-athena-results", hoursAgo: [12] },
    { source: `demo-org-cloudtrail-${M}`, hoursAgo: [8, 1], gzip: true },
    { source: "demo-analytics-datalake", hoursAgo: [200, 120] },
    { source: "demo-prod-syd-shared-b", hoursAgo: [96] },
    { source: "demo-dev-eu-api", hoursAgo: [75] },
    { source: "demo-prod-kms-target-source", hoursAgo: [100, 98] },
  ];
}

/** The demo scenario (fresh object each call; log-object dates are relative to the simulator's start). */
export function demoScenario(): Scenario {
  const { management: M, production: P, development: D, analytics: A, suspended: S } = DEMO_ACCOUNTS;
  const E1 = "us-east-1";
  const EU = "eu-west-1";
  const SYD = "ap-southeast-2";

  const prodCentralUse1 = `demo-logs-${P}-${E1}`;
  const prodCentralEu = `demo-logs-${P}-${EU}`;
  const prodCentralSyd = `demo-logs-${P}-${SYD}`;
  const devCentralUse1 = `demo-logs-${D}-${E1}`;
  const devCentralEu = `demo-logs-${D}-${EU}`;

  const production: BucketSpec[] = [
    logBucket(P, E1, ["demo-prod-web-assets", "demo-prod-orders"]),
    source("demo-prod-web-assets", E1, prodCentralUse1, { keyFormat: "partitioned", partitionDateSource: "EventTime" }),
    source("demo-prod-orders", E1, prodCentralUse1, { keyFormat: "simple" }, {
      objects: [{ key: "orders/2026/11/order-0001.json", size: 512 }, { key: "orders/2026/11/order-0002.json", size: 498 }],
    }),
    source("demo-prod-no-logging", E1, null),
    source("demo-prod-unlisted-source", E1, prodCentralUse1, { keyFormat: "partitioned" }),
    source("demo-loop-self-prod-audit", E1, "demo-loop-self-prod-audit", { targetPrefix: "self/" }),
    source(`demo-loop2-a-${P}`, E1, `demo-loop2-b-${P}`, { targetPrefix: `demo-loop2-a-${P}/` }),
    source(`demo-loop2-b-${P}`, E1, `demo-loop2-a-${P}`, { targetPrefix: `demo-loop2-b-${P}/` }),
    source("demo-prod-xacct-target", E1, devCentralUse1),
    source("demo-prod-deleted-target", E1, `demo-deleted-log-bucket-${P}`),
    source("demo-prod-cross-region", E1, prodCentralEu),
    source("demo-prod-kms-target-source", E1, `demo-target-sse-kms-${P}`),
    target(`demo-target-sse-kms-${P}`, E1, P, ["demo-prod-kms-target-source"], {
      encryption: { algorithm: "aws:kms", kmsKeyId: `arn:aws:kms:us-east-1:${P}:key/1234abcd-12ab-34cd-56ef-1234567890ab`, bucketKeyEnabled: true },
    }),
    source("demo-prod-objlock-source", E1, `demo-target-object-lock-${P}`),
    target(`demo-target-object-lock-${P}`, E1, P, ["demo-prod-objlock-source"], {
      objectLock: { defaultRetention: { mode: "GOVERNANCE", days: 30 } },
    }),
    source("demo-prod-requester-pays-source", E1, `demo-target-requester-pays-${P}`),
    target(`demo-target-requester-pays-${P}`, E1, P, ["demo-prod-requester-pays-source"], { requestPayment: "Requester" }),

    logBucket(P, EU, ["demo-prod-eu-customers", "demo-prod-eu-grants-source"]),
    source("demo-prod-eu-customers", EU, prodCentralEu, { keyFormat: "partitioned", partitionDateSource: "DeliveryTime" }),
    source("demo-prod-eu-grants-source", EU, prodCentralEu, {
      targetGrants: [{ type: "CanonicalUser", id: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", permission: "READ" }],
    }),
    source("demo-prod-eu-deny-source", EU, `demo-target-policy-deny-${P}`),
    target(`demo-target-policy-deny-${P}`, EU, P, ["demo-prod-eu-deny-source"], {
      policy: {
        Version: "2012-10-17",
        Statement: [
          loggingStatement(`demo-target-policy-deny-${P}`, P, ["arn:aws:s3:::demo-prod-eu-deny-source"]),
          {
            Sid: "DenyUnencryptedObjectUploads",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:PutObject",
            Resource: `arn:aws:s3:::demo-target-policy-deny-${P}/*`,
            Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
          },
        ],
      },
    }),
    source("demo-prod-eu-no-grant-source", EU, `demo-target-no-permission-${P}`),
    target(`demo-target-no-permission-${P}`, EU, P, [], { policy: null }),
    source("demo-prod-eu-legacy-acl-source", EU, `demo-target-legacy-acl-${P}`, {
      targetGrants: [{ type: "CanonicalUser", id: "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be", permission: "READ" }],
    }),
    target(`demo-target-legacy-acl-${P}`, EU, P, [], {
      policy: null,
      ownership: "ObjectWriter",
      aclGrants: [
        { type: "Group", uri: "LogDelivery", permission: "WRITE" },
        { type: "Group", uri: "LogDelivery", permission: "READ_ACP" },
      ],
    }),

    {
      ...logBucket(P, SYD, []),
      policy: {
        Version: "2012-10-17",
        Statement: [
          denyInsecureTransport(prodCentralSyd),
          loggingStatement(prodCentralSyd, P, ["arn:aws:s3:::demo-prod-syd-*"]),
        ],
      },
    },
    source("demo-prod-syd-media", SYD, prodCentralSyd, { targetPrefix: "" }),
    source("demo-prod-syd-reports", SYD, prodCentralSyd, { targetPrefix: "reports" }),
    source("demo-prod-syd-partitioned-noslash", SYD, prodCentralSyd, { targetPrefix: "partitioned-noslash", keyFormat: "partitioned" }),
    source("demo-prod-syd-shared-a", SYD, prodCentralSyd, { targetPrefix: "shared/", keyFormat: "simple" }),
    source("demo-prod-syd-shared-b", SYD, prodCentralSyd, { targetPrefix: "shared/" }),
  ];

  const development: BucketSpec[] = [
    logBucket(D, E1, ["demo-dev-sandbox", "demo-prod-xacct-target"], {
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false },
    }),
    source("demo-dev-sandbox", E1, devCentralUse1),
    source("demo-dev-scratch", E1, null),
    source(`demo-loop3-a-${D}`, E1, `demo-loop3-b-${D}`, { targetPrefix: "from-a/" }),
    source(`demo-loop3-b-${D}`, E1, `demo-loop3-c-${D}`, { targetPrefix: "from-b/" }),
    source(`demo-loop3-c-${D}`, E1, `demo-loop3-a-${D}`, { targetPrefix: "from-c/" }),
    logBucket(D, EU, ["demo-dev-eu-api"], { lifecycle: [ABORT_MPU_RULE] }),
    source("demo-dev-eu-api", EU, devCentralEu, { keyFormat: "partitioned" }),
  ];

  const analytics: BucketSpec[] = [
    logBucket(A, E1, ["demo-analytics-datalake", "demo-analytics-athena-results"], {
      lifecycle: [{ ID: "archive-access-logs", Status: "Enabled", Filter: { Prefix: "" }, Transitions: [{ Days: 90, StorageClass: "GLACIER" }] }, ABORT_MPU_RULE],
    }),
    source("demo-analytics-datalake", E1, `demo-logs-${A}-${E1}`, { keyFormat: "partitioned", partitionDateSource: "DeliveryTime" }, {
      objects: [{ key: "raw/events/part-0000.parquet", size: 1048576 }],
    }),
    source("demo-analytics-athena-results", E1, `demo-logs-${A}-${E1}`, { keyFormat: "partitioned" }),
    logBucket(A, SYD, ["demo-analytics-syd-ml"]),
    source("demo-analytics-syd-ml", SYD, `demo-logs-${A}-${SYD}`, { keyFormat: "partitioned" }),
  ];

  const management: BucketSpec[] = [
    logBucket(M, E1, [`demo-org-cloudtrail-${M}`, "demo-org-billing-reports"]),
    source(`demo-org-cloudtrail-${M}`, E1, `demo-logs-${M}-${E1}`, { keyFormat: "partitioned" }),
    source("demo-org-billing-reports", E1, `demo-logs-${M}-${E1}`, { keyFormat: "partitioned" }),
  ];

  return {
    name: "demo",
    description: "Built-in demo organization: every rule has failing and passing buckets.",
    logHistory: logHistory(),
    organization: { id: "o-demo1a2b3c4d", managementAccount: M, featureSet: "ALL" },
    accounts: [
      { id: M, name: "management", email: "aws-management@example.com", joinedMethod: "INVITED", joinedTimestamp: "2023-01-10T09:00:00Z", accessKeys: ["AKIADEMOMANAGEMENT01"], roles: [role()], buckets: management },
      { id: P, name: "production", email: "aws-production@example.com", joinedTimestamp: "2023-02-01T09:00:00Z", accessKeys: ["AKIADEMOPRODUCTION01"], roles: [role()], buckets: production },
      { id: D, name: "development", email: "aws-development@example.com", joinedTimestamp: "2023-03-01T09:00:00Z", accessKeys: ["AKIADEMODEVELOPMENT1"], roles: [role()], buckets: development },
      { id: A, name: "analytics", email: "aws-analytics@example.com", joinedTimestamp: "2024-06-01T09:00:00Z", accessKeys: ["AKIADEMOANALYTICS001"], roles: [role()], buckets: analytics },
      {
        id: S,
        name: "legacy-sandbox",
        email: "aws-legacy-sandbox@example.com",
        state: "SUSPENDED",
        joinedTimestamp: "2022-11-01T09:00:00Z",
        roles: [role()],
        buckets: [source("demo-legacy-sandbox-archive", E1, null)],
      },
    ],
  };
}
