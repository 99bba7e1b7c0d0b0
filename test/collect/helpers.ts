/** Shared set-up for collection tests: the simulator on 127.0.0.1 and real SDK clients. */
import { startSimulator, type RunningSim, type Scenario, type FaultSpec } from "../../src/sim/index.js";
import { collectSnapshot, type CollectOptions } from "../../src/collect/index.js";
import type { BucketSnapshot, Snapshot } from "../../src/model/snapshot.js";

export const CREDS = async () => ({ accessKeyId: "test", secretAccessKey: "test" });

export async function sim(scenario: Scenario | "demo", opts: { latencyMs?: number; throttleRate?: number; seed?: number } = {}): Promise<RunningSim> {
  return startSimulator({ scenario, port: 0, ...opts });
}

export function collect(s: RunningSim, opts: Partial<CollectOptions> = {}): Promise<Snapshot> {
  return collectSnapshot({ endpointUrl: s.endpoint, credentials: CREDS, ...opts });
}

export function bucket(snap: Snapshot, name: string): BucketSnapshot {
  const b = snap.buckets.find((x) => x.name === name);
  if (!b) throw new Error(`bucket ${name} not in snapshot`);
  return b;
}

/** Operation counts of the simulator (requests, retries included). */
export function ops(s: RunningSim): Record<string, number> {
  return s.metrics().byOperation;
}

export type { FaultSpec, RunningSim, Scenario };
