import rule from "../../rules/no-logging-cycle.js";
import { denied, logsTo, ruleTable, snap } from "./helpers.js";

const A = "111122223333";

ruleTable(rule, [
  {
    name: "pass: a chain into a log bucket; logging-off buckets get no result",
    snapshot: snap().bucket("app", { logging: logsTo("logs") }).bucket("logs").build(),
    expect: { app: { status: "pass" }, logs: null },
  },
  {
    name: "fail: A→B→A, both members, each with its own path; the fix goes to one member",
    snapshot: snap().bucket("a", { logging: logsTo("b") }).bucket("b", { logging: logsTo("a") }).build(),
    expect: {
      a: {
        status: "fail",
        message: "a is on a logging loop of 2 buckets: a → b → a",
        details: { cycle: ["a", "b", "a"], cycleLength: 2, fixBucket: "a" },
        intents: [{ kind: "use-log-bucket", account: A, region: "us-east-1", bucket: "a", reason: "break the logging loop a → b" }],
        fixable: true,
      },
      b: { status: "fail", details: { cycle: ["b", "a", "b"], cycleLength: 2, fixBucket: "a" }, intents: [], fixable: false },
    },
  },
  {
    name: "fail: A→B→C→A, the dedicated log bucket (logged into from outside) is not retargeted",
    snapshot: snap()
      .bucket("a-logs", { logging: logsTo("b") })
      .bucket("b", { logging: logsTo("c") })
      .bucket("c", { logging: logsTo("a-logs") })
      .bucket("d", { logging: logsTo("a-logs") })
      .build(),
    expect: {
      "a-logs": { status: "fail", details: { cycle: ["a-logs", "b", "c", "a-logs"], fixBucket: "b" }, intents: [] },
      b: { status: "fail", details: { cycle: ["b", "c", "a-logs", "b"] }, intents: ["use-log-bucket"] },
      c: { status: "fail", details: { cycle: ["c", "a-logs", "b", "c"] }, intents: [] },
      d: { status: "pass" },
    },
  },
  {
    name: "pass with selfLoop: a bucket logging into itself is target-not-source's alone",
    snapshot: snap().bucket("a", { logging: logsTo("a") }).bucket("b", { logging: logsTo("a") }).build(),
    expect: { a: { status: "pass", details: { selfLoop: true } }, b: { status: "pass" } },
  },
  {
    name: "pass: a chain that enters a cycle without being on it",
    snapshot: snap().bucket("t", { logging: logsTo("x") }).bucket("x", { logging: logsTo("y") }).bucket("y", { logging: logsTo("x") }).build(),
    expect: { t: { status: "pass" }, x: { status: "fail" }, y: { status: "fail" } },
  },
  {
    name: "error: a chain reaches a bucket whose logging could not be read",
    snapshot: snap()
      .bucket("a", { logging: logsTo("b") })
      .bucket("b", { logging: logsTo("c") })
      .bucket("c", { logging: denied("GetBucketLogging") })
      .build(),
    expect: {
      a: { status: "error", message: /reaches c/, details: { unresolved: "c", operation: "GetBucketLogging", code: "AccessDenied" } },
      b: { status: "error", details: { unresolved: "c" } },
      c: { status: "error", message: /another bucket logs into it/ },
    },
  },
  {
    name: "pass: an unreadable bucket that nothing can lead back to cannot be on a cycle",
    snapshot: snap().bucket("lonely", { logging: denied("GetBucketLogging") }).bucket("app", { logging: logsTo("logs") }).bucket("logs").build(),
    expect: { lonely: { status: "pass", message: /no bucket of the account can lead back to it/ }, app: { status: "pass" } },
  },
  {
    name: "error: unreadable bucket in a filtered scan",
    snapshot: snap().bucket("lonely", { logging: denied("GetBucketLogging") }).filtered(["lon*"]).build(),
    expect: { lonely: { status: "error", message: /filtered/ } },
  },
  {
    name: "error: a target that was never collected",
    snapshot: snap().bucket("a", { logging: logsTo("ghost") }).build(),
    expect: { a: { status: "error", details: { unresolved: "ghost", code: "TargetNotCollected" } } },
  },
  {
    name: "pass: target outside the account ends the chain",
    snapshot: snap().bucket("a", { logging: logsTo("gone") }).external("gone", "missing").build(),
    expect: { a: { status: "pass" } },
  },
  {
    name: "cycles through out-of-scope buckets are found; only in-scope members report and get the fix",
    snapshot: snap().bucket("a", { logging: logsTo("b"), inScope: false }).bucket("b", { logging: logsTo("a") }).build(),
    expect: { b: { status: "fail", details: { cycle: ["b", "a", "b"], fixBucket: "b" }, intents: ["use-log-bucket"] } },
  },
  {
    name: "long cycles: exact length, path and message truncated",
    snapshot: (() => {
      const s = snap();
      for (let i = 0; i < 30; i++) s.bucket(`c${String(i).padStart(2, "0")}`, { logging: logsTo(`c${String((i + 1) % 30).padStart(2, "0")}`) });
      return s.build();
    })(),
    partial: true,
    expect: {
      c00: {
        status: "fail",
        message: "c00 is on a logging loop of 30 buckets: c00 → c01 → c02 → c03 → c04 → c05 → c06 → …",
        details: { cycleLength: 30, truncated: true, fixBucket: "c00" },
      },
    },
  },
]);
