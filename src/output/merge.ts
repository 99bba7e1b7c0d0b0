/**
 * `merge`: combines the JSON reports of sharded scans (`scan --shard I/N`) into one report that
 * equals a single full scan except for its timestamps (startedAt = earliest, finishedAt = latest).
 * Refuses (InputError, exit 2) other schema versions, other tool versions, reports of different
 * scans (rules, partition, bucket globs), a mix of sharded and unsharded reports, overlapping
 * shards (the same shard twice, or an account in two reports) and missing shards.
 */
import { readFile } from "node:fs/promises";
import { InputError, term, worded } from "../base/errors.js";
import { compareFindings } from "../model/finding.js";
import type { CollectionError } from "../model/snapshot.js";
import { mergeExceptions } from "./exceptions.js";
import {
  REPORT_SCHEMA_VERSION,
  ReportSchema,
  compareBuckets,
  compareErrors,
  emptySeverityCounts,
  emptyStatusCounts,
  type Report,
} from "./report.js";

export interface NamedReport {
  file: string;
  report: Report;
}

/** Parses one report file; one-line InputError on anything unusable. */
export function parseReport(text: string, file: string): Report {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError(worded`${file} is not valid JSON (expected a report of ${term("jsonReport")})`);
  }
  if (typeof data === "object" && data !== null && (data as { kind?: unknown }).kind === "s3-log-auditor-snapshot") {
    throw new InputError(worded`${file} is a snapshot (${term("savedSnapshot")}), not a report of ${term("jsonReport")}`);
  }
  if (typeof data !== "object" || data === null || !("schemaVersion" in data)) {
    throw new InputError(worded`${file} is not a report of ${term("jsonReport")} (no schemaVersion)`);
  }
  const version = (data).schemaVersion;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new InputError(
      `${file} has report schemaVersion ${JSON.stringify(version)}; this tool merges version ${REPORT_SCHEMA_VERSION} only`,
    );
  }
  const parsed = ReportSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InputError(`${file} is not a valid report: ${issue ? `${issue.path.join(".") || "top level"}: ${issue.message}` : "invalid"}`);
  }
  return parsed.data;
}

export async function loadReport(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(`cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
  return parseReport(text, file);
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const x = a ?? [];
  const y = b ?? [];
  return x.length === y.length && x.every((v, i) => v === y[i]);
}

function errorKey(e: CollectionError): string {
  return JSON.stringify([e.account, e.region ?? null, e.bucket ?? null, e.operation, e.code, e.message]);
}

export function mergeReports(inputs: readonly NamedReport[]): Report {
  const first = inputs[0];
  if (!first) throw new InputError("merge needs at least one report file");
  const ref = first.report;

  for (const { file, report } of inputs.slice(1)) {
    if (report.tool.name !== ref.tool.name || report.tool.version !== ref.tool.version) {
      throw new InputError(
        `${file} was written by ${report.tool.name} ${report.tool.version}, ${first.file} by ${ref.tool.name} ${ref.tool.version}: merge reports of one version`,
      );
    }
    if (report.scope.partition !== ref.scope.partition) {
      throw new InputError(`${file} covers partition ${report.scope.partition}, ${first.file} ${ref.scope.partition}`);
    }
    if (!sameList(report.scope.rules, ref.scope.rules)) {
      throw new InputError(worded`${file} and ${first.file} evaluated different rules (${term("ruleSelection")}): not shards of one scan`);
    }
    if (!sameList(report.scope.bucketGlobs, ref.scope.bucketGlobs)) {
      throw new InputError(worded`${file} and ${first.file} used different ${term("bucketFilters")}: not shards of one scan`);
    }
  }

  // Passing results are listed by all reports (--include-passed) or by none.
  const listing = inputs.filter((i) => i.report.summary.status.pass > 0);
  const withPasses = listing.filter((i) => i.report.findings.some((f) => f.status === "pass"));
  if (withPasses.length > 0 && withPasses.length < listing.length) {
    const without = listing.find((i) => !withPasses.includes(i))!;
    throw new InputError(worded`${withPasses[0]!.file} lists passing results (${term("passesKept")}) but ${without.file} does not: not shards of one scan`);
  }

  const sharded = inputs.filter((i) => i.report.scope.shard);
  if (sharded.length > 0 && sharded.length < inputs.length) {
    const plain = inputs.find((i) => !i.report.scope.shard)!;
    throw new InputError(worded`${plain.file} is not a shard (${term("shardOfScan")}) but ${sharded[0]!.file} is: merge shards of one scan`);
  }
  if (sharded.length > 0) {
    const count = ref.scope.shard!.count;
    const byIndex = new Map<number, string>();
    for (const { file, report } of inputs) {
      const sh = report.scope.shard!;
      if (sh.count !== count) throw new InputError(`${file} is shard ${sh.index}/${sh.count} but ${first.file} is of ${count} shards`);
      const other = byIndex.get(sh.index);
      if (other !== undefined) throw new InputError(`overlapping shards: ${other} and ${file} are both shard ${sh.index}/${count}`);
      byIndex.set(sh.index, file);
    }
    const missing: string[] = [];
    for (let i = 1; i <= count; i++) if (!byIndex.has(i)) missing.push(`${i}/${count}`);
    if (missing.length > 0) throw new InputError(`missing shard${missing.length > 1 ? "s" : ""} ${missing.join(", ")}: merge every shard of the scan`);
  }

  const accountFile = new Map<string, string>();
  for (const { file, report } of inputs) {
    for (const a of report.scope.accounts) {
      const other = accountFile.get(a);
      if (other !== undefined) throw new InputError(`overlapping reports: account ${a} is in both ${other} and ${file}`);
      accountFile.set(a, file);
    }
  }

  const status = emptyStatusCounts();
  const failBySeverity = emptySeverityCounts();
  const regions = new Set<string>();
  const errors = new Map<string, CollectionError>();
  let buckets = 0;
  let complete = true;
  let startedAt = ref.startedAt;
  let finishedAt = ref.finishedAt;
  for (const { report } of inputs) {
    const s = report.summary;
    for (const k of Object.keys(status) as (keyof typeof status)[]) status[k] += s.status[k];
    for (const k of Object.keys(failBySeverity) as (keyof typeof failBySeverity)[]) failBySeverity[k] += s.failBySeverity[k];
    buckets += s.buckets;
    complete &&= s.complete;
    for (const r of report.scope.regions) regions.add(r);
    for (const e of report.errors) errors.set(errorKey(e), e);
    if (Date.parse(report.startedAt) < Date.parse(startedAt)) startedAt = report.startedAt;
    if (Date.parse(report.finishedAt) > Date.parse(finishedAt)) finishedAt = report.finishedAt;
  }

  const scope: Report["scope"] = {
    accounts: [...accountFile.keys()].sort(),
    regions: [...regions].sort(),
    partition: ref.scope.partition,
    rules: [...ref.scope.rules],
  };
  const names = new Map<string, string>();
  for (const { report } of inputs) for (const [id, name] of Object.entries(report.scope.accountNames ?? {})) names.set(id, name);
  if (names.size > 0) scope.accountNames = Object.fromEntries([...names].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  if (ref.scope.bucketGlobs) scope.bucketGlobs = [...ref.scope.bucketGlobs];

  const exceptions = mergeExceptions(inputs.map((i) => ({ file: i.file, exceptions: i.report.exceptions })));
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    tool: { ...ref.tool },
    startedAt,
    finishedAt,
    scope,
    summary: { accounts: scope.accounts.length, buckets, complete: complete && errors.size === 0, status, failBySeverity },
    buckets: inputs.flatMap((i) => i.report.buckets).sort(compareBuckets),
    findings: inputs.flatMap((i) => i.report.findings).sort(compareFindings),
    errors: [...errors.values()].sort(compareErrors),
    ...(exceptions ? { exceptions } : {}),
  };
}
