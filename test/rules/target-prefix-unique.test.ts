import rule from "../../rules/target-prefix-unique.js";
import { denied, logsTo, ruleTable, snap } from "./helpers.js";

ruleTable(rule, [
  {
    name: "pass: distinct prefixes",
    snapshot: snap().bucket("a", { logging: logsTo("logs", "a/") }).bucket("b", { logging: logsTo("logs", "b/") }).bucket("logs").build(),
    expect: { a: { status: "pass" }, b: { status: "pass" }, logs: null },
  },
  {
    name: "fail on each source: two sources share target + prefix (simple format)",
    snapshot: snap().bucket("a", { logging: logsTo("logs", "shared/") }).bucket("b", { logging: logsTo("logs", "shared/") }).bucket("logs").build(),
    expect: {
      a: {
        status: "fail",
        message: 'a shares logs prefix "shared/" with b (simple key format)',
        details: { sharedWith: ["b"], sharingSources: 2 },
        intents: [{ kind: "structure-prefix", account: "111122223333", region: "us-east-1", bucket: "a" }],
      },
      b: { status: "fail", details: { sharedWith: ["a"] } },
      logs: null,
    },
  },
  {
    name: "pass: partitioned sources are separated by source bucket in the key",
    snapshot: snap()
      .bucket("a", { logging: logsTo("logs", "shared/", { partitioned: true }) })
      .bucket("b", { logging: logsTo("logs", "shared/", { partitioned: true }) })
      .bucket("c", { logging: logsTo("logs", "shared/") })
      .bucket("logs")
      .build(),
    expect: { a: { status: "pass" }, b: { status: "pass" }, c: { status: "pass" }, logs: null },
  },
  {
    name: "out-of-scope sources count for the group but get no result",
    snapshot: snap().bucket("a", { logging: logsTo("logs", "") }).bucket("hidden", { inScope: false, logging: logsTo("logs", "") }).bucket("logs").build(),
    expect: { a: { status: "fail", details: { sharedWith: ["hidden"] } }, logs: null },
  },
  {
    name: "same target name in another account is a different bucket",
    snapshot: snap()
      .bucket("a", { logging: logsTo("logs", "x/") })
      .bucket("logs")
      .bucket("b", { account: "444455556666", logging: logsTo("logs", "x/") })
      .bucket("logs2", { account: "444455556666" })
      .build(),
    partial: true,
    expect: { "111122223333/a": { status: "pass" }, "444455556666/b": { status: "pass" } },
  },
  {
    name: "long groups list at most 20 others",
    snapshot: (() => {
      const s = snap().bucket("logs");
      for (let i = 0; i < 30; i++) s.bucket(`s${String(i).padStart(2, "0")}`, { logging: logsTo("logs", "") });
      return s.build();
    })(),
    partial: true,
    expect: { s00: { status: "fail", message: /and 9 more/, details: { sharingSources: 30 } } },
  },
  {
    name: "error: logging unreadable",
    snapshot: snap().bucket("a", { logging: denied("GetBucketLogging") }).build(),
    expect: { a: { status: "error" } },
  },
]);
