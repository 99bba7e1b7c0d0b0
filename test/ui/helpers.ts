/** Helpers of the UI tests: a real demo simulator, the real scan/plan/apply services, key presses. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { DEFAULT_FAIL_ON } from "../../src/output/exit-code.js";
import { startSimulator } from "../../src/sim/index.js";
import { createFixServices, type FixServices } from "../../src/app/fix-session.js";
import type { ScanOptions } from "../../src/app/options.js";

export type Sim = Awaited<ReturnType<typeof startSimulator>>;

export const CREDENTIALS = { accessKeyId: "AKIAUITESTUITEST0000", secretAccessKey: "ui-test-secret" };

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "s3la-ui-"));
}

export async function demoSim(): Promise<Sim> {
  return startSimulator({ scenario: "demo", port: 0 });
}

/**
 * A demo simulator for the tests of the calling `describe` block (a fresh one per test with
 * `each`), with `faults` set from the start; closed afterwards. Returns its getter.
 */
export function useDemoSim(opts: { each?: boolean; faults?: Parameters<Sim["setFaults"]>[0] } = {}): () => Sim {
  let sim: Sim | undefined;
  (opts.each ? beforeEach : beforeAll)(async () => {
    sim = await demoSim();
    if (opts.faults) sim.setFaults(opts.faults);
  });
  (opts.each ? afterEach : afterAll)(async () => {
    await sim?.close();
  });
  return () => {
    if (!sim) throw new Error("the demo simulator is not started (useDemoSim runs in beforeAll/beforeEach)");
    return sim;
  };
}

/**
 * The services the CLI builds, on the simulator: scan the whole organization, default plan
 * options; `scan` adds scan options (e.g. `delivery` as --check-delivery sets it).
 */
export function servicesOn(sim: Sim, journalPath: string, scan: Partial<ScanOptions> = {}): FixServices & { close(): void } {
  return createFixServices({
    scan: {
      target: { org: true, endpointUrl: sim.endpoint },
      includePassed: false,
      failOn: DEFAULT_FAIL_ON,
      allowPartial: false,
      quiet: true,
      ...scan,
    },
    plan: {},
    journalPath,
    undoCommand: (journal) => ["s3-log-auditor", "undo", journal, "--endpoint-url", sim.endpoint],
    pool: { endpointUrl: sim.endpoint },
    credentials: async () => CREDENTIALS,
    region: "us-east-1",
  });
}

export const KEYS = {
  up: "\u001B[A",
  down: "\u001B[B",
  right: "\u001B[C",
  left: "\u001B[D",
  enter: "\r",
  escape: "\u001B",
  space: " ",
  pageDown: "\u001B[6~",
} as const;

/** Writes one key and lets ink handle it (a macrotask). */
export async function press(stdin: { write(s: string): void }, ...keys: string[]): Promise<void> {
  for (const k of keys) {
    stdin.write(k);
    await new Promise((r) => setTimeout(r, 5));
  }
}
