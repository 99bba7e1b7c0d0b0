import rule from "../../rules/delivery-permitted.js";
import type { FixIntent } from "../../src/engine/define-rule.js";
import type { TargetFacts } from "../../src/model/snapshot.js";
import { ACCOUNT, REGION, absent, allowPolicy, denied, logDeliveryGrant, logsTo, ok, ruleTable, snap } from "./helpers.js";

const policyDoc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allowFor = (sourceArn: string, resource = "arn:aws:s3:::logs/*") => ({
  Sid: "AllowLogs",
  Effect: "Allow",
  Principal: { Service: "logging.s3.amazonaws.com" },
  Action: "s3:PutObject",
  Resource: resource,
  Condition: { ArnLike: { "aws:SourceArn": sourceArn }, StringEquals: { "aws:SourceAccount": ACCOUNT } },
});
const acl = (...grants: ReturnType<typeof logDeliveryGrant>[]) => ok({ ownerId: "o", grants });

const withFacts = (facts: Partial<TargetFacts>, prefix = "app/", partitioned = false) =>
  snap()
    .bucket("app", { logging: logsTo("logs", prefix, { partitioned }) })
    .bucket("logs", { facts })
    .build();

const GRANT: FixIntent = { kind: "grant-delivery", account: ACCOUNT, region: "us-east-1", targetBucket: "logs", sourceBucket: "app", prefix: "app/" };

ruleTable(rule, [
  {
    name: "pass: the recommended statement for this source",
    snapshot: withFacts({ policy: ok(policyDoc(allowFor("arn:aws:s3:::app", "arn:aws:s3:::logs/app/*"))) }),
    expect: {
      app: {
        status: "pass",
        details: { route: "policy", policy: "allow", statement: { sid: "AllowLogs", index: 0 }, resource: "arn:aws:s3:::logs/app/2000-01-01-00-00-00-0123456789ABCDEF" },
      },
    },
  },
  {
    name: "pass: partitioned keys are checked under PREFIX/ACCOUNT/REGION/SOURCE/",
    snapshot: withFacts({ policy: ok(policyDoc(allowFor("arn:aws:s3:::app", `arn:aws:s3:::logs/p/${ACCOUNT}/us-east-1/app/*`))) }, "p/", true),
    expect: { app: { status: "pass" } },
  },
  {
    name: "fail: a statement for another source only, ACLs disabled → grant-delivery",
    snapshot: withFacts({ policy: ok(policyDoc(allowFor("arn:aws:s3:::other"))) }),
    expect: {
      app: {
        status: "fail",
        message: "logs does not permit log delivery from app: its bucket policy does not allow it, and ACLs are disabled (BucketOwnerEnforced)",
        details: { policy: "implicit-deny", acl: "disabled" },
        intents: [GRANT],
        fixable: true,
      },
    },
  },
  {
    name: "fail: no bucket policy, ACLs disabled",
    snapshot: withFacts({ policy: absent("NoSuchBucketPolicy") }),
    expect: { app: { status: "fail", message: /it has no bucket policy/, details: { policy: "none" }, intents: [GRANT] } },
  },
  {
    name: "fail: explicit Deny names the statement and proposes no automatic fix",
    snapshot: withFacts({
      policy: ok(
        policyDoc(allowFor("arn:aws:s3:::app"), {
          Sid: "DenyUnencrypted",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:PutObject",
          Resource: "arn:aws:s3:::logs/*",
          Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } },
        }),
      ),
    }),
    expect: {
      app: {
        status: "fail",
        message: /statement "DenyUnencrypted" \(#1\) explicitly denies/,
        details: { explicitDeny: { sid: "DenyUnencrypted", index: 1 } },
        intents: [],
        manual: [{ kind: "manual-policy-edit", account: ACCOUNT, region: REGION, targetBucket: "logs", sourceBucket: "app", statement: "DenyUnencrypted" }],
        fixable: false,
      },
    },
  },
  {
    name: "pass: ACL route (WRITE + READ_ACP) where ACLs are enabled",
    snapshot: withFacts({ policy: absent("NoSuchBucketPolicy"), ownership: ok("BucketOwnerPreferred" as const), acl: acl(logDeliveryGrant("WRITE"), logDeliveryGrant("READ_ACP")) }),
    expect: { app: { status: "pass", details: { route: "acl", acl: "granted" } } },
  },
  {
    name: "pass: FULL_CONTROL covers both; no ownership controls means ACLs active",
    snapshot: withFacts({ policy: absent("NoSuchBucketPolicy"), ownership: absent("OwnershipControlsNotFoundError"), acl: acl(logDeliveryGrant("FULL_CONTROL")) }),
    expect: { app: { status: "pass", details: { route: "acl" } } },
  },
  {
    name: "fail: WRITE without READ_ACP",
    snapshot: withFacts({ policy: absent("NoSuchBucketPolicy"), ownership: ok("ObjectWriter" as const), acl: acl(logDeliveryGrant("WRITE")) }),
    expect: { app: { status: "fail", details: { acl: "not-granted" }, intents: ["grant-delivery"] } },
  },
  {
    name: "fail: ACL grants LogDelivery but ownership is BucketOwnerEnforced (ACL route does not count)",
    snapshot: withFacts({ policy: absent("NoSuchBucketPolicy"), acl: acl(logDeliveryGrant("WRITE"), logDeliveryGrant("READ_ACP")) }),
    expect: { app: { status: "fail", details: { acl: "disabled" } } },
  },
  {
    name: "pass: policy allows even though the ACL could not be read",
    snapshot: withFacts({ acl: denied("GetBucketAcl") }),
    expect: { app: { status: "pass", details: { route: "policy" } } },
  },
  {
    name: "error: policy does not decide and the ACL could not be read (ACLs enabled)",
    snapshot: withFacts({ policy: absent("NoSuchBucketPolicy"), ownership: ok("ObjectWriter" as const), acl: denied("GetBucketAcl") }),
    expect: { app: { status: "error", details: { operation: "GetBucketAcl", code: "AccessDenied" } } },
  },
  {
    name: "error: ACL grants but ownership could not be read",
    snapshot: withFacts({ policy: absent("NoSuchBucketPolicy"), ownership: denied("GetBucketOwnershipControls"), acl: acl(logDeliveryGrant("FULL_CONTROL")) }),
    expect: { app: { status: "error", details: { operation: "GetBucketOwnershipControls" } } },
  },
  {
    name: "error: policy unreadable",
    snapshot: withFacts({ policy: denied("GetBucketPolicy") }),
    expect: { app: { status: "error", message: /GetBucketPolicy failed: AccessDenied/, details: { operation: "GetBucketPolicy" } } },
  },
  {
    name: "error: malformed policy",
    snapshot: withFacts({ policy: ok("{ nope") }),
    expect: { app: { status: "error", details: { code: "MalformedPolicy" }, message: /not valid JSON/ } },
  },
  {
    name: "error: an undecidable Deny beside an Allow",
    snapshot: withFacts({
      policy: ok(
        policyDoc(allowFor("arn:aws:s3:::app"), {
          Sid: "Odd",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: "arn:aws:s3:::logs/*",
          Condition: { StringEquals: { "aws:RequestedRegion": "eu-west-1" } },
        }),
      ),
    }),
    expect: { app: { status: "error", message: /aws:RequestedRegion/, details: { code: "UndecidableCondition", statement: { sid: "Odd", index: 1 } } } },
  },
  {
    name: "error: only an undecidable Allow and ACLs disabled; pass when the ACL route grants",
    snapshot: snap()
      .bucket("a", { logging: logsTo("l1") })
      .bucket("l1", { facts: { policy: ok(policyDoc({ ...allowFor("arn:aws:s3:::a", "arn:aws:s3:::l1/*"), Condition: { StringEquals: { "aws:Odd": "x" } } })) } })
      .bucket("b", { logging: logsTo("l2") })
      .bucket("l2", {
        facts: {
          policy: ok(policyDoc({ ...allowFor("arn:aws:s3:::b", "arn:aws:s3:::l2/*"), Condition: { StringEquals: { "aws:Odd": "x" } } })),
          ownership: ok("ObjectWriter" as const),
          acl: acl(logDeliveryGrant("FULL_CONTROL")),
        },
      })
      .build(),
    expect: { a: { status: "error", details: { code: "UndecidableCondition" } }, l1: null, b: { status: "pass", details: { route: "acl" } }, l2: null },
  },
  {
    name: "uses the snapshot's partition in ARNs",
    snapshot: snap()
      .withPartition("aws-cn")
      .bucket("app", { logging: logsTo("logs") })
      .bucket("logs", { facts: { policy: ok(allowPolicy("logs").replace("arn:aws:", "arn:aws-cn:")) } })
      .build(),
    expect: { app: { status: "pass", details: { resource: "arn:aws-cn:s3:::logs/src/2000-01-01-00-00-00-0123456789ABCDEF" } } },
  },
  {
    name: "no result: target missing or foreign; logging off",
    snapshot: snap().bucket("m", { logging: logsTo("gone") }).external("gone", "missing").bucket("f", { logging: logsTo("theirs") }).external("theirs", "foreign").bucket("off").build(),
    expect: { m: null, f: null, off: null },
  },
]);
