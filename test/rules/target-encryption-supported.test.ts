import rule from "../../rules/target-encryption-supported.js";
import { absent, denied, logsTo, ok, ruleTable, snap } from "./helpers.js";

const withEnc = (encryption: unknown) =>
  snap()
    .bucket("app", { logging: logsTo("logs") })
    .bucket("logs", {
      facts: {
        encryption:
          encryption === "absent"
            ? absent("ServerSideEncryptionConfigurationNotFoundError")
            : encryption === "denied"
              ? denied("GetBucketEncryption")
              : ok(encryption as { algorithm: string }),
      },
    })
    .build();

ruleTable(rule, [
  { name: "pass: SSE-S3 (AES256)", snapshot: withEnc({ algorithm: "AES256" }), expect: { app: { status: "pass", details: { algorithm: "AES256" } } } },
  { name: "pass: no default encryption configuration", snapshot: withEnc("absent"), expect: { app: { status: "pass", details: { algorithm: null } } } },
  {
    name: "fail: SSE-KMS",
    snapshot: withEnc({ algorithm: "aws:kms", kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k" }),
    expect: {
      app: {
        status: "fail",
        message: "app logs into logs, whose default encryption aws:kms is not supported for log delivery (only SSE-S3)",
        details: { algorithm: "aws:kms", kmsKeyId: "arn:aws:kms:us-east-1:111122223333:key/k" },
        intents: ["use-log-bucket"],
      },
    },
  },
  { name: "fail: DSSE-KMS", snapshot: withEnc({ algorithm: "aws:kms:dsse" }), expect: { app: { status: "fail", details: { algorithm: "aws:kms:dsse" } } } },
  {
    name: "error: GetBucketEncryption denied",
    snapshot: withEnc("denied"),
    expect: { app: { status: "error", message: /GetBucketEncryption failed: AccessDenied/, details: { operation: "GetBucketEncryption", target: "logs" } } },
  },
  {
    name: "error: target facts not collected",
    snapshot: snap().bucket("app", { logging: logsTo("logs") }).bucket("logs", { facts: false }).build(),
    expect: { app: { status: "error", details: { code: "TargetFactsNotCollected" } } },
  },
  {
    name: "no result: logging off, target missing or foreign; error: existence unknown",
    snapshot: snap()
      .bucket("off")
      .bucket("m", { logging: logsTo("gone") })
      .external("gone", "missing")
      .bucket("f", { logging: logsTo("theirs") })
      .external("theirs", "foreign")
      .bucket("e", { logging: logsTo("maybe") })
      .external("maybe", "error", { error: denied("HeadBucket") })
      .build(),
    expect: { off: null, m: null, f: null, e: { status: "error", details: { operation: "HeadBucket" } } },
  },
  {
    name: "self target is evaluated on the bucket's own facts",
    snapshot: snap().bucket("self", { logging: logsTo("self"), facts: { encryption: ok({ algorithm: "aws:kms" }) } }).build(),
    expect: { self: { status: "fail" } },
  },
]);
