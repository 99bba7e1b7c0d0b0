/**
 * `demo --check-delivery --canary-round-trip`: the two-run recipe of "Is it delivering?" on the
 * demo organization in one command. The first scan records its canary requests (kept in a
 * snapshot in a temporary folder); the simulator's clock then moves just past the delivery of
 * everything it has logged so far (its delivery delay and batching interval, 1 h 5 min by
 * default) and the second scan reads the delivered logs with the first scan's snapshot as the
 * earlier one — so `proven` and `pending` show next to `delivered`, `stale` and `none`. The report
 * is the second scan's; the first one's findings are not shown.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ScanOptions } from "../app/options.js";
import type { ScanResult } from "../app/scan.js";
import type { DemoEnv } from "./demo-env.js";

/** What the round trip tells the user on stderr between its two scans. */
export function roundTripNote(advancedMs: number, objects: number): string {
  const minutes = Math.round(advancedMs / 60_000);
  const when = minutes >= 60 ? `${Math.floor(minutes / 60)} h ${minutes % 60} min` : `${minutes} min`;
  return `canary round trip: the simulated clock moved ${when} ahead and ${objects} log object(s) arrived; scanning again with the first scan's snapshot\n`;
}

/** Runs `scan` twice as described above and returns the second result. */
export async function demoCanaryRoundTrip(
  env: DemoEnv,
  opts: ScanOptions,
  scan: (o: ScanOptions) => Promise<ScanResult>,
  note: (line: string) => void,
): Promise<ScanResult> {
  const windowHours = opts.delivery?.windowHours;
  if (windowHours === undefined) throw new TypeError("the canary round trip needs the delivery check");
  const dir = await mkdtemp(join(tmpdir(), "s3-log-auditor-demo-"));
  try {
    const first = join(dir, "first-scan.json");
    // The first scan only plants the canary: no report, baseline or exceptions of its own.
    const { baseline: _b, writeBaseline: _w, saveSnapshot: _s, ...plain } = opts;
    await scan({ ...plain, saveSnapshot: first });
    const { advancedMs, objects } = env.sim.settleDeliveries();
    if (!opts.quiet) note(roundTripNote(advancedMs, objects));
    return await scan({ ...opts, delivery: { windowHours, sinceSnapshot: first } });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
