/**
 * `logs parse s3://…` and `logs summarize s3://…` through the built CLI and the real AWS SDK
 * against the simulator: listing pagination, --since narrowing before download, gzip objects,
 * another account through its role, and a denied GetObject (reported, exit 3).
 */
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startSimulator, type RunningSim } from "../../src/sim/index.js";
import { putObject } from "../../src/sim/state.js";
import { runCli } from "../cli/helpers.js";
import { creds, s3 } from "../sim/helpers.js";
import { ALICE, BOB, line } from "./lines.js";

const LOGS = "central-logs-444455556666";
const MEMBER = "444455556666";
const MEMBER_KEY = "AKIAMEMBER0000000001";

let sim: RunningSim;

function stamp(d: Date): string {
  return d.toISOString().slice(0, 19).replace(/[-T:]/g, "-");
}

function logTime(d: Date): string {
  const m = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][d.getUTCMonth()];
  const p = (n: number) => String(n).padStart(2, "0");
  return `${p(d.getUTCDate())}/${m}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Three records per object: GET by alice, 403 for bob, DELETE by alice. */
function objectBody(t: Date, n: number): string {
  return [
    line({ time: logTime(t), requestId: `R${n}A`, bucket: "app" }),
    line({ time: logTime(t), requestId: `R${n}B`, bucket: "app", requester: BOB, status: "403", error: "AccessDenied", bytes: "243" }),
    line({ time: logTime(t), requestId: `R${n}C`, bucket: "app", operation: "REST.DELETE.OBJECT", status: "204", bytes: "-" }),
  ].join("\n");
}

const DAY0 = Date.UTC(2026, 10, 1); // 2026-11-01

beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    scenario: {
      name: "logs-s3",
      organization: { id: "o-logs000001", managementAccount: "111122223333" },
      accounts: [
        { id: "111122223333", name: "management", buckets: [] },
        {
          id: MEMBER,
          name: "member",
          accessKeys: [MEMBER_KEY],
          roles: [{ name: "OrganizationAccountAccessRole" }],
          buckets: [{ name: LOGS, region: "eu-west-1" }],
        },
      ],
    } as never,
  });
  const bucket = sim.state.buckets.get(LOGS);
  if (!bucket) throw new Error("no log bucket");
  // 1,010 simple-format objects, one per hour from 2026-11-01 (more than one ListObjectsV2 page)
  for (let i = 0; i < 1010; i++) {
    const t = new Date(DAY0 + i * 3_600_000);
    const body = Buffer.from(objectBody(t, i));
    putObject(bucket, `app/${stamp(t)}-${i.toString(16).toUpperCase().padStart(16, "0")}`, body, body.length, t);
  }
  // a non-log object under the prefix, skipped
  putObject(bucket, "app/README.txt", Buffer.from("hello"), 5, new Date(DAY0));
  // partitioned keys with gzip bodies, written through the SDK
  const client = s3(sim, "eu-west-1", creds(MEMBER_KEY));
  for (const d of [1, 2]) {
    const t = new Date(Date.UTC(2026, 11, d));
    const key = `part/${MEMBER}/eu-west-1/data/2026/12/0${d}/${stamp(t)}-GZ${d}`;
    const text = [line({ time: logTime(new Date(t.getTime() + 3_600_000)), bucket: "data", requester: ALICE, requestId: `G${d}` }), line({ time: logTime(new Date(t.getTime() + 7_200_000)), bucket: "data", requester: "-", sigv: "-", requestId: `H${d}` })].join("\n");
    await client.send(new PutObjectCommand({ Bucket: LOGS, Key: key, Body: gzipSync(text) }));
  }
  client.destroy();
});

afterAll(async () => {
  await sim?.close();
});

beforeEach(() => {
  sim.setFaults({});
  sim.resetMetrics();
});

function env(key = MEMBER_KEY): Record<string, string> {
  return { AWS_ACCESS_KEY_ID: key, AWS_ENDPOINT_URL: sim.endpoint };
}

function jsonLines(s: string): Record<string, unknown>[] {
  return s
    .trim()
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("logs parse s3://", () => {
  it("lists every page, reads every log object in key order, skips non-log objects", async () => {
    const r = await runCli(["logs", "parse", `s3://${LOGS}/app/`], { env: env() });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const recs = jsonLines(r.stdout);
    expect(recs).toHaveLength(1010 * 3);
    expect(recs[0]).toMatchObject({ bucket_name: "app", requestdatetime: "2026-11-01T00:00:00Z", requester: ALICE, httpstatus: 200 });
    expect(String(recs[0]?._source)).toMatch(new RegExp(`^s3://${LOGS}/app/2026-11-01-00-00-00-`));
    expect(recs.at(-1)).toMatchObject({ operation: "REST.DELETE.OBJECT", requestdatetime: new Date(DAY0 + 1009 * 3_600_000).toISOString().replace(".000Z", "Z") });
    const m = sim.metrics();
    expect(m.byOperation.ListObjectsV2).toBe(2);
    expect(m.byOperation.GetObject).toBe(1010);
  });

  it("--since / --until narrow by the key time before downloading", async () => {
    const since = new Date(DAY0 + 1000 * 3_600_000).toISOString();
    const r = await runCli(["logs", "parse", `s3://${LOGS}/app/`, "--since", since], { env: env() });
    expect(r.code).toBe(0);
    const recs = jsonLines(r.stdout);
    expect(recs).toHaveLength(10 * 3);
    expect(recs.every((x) => String(x.requestdatetime) >= since.replace(".000Z", "Z"))).toBe(true);
    // objects delivered an hour or more before --since were never fetched
    expect(sim.metrics().byOperation.GetObject).toBeLessThanOrEqual(12);
    const u = await runCli(["logs", "parse", `s3://${LOGS}/app/`, "--until", new Date(DAY0 + 2 * 3_600_000).toISOString()], { env: env() });
    expect(jsonLines(u.stdout)).toHaveLength(3 * 3);
  });

  it("reads gzip objects and partitioned keys", async () => {
    const r = await runCli(["logs", "parse", `s3://${LOGS}/part/`], { env: env() });
    expect(r.code).toBe(0);
    const recs = jsonLines(r.stdout);
    expect(recs.map((x) => x.requestid)).toEqual(["G1", "H1", "G2", "H2"]);
    expect(recs[1]).toMatchObject({ requester: null, sigv: null, bucket_name: "data" });
  });

  it("reaches a log bucket of another account through the role (--account)", async () => {
    const r = await runCli(["logs", "parse", `s3://${LOGS}/part/`, "--account", MEMBER], { env: env("AKIATESTTESTTESTTEST") });
    expect(r.stderr).toBe("");
    expect(jsonLines(r.stdout)).toHaveLength(4);
    expect(sim.metrics().byOperation.AssumeRole).toBeGreaterThanOrEqual(1);
  });

  it("a denied GetObject is reported with the object, the rest is read, exit 3", async () => {
    sim.setFaults({ rules: [{ effect: "deny", operation: "GetObject", times: 1 }] });
    const r = await runCli(["logs", "parse", `s3://${LOGS}/part/`], { env: env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`^could not read s3://${LOGS}/part/${MEMBER}/eu-west-1/data/2026/12/0[12]/\\S+: GetObject AccessDenied: `, "m"));
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(jsonLines(r.stdout)).toHaveLength(2);
  });

  it("a denied listing is reported, exit 3", async () => {
    sim.setFaults({ rules: [{ effect: "deny", operation: "ListObjectsV2" }] });
    const r = await runCli(["logs", "parse", `s3://${LOGS}/part/`], { env: env() });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(new RegExp(`could not read s3://${LOGS}/part/: ListObjectsV2 AccessDenied`));
    expect(r.stdout).toBe("");
  });

  it("a bucket the caller cannot see: GetBucketLocation AccessDenied, exit 3", async () => {
    const r = await runCli(["logs", "parse", `s3://${LOGS}/part/`], { env: env("AKIATESTTESTTESTTEST") });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/GetBucketLocation AccessDenied/);
  });
});

describe("logs summarize s3://", () => {
  it("summarizes every page of objects: counts, 403s, deletions, time range", async () => {
    const r = await runCli(["logs", "summarize", `s3://${LOGS}/`, "--format", "json"], { env: env() });
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout) as {
      totals: { inputs: number; records: number; skippedNotLogs: number };
      overall: { records: number; timeRange: { first: string; last: string }; forbidden: { total: number; byRequester: { value: string; count: number }[] }; deletions: { total: number }; anonymous: { total: number } };
      buckets: Record<string, { records: number }>;
    };
    expect(s.totals).toMatchObject({ inputs: 1012, records: 1010 * 3 + 4, skippedNotLogs: 1 });
    expect(s.overall.forbidden).toMatchObject({ total: 1010, byRequester: [{ value: BOB, count: 1010 }] });
    expect(s.overall.deletions.total).toBe(1010);
    expect(s.overall.anonymous.total).toBe(2);
    expect(s.overall.timeRange.first).toBe("2026-11-01T00:00:00Z");
    expect(Object.keys(s.buckets)).toEqual(["app", "data"]);
    expect(s.buckets.data?.records).toBe(4);
  });

  it("with a denied GetObject: the summary of the rest, the failure listed, exit 3", async () => {
    sim.setFaults({ rules: [{ effect: "deny", operation: "GetObject", times: 1 }] });
    const r = await runCli(["logs", "summarize", `s3://${LOGS}/part/`, "--format", "json"], { env: env() });
    expect(r.code).toBe(3);
    const s = JSON.parse(r.stdout) as { failures: { operation: string; code: string }[]; overall: { records: number } };
    expect(s.failures).toEqual([expect.objectContaining({ operation: "GetObject", code: "AccessDenied", kind: "aws" })]);
    expect(s.overall.records).toBe(2);
  });
});
