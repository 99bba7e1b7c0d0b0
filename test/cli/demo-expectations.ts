/** What the demo organization (src/sim/demo.ts) stages for every rule. */

/**
 * The buckets of the demo's logging loops (one logging into itself, a cycle of two, one of three):
 * as log targets of each other they fail delivery-permitted and log-bucket-retention alike.
 */
const LOOP_BUCKETS = [
    "demo-loop-self-prod-audit",
    "demo-loop2-a-222222222222",
    "demo-loop2-b-222222222222",
    "demo-loop3-a-333333333333",
    "demo-loop3-b-333333333333",
    "demo-loop3-c-333333333333",
];

/** The failing buckets of every rule in the demo organization (see src/sim/demo.ts). */
export const EXPECTED_FAILS: Record<string, string[]> = {
  "logging-enabled": ["demo-dev-scratch", "demo-prod-no-logging"],
  "target-not-source": ["demo-loop-self-prod-audit"],
  "no-logging-cycle": ["demo-loop2-a-222222222222", "demo-loop2-b-222222222222", "demo-loop3-a-333333333333", "demo-loop3-b-333333333333", "demo-loop3-c-333333333333"],
  "target-exists": ["demo-prod-deleted-target"],
  "target-same-account": ["demo-prod-xacct-target"],
  "target-same-region": ["demo-prod-cross-region"],
  "delivery-permitted": [
    ...LOOP_BUCKETS,
    "demo-prod-cross-region",
    "demo-prod-eu-deny-source",
    "demo-prod-eu-no-grant-source",
    "demo-prod-unlisted-source",
  ],
  "target-grants-compatible": ["demo-prod-eu-grants-source"],
  "target-encryption-supported": ["demo-prod-kms-target-source"],
  "target-no-object-lock-retention": ["demo-prod-objlock-source"],
  "target-not-requester-pays": ["demo-prod-requester-pays-source"],
  "target-prefix-structured": ["demo-prod-syd-media", "demo-prod-syd-reports"],
  "target-prefix-unique": ["demo-prod-syd-shared-a", "demo-prod-syd-shared-b"],
  "log-bucket-not-public": ["demo-logs-333333333333-us-east-1"],
  "log-bucket-retention": [
    "demo-logs-333333333333-eu-west-1",
    ...LOOP_BUCKETS,
  ],
};

/** Buckets the demo documents as passing each rule. */
export const EXPECTED_PASSES: Record<string, string[]> = {
  "logging-enabled": ["demo-prod-web-assets", "demo-logs-222222222222-us-east-1"],
  "target-not-source": ["demo-prod-web-assets"],
  "no-logging-cycle": ["demo-prod-orders"],
  "target-exists": ["demo-prod-orders"],
  "target-same-account": ["demo-dev-sandbox"],
  "target-same-region": ["demo-prod-eu-customers"],
  "delivery-permitted": ["demo-prod-web-assets", "demo-prod-eu-legacy-acl-source"],
  "target-grants-compatible": ["demo-prod-eu-legacy-acl-source"],
  "target-encryption-supported": ["demo-prod-web-assets"],
  "target-no-object-lock-retention": ["demo-prod-web-assets"],
  "target-not-requester-pays": ["demo-prod-web-assets"],
  "target-prefix-structured": ["demo-prod-web-assets", "demo-prod-syd-partitioned-noslash"],
  "target-prefix-unique": ["demo-prod-orders"],
  "log-bucket-not-public": ["demo-logs-222222222222-us-east-1"],
  "log-bucket-retention": ["demo-logs-222222222222-us-east-1", "demo-logs-444444444444-us-east-1"],
};

