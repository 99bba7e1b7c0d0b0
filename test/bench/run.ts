/**
 * `npm run bench`: the scanner at organization scale against the simulator, each in its own
 * process (issue 4). Prints figures (not a test); the last line is one JSON object.
 *
 *   1. sim --generate 50x200 --latency 50; scan --org --format json --concurrency 32
 *   2. the same with 5 % of requests throttled
 *   3. scan --from-snapshot of a ~100,000-bucket snapshot (offline evaluation)
 *   4. scan --org --check-delivery on the same organization with past log deliveries
 *      (sim --log-history): extra calls per logging source next to the plain scan of that
 *      simulator, then the canary run (--since-snapshot) after the simulator clock moved
 *   + a bare SDK GetBucketLogging loop against the same simulator, as the CPU floor of this machine.
 *
 * Scanner CPU and peak RSS come from process.resourceUsage() inside the scanner process
 * (test/bench/usage-hook.mjs, loaded with --import); API calls from the simulator's metrics.
 * Sizes can be changed with BENCH_ACCOUNTS, BENCH_BUCKETS, BENCH_LATENCY, BENCH_CONCURRENCY,
 * BENCH_THROTTLE, BENCH_OFFLINE_BUCKETS.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { Snapshot } from "../../src/model/snapshot.js";
import type { Measured } from "./logs.js";

const ROOT = resolve(fileURLToPath(import.meta.url), "../../..");
const CLI = join(ROOT, "dist/cli.js");
const HOOK = pathToFileURL(join(ROOT, "test/bench/usage-hook.mjs")).href;
const num = (k: string, d: number) => (process.env[k] ? Number(process.env[k]) : d);
const ACCOUNTS = num("BENCH_ACCOUNTS", 50);
const BUCKETS = num("BENCH_BUCKETS", 200);
const LATENCY = num("BENCH_LATENCY", 50);
const CONCURRENCY = num("BENCH_CONCURRENCY", 32);
const THROTTLE = num("BENCH_THROTTLE", 0.05);
const OFFLINE = num("BENCH_OFFLINE_BUCKETS", 100_000);

const TARGET_OPS = [
  "GetBucketPolicy",
  "GetBucketAcl",
  "GetBucketOwnershipControls",
  "GetBucketEncryption",
  "GetObjectLockConfiguration",
  "GetBucketRequestPayment",
  "GetPublicAccessBlock",
  "GetBucketLifecycleConfiguration",
  "HeadBucket",
];

const tmp = mkdtempSync(join(tmpdir(), "s3la-bench-"));
const children = new Set<ChildProcess>();
const log = (s: string) => process.stdout.write(`${s}\n`);

function cleanup(): void {
  for (const c of children) c.kill("SIGKILL");
  rmSync(tmp, { recursive: true, force: true });
}
process.on("SIGINT", () => {
  cleanup();
  process.exit(130);
});

interface Sim {
  url: string;
  stop: () => Promise<void>;
}

async function startSim(throttle: number, extra: string[] = []): Promise<Sim> {
  const args = [CLI, "sim", "--generate", `${ACCOUNTS}x${BUCKETS}`, "--latency", String(LATENCY), "--seed", "1", "--port", "0", "--quiet", ...extra];
  if (throttle > 0) args.push("--throttle", String(throttle));
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let err = "";
  child.stderr?.on("data", (d: Buffer) => (err += d.toString()));
  const url = await new Promise<string>((res, rej) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once("line", res);
    child.once("exit", (code) => rej(new Error(`simulator exited (${code}): ${err.trim()}`)));
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM");
        await once(child, "exit");
      }
      children.delete(child);
    },
  };
}

interface Metrics {
  total: number;
  byOperation: Record<string, number>;
}
async function metrics(url: string): Promise<Metrics> {
  return (await (await fetch(`${url}/_sim/metrics`)).json()) as Metrics;
}

let runNo = 0;
/** Run `node --import usage-hook ARGS` as its own process, stdout to a file (or `stdoutFile`, e.g. /dev/null). */
async function measure(args: string[], extraEnv: Record<string, string> = {}, stdoutTo?: string): Promise<Measured> {
  runNo++;
  const usage = join(tmp, `usage-${runNo}.json`);
  const stdoutFile = stdoutTo ?? join(tmp, `stdout-${runNo}.txt`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AWS_ACCESS_KEY_ID: "bench",
    AWS_SECRET_ACCESS_KEY: "bench",
    AWS_REGION: "us-east-1",
    S3LA_BENCH_USAGE: usage,
    ...extraEnv,
  };
  for (const k of ["AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE"]) {
    if (!(k in extraEnv)) delete env[k];
  }
  const fd = openSync(stdoutFile, "w");
  const t0 = performance.now();
  const child = spawn(process.execPath, ["--import", HOOK, ...args], { env, stdio: ["ignore", fd, "pipe"] });
  children.add(child);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, "exit")) as [number | null];
  const wallMs = performance.now() - t0;
  children.delete(child);
  closeSync(fd);
  if (!existsSync(usage)) throw new Error(`no usage figures from ${args.join(" ")} (exit ${code}): ${stderr.trim().slice(-500)}`);
  const u = JSON.parse(readFileSync(usage, "utf8")) as { userUs: number; systemUs: number; maxRssKb: number };
  return { code, wallMs, cpuMs: (u.userUs + u.systemUs) / 1000, peakRssMb: u.maxRssKb / 1024, stdoutFile, stderr };
}

interface ReportLike {
  summary: { accounts: number; buckets: number; complete: boolean };
  errors: unknown[];
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;
const r3 = (n: number) => Math.round(n * 1000) / 1000;

async function onlineRun(label: string, throttle: number, saveSnapshot?: string) {
  const sim = await startSim(throttle);
  try {
    const args = [CLI, "scan", "--org", "--format", "json", "--concurrency", String(CONCURRENCY), "--endpoint-url", sim.url];
    if (saveSnapshot) args.push("--save-snapshot", saveSnapshot);
    const m = await measure(args);
    const met = await metrics(sim.url);
    if (m.code !== 0 && m.code !== 1 && m.code !== 3) throw new Error(`${label}: scan exited ${m.code}: ${m.stderr.trim().slice(-500)}`);
    const report = JSON.parse(readFileSync(m.stdoutFile, "utf8")) as ReportLike;
    const totalCalls = met.total;
    const targetReads = TARGET_OPS.reduce((a, op) => a + (met.byOperation[op] ?? 0), 0);
    const lowerBoundSeconds = (totalCalls * LATENCY) / CONCURRENCY / 1000;
    const wallSeconds = m.wallMs / 1000;
    return {
      exitCode: m.code,
      accounts: report.summary.accounts,
      buckets: report.summary.buckets,
      errors: report.errors.length,
      complete: report.summary.complete,
      callsByOperation: met.byOperation,
      totalCalls,
      targetReads,
      callsPerBucket: r3(totalCalls / report.summary.buckets),
      nonTargetCallsPerBucket: r3((totalCalls - targetReads) / report.summary.buckets),
      wallSeconds: r2(wallSeconds),
      lowerBoundSeconds: r2(lowerBoundSeconds),
      ratio: r2(wallSeconds / lowerBoundSeconds),
      cpuMsPerCall: r3(m.cpuMs / totalCalls),
      peakRssMb: r1(m.peakRssMb),
    };
  } finally {
    await sim.stop();
  }
}

function distinctTargets(snap: Snapshot): number {
  const set = new Set<string>();
  for (const b of snap.buckets) {
    if (b.logging.status === "ok" && b.logging.value) set.add(`${b.account}/${b.logging.value.targetBucket}`);
  }
  return set.size;
}

/** A ~N-bucket snapshot: copies of the collected one, every account id (and so every name) renamed. */
function bigSnapshot(base: Snapshot, want: number, file: string): number {
  const copies = Math.max(1, Math.ceil(want / Math.max(1, base.buckets.length)));
  const byAccount = new Map<string, { buckets: unknown[]; ext: unknown[]; errors: unknown[] }>();
  for (const a of base.accounts) byAccount.set(a.id, { buckets: [], ext: [], errors: [] });
  for (const b of base.buckets) byAccount.get(b.account)?.buckets.push(b);
  for (const x of base.externalTargets) byAccount.get(x.account)?.ext.push(x);
  for (const e of base.errors) byAccount.get(e.account)?.errors.push(e);
  const out: Snapshot = { ...base, accounts: [], buckets: [], externalTargets: [], errors: [], scope: { ...base.scope, accounts: [] } };
  base.accounts.forEach((a, i) => {
    const parts = JSON.stringify({ account: a, ...byAccount.get(a.id) });
    for (let c = 0; c < copies; c++) {
      const id = String(300000000000 + c * 10000 + i);
      const copy = JSON.parse(parts.split(a.id).join(id)) as { account: Snapshot["accounts"][number]; buckets: Snapshot["buckets"]; ext: Snapshot["externalTargets"]; errors: Snapshot["errors"] };
      out.accounts.push(copy.account);
      out.scope.accounts.push(id);
      out.buckets.push(...copy.buckets);
      out.externalTargets.push(...copy.ext);
      out.errors.push(...copy.errors);
    }
  });
  writeFileSync(file, JSON.stringify(out));
  return out.buckets.length;
}

interface DeliveryReport {
  buckets: { logging: { enabled: boolean | null }; delivery?: { state: string } }[];
}

const diff = (a: Record<string, number>, b: Record<string, number>): Record<string, number> =>
  Object.fromEntries([...new Set([...Object.keys(a), ...Object.keys(b)])].map((k) => [k, (a[k] ?? 0) - (b[k] ?? 0)]).filter(([, v]) => v !== 0));
const sameCounts = (a: Record<string, number>, b: Record<string, number>) => Object.keys(diff(a, b)).length === 0;

/** Part 5: the same organization with log history; a plain scan, a --check-delivery scan, the canary run. */
async function deliveryRuns(reference: Record<string, number>) {
  const sim = await startSim(0, ["--log-history"]);
  try {
    const base = [CLI, "scan", "--org", "--format", "json", "--concurrency", String(CONCURRENCY), "--endpoint-url", sim.url];
    const run = async (extra: string[]) => {
      await fetch(`${sim.url}/_sim/metrics/reset`, { method: "POST" });
      const m = await measure([...base, ...extra]);
      if (m.code !== 0 && m.code !== 1 && m.code !== 3) throw new Error(`check-delivery run exited ${m.code}: ${m.stderr.trim().slice(-500)}`);
      return { m, met: await metrics(sim.url), report: JSON.parse(readFileSync(m.stdoutFile, "utf8")) as DeliveryReport };
    };
    const states = (r: DeliveryReport) => {
      const out: Record<string, number> = {};
      for (const b of r.buckets) if (b.delivery) out[b.delivery.state] = (out[b.delivery.state] ?? 0) + 1;
      return out;
    };
    const plain = await run([]);
    const snapFile = join(tmp, "delivery-snapshot.json");
    const checked = await run(["--check-delivery", "--save-snapshot", snapFile]);
    const sources = checked.report.buckets.filter((b) => b.delivery).length;
    const extraByOperation = diff(checked.met.byOperation, plain.met.byOperation);
    const extra = checked.met.total - plain.met.total;
    // The scan's own requests reach the logs after the simulator's delivery delay (1 h, 5 min batches).
    await fetch(`${sim.url}/_sim/clock/advance?ms=${66 * 60_000}`, { method: "POST" });
    const canary = await run(["--check-delivery", "--since-snapshot", snapFile]);
    const canaryExtra = canary.met.total - plain.met.total;
    return {
      sources,
      buckets: checked.report.buckets.length,
      states: states(checked.report),
      plainCalls: plain.met.total,
      plainUnchanged: sameCounts(plain.met.byOperation, reference),
      calls: checked.met.total,
      extra,
      extraByOperation,
      extraPerSource: r3(extra / Math.max(1, sources)),
      extraPerBucket: r3(extra / Math.max(1, checked.report.buckets.length)),
      wallSeconds: r2(checked.m.wallMs / 1000),
      plainWallSeconds: r2(plain.m.wallMs / 1000),
      canary: {
        extra: canaryExtra,
        extraByOperation: diff(canary.met.byOperation, plain.met.byOperation),
        extraPerSource: r3(canaryExtra / Math.max(1, sources)),
        states: states(canary.report),
      },
    };
  } finally {
    await sim.stop();
  }
}

/** Runs and prints part 5. */
async function deliveryPart(live: { callsByOperation: Record<string, number> }) {
  log("\n[5/5] live scan --org --check-delivery (same organization, past log deliveries: sim --log-history)");
  const dl = await deliveryRuns(live.callsByOperation);
  log(`  logging sources ${dl.sources} (listable targets in the account), states ${Object.entries(dl.states).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  log(`  without --check-delivery: ${dl.plainCalls} calls, the same per operation as run 1: ${dl.plainUnchanged ? "yes" : "NO"}`);
  log(`  with --check-delivery: ${dl.calls} calls (${r3(dl.calls / Math.max(1, dl.buckets))} per bucket) = ${dl.extra} extra (${Object.entries(dl.extraByOperation).map(([k, v]) => `${k} ${v}`).join(", ")})`);
  log(`  extra calls per logging source ${dl.extraPerSource} (goal ≤ 1.1), per bucket ${dl.extraPerBucket}; wall ${dl.wallSeconds} s vs ${dl.plainWallSeconds} s without`);
  log(`  canary run (--since-snapshot, clock +66 min): ${dl.canary.extra} extra calls = ${dl.canary.extraPerSource} per logging source (${Object.entries(dl.canary.extraByOperation).map(([k, v]) => `${k} ${v}`).join(", ")}); states ${Object.entries(dl.canary.states).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  return dl;
}

async function bareLoop(): Promise<number | undefined> {
  const sim = await startSim(0);
  try {
    const bucket = "gen-100000000000-00000";
    const calls = Math.max(500, Math.min(3000, Math.round((CONCURRENCY * 4000) / Math.max(1, LATENCY))));
    const m = await measure(["--import", "tsx", join(ROOT, "test/bench/bare-loop.ts"), sim.url, bucket, String(calls), String(CONCURRENCY)]);
    const line = readFileSync(m.stdoutFile, "utf8").trim().split("\n").pop() ?? "";
    return (JSON.parse(line) as { cpuMsPerCall: number }).cpuMsPerCall;
  } catch (err) {
    log(`  (bare SDK loop failed: ${(err as Error).message})`);
    return undefined;
  } finally {
    await sim.stop();
  }
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error("dist/cli.js is missing: run `npm run build` first");
  // `npm run bench -- --only logs` runs only the logs part, `--only scan` only the scanner's.
  const onlyAt = process.argv.indexOf("--only");
  const only = onlyAt > 0 ? process.argv[onlyAt + 1] : undefined;
  if (only !== undefined && only !== "logs" && only !== "scan" && only !== "delivery") throw new Error(`--only takes logs, scan or delivery, got ${only}`);
  if (only !== "scan" && only !== "delivery") {
    const { logsBench } = await import("./logs.js");
    await logsBench({ cli: CLI, root: ROOT, tmp, measure, log });
    if (only === "logs") return;
    log("");
  }
  log(`s3-log-auditor benchmark: ${ACCOUNTS} accounts × ${BUCKETS} buckets, ${LATENCY} ms latency, --concurrency ${CONCURRENCY}`);

  const snapFile = join(tmp, "snapshot.json");
  log("\n[1/5] live scan --org (simulator in its own process)");
  const live = await onlineRun("live", 0, snapFile);
  const snap = JSON.parse(readFileSync(snapFile, "utf8")) as Snapshot;
  const targets = distinctTargets(snap);
  log(`  accounts ${live.accounts}, buckets ${live.buckets}, distinct targets ${targets}, errors ${live.errors}`);
  log(`  API calls ${live.totalCalls}: ${Object.entries(live.callsByOperation).map(([k, v]) => `${k} ${v}`).join(", ")}`);
  log(`  calls per bucket ${live.callsPerBucket} (${live.nonTargetCallsPerBucket} without target reads; target reads per distinct target ${r2(live.targetReads / Math.max(1, targets))})`);
  log(`  wall ${live.wallSeconds} s, lower bound ${live.lowerBoundSeconds} s (calls × ${LATENCY} ms ÷ ${CONCURRENCY}), ratio ${live.ratio}`);
  log(`  scanner CPU ${live.cpuMsPerCall} ms per API call, peak RSS ${live.peakRssMb} MB`);

  if (only === "delivery") {
    await deliveryPart(live);
    return;
  }

  log("\n[2/5] bare SDK GetBucketLogging loop (the CPU floor on this machine)");
  const bare = await bareLoop();
  if (bare !== undefined) log(`  ${bare.toFixed(3)} ms CPU per call`);

  log(`\n[3/5] live scan --org with ${THROTTLE * 100} % of requests throttled`);
  const thr = await onlineRun("throttled", THROTTLE);
  log(`  errors ${thr.errors}, complete ${thr.complete}, API calls ${thr.totalCalls} (throttled answers retried: ${thr.totalCalls - live.totalCalls})`);
  log(`  wall ${thr.wallSeconds} s = ${r2(thr.wallSeconds / live.wallSeconds)} × unthrottled; CPU ${thr.cpuMsPerCall} ms per call, peak RSS ${thr.peakRssMb} MB`);

  log(`\n[4/5] offline evaluation (--from-snapshot) of ~${OFFLINE} buckets`);
  const bigFile = join(tmp, "big-snapshot.json");
  const bigBuckets = bigSnapshot(snap, OFFLINE, bigFile);
  const off = await measure([CLI, "scan", "--from-snapshot", bigFile, "--format", "json"]);
  if (off.code !== 0 && off.code !== 1 && off.code !== 3) throw new Error(`offline scan exited ${off.code}: ${off.stderr.trim().slice(-500)}`);
  const offline = { buckets: bigBuckets, wallSeconds: r2(off.wallMs / 1000), cpuSeconds: r2(off.cpuMs / 1000), peakRssMb: r1(off.peakRssMb) };
  log(`  ${bigBuckets} buckets: wall ${offline.wallSeconds} s, CPU ${offline.cpuSeconds} s, peak RSS ${offline.peakRssMb} MB`);

  const dl = await deliveryPart(live);

  const checks: [string, boolean][] = [
    ["check-delivery: ≤ 1.1 extra calls per logging source", dl.extraPerSource <= 1.1],
    ["check-delivery: calls unchanged without the flag", dl.plainUnchanged],
    ["ratio ≤ 1.3", live.ratio <= 1.3],
    ["calls per bucket ≤ 1.2 + target reads (≤ 9 per distinct target)", live.nonTargetCallsPerBucket <= 1.2 && live.targetReads <= 9 * targets],
    ["CPU ≤ 1.2 ms per call", live.cpuMsPerCall <= 1.2],
    ["peak RSS ≤ 300 MB", live.peakRssMb <= 300],
    ["throttled: zero errors", thr.errors === 0],
    ["throttled: wall ≤ 1.5 × unthrottled", thr.wallSeconds <= 1.5 * live.wallSeconds],
    ["offline: ≤ 3 s", offline.wallSeconds <= 3],
    ["offline: peak RSS ≤ 600 MB", offline.peakRssMb <= 600],
  ];
  log("\ntargets:");
  for (const [name, ok] of checks) log(`  ${ok ? "met " : "MISSED"}  ${name}`);

  const pick = (x: typeof live) => ({
    buckets: x.buckets,
    callsPerBucket: x.callsPerBucket,
    wallSeconds: x.wallSeconds,
    lowerBoundSeconds: x.lowerBoundSeconds,
    ratio: x.ratio,
    cpuMsPerCall: x.cpuMsPerCall,
    peakRssMb: x.peakRssMb,
  });
  log(
    JSON.stringify({
      accounts: live.accounts,
      ...pick(live),
      distinctTargets: targets,
      totalCalls: live.totalCalls,
      nonTargetCallsPerBucket: live.nonTargetCallsPerBucket,
      callsByOperation: live.callsByOperation,
      bareSdkCpuMsPerCall: bare ?? null,
      throttled: { ...pick(thr), errors: thr.errors, totalCalls: thr.totalCalls, wallVsUnthrottled: r2(thr.wallSeconds / live.wallSeconds) },
      offline,
      checkDelivery: dl,
    }),
  );
}

try {
  await main();
} finally {
  cleanup();
}
