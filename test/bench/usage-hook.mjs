// Loaded with `node --import` into a benchmarked process: on exit, writes its CPU time and peak
// RSS (process.resourceUsage) as JSON to the file named by S3LA_BENCH_USAGE.
import { writeFileSync } from "node:fs";

const out = process.env.S3LA_BENCH_USAGE;
if (out) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    writeFileSync(out, JSON.stringify({ userUs: u.userCPUTime, systemUs: u.systemCPUTime, maxRssKb: u.maxRSS }));
  });
}
