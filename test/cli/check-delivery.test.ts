/**
 * scan --check-delivery through the built CLI against the simulator, which delivers logs like S3:
 * every delivery state comes from a real configuration, not from a stubbed rule input.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type RunningSim, type Scenario } from "../../src/sim/index.js";
import { ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { runCli, tempDir } from "./helpers.js";

/** Every key under `prefix` of logs2, in key order (through the SDK, all pages). */
async function listAll(endpoint: string, prefix: string): Promise<string[]> {
  const c = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials: { accessKeyId: "AKIATESTTESTTESTTEST", secretAccessKey: "test-secret" } });
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const out = await c.send(new ListObjectsV2Command({ Bucket: "logs2", Prefix: prefix, ...(token ? { ContinuationToken: token } : {}) }));
    keys.push(...(out.Contents ?? []).map((o) => o.Key!));
    token = out.NextContinuationToken;
  } while (token);
  c.destroy();
  return keys;
}

const A = "123456789012";
const HOUR = 3_600_000;

function allow(bucket: string): Record<string, unknown> {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: `arn:aws:s3:::${bucket}/*`, Condition: { StringEquals: { "aws:SourceAccount": A } } }],
  };
}

type Bucket = Scenario["accounts"][number]["buckets"] extends (infer B)[] | undefined ? B : never;

/** A log bucket in us-east-1 that permits delivery from account A and expires its objects. */
function logBucket(name: string, policy = allow(name)): Bucket {
  return { name, region: "us-east-1", policy, lifecycle: [{ ID: "x", Status: "Enabled", Filter: {}, Expiration: { Days: 30 } }] };
}

/** A us-east-1 source logging into `targetBucket` under `targetPrefix` (with a partition date source: partitioned keys). */
function source(name: string, targetBucket: string, targetPrefix: string, partitionDateSource?: "EventTime" | "DeliveryTime"): Bucket {
  return { name, region: "us-east-1", logging: { targetBucket, targetPrefix, ...(partitionDateSource ? { partitionDateSource } : {}) } };
}

/** The one account of these scenarios, with its buckets. */
function solo(buckets: Bucket[]): Scenario["accounts"][number] {
  return { id: A, name: "solo", buckets };
}

function scenario(): Scenario {
  return {
    accounts: [
      solo([
        logBucket("logs"),
        source("shared-a", "logs", "shared/"),
        source("shared-b", "logs", "shared/"),
        source("by-event", "logs", "by-event/", "EventTime"),
        source("by-delivery", "logs", "by-delivery/", "DeliveryTime"),
        logBucket("logs-deny", {
          Version: "2012-10-17",
          Statement: [
            ...(allow("logs-deny").Statement as unknown[]),
            { Sid: "NoServiceWrites", Effect: "Deny", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::logs-deny/*" },
          ],
        }),
        source("to-deny", "logs-deny", "to-deny/"),
      ]),
    ],
    logDelivery: { delayMs: HOUR, intervalMs: 0 },
    logHistory: [
      { source: "shared-a", hoursAgo: [3] },
      { source: "shared-b", hoursAgo: [80] },
    ],
  };
}

interface Finding {
  ruleId: string;
  bucket: string;
  status: string;
  message: string;
  details: Record<string, unknown>;
}
const states = (report: { findings: Finding[] }) =>
  Object.fromEntries(report.findings.filter((f) => f.ruleId === "logs-delivered").map((f) => [f.bucket, f.details.delivery]));

let sim: RunningSim;
const tmp = tempDir();
beforeAll(async () => {
  sim = await startSimulator({ scenario: scenario() });
});
afterAll(async () => {
  await sim.close();
  tmp.cleanup();
});
const env = () => ({ AWS_ENDPOINT_URL: sim.endpoint });

describe("scan --check-delivery", () => {
  it("shows each state from the real configuration, names causes, and proves delivery with the canary on a second run", async () => {
    const first = await runCli(["scan", "--check-delivery", "--include-passed", "--format", "json", "--save-snapshot", tmp.file("run1.json"), "-q"], { env: env() });
    expect(first.stderr).toBe("");
    expect(first.code).toBe(1);
    const r1 = JSON.parse(first.stdout) as { findings: Finding[] };
    expect(states(r1)).toEqual({ "shared-a": "delivered", "shared-b": "stale", "by-event": "none", "by-delivery": "none", "to-deny": "none" });
    const deny = r1.findings.find((f) => f.ruleId === "logs-delivered" && f.bucket === "to-deny")!;
    expect(deny.status).toBe("fail");
    expect(deny.message).toMatch(/delivery-permitted fails: /);
    expect(deny.details.causes).toEqual(["delivery-permitted"]);
    expect(r1.findings.find((f) => f.ruleId === "logs-delivered" && f.bucket === "by-event")!.message).toMatch(/configuration looks valid; check the target's CloudWatch 4xxErrors metrics/);
    const snapshot = JSON.parse(readFileSync(tmp.file("run1.json"), "utf8")) as { buckets: { name: string; canary?: { requestId: string } }[] };
    expect(snapshot.buckets.find((b) => b.name === "by-event")!.canary!.requestId).toMatch(/^SIM/);

    expect(sim.advanceClock(HOUR + 60_000)).toBeGreaterThan(0);
    const second = await runCli(["scan", "--check-delivery", "--since-snapshot", tmp.file("run1.json"), "--include-passed", "--format", "json", "-q"], { env: env() });
    expect(second.stderr).toBe("");
    const r2 = JSON.parse(second.stdout) as { findings: Finding[] };
    expect(states(r2)).toEqual({ "shared-a": "proven", "shared-b": "proven", "by-event": "proven", "by-delivery": "proven", "to-deny": "pending" });
    const proven = r2.findings.find((f) => f.ruleId === "logs-delivered" && f.bucket === "by-delivery")!;
    expect(proven.details.canary).toMatchObject({ found: true });
    expect(String((proven.details.canary as { foundIn: string }).foundIn)).toMatch(new RegExp(`^by-delivery/${A}/us-east-1/by-delivery/\\d{4}/\\d{2}/\\d{2}/`));
  });

  it("every format shows every source's state, passing ones with the newest key and its age (also without --include-passed)", async () => {
    const from = ["scan", "--from-snapshot", tmp.file("run1.json"), "--check-delivery", "-q", "--format"];
    const json = JSON.parse((await runCli([...from, "json"], { env: env() })).stdout) as { findings: Finding[]; buckets: { name: string; delivery?: { state: string; newestKey?: string; newestAge?: string } }[] };
    const byName = Object.fromEntries(json.buckets.filter((b) => b.delivery).map((b) => [b.name, b.delivery!]));
    expect(Object.fromEntries(Object.entries(byName).map(([k, v]) => [k, v.state]))).toEqual({ "shared-a": "delivered", "shared-b": "stale", "by-event": "none", "by-delivery": "none", "to-deny": "none" });
    expect(byName["shared-a"]!.newestKey).toMatch(/^shared\/\d{4}-\d{2}-\d{2}-/);
    expect(byName["shared-a"]!.newestAge).toBe("3 h");
    expect(json.findings.filter((f) => f.status === "pass")).toEqual([]);
    const newest = byName["shared-a"]!.newestKey!;

    const table = (await runCli([...from, "table"], { env: env() })).stdout;
    // The table wraps at 80 columns: compare with the line breaks and indentation folded.
    const folded = table.replace(/\n\s+/g, " ");
    expect(folded).toContain(`shared-a DELIVERY  delivered · newest ${newest} (3 h old)`);
    expect(folded).toContain("to-deny DELIVERY  none · no log object");
    const md = (await runCli([...from, "markdown"], { env: env() })).stdout;
    expect(md).toContain(`| delivered | \`${A}\` | us-east-1 | \`shared-a\` | \`${newest}\` | 3 h |`);
    expect(md).toMatch(/\| stale \| `123456789012` \| us-east-1 \| `shared-b` \| `shared\/.*` \| 3 d \|/);
    const sarif = JSON.parse((await runCli([...from, "sarif"], { env: env() })).stdout) as { runs: { results: { ruleId: string; kind: string; message: { text: string }; properties: { bucket: string; details: { delivery: string } } }[] }[] };
    const results = sarif.runs[0]!.results.filter((r) => r.ruleId === "logs-delivered");
    expect(Object.fromEntries(results.map((r) => [r.properties.bucket, [r.kind, r.properties.details.delivery]]))).toEqual({
      "shared-a": ["pass", "delivered"],
      "shared-b": ["fail", "stale"],
      "by-event": ["fail", "none"],
      "by-delivery": ["fail", "none"],
      "to-deny": ["fail", "none"],
    });
    expect(results.find((r) => r.properties.bucket === "shared-a")!.message.text).toBe(`delivered · newest ${newest} (3 h old)`);
    const junit = (await runCli([...from, "junit"], { env: env() })).stdout;
    expect(junit).toContain(`<testcase name="logs-delivered shared-a" classname="${A}.us-east-1.shared-a" time="0">\n      <system-out>delivered · newest ${newest} (3 h old)</system-out>`);
    expect(junit).toMatch(/<testcase name="logs-delivered to-deny"[^>]*>\n\s+<failure message="none: /);
  });

  it("a denied ListObjectsV2 is an error state, an errors[] entry and exit 3 — never none", async () => {
    sim.setFaults({ rules: [{ effect: "deny", operation: "ListObjectsV2" }] });
    try {
      const r = await runCli(["scan", "--check-delivery", "--format", "json", "-q"], { env: env() });
      expect(r.code).toBe(3);
      const report = JSON.parse(r.stdout) as { findings: Finding[]; errors: { operation: string; code: string; bucket: string }[] };
      expect(new Set(Object.values(states(report)))).toEqual(new Set(["error"]));
      expect(report.errors).toContainEqual(expect.objectContaining({ operation: "ListObjectsV2", code: "AccessDenied", bucket: "logs" }));
    } finally {
      sim.setFaults({});
    }
  });

  it("without --check-delivery: no listing, no object read, no canary in the snapshot, no logs-delivered result", async () => {
    sim.resetMetrics();
    const r = await runCli(["scan", "--format", "json", "--save-snapshot", tmp.file("plain.json"), "-q"], { env: env() });
    const ops = sim.metrics().byOperation;
    expect(ops.ListObjectsV2 ?? 0).toBe(0);
    expect(ops.GetObject ?? 0).toBe(0);
    expect((JSON.parse(r.stdout) as { findings: Finding[] }).findings.filter((f) => f.ruleId === "logs-delivered")).toEqual([]);
    const text = readFileSync(tmp.file("plain.json"), "utf8");
    expect(text).not.toMatch(/"canary"|"delivery"|deliveryWindowHours/);
  });

  it("costs at most one listing per target+prefix plus one ranged read per source of a shared prefix", async () => {
    sim.resetMetrics();
    await runCli(["scan", "--check-delivery", "--format", "json", "-q"], { env: env() });
    const ops = sim.metrics().byOperation;
    // 4 distinct target+prefix groups among 5 sources (shared/ is one); some need a second listing (stale/none).
    expect(ops.ListObjectsV2).toBeLessThanOrEqual(2 * 4);
    expect(ops.GetObject ?? 0).toBeLessThanOrEqual(4);
  });

  it("rejects --delivery-window and --since-snapshot without --check-delivery, and bad windows", async () => {
    for (const args of [["--delivery-window", "24h"], ["--since-snapshot", "x.json"], ["--check-delivery", "--delivery-window", "soon"]]) {
      const r = await runCli(["scan", ...args], { env: env() });
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });
});

/**
 * Listings beyond one page, and EventTime keys with a late record: the newest object is found
 * however many older ones precede it, a listing cut short by its page bound says so (never
 * `none`), and an object delivered today under an earlier event day counts as delivered.
 */
describe("scan --check-delivery: long listings and late EventTime records", () => {
  const DAY = 24 * HOUR;
  const hours = (n: number, from: number, step: number) => Array.from({ length: n }, (_, i) => from + i * step);
  let sim2: RunningSim;
  beforeAll(async () => {
    sim2 = await startSimulator({
      scenario: {
        accounts: [
          solo([
            logBucket("logs2"),
            source("busy", "logs2", "busy/"),
            source("old-busy", "logs2", "old-busy/"),
            source("huge-old", "logs2", "huge/"),
            source("late-event", "logs2", "late/", "EventTime"),
            source("chatty", "logs2", "mixed/"),
            source("quiet", "logs2", "mixed/"),
          ]),
        ],
        // Deliveries of the scans' own requests arrive an hour later (the scans see only the history).
        logDelivery: { delayMs: HOUR, intervalMs: 0 },
        logHistory: [
          { source: "busy", hoursAgo: hours(1200, 1, 0.035), records: 1 }, // 1 h … 43 h ago: more than a page inside the window
          { source: "old-busy", hoursAgo: hours(1500, 72, 0.1), records: 1 }, // 3 d … 9 d ago: two pages, all older than the window
          { source: "huge-old", hoursAgo: hours(5200, 72, 0.05), records: 1 }, // more keys than the listing bound
          { source: "late-event", hoursAgo: hours(1200, 20 * 24, 0.01), records: 1 }, // 20 days ago: more than a page of old event days
          { source: "late-event", hoursAgo: [2], lateHours: 5 * 24, records: 1 }, // arrived 2 h ago with records of 5 days ago
          { source: "chatty", hoursAgo: hours(40, 1, 1), records: 1 }, // 40 recent objects in a shared prefix…
          { source: "quiet", hoursAgo: [60], records: 1 }, // …and one old one of the other source
        ],
      },
    });
  });
  afterAll(async () => {
    await sim2.close();
  });
  const env2 = () => ({ AWS_ENDPOINT_URL: sim2.endpoint });
  const scan = async () => {
    const r = await runCli(["scan", "--check-delivery", "--format", "json", "-q"], { env: env2() });
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout) as { findings: Finding[]; buckets: { name: string; delivery?: { state: string; newestKey?: string; newestAge?: string; truncated?: boolean } }[]; errors: unknown[] };
  };
  const delivery = (r: Awaited<ReturnType<typeof scan>>, name: string) => r.buckets.find((b) => b.name === name)!.delivery!;

  it("finds the newest object past the first page, and marks a listing its bound cut short", async () => {
    const r = await scan();
    expect(delivery(r, "busy")).toMatchObject({ state: "delivered", newestAge: "1 h" });
    expect(delivery(r, "busy").truncated).toBeUndefined();
    expect(delivery(r, "old-busy")).toMatchObject({ state: "stale", newestAge: "3 d" });
    expect(delivery(r, "old-busy").truncated).toBeUndefined();
    const huge = delivery(r, "huge-old");
    expect(huge).toMatchObject({ state: "stale", truncated: true });
    const f = r.findings.find((x) => x.ruleId === "logs-delivered" && x.bucket === "huge-old")!;
    expect(f.message).toMatch(/listing stopped at its page bound/);
    expect(f.details.listingTruncated).toBe(true);
    // The newest key is the last one the simulator holds for busy/ (keys sort by delivery time).
    const keys = await listAll(sim2.endpoint, "busy/");
    expect(delivery(r, "busy").newestKey).toBe(keys.at(-1));
    expect(delivery(r, "old-busy").newestKey).toBe((await listAll(sim2.endpoint, "old-busy/")).at(-1));
  });

  it("a shared prefix whose objects the read bound cannot all attribute leaves a source undecided (error), never none", async () => {
    const r = await scan();
    expect(delivery(r, "chatty").state).toBe("delivered");
    expect(delivery(r, "quiet")).toMatchObject({ state: "error", error: { operation: "GetObject", code: "DeliveryUndecided" } });
    expect(r.errors).toEqual([expect.objectContaining({ bucket: "quiet", code: "DeliveryUndecided" })]);
    const f = r.findings.find((x) => x.ruleId === "logs-delivered" && x.bucket === "quiet")!;
    expect(f.status).toBe("error");
  });

  it("an object delivered now under an earlier event day (a late EventTime record) is a delivery", async () => {
    const r = (await scan()) as Awaited<ReturnType<typeof scan>> & { startedAt: string };
    const late = delivery(r, "late-event");
    expect(late).toMatchObject({ state: "delivered", newestAge: "2 h" });
    // Filed under the day its records happened, five days before it arrived.
    const eventDay = new Date(Date.parse(r.startedAt) - 2 * HOUR - 5 * DAY).toISOString().slice(0, 10).replace(/-/g, "/");
    expect(late.newestKey).toContain(`/late-event/${eventDay}/`);
  });
});
