import rule from "../../rules/target-same-account.js";
import { denied, logsTo, ruleTable, snap } from "./helpers.js";

ruleTable(rule, [
  {
    name: "pass: owned and self targets",
    snapshot: snap().bucket("a", { logging: logsTo("logs") }).bucket("b", { logging: logsTo("b") }).bucket("logs").build(),
    expect: { a: { status: "pass" }, b: { status: "pass" }, logs: null },
  },
  {
    name: "fail: target owned by another account",
    snapshot: snap().bucket("a", { logging: logsTo("theirs") }).external("theirs", "foreign", { region: "eu-west-1" }).build(),
    expect: {
      a: {
        status: "fail",
        message: "a logs into theirs, which is owned by another account",
        details: { target: "theirs", targetRegion: "eu-west-1" },
        intents: ["use-log-bucket"],
      },
    },
  },
  {
    name: "no result: target missing (target-exists reports it)",
    snapshot: snap().bucket("a", { logging: logsTo("gone") }).external("gone", "missing").build(),
    expect: { a: null },
  },
  {
    name: "error: existence unknown, logging unreadable",
    snapshot: snap()
      .bucket("a", { logging: logsTo("maybe") })
      .external("maybe", "error", { error: denied("HeadBucket") })
      .bucket("b", { logging: denied("GetBucketLogging") })
      .build(),
    expect: { a: { status: "error", details: { operation: "HeadBucket", code: "AccessDenied" } }, b: { status: "error" } },
  },
]);
