import rule from "../../rules/logging-enabled.js";
import { denied, logsTo, ruleTable, snap } from "./helpers.js";

ruleTable(rule, [
  {
    name: "pass: logging enabled",
    snapshot: snap().bucket("app", { logging: logsTo("logs") }).bucket("logs").build(),
    expect: {
      app: { status: "pass", details: { target: "logs", prefix: "src/", keyFormat: "simple" } },
      logs: { status: "pass", details: { exempt: true, sources: 1 } },
    },
  },
  {
    name: "fail: logging disabled, with a use-log-bucket intent",
    snapshot: snap().bucket("app").build(),
    expect: {
      app: {
        status: "fail",
        message: "app has no server access logging",
        fixable: true,
        intents: [{ kind: "use-log-bucket", account: "111122223333", region: "us-east-1", bucket: "app", reason: "logging is disabled" }],
      },
    },
  },
  {
    name: "fail: a log target is not exempt when exemptLogTargets is off",
    snapshot: snap().bucket("app", { logging: logsTo("logs") }).bucket("logs").build(),
    options: { exemptLogTargets: false },
    expect: { app: { status: "pass" }, logs: { status: "fail", details: { exempt: false } } },
  },
  {
    name: "error: logging unreadable names operation and code",
    snapshot: snap().bucket("app", { logging: denied("GetBucketLogging") }).build(),
    expect: {
      app: {
        status: "error",
        message: /GetBucketLogging failed: AccessDenied/,
        details: { operation: "GetBucketLogging", code: "AccessDenied" },
        fixable: false,
      },
    },
  },
  {
    name: "only the known targets are exempt: a bucket only an unreadable bucket may log into fails",
    snapshot: snap().bucket("a", { logging: denied("GetBucketLogging") }).bucket("maybe-logs").build(),
    expect: { a: { status: "error" }, "maybe-logs": { status: "fail" } },
  },
  {
    name: "out-of-scope buckets get no result, but make their target exempt",
    snapshot: snap().bucket("app", { inScope: false, logging: logsTo("logs") }).bucket("logs").build(),
    expect: { logs: { status: "pass", details: { exempt: true } } },
  },
]);
