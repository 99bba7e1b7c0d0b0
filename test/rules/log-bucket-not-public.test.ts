import rule from "../../rules/log-bucket-not-public.js";
import type { PublicAccessBlock, Read } from "../../src/model/snapshot.js";
import { OTHER_ACCOUNT, absent, denied, logsTo, ok, ruleTable, snap } from "./helpers.js";

const all = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };
const withPab = (publicAccessBlock: Read<PublicAccessBlock>) =>
  snap().bucket("app", { logging: logsTo("logs") }).bucket("logs", { facts: { publicAccessBlock } }).build();

ruleTable(rule, [
  { name: "pass: all four settings on (reported on the log bucket, not the source)", snapshot: withPab(ok(all)), expect: { logs: { status: "pass", details: { sources: 1, missing: [] } }, app: null } },
  {
    name: "fail: some settings off",
    snapshot: withPab(ok({ ...all, blockPublicPolicy: false, restrictPublicBuckets: false })),
    expect: {
      logs: {
        status: "fail",
        message: "log bucket logs does not block public access fully: blockPublicPolicy, restrictPublicBuckets off",
        details: { missing: ["blockPublicPolicy", "restrictPublicBuckets"] },
        intents: [{ kind: "block-public-access", account: "111122223333", region: "us-east-1", bucket: "logs" }],
      },
    },
  },
  { name: "fail: no configuration", snapshot: withPab(absent("NoSuchPublicAccessBlockConfiguration")), expect: { logs: { status: "fail", message: /no Block Public Access configuration/ } } },
  { name: "error: read denied", snapshot: withPab(denied("GetPublicAccessBlock")), expect: { logs: { status: "error", details: { operation: "GetPublicAccessBlock" } } } },
  {
    name: "a self-logging bucket is a log bucket too",
    snapshot: snap().bucket("self", { logging: logsTo("self"), facts: { publicAccessBlock: absent("NoSuchPublicAccessBlockConfiguration") } }).build(),
    expect: { self: { status: "fail" } },
  },
  {
    name: "no result: buckets nobody logs into; error: log bucket facts missing",
    snapshot: snap().bucket("plain").bucket("app", { logging: logsTo("logs") }).bucket("logs", { facts: false }).build(),
    expect: { plain: null, app: null, logs: { status: "error", details: { code: "TargetFactsNotCollected" } } },
  },
  {
    name: "error, never a silent drop: a bucket whose logging cannot be read may log into any bucket of its account+Region",
    snapshot: snap()
      .bucket("src", { logging: denied("GetBucketLogging") })
      .bucket("logs")
      .bucket("far", { region: "eu-west-1" })
      .bucket("theirs", { account: OTHER_ACCOUNT })
      .build(),
    expect: {
      "111122223333/logs": { status: "error", message: /cannot tell whether logs is a log target: the logging configuration of src could not be read \(GetBucketLogging failed: AccessDenied\)/, details: { operation: "GetBucketLogging", code: "AccessDenied", unreadableSources: 1 } },
      "111122223333/src": { status: "error", details: { operation: "GetBucketLogging" } },
      "111122223333/far": null,
      "444455556666/theirs": null,
    },
  },
  {
    name: "a bucket known to be a target from a readable source is evaluated despite an unreadable neighbour",
    snapshot: snap().bucket("app", { logging: logsTo("logs") }).bucket("src", { logging: denied("GetBucketLogging") }).bucket("logs", { facts: { publicAccessBlock: ok(all) } }).build(),
    expect: { logs: { status: "pass" }, src: { status: "error" }, app: { status: "error" } },
  },
  {
    name: "out-of-scope log bucket gets no result",
    snapshot: snap().bucket("app", { logging: logsTo("logs") }).bucket("logs", { inScope: false, facts: { publicAccessBlock: absent("x") } }).build(),
    expect: {},
  },
]);
