import rule from "../../rules/target-no-object-lock-retention.js";
import type { ObjectLock, Read } from "../../src/model/snapshot.js";
import { absent, denied, logsTo, ok, ruleTable, snap } from "./helpers.js";

const withLock = (objectLock: Read<ObjectLock>) =>
  snap().bucket("app", { logging: logsTo("logs") }).bucket("logs", { facts: { objectLock } }).build();

ruleTable(rule, [
  { name: "pass: no Object Lock configuration", snapshot: withLock(absent("ObjectLockConfigurationNotFoundError")), expect: { app: { status: "pass", details: { objectLock: false } } } },
  { name: "pass: Object Lock not enabled", snapshot: withLock(ok({ enabled: false })), expect: { app: { status: "pass" } } },
  {
    name: "pass with warning: enabled without default retention",
    snapshot: withLock(ok({ enabled: true })),
    expect: { app: { status: "pass", message: /warning/, details: { objectLock: true, defaultRetention: null } } },
  },
  {
    name: "fail (strictObjectLock): enabled without default retention",
    snapshot: withLock(ok({ enabled: true })),
    options: { strictObjectLock: true },
    expect: { app: { status: "fail", details: { strict: true }, intents: ["use-log-bucket"] } },
  },
  {
    name: "fail: default retention",
    snapshot: withLock(ok({ enabled: true, defaultRetention: { mode: "GOVERNANCE", days: 30 } })),
    expect: {
      app: {
        status: "fail",
        message: "app logs into logs, which has a default Object Lock retention",
        details: { defaultRetention: { mode: "GOVERNANCE", days: 30 } },
        intents: ["use-log-bucket"],
      },
    },
  },
  { name: "error: read denied", snapshot: withLock(denied("GetObjectLockConfiguration")), expect: { app: { status: "error", details: { operation: "GetObjectLockConfiguration" } } } },
  {
    name: "error: source logging unreadable",
    snapshot: snap().bucket("app", { logging: denied("GetBucketLogging") }).build(),
    expect: { app: { status: "error", details: { operation: "GetBucketLogging" } } },
  },
]);
