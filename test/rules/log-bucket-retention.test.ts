import rule, { retentionPrefix } from "../../rules/log-bucket-retention.js";
import type { LifecycleRule, Read } from "../../src/model/snapshot.js";
import { describe, expect, it } from "vitest";
import { absent, denied, logsTo, ok, ruleTable, snap } from "./helpers.js";

const withRules = (rules: LifecycleRule[] | Read<LifecycleRule[]>, prefixes: Array<[string, string, boolean?]> = [["app", "app/"]]) => {
  const s = snap();
  for (const [name, prefix, partitioned] of prefixes) s.bucket(name, { logging: logsTo("logs", prefix, { partitioned: partitioned ?? false }) });
  return s.bucket("logs", { facts: { lifecycle: Array.isArray(rules) ? ok(rules) : rules } }).build();
};
const expire = (over: LifecycleRule = {}): LifecycleRule => ({ ID: "exp", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 90 }, ...over });

ruleTable(rule, [
  { name: "pass: an expiration for everything", snapshot: withRules([expire()]), expect: { logs: { status: "pass", details: { rules: ["exp"] } }, app: null } },
  { name: "pass: expiration by Date", snapshot: withRules([expire({ Expiration: { Date: "2030-01-01T00:00:00.000Z" } })]), expect: { logs: { status: "pass" } } },
  { name: "pass: a transition counts", snapshot: withRules([expire({ Expiration: undefined, Transitions: [{ Days: 30, StorageClass: "GLACIER" }] })]), expect: { logs: { status: "pass" } } },
  { name: "pass: legacy top-level Prefix covering the source prefix", snapshot: withRules([{ ID: "legacy", Status: "Enabled", Prefix: "ap", Expiration: { Days: 10 } }]), expect: { logs: { status: "pass" } } },
  { name: "pass: And.Prefix covering", snapshot: withRules([expire({ Filter: { And: { Prefix: "app/" } } })]), expect: { logs: { status: "pass" } } },
  {
    name: "pass: partitioned source covered by a prefix inside its account/region/source path",
    snapshot: withRules([expire({ Filter: { Prefix: "p/111122223333/us-east-1/app/" } })], [["app", "p/", true]]),
    expect: { logs: { status: "pass" } },
  },
  {
    name: "fail: no lifecycle configuration",
    snapshot: withRules(absent("NoSuchLifecycleConfiguration")),
    expect: {
      logs: {
        status: "fail",
        message: "log bucket logs has no lifecycle configuration: logs are kept forever",
        intents: [{ kind: "add-log-retention", account: "111122223333", region: "us-east-1", bucket: "logs" }],
      },
    },
  },
  { name: "fail: rule disabled", snapshot: withRules([expire({ Status: "Disabled" })]), expect: { logs: { status: "fail", message: /no enabled lifecycle rule/ } } },
  { name: "fail: only a delete-marker cleanup", snapshot: withRules([expire({ Expiration: { ExpiredObjectDeleteMarker: true } })]), expect: { logs: { status: "fail" } } },
  { name: "fail: tag filter (log objects have no tags)", snapshot: withRules([expire({ Filter: { Tag: { Key: "k", Value: "v" } } })]), expect: { logs: { status: "fail" } } },
  { name: "fail: size filter", snapshot: withRules([expire({ Filter: { ObjectSizeGreaterThan: 1024 } })]), expect: { logs: { status: "fail" } } },
  {
    name: "fail: a prefix that covers only some sources",
    snapshot: withRules([expire({ Filter: { Prefix: "a/" } })], [["a", "a/"], ["b", "b/"]]),
    expect: { logs: { status: "fail", message: 'log bucket logs has no lifecycle rule covering the logs under "b/"', details: { uncovered: ["b/"], uncoveredSources: 1 } } },
  },
  { name: "error: read denied", snapshot: withRules(denied("GetBucketLifecycleConfiguration")), expect: { logs: { status: "error", details: { operation: "GetBucketLifecycleConfiguration" } } } },
  {
    name: "error, never a silent drop: the only source's logging cannot be read",
    snapshot: snap().bucket("app", { logging: denied("GetBucketLogging") }).bucket("logs", { facts: false }).bucket("eu-logs", { region: "eu-west-1" }).build(),
    expect: {
      logs: { status: "error", message: /cannot tell whether logs is a log target/, details: { operation: "GetBucketLogging", code: "AccessDenied" } },
      app: { status: "error" },
      "eu-logs": null,
    },
  },
  {
    name: "a Region-unknown unreadable bucket may log into any bucket of its account",
    snapshot: snap().bucket("lost", { region: "unknown", logging: denied("GetBucketLogging") }).bucket("eu-logs", { region: "eu-west-1" }).build(),
    expect: { lost: { status: "error" }, "eu-logs": { status: "error", details: { code: "AccessDenied" } } },
  },
]);

describe("retentionPrefix", () => {
  it("reads the filter forms", () => {
    expect(retentionPrefix(expire({ Filter: {} }))).toBe("");
    expect(retentionPrefix(expire({ Filter: undefined }))).toBe("");
    expect(retentionPrefix(expire({ Filter: { And: { Prefix: "x/", Tags: [{ Key: "a", Value: "b" }] } } }))).toBeUndefined();
    expect(retentionPrefix(expire({ Expiration: { Days: 0 } }))).toBeUndefined();
  });
});
