import rule from "../../rules/target-same-region.js";
import { denied, logsTo, ruleTable, snap } from "./helpers.js";

ruleTable(rule, [
  {
    name: "pass: same Region; self target",
    snapshot: snap().bucket("a", { logging: logsTo("logs") }).bucket("s", { logging: logsTo("s") }).bucket("logs").build(),
    expect: { a: { status: "pass", details: { region: "us-east-1", targetRegion: "us-east-1" } }, s: { status: "pass" }, logs: null },
  },
  {
    name: "fail: owned target in another Region",
    snapshot: snap().bucket("demo-x", { region: "us-east-1", logging: logsTo("demo-logs") }).bucket("demo-logs", { region: "eu-west-1" }).build(),
    expect: {
      "demo-x": {
        status: "fail",
        message: "demo-x logs into demo-logs (eu-west-1) but is in us-east-1",
        details: { region: "us-east-1", targetRegion: "eu-west-1" },
        intents: ["use-log-bucket"],
      },
      "demo-logs": null,
    },
  },
  {
    name: "fail: foreign target with a known Region",
    snapshot: snap().bucket("a", { logging: logsTo("theirs") }).external("theirs", "foreign", { region: "ap-south-1" }).build(),
    expect: { a: { status: "fail", details: { targetRegion: "ap-south-1" } } },
  },
  {
    name: "no result: foreign target without Region; missing target",
    snapshot: snap()
      .bucket("a", { logging: logsTo("theirs") })
      .external("theirs", "foreign")
      .bucket("b", { logging: logsTo("gone") })
      .external("gone", "missing")
      .build(),
    expect: { a: null, b: null },
  },
  {
    name: "error: existence unknown; logging unreadable; target not collected",
    snapshot: snap()
      .bucket("a", { logging: logsTo("maybe") })
      .external("maybe", "error", { error: denied("HeadBucket", "SlowDown") })
      .bucket("b", { logging: denied("GetBucketLogging") })
      .bucket("c", { logging: logsTo("ghost") })
      .build(),
    expect: { a: { status: "error", details: { code: "SlowDown" } }, b: { status: "error" }, c: { status: "error", details: { code: "TargetNotCollected" } } },
  },
]);
