/** The demo's log history: real-format records in each source's key format, deterministic, with §5.6 quirks and gzip copies. */
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { startSimulator, type RunningSim } from "../../src/sim/index.js";
import { PROD_KEY, creds, s3 } from "./helpers.js";

const P = "222222222222";
const LOGS = `demo-logs-${P}-us-east-1`;
let sim: RunningSim;
let other: RunningSim;
beforeAll(async () => {
  [sim, other] = await Promise.all([startSimulator({ scenario: "demo" }), startSimulator({ scenario: "demo" })]);
});
afterAll(async () => {
  await Promise.all([sim.close(), other.close()]);
});

async function list(s: RunningSim, bucket: string, prefix: string) {
  const out = await s3(s, "us-east-1", creds(PROD_KEY)).send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
  return out.Contents ?? [];
}
async function get(s: RunningSim, bucket: string, key: string): Promise<Buffer> {
  const out = await s3(s, "us-east-1", creds(PROD_KEY)).send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return Buffer.from(await out.Body!.transformToByteArray());
}

describe("demo log history", () => {
  it("puts each source's objects in its key format, dated hours before the start", async () => {
    const partitioned = await list(sim, LOGS, "demo-prod-web-assets/");
    expect(partitioned.map((o) => o.Key)).toHaveLength(3);
    for (const o of partitioned) expect(o.Key).toMatch(new RegExp(`^demo-prod-web-assets/${P}/us-east-1/demo-prod-web-assets/\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}-00-00-00-[0-9A-F]{16}$`));
    const simple = await list(sim, LOGS, "demo-prod-orders/");
    expect(simple).toHaveLength(2);
    const ages = simple.map((o) => Math.round((sim.clock.now() - o.LastModified!.getTime()) / 3_600_000)).sort((a, b) => a - b);
    expect(ages).toEqual([6, 30]);
  });

  it("writes records of the source only, with 27 fields on ordinary lines and the §5.6 quirks mixed in", async () => {
    const [first] = await list(sim, LOGS, "demo-prod-orders/");
    const text = (await get(sim, LOGS, first!.Key!)).toString("utf8");
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(9);
    for (const l of lines) expect(l.split(" ")[1]).toBe("demo-prod-orders");
    const quirky = [text.includes('a"b.txt HTTP/1.1"'), text.includes("CloudFront Origin Access Identity"), text.includes(' - svc:delivery.logs.amazonaws.com ')];
    expect(quirky).toEqual([true, true, true]);
  });

  it("is the same in every simulator started from the scenario, apart from dates", async () => {
    const strip = (s: string) => s.replace(/\[[^\]]*\]/g, "[]");
    const a = await list(sim, LOGS, "demo-prod-orders/");
    const b = await list(other, LOGS, "demo-prod-orders/");
    expect(strip((await get(sim, LOGS, a[0]!.Key!)).toString())).toBe(strip((await get(other, LOGS, b[0]!.Key!)).toString()));
  });

  it("keeps gzip copies under archive/ that decompress to the delivered object", async () => {
    const gz = await list(sim, LOGS, "archive/demo-prod-web-assets/");
    expect(gz).toHaveLength(3);
    const name = gz[0]!.Key!.split("/").pop()!.replace(/\.gz$/, "");
    const delivered = (await list(sim, LOGS, "demo-prod-web-assets/")).find((o) => o.Key!.endsWith(name))!;
    expect(gunzipSync(await get(sim, LOGS, gz[0]!.Key!)).equals(await get(sim, LOGS, delivered.Key!))).toBe(true);
  });
});
