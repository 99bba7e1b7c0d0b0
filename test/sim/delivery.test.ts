/** Server access log delivery by the simulator: record format, batching, delay, key formats, loops, faults, clock (where it delivers: delivery-reference.test.ts). */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GetBucketLoggingCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { startSimulator, type RunningSim, type Scenario, type BucketSpec } from "../../src/sim/index.js";
import { loggingStatement } from "../../src/sim/policies.js";
import { creds, oneAccount, s3 } from "./helpers.js";

const A = "123456789012";
const KEY = "AKIADELIVERYTEST0001";
const HOUR = 3_600_000;
/** Deliver at the next request: no delay, no batching interval. */
const NOW = { delayMs: 0, intervalMs: 0 };

function grant(target: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Version: "2012-10-17", Statement: [loggingStatement(target, A), ...((extra.more as unknown[]) ?? [])] };
}

const src = (name: string, target: string, extra: Partial<BucketSpec["logging"] & object> = {}): BucketSpec => ({
  name,
  region: "us-east-1",
  logging: { targetBucket: target, targetPrefix: `${name}/`, ...extra },
});

function scenario(): Scenario {
  return oneAccount(A, KEY, [
    { name: "logs", region: "us-east-1", policy: grant("logs") },
    src("app", "logs"),
    src("app-event", "logs", { partitionDateSource: "EventTime" }),
    src("app-delivery", "logs", { partitionDateSource: "DeliveryTime" }),
    { name: "selfish", region: "us-east-1", policy: grant("selfish"), logging: { targetBucket: "selfish", targetPrefix: "" } },
  ]);
}

let sim: RunningSim;
let client: S3Client;
beforeAll(async () => {
  sim = await startSimulator({ scenario: scenario() });
  client = s3(sim, "us-east-1", creds(KEY));
});
afterAll(async () => {
  await sim.close();
});
beforeEach(() => {
  sim.setLogDelivery(NOW);
  sim.deliverLogs();
});

async function keys(bucket: string, prefix: string): Promise<{ Key: string; LastModified: Date }[]> {
  const out = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return (out.Contents ?? []).map((c) => ({ Key: c.Key as string, LastModified: c.LastModified as Date }));
}

async function body(bucket: string, key: string): Promise<string> {
  const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return out.Body!.transformToString();
}

/** Split a record into its fields (the simulator's lines have no quotes inside quoted fields). */
function fields(line: string): string[] {
  return [...line.matchAll(/\[[^\]]*\]|"[^"]*"|\S+/g)].map((m) => m[0]);
}

describe("log records", () => {
  it("writes one 27-field record per request with the caller, request ids, operation and transport", async () => {
    const before = await keys("logs", "app/");
    const res = await client.send(new GetBucketLoggingCommand({ Bucket: "app" }));
    sim.deliverLogs();
    const after = (await keys("logs", "app/")).filter((k) => !before.some((b) => b.Key === k.Key));
    expect(after).toHaveLength(1);
    const key = after[0]!.Key;
    expect(key).toMatch(/^app\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16}$/);
    const lines = (await body("logs", key)).trimEnd().split("\n");
    const mine = lines.map(fields).find((f) => f[5] === res.$metadata.requestId);
    expect(mine).toBeDefined();
    const f = mine!;
    expect(f).toHaveLength(27);
    expect(f[0]).toBe(sim.state.accounts.get(A)!.canonicalId);
    expect(f[1]).toBe("app");
    expect(f[2]).toMatch(/^\[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\]$/);
    expect(f[3]).toBe("127.0.0.1");
    expect(f[4]).toBe(`arn:aws:iam::${A}:user/auditor`);
    expect(f[6]).toBe("REST.GET.LOGGING_STATUS");
    expect(f[7]).toBe("-");
    expect(f[8]).toMatch(/^"GET \/app\/?\?logging.* HTTP\/1\.1"$/);
    expect(f[9]).toBe("200");
    expect(f[10]).toBe("-");
    expect(Number(f[11])).toBeGreaterThan(0);
    expect(f[16]).toMatch(/^".*aws-sdk-js.*"$/);
    expect(f[18]).toBe(res.$metadata.extendedRequestId);
    expect(f.slice(19, 27)).toEqual(["SigV4", "TLS_AES_128_GCM_SHA256", "AuthHeader", "s3.us-east-1.amazonaws.com", "TLSv1.3", "-", "-", "us-east-1"]);
  });

  it("logs errors too, with their code, and object sizes for object requests", async () => {
    await client.send(new PutObjectCommand({ Bucket: "app", Key: "dir/a b.txt", Body: "hello" }));
    await client.send(new GetObjectCommand({ Bucket: "app", Key: "missing" })).catch(() => undefined);
    sim.deliverLogs();
    const all = await keys("logs", "app/");
    const text = (await Promise.all(all.map((k) => body("logs", k.Key)))).join("");
    const recs = text.trimEnd().split("\n").map(fields);
    const put = recs.find((f) => f[6] === "REST.PUT.OBJECT");
    expect(put?.[7]).toBe("dir/a%20b.txt");
    expect(put?.[12]).toBe("5");
    const miss = recs.find((f) => f[6] === "REST.GET.OBJECT" && f[7] === "missing");
    expect(miss?.[9]).toBe("404");
    expect(miss?.[10]).toBe("NoSuchKey");
  });
});

describe("batching, delay and the clock", () => {
  it("by default holds logs for an hour of simulator time", async () => {
    const fresh = await startSimulator({ scenario: scenario() });
    try {
      const c = s3(fresh, "us-east-1", creds(KEY));
      await c.send(new GetBucketLoggingCommand({ Bucket: "app" }));
      expect(fresh.deliverLogs()).toBe(0);
      expect(fresh.advanceClock(HOUR)).toBe(0);
      expect(fresh.advanceClock(5 * 60_000)).toBe(1);
    } finally {
      await fresh.close();
    }
  });

  it("holds records until the delay has passed on the simulator clock, then writes one object per batch", async () => {
    sim.setLogDelivery({ delayMs: 2 * HOUR, intervalMs: HOUR });
    const before = (await keys("logs", "app/")).length;
    const t0 = sim.clock.now();
    for (let i = 0; i < 3; i++) await client.send(new GetBucketLoggingCommand({ Bucket: "app" }));
    expect(sim.deliverLogs()).toBe(0);
    expect(sim.advanceClock(2 * HOUR)).toBe(0);
    expect(sim.advanceClock(HOUR)).toBeGreaterThanOrEqual(1);
    const now = await keys("logs", "app/");
    expect(now.length).toBe(before + 1);
    const newest = now.at(-1)!;
    expect(newest.LastModified.getTime()).toBeGreaterThanOrEqual(Math.floor((t0 + 3 * HOUR) / 1000) * 1000 - 1000);
    expect((await body("logs", newest.Key)).trimEnd().split("\n").length).toBeGreaterThanOrEqual(3);
  });

  it("advances over the loopback control endpoint for a simulator in its own process", async () => {
    sim.setLogDelivery({ ...NOW, delayMs: HOUR });
    await client.send(new GetBucketLoggingCommand({ Bucket: "app" }));
    const bad = await fetch(`${sim.endpoint}/_sim/clock/advance?ms=-5`, { method: "POST" });
    expect(bad.status).toBe(400);
    const before = sim.deliveryStats().objects;
    const res = await fetch(`${sim.endpoint}/_sim/clock/advance?ms=${HOUR}`, { method: "POST" });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { now: string; delivery: { objects: number } };
    expect(out.delivery.objects).toBeGreaterThan(before);
    const clock = (await (await fetch(`${sim.endpoint}/_sim/clock`)).json()) as { offsetMs: number };
    expect(clock.offsetMs).toBeGreaterThanOrEqual(HOUR);
  });
});

describe("key formats", () => {
  it("partitions by event day (time 00-00-00) or by delivery time", async () => {
    await client.send(new GetBucketLoggingCommand({ Bucket: "app-event" }));
    await client.send(new GetBucketLoggingCommand({ Bucket: "app-delivery" }));
    sim.deliverLogs();
    const ev = await keys("logs", "app-event/");
    const dl = await keys("logs", "app-delivery/");
    expect(ev.at(-1)!.Key).toMatch(new RegExp(`^app-event/${A}/us-east-1/app-event/\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}-00-00-00-[0-9A-F]{16}$`));
    expect(dl.at(-1)!.Key).toMatch(new RegExp(`^app-delivery/${A}/us-east-1/app-delivery/\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-[0-9A-F]{16}$`));
    const [, y, m, d, day] = /\/(\d{4})\/(\d{2})\/(\d{2})\/(\d{4}-\d{2}-\d{2})/.exec(dl.at(-1)!.Key)!;
    expect(`${y}-${m}-${d}`).toBe(day);
  });
});

describe("a bucket that logs into itself", () => {
  it("grows by one object per delivery round (each delivery write is logged), and each round ends", async () => {
    await client.send(new GetBucketLoggingCommand({ Bucket: "selfish" }));
    sim.deliverLogs();
    const counts: number[] = [];
    for (let i = 0; i < 4; i++) counts.push(sim.deliverLogs());
    expect(counts).toEqual([1, 1, 1, 1]);
    const all = await keys("selfish", "");
    // 1 object for the GetBucketLogging, 4 rounds, and the listing request itself runs one more round.
    expect(all).toHaveLength(6);
    const bodies = await Promise.all(all.map((k) => body("selfish", k.Key)));
    const writes = bodies.filter((b) => b.includes(" svc:logging.s3.amazonaws.com ") && b.includes(" REST.PUT.OBJECT "));
    expect(writes).toHaveLength(5);
  });
});

describe("delivery faults", () => {
  it("drops or delays the matching deliveries", async () => {
    sim.setLogDelivery({ ...NOW, faults: [{ effect: "drop", source: "app" }, { effect: "delay", source: "app-event", delayMs: HOUR }] });
    const dropped = sim.deliveryStats().dropped;
    const n = (await keys("logs", "app/")).length;
    const nEvent = (await keys("logs", "app-event/")).length;
    await client.send(new GetBucketLoggingCommand({ Bucket: "app" }));
    await client.send(new GetBucketLoggingCommand({ Bucket: "app-event" }));
    sim.deliverLogs();
    expect((await keys("logs", "app/")).length).toBe(n);
    expect(sim.deliveryStats().dropped).toBe(dropped + 1);
    expect((await keys("logs", "app-event/")).length).toBe(nEvent);
    sim.advanceClock(HOUR);
    expect((await keys("logs", "app-event/")).length).toBe(nEvent + 1);
  });
});
