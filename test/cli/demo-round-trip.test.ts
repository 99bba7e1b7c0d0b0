/**
 * The demo organization in every delivery state: one `demo --check-delivery` run shows delivered,
 * stale and none; `--canary-round-trip` scans twice around a simulated-clock jump and shows
 * proven and pending, the canary found in the very log object the simulator delivered.
 */
import { describe, expect, it } from "vitest";
import { expectUsageError, runCli } from "./helpers.js";
import { parseValidReport } from "./report-schema.js";

type Delivery = { state: string; canaryRequestId?: string; canaryFoundIn?: string; pendingReason?: string };

/** Each logging source's delivery, by bucket name. */
function deliveries(stdout: string): Record<string, Delivery> {
  const report = parseValidReport(stdout) as unknown as { buckets: { name: string; delivery?: Delivery; logging?: { targetPrefix?: string } }[] };
  return Object.fromEntries(report.buckets.filter((b) => b.delivery).map((b) => [b.name, b.delivery as Delivery]));
}

describe.concurrent("demo delivery states", () => {
  it("one run: delivered, stale and none, each for the sources whose logs say so", async () => {
    const r = await runCli(["demo", "--check-delivery", "--format", "json", "-q"]);
    expect(r.code).toBe(0);
    const d = deliveries(r.stdout);
    expect(new Set(Object.values(d).map((x) => x.state))).toEqual(new Set(["delivered", "stale", "none"]));
    expect(d["demo-prod-syd-shared-a"]?.state).toBe("delivered");
    expect(d["demo-prod-syd-shared-b"]?.state).toBe("stale");
    expect(d["demo-prod-eu-deny-source"]?.state).toBe("none");
  });

  it("--canary-round-trip: the second scan proves delivery with the first scan's canary, pending where nothing can arrive yet", async () => {
    const r = await runCli(["demo", "--check-delivery", "--canary-round-trip", "--format", "json"]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/canary round trip: the simulated clock moved 1 h 5 min ahead and \d+ log object\(s\) arrived; scanning again with the first scan's snapshot/);
    const d = deliveries(r.stdout);
    const states = new Set(Object.values(d).map((x) => x.state));
    expect(states.has("proven") && states.has("pending")).toBe(true);
    // Delivered and stale (via a delivering target) sources become proven, the canary found in an object of their own.
    for (const name of ["demo-prod-syd-shared-a", "demo-prod-syd-shared-b", "demo-prod-eu-customers"]) {
      expect(d[name]?.state).toBe("proven");
      expect(d[name]?.canaryRequestId).toMatch(/^\S+$/);
      expect(d[name]?.canaryFoundIn).toBeTruthy();
    }
    // A target whose policy denies delivery receives nothing; the canary is too young to fail it.
    expect(d["demo-prod-eu-deny-source"]).toMatchObject({ state: "pending", pendingReason: "canary younger than 48 h" });
    // Stale before the canary and nothing since (SSE-KMS target): still stale, a young canary excuses nothing.
    expect(d["demo-prod-kms-target-source"]?.state).toBe("stale");
    // A target that does not exist: nothing ever arrives.
    expect(d["demo-prod-deleted-target"]?.state).toBe("none");
  });

  it.each([
    [["demo", "--canary-round-trip"], /--canary-round-trip needs --check-delivery/],
    [["demo", "--check-delivery", "--canary-round-trip", "--since-snapshot", "x.json"], /--canary-round-trip makes its own earlier snapshot/],
  ])("%j is a usage error", async (args, message) => {
    expectUsageError(await runCli(args), message);
  });
});
