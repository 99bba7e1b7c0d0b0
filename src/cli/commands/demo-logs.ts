/**
 * `demo logs parse | summarize | query`: the logs commands against the simulated organization's
 * log buckets (in-process simulator on loopback, dummy credentials). Without SOURCE they read
 * every log (target) bucket of the demo; each bucket is read with its owner account's role.
 */
import type { Command } from "@commander-js/extra-typings";
import { createStyle, colorEnabled } from "../../output/style.js";
import { withDemoSim, type DemoEnv } from "../demo-env.js";
import { addLogsSubcommands, type LogsContext } from "./logs.js";

type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Where the simulated organization's sources deliver their logs, as s3:// sources: each logging
 * configuration's target bucket + prefix (a prefix inside another one of the same bucket is
 * read once, through the shorter one). Other objects in the log buckets (archive copies) are
 * not read unless asked for.
 */
export function demoLogSources(env: DemoEnv): string[] {
  const byBucket = new Map<string, Set<string>>();
  for (const b of env.sim.state.buckets.values()) {
    const l = b.logging;
    if (!l || !env.sim.state.buckets.has(l.targetBucket)) continue;
    let set = byBucket.get(l.targetBucket);
    if (!set) byBucket.set(l.targetBucket, (set = new Set()));
    set.add(l.targetPrefix);
  }
  const out: string[] = [];
  for (const bucket of [...byBucket.keys()].sort()) {
    const prefixes = [...(byBucket.get(bucket) as Set<string>)].sort();
    const kept = prefixes.filter((p) => !prefixes.some((q) => q !== p && p.startsWith(q)));
    for (const p of kept) out.push(`s3://${bucket}/${p}`);
  }
  return out;
}

function demoContext(env: DemoEnv): LogsContext {
  return {
    s3: {
      endpointUrl: env.endpoint,
      credentials: env.credentials,
      region: env.region,
      accountFor: (bucket) => env.sim.state.buckets.get(bucket)?.account,
    },
    defaultSources: () => demoLogSources(env),
    forPeople: true,
    header: () =>
      `${createStyle(colorEnabled(process.stderr)).bold("s3-log-auditor demo logs")}: reading the log buckets of a ${"simulated"} AWS organization at ${env.endpoint}.\n` +
      "No AWS account or credentials are used and nothing leaves this machine.\n\n",
  };
}

/** Adds `logs` (parse, summarize, query) under `demo`. */
export function registerDemoLogs(demo: Command): void {
  const logs = (demo as unknown as AnyCommand)
    .command("logs")
    .description("parse, summarize and query the simulated organization's server access logs (no AWS account needed)");
  addLogsSubcommands(logs, (fn) => withDemoSim((env) => fn(demoContext(env))), true);
}
