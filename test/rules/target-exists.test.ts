import rule from "../../rules/target-exists.js";
import { denied, logsTo, ruleTable, snap } from "./helpers.js";

ruleTable(rule, [
  {
    name: "pass: owned target, self target, foreign target (exists)",
    snapshot: snap()
      .bucket("a", { logging: logsTo("logs") })
      .bucket("b", { logging: logsTo("b") })
      .bucket("c", { logging: logsTo("theirs") })
      .bucket("logs")
      .external("theirs", "foreign", { region: "us-east-1" })
      .build(),
    expect: { a: { status: "pass" }, b: { status: "pass" }, c: { status: "pass" }, logs: null },
  },
  {
    name: "fail: target does not exist",
    snapshot: snap().bucket("a", { logging: logsTo("gone", "a/") }).external("gone", "missing").build(),
    expect: {
      a: { status: "fail", message: "a logs into gone, which does not exist", details: { target: "gone", prefix: "a/" }, intents: ["use-log-bucket"] },
    },
  },
  {
    name: "error: HeadBucket failed",
    snapshot: snap().bucket("a", { logging: logsTo("maybe") }).external("maybe", "error", { error: denied("HeadBucket", "InternalError") }).build(),
    expect: { a: { status: "error", message: /HeadBucket failed: InternalError/, details: { operation: "HeadBucket", code: "InternalError" } } },
  },
  {
    name: "error: target not collected; logging unreadable",
    snapshot: snap().bucket("a", { logging: logsTo("ghost") }).bucket("b", { logging: denied("GetBucketLogging") }).build(),
    expect: { a: { status: "error", details: { code: "TargetNotCollected" } }, b: { status: "error", details: { operation: "GetBucketLogging" } } },
  },
]);
