/**
 * The logs part of `npm run bench` (`npm run bench -- --only logs` runs it alone): a generated
 * file of ≥ 500 MB of realistic log lines (test/bench/logs-gen.ts) in the temp directory, read
 * in the same run by, each in its own process:
 *   bare       read + decode + split into lines            (reference b)
 *   regex      + AWS's documented Athena input.regex per line (reference a)
 *   regex → records  + the regex's groups turned into the same typed records (for context)
 *   parser     + our parser, no output
 *   logs parse the command, JSON lines to /dev/null
 *   logs summarize the command, --format json to /dev/null
 * Throughput is given per second of CPU time (the machine is shared, so CPU time is steadier than
 * wall time; wall figures are printed too). BENCH_LOGS_MB sets the size (default 512).
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { generateLogFile } from "./logs-gen.js";

/** One measured child run of the built CLI (what `measure` in run.ts returns). */
export interface Measured {
  code: number | null;
  wallMs: number;
  cpuMs: number;
  peakRssMb: number;
  stdoutFile: string;
  stderr: string;
}

export interface LogsBenchContext {
  cli: string;
  root: string;
  tmp: string;
  measure: (args: string[], extraEnv?: Record<string, string>, stdoutTo?: string) => Promise<Measured>;
  log: (s: string) => void;
}

const r1 = (n: number) => Math.round(n * 10) / 10;
const r2 = (n: number) => Math.round(n * 100) / 100;

/** Runs the logs benchmark and prints its figures; the last line is one JSON object. */
export async function logsBench(ctx: LogsBenchContext): Promise<void> {
  const mb = process.env.BENCH_LOGS_MB ? Number(process.env.BENCH_LOGS_MB) : 512;
  const file = join(ctx.tmp, "access.log");
  ctx.log(`s3-log-auditor logs benchmark: generating ${mb} MB of server access log lines`);
  const gen = await generateLogFile(file, mb * 1e6);
  const bytes = statSync(file).size;
  ctx.log(`  ${gen.lines} lines, ${r1(bytes / 1e6)} MB (${Math.round(bytes / gen.lines)} bytes per line) in ${file}`);

  const child = join(ctx.root, "test/bench/logs-child.ts");
  const runs: { name: string; args: string[] }[] = [
    { name: "bare line split (b)", args: ["--import", "tsx", child, "bare", file] },
    { name: "AWS Athena regex (a)", args: ["--import", "tsx", child, "regex", file] },
    { name: "regex → records", args: ["--import", "tsx", child, "regex-records", file] },
    { name: "our parser, no output", args: ["--import", "tsx", child, "parse", file] },
    { name: "logs parse → JSON lines", args: [ctx.cli, "logs", "parse", file, "--quiet"] },
    { name: "logs summarize", args: [ctx.cli, "logs", "summarize", file, "--format", "json", "--quiet"] },
  ];
  const results: Record<string, { mbPerCpuS: number; recordsPerCpuS: number; mbPerWallS: number; cpuS: number; wallS: number; peakRssMb: number }> = {};
  for (const run of runs) {
    const m = await ctx.measure(run.args, {}, "/dev/null");
    if (m.code !== 0) throw new Error(`${run.name} exited ${m.code}: ${m.stderr.trim().slice(-400)}`);
    const cpuS = m.cpuMs / 1000;
    const wallS = m.wallMs / 1000;
    results[run.name] = {
      mbPerCpuS: r1(bytes / 1e6 / cpuS),
      recordsPerCpuS: Math.round(gen.lines / cpuS),
      mbPerWallS: r1(bytes / 1e6 / wallS),
      cpuS: r2(cpuS),
      wallS: r2(wallS),
      peakRssMb: r1(m.peakRssMb),
    };
    const x = results[run.name] as (typeof results)[string];
    ctx.log(`  ${run.name.padEnd(26)} ${String(x.mbPerCpuS).padStart(7)} MB/s ${String(x.recordsPerCpuS).padStart(9)} lines/s (CPU ${x.cpuS} s; wall ${x.wallS} s = ${x.mbPerWallS} MB/s)  peak RSS ${x.peakRssMb} MB`);
  }
  const get = (n: string) => results[n] as (typeof results)[string];
  const bare = get("bare line split (b)");
  const regex = get("AWS Athena regex (a)");
  const parser = get("our parser, no output");
  const regexRecords = get("regex → records");
  const parse = get("logs parse → JSON lines");
  const summarize = get("logs summarize");
  const ratios = {
    parseVsRegex: r2(parse.mbPerCpuS / regex.mbPerCpuS),
    parseVsBare: r2(parse.mbPerCpuS / bare.mbPerCpuS),
    parserVsRegex: r2(parser.mbPerCpuS / regex.mbPerCpuS),
    parserVsBare: r2(parser.mbPerCpuS / bare.mbPerCpuS),
    parserVsRegexRecords: r2(parser.mbPerCpuS / regexRecords.mbPerCpuS),
    summarizeVsParse: r2(summarize.cpuS / parse.cpuS),
  };
  ctx.log(`  logs parse = ${ratios.parseVsRegex} × the regex, ${ratios.parseVsBare} × the bare split (parser alone: ${ratios.parserVsRegex} ×, ${ratios.parserVsBare} ×; ${ratios.parserVsRegexRecords} × a regex parser making the same records); summarize = ${ratios.summarizeVsParse} × parse's CPU time`);
  const checks: [string, boolean][] = [
    ["logs parse ≥ 1.0 × the Athena regex", ratios.parseVsRegex >= 1],
    ["logs parse ≥ 0.4 × the bare line split", ratios.parseVsBare >= 0.4],
    ["peak RSS ≤ 150 MB (parse and summarize)", parse.peakRssMb <= 150 && summarize.peakRssMb <= 150],
    ["logs summarize ≤ 1.5 × logs parse", ratios.summarizeVsParse <= 1.5],
  ];
  ctx.log("\nlogs targets:");
  for (const [name, ok] of checks) ctx.log(`  ${ok ? "met " : "MISSED"}  ${name}`);
  ctx.log(JSON.stringify({ logs: { megabytes: r1(bytes / 1e6), lines: gen.lines, results, ratios } }));
}
