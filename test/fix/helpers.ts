/** Shared helpers of the fix tests: simulator, clients, snapshots, comparisons. */
import { spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ClientPool, collectSnapshot } from "../../src/collect/index.js";
import { evaluateSnapshot } from "../../src/engine/evaluate.js";
import type { Finding } from "../../src/model/finding.js";
import type { Snapshot } from "../../src/model/snapshot.js";
import { startSimulator } from "../../src/sim/index.js";
import { canonicalJson } from "../../src/fix/state.js";
import { DELIVERY_SID, parsePolicyDocument } from "../../src/fix/merge.js";
import { readResource } from "../../src/fix/resources.js";
import type { PolicyDocument } from "../../src/model/plan.js";
import { afterAll, beforeAll, expect } from "vitest";
import { testStateHome } from "../cli/helpers.js";

/** The planner with the catalog's intents, wired as the application layer wires it. */
export { planScanFixes as planFixes } from "../../src/app/fix.js";

export type Sim = Awaited<ReturnType<typeof startSimulator>>;
export type ScenarioInput = Parameters<typeof startSimulator>[0] extends infer O ? (O extends { scenario?: infer S } ? S : never) : never;

export const CREDENTIALS = { accessKeyId: "AKIAFIXTESTFIXTEST00", secretAccessKey: "fix-test-secret" };
export const REGION = "us-east-1";

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), "s3la-fix-"));
}

/** A client pool on the simulator with the test's dummy credentials. */
export function poolFor(sim: Sim): ClientPool {
  return new ClientPool({ endpointUrl: sim.endpoint, credentials: async () => CREDENTIALS, region: REGION });
}

/** Runs `use` with a fresh client pool on the simulator (poolFor), destroyed after. */
export async function withPool<T>(sim: Sim, use: (pool: ClientPool) => Promise<T>): Promise<T> {
  const pool = poolFor(sim);
  try {
    return await use(pool);
  } finally {
    pool.destroy();
  }
}

/** A fresh snapshot of every account of the simulated organization. */
export function snapshotOf(sim: Sim, org = true): Promise<Snapshot> {
  return withPool(sim, (pool) => collectSnapshot({ org, pool, endpointUrl: sim.endpoint, credentials: async () => CREDENTIALS, region: REGION }));
}

export function failing(s: Snapshot): Finding[] {
  return evaluateSnapshot(s).filter((f) => f.status === "fail");
}

/** A snapshot without its timestamps, buckets sorted: what "equal state" means. */
export function comparable(s: Snapshot): unknown {
  const buckets = [...s.buckets].sort((a, b) => `${a.account}/${a.name}`.localeCompare(`${b.account}/${b.name}`));
  return JSON.parse(
    canonicalJson({
      ...s,
      startedAt: undefined,
      finishedAt: undefined,
      buckets: buckets.map((b) => ({ ...b, creationDate: undefined })),
    }),
  );
}

/** Every policy statement and lifecycle rule of every bucket that had target facts. */
export function statementsAndRules(s: Snapshot): { key: string; statements: string[]; rules: string[] }[] {
  const out: { key: string; statements: string[]; rules: string[] }[] = [];
  for (const b of s.buckets) {
    const f = b.targetFacts;
    if (!f) continue;
    const doc = f.policy.status === "ok" ? parsePolicyDocument(f.policy.value) : undefined;
    out.push({
      key: `${b.account}/${b.name}`,
      statements: (doc?.Statement ?? []).map((x) => canonicalJson(x)),
      rules: (f.lifecycle.status === "ok" ? f.lifecycle.value : []).map((r) => canonicalJson(r)),
    });
  }
  return out;
}

/** Every policy statement and lifecycle rule of `before` is still on its bucket (read live). */
export async function expectNothingLost(pool: ClientPool, before: Snapshot): Promise<void> {
  for (const b of statementsAndRules(before)) {
    const [account, name] = b.key.split("/") as [string, string];
    const region = before.buckets.find((x) => x.account === account && x.name === name)!.region;
    const t = { client: await pool.s3(account, region), account, bucket: name, region };
    const pol = (await readResource(t, "policy")).value as PolicyDocument | null;
    const rules = ((await readResource(t, "lifecycle")).value as unknown[] | null) ?? [];
    const statements = (pol?.Statement ?? []).map((x) => canonicalJson(x));
    for (const st of b.statements) if (!st.includes(DELIVERY_SID)) expect(statements, b.key).toContain(st);
    for (const r of b.rules) expect(rules.map((x) => canonicalJson(x)), b.key).toContain(r);
  }
}

export const CLI = resolve(import.meta.dirname, "../../dist/cli.js");

export interface CliRun {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Environment for the built CLI: dummy keys, the simulator endpoint, no user AWS config, a state directory of its own. */
export function cliEnv(sim: Sim): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("AWS_")) env[k] = v;
  return {
    ...env,
    AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey,
    AWS_REGION: REGION,
    AWS_ENDPOINT_URL: sim.endpoint,
    AWS_CONFIG_FILE: "/nonexistent/s3la/config",
    AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/s3la/credentials",
    AWS_EC2_METADATA_DISABLED: "true",
    NO_COLOR: "1",
    // journals written by default go to a state directory of the test's own, never the real home
    XDG_STATE_HOME: testStateHome(),
  };
}

/** Runs the built CLI; `onStderr` sees stderr as it arrives (and may kill the child). */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  opts: { cwd?: string; onStderr?: (chunk: string, child: ReturnType<typeof spawn>) => void } = {},
): Promise<CliRun> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd: opts.cwd ?? process.cwd(), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => {
      stderr += c.toString();
      opts.onStderr?.(c.toString(), child);
    });
    child.on("error", reject);
    child.on("close", (code, signal) => resolvePromise({ code, signal, stdout, stderr }));
  });
}

/**
 * A simulator for the tests of one describe block: started (with a fresh temp dir and CLI
 * environment, handed to `use`) before them, closed after. The returned function restarts it.
 */
export function useSimulator(scenario: "demo" | (() => ScenarioInput), use: (sim: Sim, dir: string, env: NodeJS.ProcessEnv) => void): () => Promise<void> {
  let current: Sim | undefined;
  const fresh = async () => {
    await current?.close();
    current = await startSimulator({ scenario: scenario === "demo" ? "demo" : scenario(), port: 0 });
    use(current, tempDir(), cliEnv(current));
  };
  beforeAll(fresh);
  afterAll(async () => {
    await current?.close();
  });
  return fresh;
}
