import rule from "../../rules/target-not-source.js";
import { denied, logsTo, ruleTable, snap } from "./helpers.js";

ruleTable(rule, [
  {
    name: "pass: logs into another bucket; the log bucket itself has logging off → no result",
    snapshot: snap().bucket("app", { logging: logsTo("logs") }).bucket("logs").build(),
    expect: { app: { status: "pass", details: { target: "logs" } }, logs: null },
  },
  {
    name: "fail: logs into itself",
    snapshot: snap().bucket("app", { logging: logsTo("app", "self/") }).build(),
    expect: {
      app: {
        status: "fail",
        message: 'app logs into itself (prefix "self/")',
        details: { target: "app", prefix: "self/" },
        intents: ["use-log-bucket"],
        fixable: true,
      },
    },
  },
  {
    name: "pass: A→B→A is not a self-loop (no-logging-cycle's business)",
    snapshot: snap().bucket("a", { logging: logsTo("b") }).bucket("b", { logging: logsTo("a") }).build(),
    expect: { a: { status: "pass" }, b: { status: "pass" } },
  },
  {
    name: "error: logging unreadable",
    snapshot: snap().bucket("app", { logging: denied("GetBucketLogging", "RequestTimeout") }).build(),
    expect: { app: { status: "error", details: { operation: "GetBucketLogging", code: "RequestTimeout" } } },
  },
]);
