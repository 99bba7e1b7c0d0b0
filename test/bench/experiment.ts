import type { S3ClientConfig } from "@aws-sdk/client-s3";
import { ClientPool, collectSnapshot } from "../../src/collect/index.js";
const [endpoint, variant] = process.argv.slice(2);
const v = new Set((variant ?? "").split(","));
class P extends ClientPool {
  protected override s3Config(a: string, r: string): S3ClientConfig {
    const c = super.s3Config(a, r);
    if (v.has("express")) (c as Record<string, unknown>).disableS3ExpressSessionAuth = true;
    return c;
  }
  override s3Sync(a: string, r: string) {
    const c = super.s3Sync(a, r);
    const x = c as unknown as { _done?: boolean };
    if (!x._done) {
      x._done = true;
      if (v.has("mw")) for (const n of ["recursionDetectionMiddleware", "loggerMiddleware", "addExpectContinueMiddleware", "s3ExpressMiddleware", "regionRedirectMiddleware", "regionRedirectEndpointMiddleware", "validateBucketNameMiddleware", "s3ExpiresMiddleware", "ssecMiddleware", "locationConstraintMiddleware", "getCheckContentLengthHeaderPlugin"]) c.middlewareStack.remove(n);
      if (v.has("ua")) c.middlewareStack.remove("getUserAgentMiddleware");
    }
    return c;
  }
}
const pool = new P({ endpointUrl: endpoint as string, credentials: async () => ({ accessKeyId: "test", secretAccessKey: "test" }) });
await pool.init();
// warm-up, then measure
await collectSnapshot({ pool, accounts: ["100000000000"] });
const m0 = await (await fetch(`${endpoint}/_sim/metrics`)).json() as { total: number };
const before = process.cpuUsage();
const t0 = performance.now();
await collectSnapshot({ pool, org: true });
const cpu = process.cpuUsage(before);
const m1 = await (await fetch(`${endpoint}/_sim/metrics`)).json() as { total: number };
const calls = m1.total - m0.total;
console.log(JSON.stringify({ variant, calls, wall: Math.round(performance.now() - t0), cpuMsPerCall: +((cpu.user + cpu.system) / 1000 / calls).toFixed(3) }));
pool.destroy();
