import rule from "../../rules/target-prefix-structured.js";
import { denied, logsTo, ruleTable, snap } from "./helpers.js";

ruleTable(rule, [
  {
    name: "pass: simple format with a prefix ending in /; partitioned with any prefix",
    snapshot: snap()
      .bucket("a", { logging: logsTo("logs", "a/") })
      .bucket("b", { logging: logsTo("logs", "", { partitioned: true }) })
      .bucket("c", { logging: logsTo("logs", "c", { partitioned: "DeliveryTime" }) })
      .bucket("logs")
      .build(),
    expect: { a: { status: "pass" }, b: { status: "pass", details: { keyFormat: "partitioned" } }, c: { status: "pass" }, logs: null },
  },
  {
    name: "fail: empty prefix with the simple format",
    snapshot: snap().bucket("a", { logging: logsTo("logs", "") }).bucket("logs").build(),
    expect: {
      a: {
        status: "fail",
        message: "a logs into logs with an empty prefix (simple key format)",
        details: { prefix: "", keyFormat: "simple" },
        intents: [{ kind: "structure-prefix", account: "111122223333", region: "us-east-1", bucket: "a" }],
      },
      logs: null,
    },
  },
  {
    name: "fail: prefix without trailing slash",
    snapshot: snap().bucket("a", { logging: logsTo("logs", "logs-a") }).bucket("logs").build(),
    expect: { a: { status: "fail", message: 'a logs into logs with prefix "logs-a", which does not end in "/"' }, logs: null },
  },
  {
    name: "evaluated even when the target is missing (does not depend on it)",
    snapshot: snap().bucket("a", { logging: logsTo("gone", "x") }).external("gone", "missing").build(),
    expect: { a: { status: "fail" } },
  },
  {
    name: "error: logging unreadable",
    snapshot: snap().bucket("a", { logging: denied("GetBucketLogging") }).build(),
    expect: { a: { status: "error", details: { operation: "GetBucketLogging" } } },
  },
]);
