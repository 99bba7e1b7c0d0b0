import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ScanOptions } from "../../../src/app/options.js";
import { saveSnapshot } from "../../../src/app/snapshots.js";
import { fitSegments } from "../../../src/ui/components/styled-line.js";
import { detailLines, truncate } from "../../../src/ui/state/lines.js";
import { visibleRows } from "../../../src/ui/state/findings.js";
import { sessionReducer, sessionStart, type SessionState } from "../../../src/ui/state/session.js";
import { demoSim, servicesOn, tempDir, type Sim } from "../helpers.js";

describe("UI text never carries a raw control character", () => {
  it("truncate shows control characters escaped, and measures the escaped text", () => {
    expect(truncate("sid \u001b]0;x\u0007 \u009b2J", 80)).toBe("sid \\u001b]0;x\\u0007 \\u009b2J");
    expect(truncate("\u001b[2J-tail", 8)).toBe("\\u001b[…");
  });
  it("fitSegments escapes every segment", () => {
    const out = fitSegments([{ text: "a\u001b[2J", tone: "text" }, { text: "\u009bb", tone: "dim", flex: true }], 80);
    expect(out.map((s) => s.text)).toEqual(["a\\u001b[2J", "\\u009bb"]);
  });
});

/**
 * The bucket detail of every delivery state, each from a real scan of the demo organization: the
 * simulator delivers (or does not deliver) the logs, the application layer's services scan and
 * say where each bucket stands, the session's reducer builds the all-buckets list.
 */
describe("bucket detail: every delivery state from real scans (simulator + app layer)", () => {
  const HOUR = 3_600_000;
  const dir = tempDir();
  const earlier = join(dir, "earlier-snapshot.json");
  let sim: Sim;
  beforeAll(async () => {
    sim = await demoSim();
  });
  afterAll(async () => {
    await sim.close();
  });

  /** Scans like the session with these scan options; returns the all-buckets list. */
  async function scanned(scan: Partial<ScanOptions>): Promise<SessionState> {
    const services = servicesOn(sim, join(dir, "unused.jsonl"), scan);
    try {
      const r = await services.scan(undefined, () => {}, new AbortController().signal);
      // The canaries of a scan with the check (its GetBucketLogging request ids), for the later scans.
      if (scan.delivery && !scan.delivery.sinceSnapshot) await saveSnapshot(earlier, r.snapshot);
      const s = sessionReducer(sessionStart(services.delivery), { type: "scan-done", snapshot: r.snapshot, findings: r.findings, noFix: r.noFix, buckets: r.buckets });
      return sessionReducer(s, { type: "browser", action: { type: "view-toggle" } });
    } finally {
      services.close();
    }
  }

  /** The detail pane's lines for the row of `bucket` (text only). */
  function detailOf(s: SessionState, bucket: string): string[] {
    const row = visibleRows(s.browser!).find((r) => r.node.kind === "bucket" && r.node.name === bucket);
    if (!row) throw new Error(`no row for ${bucket}`);
    return detailLines({ snapshot: s.snapshot!, row, rules: new Map(), width: 400, standings: s.browser!.tree.standings, deliveryCheck: s.delivery.on }).map((l) => l.text);
  }
  const check = { delivery: { windowHours: 48 } };

  it("without the check: a logging source's detail says how to check it, a bucket without logging says nothing of delivery", async () => {
    const s = await scanned({});
    expect(detailOf(s, "demo-prod-orders")).toContain("delivery: not checked (d checks that its log objects arrive)");
    expect(detailOf(s, "demo-prod-no-logging").some((l) => l.startsWith("delivery"))).toBe(false);
  });

  it("delivered (passing: marked so, nothing to select), stale and none with the likely cause named, or the CloudWatch hint", async () => {
    const s = await scanned(check);
    const orders = detailOf(s, "demo-prod-orders");
    expect(orders).toContain("✓ passes every rule evaluated, delivery delivered: nothing to fix");
    expect(orders).toContainEqual(expect.stringMatching(/^delivery: delivered · newest demo-prod-orders\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16} \(6 h old\)$/));
    const stale = detailOf(s, "demo-dev-eu-api");
    expect(stale).toContainEqual(expect.stringMatching(/^delivery: stale · newest demo-dev-eu-api\/\S+ \(3 d old\)$/));
    expect(stale).toContainEqual(expect.stringMatching(/^ {2}logs-delivered: stale: newest demo-dev-eu-api\/\S+ \(3 d old\), older than the 48 h window — /));
    const kms = detailOf(s, "demo-prod-kms-target-source").join("\n");
    expect(kms).toMatch(/^delivery: stale · newest /m);
    expect(kms).toMatch(/ — target-encryption-supported fails: /);
    const deny = detailOf(s, "demo-prod-eu-deny-source").join("\n");
    expect(deny).toMatch(/^delivery: none · no log object$/m);
    expect(deny).toMatch(/^ {2}logs-delivered: none: no log object of demo-prod-eu-deny-source under \S+ — delivery-permitted fails: /m);
    const sandbox = detailOf(s, "demo-dev-sandbox").join("\n");
    expect(sandbox).toMatch(/^delivery: none · no log object$/m);
    expect(sandbox).toContain("— configuration looks valid; check the target's CloudWatch 4xxErrors metrics");
  });

  it("error: a denied listing of the target names the operation and code (never none)", async () => {
    sim.setFaults({ rules: [{ effect: "deny", service: "s3", operation: "ListObjectsV2", bucket: "demo-logs-222222222222-us-east-1" }] });
    try {
      const orders = detailOf(await scanned(check), "demo-prod-orders");
      expect(orders).toContain("delivery: error (ListObjectsV2 AccessDenied)");
      expect(orders).toContainEqual(expect.stringMatching(/^ {2}logs-delivered: cannot evaluate demo-prod-orders: .*\(ListObjectsV2 failed: AccessDenied\)$/));
      expect(orders.some((l) => l.includes("none"))).toBe(false);
    } finally {
      sim.setFaults({});
    }
  });

  it("pending (no log object yet, and the earlier scan's canary is younger than the window), then proven once S3 has delivered its record", async () => {
    const since = { delivery: { windowHours: 48, sinceSnapshot: earlier } };
    const canary = JSON.parse(readFileSync(earlier, "utf8")) as { buckets: { name: string; canary?: { requestId: string } }[] };
    const requestId = canary.buckets.find((b) => b.name === "demo-prod-orders")!.canary!.requestId;
    const young = await scanned(since);
    expect(detailOf(young, "demo-dev-sandbox")).toContain("delivery: pending · canary younger than 48 h");
    // A source that delivered within the window stays delivered while its canary is on the way.
    expect(detailOf(young, "demo-prod-orders")).toContainEqual(expect.stringMatching(/^delivery: delivered · newest demo-prod-orders\/\S+ \(6 h old\)$/));

    expect(sim.advanceClock(HOUR + 10 * 60_000)).toBeGreaterThan(0); // past the 5-minute batch and the 1-hour delivery delay
    const proven = detailOf(await scanned(since), "demo-prod-orders");
    expect(proven).toContainEqual(expect.stringMatching(new RegExp(`^delivery: proven · canary ${requestId} in demo-prod-orders/\\S+ \\(\\d+ (min|h) old\\), the newest$`)));
    expect(proven).toContain("✓ passes every rule evaluated, delivery proven: nothing to fix");
  });
});
