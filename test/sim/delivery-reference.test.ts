/**
 * Where and how the simulator delivers logs, case by case against the reference
 * (docs/aws-s3-logging-reference.md): §1.1 target requirements, §1.2 the policy route, §1.3 the ACL
 * route, §1.4 delivery semantics (one source per object, configuration changes), §2.2 key formats
 * (EventTime: one event day per object). Each case is a real configuration, delivered by the
 * simulator's clock and checked through the SDK.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GetBucketLoggingCommand, GetObjectCommand, ListObjectsV2Command, PutBucketLoggingCommand, type S3Client } from "@aws-sdk/client-s3";
import { startSimulator, type BucketSpec, type RunningSim, type Scenario } from "../../src/sim/index.js";
import { creds, oneAccount, s3 } from "./helpers.js";

const A = "210987654321";
const B = "210987654322";
const KEY = "AKIADELIVERYREF00001";
const KEY_B = "AKIADELIVERYREF00002";
const SERVICE = { Service: "logging.s3.amazonaws.com" };

/** A policy with one statement for the logging service (and optional others). */
function policy(...statements: Record<string, unknown>[]): Record<string, unknown> {
  return { Version: "2012-10-17", Statement: statements };
}
const allow = (resource: string, extra: Record<string, unknown> = {}) => ({ Effect: "Allow", Principal: SERVICE, Action: "s3:PutObject", Resource: resource, ...extra });
const logsOf = (name: string) => `arn:aws:s3:::${name}`;

const target = (name: string, extra: Partial<BucketSpec> = {}): BucketSpec => ({ name, region: "us-east-1", policy: policy(allow(`${logsOf(name)}/*`)), ...extra });
const source = (name: string, to: string, logging: Partial<NonNullable<BucketSpec["logging"]>> = {}, region = "us-east-1"): BucketSpec => ({
  name,
  region,
  logging: { targetBucket: to, targetPrefix: `${name}/`, ...logging },
});
const delivery = (group: string, perms: string[]) => perms.map((permission) => ({ type: "Group" as const, uri: group, permission: permission as "WRITE" }));

function scenario(): Scenario {
  const other = oneAccount(B, KEY_B, [target("t-of-b")], { name: "beta", user: "other" });
  return { accounts: [...oneAccount(A, KEY, buckets()).accounts, ...other.accounts] };
}

function buckets(): BucketSpec[] {
  return [
    // §1.2: Resource must cover the key about to be written (TargetPrefix + …).
    target("t-other-prefix", { policy: policy(allow(`${logsOf("t-other-prefix")}/elsewhere/*`)) }),
    source("s-other-prefix", "t-other-prefix"),
    target("t-prefix-scoped", { policy: policy(allow(`${logsOf("t-prefix-scoped")}/s-prefix-scoped/*`)) }),
    source("s-prefix-scoped", "t-prefix-scoped"),
    // §1.2: the object ARN, not the bucket ARN, is what s3:PutObject is authorised on.
    target("t-bucket-arn", { policy: policy(allow(logsOf("t-bucket-arn"))) }),
    source("s-bucket-arn", "t-bucket-arn"),
    // §1.2: aws:SourceArn names the source bucket.
    target("t-source-arn", { policy: policy(allow(`${logsOf("t-source-arn")}/*`, { Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::s-source-arn-ok*" } } })) }),
    source("s-source-arn-ok", "t-source-arn"),
    source("s-source-arn-other", "t-source-arn"),
    // Anyone may write: the service may too.
    target("t-anyone", { policy: policy({ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: `${logsOf("t-anyone")}/*` }) }),
    source("s-anyone", "t-anyone"),
    // A Deny on HTTP requests does not apply: the simulator assumes delivery over TLS (README).
    target("t-deny-http", {
      policy: policy(allow(`${logsOf("t-deny-http")}/*`), { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: `${logsOf("t-deny-http")}/*`, Condition: { Bool: { "aws:SecureTransport": "false" } } }),
    }),
    source("s-deny-http", "t-deny-http"),
    // A Deny on a key the reference cannot decide for the service (aws:PrincipalOrgID): nothing is delivered.
    target("t-deny-org", {
      policy: policy(allow(`${logsOf("t-deny-org")}/*`), { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: `${logsOf("t-deny-org")}/*`, Condition: { StringNotEquals: { "aws:PrincipalOrgID": "o-example12345" } } }),
    }),
    source("s-deny-org", "t-deny-org"),
    // §1.2: no grant at all; an explicit Deny that applies; a condition the simulator does not read.
  { name: "t-nogrant", region: "us-east-1" },
  source("s-nogrant", "t-nogrant"),
  target("t-deny", {
    policy: policy(allow(`${logsOf("t-deny")}/*`), { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: `${logsOf("t-deny")}/*`, Condition: { ArnNotEquals: { "aws:SourceArn": "arn:aws:s3:::other" } } }),
  }),
  source("s-deny", "t-deny"),
  target("t-odd", { policy: policy(allow(`${logsOf("t-odd")}/*`), { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "*", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }) }),
  source("s-odd", "t-odd"),
  // Operator and key names are looked up as the policy language's, not as JavaScript object members.
  target("t-constructor-op", { policy: policy(allow(`${logsOf("t-constructor-op")}/*`), { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "*", Condition: { constructor: { "aws:SourceAccount": "x" } } }) }),
  source("s-constructor-op", "t-constructor-op"),
  target("t-constructor-key", { policy: policy(allow(`${logsOf("t-constructor-key")}/*`), { Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "*", Condition: { StringNotEquals: { constructor: "x" } } }) }),
  source("s-constructor-key", "t-constructor-key"),
  // §1.3: the LogDelivery group needs WRITE and READ_ACP, and ACLs must be enabled.
  { name: "t-acl", region: "us-east-1", ownership: "BucketOwnerPreferred", aclGrants: delivery("LogDelivery", ["WRITE", "READ_ACP"]) },
  source("s-acl", "t-acl"),
    { name: "t-acl-write-only", region: "us-east-1", ownership: "ObjectWriter", aclGrants: delivery("LogDelivery", ["WRITE"]) },
    source("s-acl-write-only", "t-acl-write-only"),
    { name: "t-acl-full", region: "us-east-1", ownership: "ObjectWriter", aclGrants: delivery("LogDelivery", ["FULL_CONTROL"]) },
    source("s-acl-full", "t-acl-full"),
    { name: "t-acl-no-controls", region: "us-east-1", ownership: null, aclGrants: delivery("LogDelivery", ["WRITE", "READ_ACP"]) },
    source("s-acl-no-controls", "t-acl-no-controls"),
    // §1.1: default encryption SSE-S3 only (not SSE-KMS, not DSSE-KMS); no Requester Pays; no Object Lock default retention.
  target("t-kms", { encryption: { algorithm: "aws:kms" } }),
  source("s-kms", "t-kms"),
  target("t-payer", { requestPayment: "Requester" }),
  source("s-payer", "t-payer"),
  target("t-lock", { objectLock: { defaultRetention: { mode: "GOVERNANCE", days: 1 } } }),
  source("s-lock", "t-lock"),
    target("t-dsse", { encryption: { algorithm: "aws:kms:dsse" } }),
    source("s-dsse", "t-dsse"),
    target("t-no-encryption", { encryption: null }),
    source("s-no-encryption", "t-no-encryption"),
    // §1.1: Object Lock without default retention is the docs' conflict; the simulator delivers (README).
    target("t-lock-no-retention", { objectLock: {} }),
    source("s-lock-no-retention", "t-lock-no-retention"),
    // §1.1: same Region, same account.
    target("t-west", { region: "us-west-2" }),
    source("s-east-to-west", "t-west"),
    source("s-to-b", "t-of-b"),
    // §1.4: one source per log object, also under one shared prefix.
    target("t-shared"),
    source("s-shared-1", "t-shared", { targetPrefix: "all/" }),
    source("s-shared-2", "t-shared", { targetPrefix: "all/" }),
    // §1.4: a configuration change; §2.2: EventTime and DeliveryTime around midnight UTC.
    target("t-old"),
    target("t-new"),
    source("s-moves", "t-old"),
    target("t-days"),
    source("s-event", "t-days", { keyFormat: "partitioned", partitionDateSource: "EventTime" }),
    source("s-delivery", "t-days", { keyFormat: "partitioned", partitionDateSource: "DeliveryTime" }),
    // A target deleted after logging was configured.
    target("t-deleted"),
    source("s-to-deleted", "t-deleted"),
  ];
}

let sim: RunningSim;
let client: S3Client;
beforeAll(async () => {
  sim = await startSimulator({ scenario: scenario(), logDelayMs: 0, logIntervalMs: 0 });
  client = s3(sim, "us-east-1", creds(KEY));
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.setLogDelivery({ delayMs: 0, intervalMs: 0 });
  sim.deliverLogs();
});

/** Every key under `prefix` of `bucket`, as account A (or B) sees it. */
async function keys(bucket: string, prefix = "", c: S3Client = client): Promise<string[]> {
  const out = await c.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((o) => o.Key as string);
}

async function lines(bucket: string, key: string): Promise<string[]> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await out.Body!.transformToString()).trimEnd().split("\n");
}

/** One request to `name` (logged if it logs), then a delivery round. */
async function touch(name: string, c: S3Client = client): Promise<void> {
  await c.send(new GetBucketLoggingCommand({ Bucket: name }));
  sim.deliverLogs();
}

/** The sources whose target refuses delivery, by the simulator's reason (the scenario says why, per case). */
const REFUSED: Record<string, string[]> = {
  "no-grant": ["s-nogrant", "s-other-prefix", "s-bucket-arn", "s-source-arn-other", "s-acl-write-only"],
  "policy-denies": ["s-deny"],
  "policy-undecidable": ["s-odd", "s-deny-org", "s-constructor-op", "s-constructor-key"],
  encryption: ["s-kms", "s-dsse"],
  "requester-pays": ["s-payer"],
  "object-lock-retention": ["s-lock"],
  "other-region": ["s-east-to-west"],
};

describe("§1.1–1.3: where the simulator delivers and where it refuses", () => {
  it.each([
    ["s-prefix-scoped", "t-prefix-scoped", "a Resource scoped to the source's prefix"],
    ["s-source-arn-ok", "t-source-arn", "an aws:SourceArn condition naming the source"],
    ["s-anyone", "t-anyone", "an Allow for any principal"],
    ["s-deny-http", "t-deny-http", "a Deny on non-TLS requests only"],
    ["s-acl", "t-acl", "the LogDelivery group with WRITE and READ_ACP (BucketOwnerPreferred)"],
    ["s-acl-full", "t-acl-full", "the LogDelivery group with FULL_CONTROL (ObjectWriter)"],
    ["s-acl-no-controls", "t-acl-no-controls", "the LogDelivery group, bucket without ownership controls (ACLs enabled)"],
    ["s-no-encryption", "t-no-encryption", "no default encryption"],
    ["s-lock-no-retention", "t-lock-no-retention", "Object Lock without default retention"],
  ])("%s → %s delivers (%s)", async (src, to) => {
    await touch(src);
    expect((await keys(to, `${src}/`)).length).toBeGreaterThan(0);
  });

  it.each(Object.entries(REFUSED).flatMap(([reason, sources]) => sources.map((src) => [src, reason] as const)))("%s delivers nothing (%s)", async (src, reason) => {
    const to = sim.state.buckets.get(src)?.logging?.targetBucket as string;
    const before = sim.deliveryStats().refused[reason as "no-grant"] ?? 0;
    await touch(src);
    const west = to === "t-west" ? s3(sim, "us-west-2", creds(KEY)) : client;
    expect(await keys(to, `${src}/`, west)).toEqual([]);
    expect(sim.deliveryStats().refused[reason as "no-grant"]).toBe(before + 1);
  });

  it("refuses a target of another account, though that account's own grant allows the service", async () => {
    const before = sim.deliveryStats().refused["other-account"] ?? 0;
    await touch("s-to-b");
    expect(await keys("t-of-b", "", s3(sim, "us-east-1", creds(KEY_B)))).toEqual([]);
    expect(sim.deliveryStats().refused["other-account"]).toBe(before + 1);
  });

  it("refuses a target deleted after logging was configured, and keeps the source's configuration", async () => {
    expect(sim.state.deleteBucket("t-deleted")).toBe(true);
    const before = sim.deliveryStats().refused["target-missing"] ?? 0;
    await touch("s-to-deleted");
    expect(sim.deliveryStats().refused["target-missing"]).toBe(before + 1);
    const cfg = await client.send(new GetBucketLoggingCommand({ Bucket: "s-to-deleted" }));
    expect(cfg.LoggingEnabled?.TargetBucket).toBe("t-deleted");
  });
});

describe("§1.4: delivery semantics", () => {
  it("writes each source's records into objects of its own, also under a shared prefix (field 2 names one bucket per object)", async () => {
    await client.send(new GetBucketLoggingCommand({ Bucket: "s-shared-1" }));
    await client.send(new GetBucketLoggingCommand({ Bucket: "s-shared-2" }));
    await client.send(new GetBucketLoggingCommand({ Bucket: "s-shared-1" }));
    sim.deliverLogs();
    const all = await keys("t-shared", "all/");
    expect(all.length).toBeGreaterThanOrEqual(2);
    const owners = await Promise.all(all.map(async (k) => new Set((await lines("t-shared", k)).map((l) => l.split(" ")[1]))));
    for (const o of owners) expect(o.size).toBe(1);
    expect(new Set(owners.map((o) => [...o][0]))).toEqual(new Set(["s-shared-1", "s-shared-2"]));
  });

  it("a configuration change sends later requests to the new target; requests batched before it still reach the old one", async () => {
    sim.setLogDelivery({ delayMs: 60_000, intervalMs: 0 });
    const { requestId: before } = (await client.send(new GetBucketLoggingCommand({ Bucket: "s-moves" }))).$metadata;
    await client.send(new PutBucketLoggingCommand({ Bucket: "s-moves", BucketLoggingStatus: { LoggingEnabled: { TargetBucket: "t-new", TargetPrefix: "s-moves/" } } }));
    const { requestId: after } = (await client.send(new GetBucketLoggingCommand({ Bucket: "s-moves" }))).$metadata;
    sim.advanceClock(120_000);
    const text = async (to: string) => (await Promise.all((await keys(to, "s-moves/")).map((k) => lines(to, k)))).flat().join("\n");
    const oldText = await text("t-old");
    const newText = await text("t-new");
    expect(oldText).toContain(` ${before} REST.GET.LOGGING_STATUS `);
    expect(oldText).toContain(" REST.PUT.LOGGING_STATUS ");
    expect(oldText).not.toContain(` ${after} `);
    expect(newText).toContain(` ${after} REST.GET.LOGGING_STATUS `);
    expect(newText).not.toContain(` ${before} `);
  });
});

describe("§2.2: key dates around midnight UTC", () => {
  it("EventTime files one event day per object (time 00-00-00); DeliveryTime files by the delivery's day and time", async () => {
    // Two requests to each source, one minute before and one minute after midnight, batched together.
    sim.setLogDelivery({ delayMs: 0, intervalMs: 600_000 });
    const now = sim.clock.now();
    const midnight = Math.ceil(now / 86_400_000) * 86_400_000;
    sim.advanceClock(midnight - now - 60_000);
    await client.send(new GetBucketLoggingCommand({ Bucket: "s-event" }));
    await client.send(new GetBucketLoggingCommand({ Bucket: "s-delivery" }));
    sim.advanceClock(120_000);
    await client.send(new GetBucketLoggingCommand({ Bucket: "s-event" }));
    await client.send(new GetBucketLoggingCommand({ Bucket: "s-delivery" }));
    sim.advanceClock(600_000);
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const path = (ms: number) => day(ms).replace(/-/g, "/");
    const [before, after] = [midnight - 60_000, midnight + 60_000];

    const event = await keys("t-days", `s-event/${A}/us-east-1/s-event/`);
    expect(event).toHaveLength(2);
    expect(event.map((k) => k.slice(`s-event/${A}/us-east-1/s-event/`.length, -17)).sort()).toEqual(
      [`${path(before)}/${day(before)}-00-00-00`, `${path(after)}/${day(after)}-00-00-00`].sort(),
    );
    for (const k of event) {
      const days = new Set((await lines("t-days", k)).map((l) => /\[(\d\d)\//.exec(l)?.[1]));
      expect(days.size).toBe(1);
    }

    const delivered = await keys("t-days", `s-delivery/${A}/us-east-1/s-delivery/`);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatch(new RegExp(`/${path(after)}/${day(after)}-\\d\\d-\\d\\d-\\d\\d-[0-9A-F]{16}$`));
    expect(await lines("t-days", delivered[0] as string)).toHaveLength(2);
  });
});

describe("settling deliveries (the demo's canary round trip)", () => {
  it("moves the clock just far enough for every request so far to be delivered with the default delay and interval", async () => {
    sim.setLogDelivery({});
    expect(sim.settleDeliveries()).toEqual({ advancedMs: 0, objects: 0 });
    const before = (await keys("t-prefix-scoped", "s-prefix-scoped/")).length;
    await client.send(new GetBucketLoggingCommand({ Bucket: "s-prefix-scoped" }));
    const { advancedMs, objects } = sim.settleDeliveries();
    // Default: a batch closes 5 minutes after its first record and arrives an hour later.
    expect(advancedMs).toBeGreaterThan(3_800_000);
    expect(advancedMs).toBeLessThanOrEqual(3_900_000);
    expect(objects).toBeGreaterThanOrEqual(1);
    expect((await keys("t-prefix-scoped", "s-prefix-scoped/")).length).toBe(before + 1);
  });
});
