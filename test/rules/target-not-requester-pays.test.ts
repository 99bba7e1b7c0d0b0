import rule from "../../rules/target-not-requester-pays.js";
import { denied, logsTo, ok, ruleTable, snap } from "./helpers.js";

ruleTable(rule, [
  { name: "pass: bucket owner pays", snapshot: snap().bucket("app", { logging: logsTo("logs") }).bucket("logs").build(), expect: { app: { status: "pass", details: { payer: "BucketOwner" } }, logs: null } },
  {
    name: "fail: Requester Pays",
    snapshot: snap().bucket("app", { logging: logsTo("logs") }).bucket("logs", { facts: { requestPayment: ok("Requester" as const) } }).build(),
    expect: { app: { status: "fail", message: "app logs into logs, which has Requester Pays enabled", details: { payer: "Requester" }, intents: ["use-log-bucket"] } },
  },
  {
    name: "error: read failed",
    snapshot: snap().bucket("app", { logging: logsTo("logs") }).bucket("logs", { facts: { requestPayment: denied("GetBucketRequestPayment", "Throttling") } }).build(),
    expect: { app: { status: "error", details: { operation: "GetBucketRequestPayment", code: "Throttling" } } },
  },
  {
    name: "no result: target missing",
    snapshot: snap().bucket("app", { logging: logsTo("gone") }).external("gone", "missing").build(),
    expect: { app: null },
  },
]);
