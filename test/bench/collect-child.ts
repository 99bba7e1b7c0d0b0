/**
 * Collection alone, for profiling: collectSnapshot --org against ENDPOINT; prints CPU and memory.
 * Usage: tsx test/bench/collect-child.ts ENDPOINT [concurrency]
 */
import { collectSnapshot } from "../../src/collect/index.js";

const [endpoint, conc] = process.argv.slice(2);
const t0 = performance.now();
let area = 0;
let last = t0;
let inFlight = 0;
const before = process.cpuUsage();
const snap = await collectSnapshot({
  endpointUrl: endpoint,
  credentials: async () => ({ accessKeyId: "test", secretAccessKey: "test" }),
  org: true,
  concurrency: Number(conc ?? 32),
  ...(process.env.WITH_SIGNAL ? { signal: new AbortController().signal } : {}),
  onProgress: (e) => {
    if (e.type !== "calls") return;
    const now = performance.now();
    area += inFlight * (now - last);
    last = now;
    inFlight = e.inFlight;
  },
});
const cpu = process.cpuUsage(before);
if (process.env.SNAPSHOT_OUT) (await import("node:fs")).writeFileSync(process.env.SNAPSHOT_OUT, JSON.stringify(snap));
const wallMs = performance.now() - t0;
const mu = process.memoryUsage();
process.stderr.write(JSON.stringify({ rss: mu.rss >> 20, heapTotal: mu.heapTotal >> 20, heapUsed: mu.heapUsed >> 20, external: mu.external >> 20, arrayBuffers: mu.arrayBuffers >> 20 }) + "\n");
(globalThis as { gc?: () => void }).gc?.();
const ru = process.resourceUsage();
process.stdout.write(
  `${JSON.stringify({ buckets: snap.buckets.length, errors: snap.errors.length, wallMs: Math.round(wallMs), avgInFlight: Math.round((area / wallMs) * 10) / 10, cpuMs: Math.round((cpu.user + cpu.system) / 1000), userMs: Math.round(cpu.user / 1000), sysMs: Math.round(cpu.system / 1000), maxRssMb: Math.round(ru.maxRSS / 1024), heapMb: Math.round(process.memoryUsage().heapUsed / 1048576) })}\n`,
);
