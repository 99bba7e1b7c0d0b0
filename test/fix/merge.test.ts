/** Merges, state comparison and the journal reader. */
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/base/errors.js";
import { JournalWriter, readJournal } from "../../src/fix/journal.js";
import {
  DELIVERY_SID,
  deliveryStatement,
  hasRetention,
  isOwnDeliveryStatement,
  isOwnRetentionRule,
  mergeRule,
  mergeStatement,
  parsePolicyDocument,
  patchIsNoop,
  retentionRule,
} from "../../src/fix/merge.js";
import { sameState } from "../../src/fix/resources.js";
import { tempDir } from "./helpers.js";

const stmt = (sources: string[]) => deliveryStatement({ partition: "aws", account: "111122223333", targetBucket: "logs", sourceBuckets: sources });

describe("mergeStatement", () => {
  const other = { Sid: "Other", Effect: "Deny", Principal: "*", Action: "s3:DeleteObject", Resource: "arn:aws:s3:::logs/*" };
  const noSid = { Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "s3:GetObject", Resource: "arn:aws:s3:::logs/*" };

  it("creates a policy when there is none", () => {
    expect(mergeStatement(null, stmt(["a"]))).toEqual({ Version: "2012-10-17", Statement: [stmt(["a"])] });
  });

  it("appends, keeping every other statement (and the document's other fields) untouched", () => {
    const doc = { Version: "2008-10-17", Id: "keep-me", Statement: [other, noSid] };
    const merged = mergeStatement(doc, stmt(["a"]));
    expect(merged).toEqual({ Version: "2008-10-17", Id: "keep-me", Statement: [other, noSid, stmt(["a"])] });
    expect(doc.Statement).toHaveLength(2); // input not mutated
  });

  it("replaces only the statement with the same Sid, in place, unioning its source ARNs", () => {
    const merged = mergeStatement({ Statement: [stmt(["old"]), other] }, stmt(["new"]));
    expect(merged.Statement[1]).toEqual(other);
    expect(merged.Statement[0]).toMatchObject({ Sid: DELIVERY_SID, Condition: { ArnLike: { "aws:SourceArn": ["arn:aws:s3:::new", "arn:aws:s3:::old"] } } });
    expect(merged.Statement).toHaveLength(2);
  });

  it("accepts a single Statement object and is a no-op when the sources are already covered", () => {
    const doc = parsePolicyDocument(JSON.stringify({ Version: "2012-10-17", Statement: stmt(["a", "b"]) }))!;
    expect(doc.Statement).toHaveLength(1);
    expect(patchIsNoop({ kind: "policy-statement", statement: stmt(["b"]) }, doc)).toBe(true);
    expect(patchIsNoop({ kind: "policy-statement", statement: stmt(["c"]) }, doc)).toBe(false);
    expect(parsePolicyDocument("[1]")).toBeUndefined();
    expect(parsePolicyDocument("{")).toBeUndefined();
  });
});

describe("mergeStatement replaces only what it provably wrote (issue 10 item 1)", () => {
  const ours = stmt(["a"]);
  const variants: [string, Record<string, unknown>][] = [
    ["a Deny", { ...ours, Effect: "Deny" }],
    ["another action", { ...ours, Action: ["s3:PutObject", "s3:GetObject"] }],
    ["another principal", { ...ours, Principal: { Service: "logging.s3.amazonaws.com", AWS: "arn:aws:iam::111122223333:root" } }],
    ["another resource", { ...ours, Resource: "arn:aws:s3:::logs/other/*" }],
    ["NotAction", { ...ours, NotAction: "s3:DeleteObject" }],
    ["a non-delivery condition", { ...ours, Condition: { ...(ours.Condition as object), Bool: { "aws:SecureTransport": "true" } } }],
    ["an IfExists operator", { ...ours, Condition: { ArnLikeIfExists: { "aws:SourceArn": "arn:aws:s3:::x" } } }],
    ["a set operator", { ...ours, Condition: { "ForAnyValue:StringEquals": { "aws:SourceAccount": "111122223333" } } }],
    ["no condition", { ...ours, Condition: undefined }],
    ["a non-string value", { ...ours, Condition: { StringEquals: { "aws:SourceAccount": 111122223333 } } }],
  ];
  it.each(variants)("keeps a statement with our Sid but %s, and adds ours under a fresh Sid", (_name, theirs) => {
    const st = JSON.parse(JSON.stringify(theirs)) as Record<string, unknown>;
    expect(isOwnDeliveryStatement(st, ours)).toBe(false);
    const merged = mergeStatement({ Statement: [st] }, stmt(["b"]));
    expect(merged.Statement[0]).toEqual(st);
    expect(merged.Statement[1]).toEqual({ ...stmt(["b"]), Sid: `${DELIVERY_SID}2` });
    // merging again finds our own statement (not the user's) and changes nothing
    expect(mergeStatement(merged, stmt(["b"]))).toEqual(merged);
    expect(mergeStatement(merged, stmt(["c"])).Statement[0]).toEqual(st);
  });

  it("widens our own statement under each operator it uses, keeping every value", () => {
    const own = {
      ...ours,
      Condition: {
        ArnEquals: { "aws:SourceArn": ["arn:aws:s3:::x", "arn:aws:s3:::y"] },
        StringLike: { "aws:sourcearn": "arn:aws:s3:::*" },
        StringEquals: { "aws:SourceAccount": "111122223333" },
      },
    };
    expect(isOwnDeliveryStatement(own, ours)).toBe(true);
    const merged = mergeStatement({ Statement: [own] }, stmt(["z"]));
    expect(merged.Statement).toEqual([
      {
        ...own,
        Condition: {
          ArnEquals: { "aws:SourceArn": ["arn:aws:s3:::x", "arn:aws:s3:::y", "arn:aws:s3:::z"] },
          StringLike: { "aws:sourcearn": ["arn:aws:s3:::*", "arn:aws:s3:::z"] },
          StringEquals: { "aws:SourceAccount": "111122223333" },
        },
      },
    ]);
  });

  it("leaves a key unconstrained when our own statement does not constrain it", () => {
    const own = { ...ours, Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } } };
    expect(mergeStatement({ Statement: [own] }, stmt(["z"])).Statement).toEqual([own]);
  });
});

describe("lifecycle merge", () => {
  const tidy = { ID: "tidy", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 3 } };

  it("keeps every rule and replaces only its own by ID", () => {
    const once = mergeRule([tidy], retentionRule(365));
    expect(once).toEqual([tidy, retentionRule(365)]);
    expect(mergeRule(once, retentionRule(90))).toEqual([tidy, retentionRule(90)]);
  });

  it("keeps a user's rule that uses our ID and adds ours under a fresh ID (issue 10 item 1)", () => {
    const scoped = { ID: "s3-log-auditor-expire-logs", Status: "Enabled", Filter: { Prefix: "important/" }, Expiration: { Days: 3650 } };
    const disabled = { ...retentionRule(30), Status: "Disabled" };
    expect(isOwnRetentionRule(scoped)).toBe(false);
    expect(isOwnRetentionRule(disabled)).toBe(false);
    expect(isOwnRetentionRule({ ...retentionRule(30), Transitions: [{ Days: 1, StorageClass: "GLACIER" }] })).toBe(false);
    expect(isOwnRetentionRule({ ID: "s3-log-auditor-expire-logs", Status: "Enabled", Filter: {}, Expiration: { Days: 3 } })).toBe(true);
    const merged = mergeRule([scoped, disabled], retentionRule(365));
    expect(merged).toEqual([scoped, disabled, { ...retentionRule(365), ID: "s3-log-auditor-expire-logs-2" }]);
    expect(mergeRule(merged, retentionRule(90))).toEqual([scoped, disabled, { ...retentionRule(90), ID: "s3-log-auditor-expire-logs-2" }]);
  });

  it("recognises whole-bucket expiration or transition rules only", () => {
    expect(hasRetention(null)).toBe(false);
    expect(hasRetention([tidy])).toBe(false);
    expect(hasRetention([{ ...tidy, Filter: { Prefix: "" } }])).toBe(true);
    expect(hasRetention([{ ...tidy, Filter: {}, Status: "Disabled" }])).toBe(false);
    expect(hasRetention([{ ID: "t", Status: "Enabled", Filter: {}, Transitions: [{ Days: 30, StorageClass: "GLACIER" }] }])).toBe(true);
  });
});

describe("sameState", () => {
  it("compares logging by meaning: implicit vs explicit simple format, grant order", () => {
    const g1 = { grantee: { type: "Group", uri: "u" }, permission: "WRITE" };
    const g2 = { grantee: { type: "CanonicalUser", id: "x" }, permission: "READ" };
    const base = { targetBucket: "t", targetPrefix: "p/", targetGrants: [g1, g2], keyFormat: { type: "simple" }, keyFormatExplicit: false };
    expect(sameState("logging", base, { ...base, keyFormatExplicit: true, targetGrants: [g2, g1] })).toBe(true);
    expect(sameState("logging", base, { ...base, targetPrefix: "q/" })).toBe(false);
    expect(sameState("logging", base, null)).toBe(false);
  });

  it("treats an empty lifecycle as none, and key order as irrelevant", () => {
    expect(sameState("lifecycle", [], null)).toBe(true);
    expect(sameState("policy", { Version: "1", Statement: [{ A: 1, B: 2 }] }, { Statement: [{ B: 2, A: 1 }], Version: "1" })).toBe(true);
    expect(sameState("encryption", { algorithm: "AES256" }, { algorithm: "AES256", bucketKeyEnabled: false })).toBe(true);
    expect(sameState("encryption", { algorithm: "AES256" }, { algorithm: "aws:kms" })).toBe(false);
  });
});

describe("journal", () => {
  it("reads what the writer wrote, tolerates a torn last line, rejects foreign or newer files", async () => {
    const dir = tempDir();
    const path = join(dir, "j.jsonl");
    const w = await JournalWriter.open(path, { command: "fix" });
    const seq = w.write({ stepId: "step-001", account: "111111111111", region: "us-east-1", bucket: "bkt", operation: "PutBucketLogging", resource: "logging", prior: null, intended: null });
    w.result({ seq, stepId: "step-001", outcome: "applied" });
    w.write({ stepId: "step-002", account: "111111111111", region: "us-east-1", bucket: "ckt", operation: "PutBucketPolicy", resource: "policy", prior: null, intended: null });
    w.close();
    appendFileSync(path, '{"type":"wri'); // crash mid-append
    const j = readJournal(path);
    expect(j.headers).toHaveLength(1);
    expect(j.entries.map((e) => [e.write.stepId, e.result?.outcome])).toEqual([
      ["step-001", "applied"],
      ["step-002", undefined],
    ]);

    writeFileSync(join(dir, "v2.jsonl"), `${JSON.stringify({ type: "header", kind: "s3-log-auditor-journal", schemaVersion: 2 })}\n`);
    expect(() => readJournal(join(dir, "v2.jsonl"))).toThrow(/schema version 2 is not supported/);
    writeFileSync(join(dir, "bad.jsonl"), "nope\nnope\n");
    expect(() => readJournal(join(dir, "bad.jsonl"))).toThrow(InputError);
    writeFileSync(join(dir, "empty.jsonl"), "");
    expect(() => readJournal(join(dir, "empty.jsonl"))).toThrow(/not an s3-log-auditor journal/);
  });
});
