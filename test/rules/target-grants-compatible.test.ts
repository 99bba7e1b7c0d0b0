import rule from "../../rules/target-grants-compatible.js";
import { absent, denied, logsTo, ok, ruleTable, snap } from "./helpers.js";

const grants = [{ grantee: { type: "CanonicalUser", id: "abc" }, permission: "READ" }];
const withOwnership = (ownership: unknown) =>
  snap()
    .bucket("app", { logging: logsTo("logs", "app/", { grants }) })
    .bucket("logs", {
      facts: {
        ownership:
          ownership === "absent" ? absent("OwnershipControlsNotFoundError") : ownership === "denied" ? denied("GetBucketOwnershipControls") : ok(ownership as "ObjectWriter"),
      },
    })
    .build();

ruleTable(rule, [
  {
    name: "pass: no TargetGrants (whatever the target)",
    snapshot: snap().bucket("app", { logging: logsTo("ghost") }).build(),
    expect: { app: { status: "pass", details: { targetGrants: 0 } } },
  },
  { name: "pass: grants, ACLs enabled (ObjectWriter)", snapshot: withOwnership("ObjectWriter"), expect: { app: { status: "pass", details: { ownership: "ObjectWriter" } } } },
  { name: "pass: grants, no ownership controls (ACLs active)", snapshot: withOwnership("absent"), expect: { app: { status: "pass", details: { ownership: null } } } },
  {
    name: "fail: grants on a BucketOwnerEnforced target",
    snapshot: withOwnership("BucketOwnerEnforced"),
    expect: {
      app: {
        status: "fail",
        message: "app has 1 TargetGrant(s) but its target logs enforces bucket-owner ownership (ACLs disabled)",
        details: { targetGrants: 1, ownership: "BucketOwnerEnforced" },
        intents: [{ kind: "remove-target-grants", account: "111122223333", region: "us-east-1", bucket: "app" }],
      },
    },
  },
  { name: "error: ownership unreadable", snapshot: withOwnership("denied"), expect: { app: { status: "error", details: { operation: "GetBucketOwnershipControls" } } } },
  {
    name: "error: logging unreadable; no result: logging off",
    snapshot: snap().bucket("a", { logging: denied("GetBucketLogging") }).bucket("b").build(),
    expect: { a: { status: "error" }, b: null },
  },
]);
