/**
 * Reference point for `npm run bench`: a bare AWS SDK GetBucketLogging loop (one client,
 * default SDK settings, keep-alive agent) against the simulator. Prints CPU ms per call.
 * Usage: tsx test/bench/bare-loop.ts ENDPOINT BUCKET CALLS CONCURRENCY
 */
import { GetBucketLoggingCommand, S3Client } from "@aws-sdk/client-s3";

const [endpoint, bucket, callsArg, concArg] = process.argv.slice(2);
const calls = Number(callsArg ?? 2000);
const concurrency = Number(concArg ?? 32);
const client = new S3Client({
  region: "us-east-1",
  endpoint,
  forcePathStyle: true,
  credentials: { accessKeyId: "test", secretAccessKey: "test" },
});
await client.send(new GetBucketLoggingCommand({ Bucket: bucket }));
const before = process.cpuUsage();
const t0 = performance.now();
let next = 0;
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < calls) {
      next++;
      await client.send(new GetBucketLoggingCommand({ Bucket: bucket }));
    }
  }),
);
const cpu = process.cpuUsage(before);
const wall = performance.now() - t0;
process.stdout.write(`${JSON.stringify({ calls, wallMs: Math.round(wall), cpuMsPerCall: (cpu.user + cpu.system) / 1000 / calls })}\n`);
