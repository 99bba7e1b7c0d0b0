/**
 * The Athena DDL for a log bucket (reference §5.4, §5.5): a raw table with our tolerant
 * `input.regex` (every field incl. `sourceregion`, nested optional groups, trailing `.*$`), a
 * typed view, and the example queries. Partitioned keys get partition projection over account,
 * Region, source bucket and day (known values as `enum`, otherwise `injected`), so one table
 * covers the whole log bucket prefix and queries prune by day; simple keys get a table at the
 * prefix, with the reason it cannot be partitioned.
 */
import type { Snapshot } from "../model/snapshot.js";
import { regexSqlLiteral } from "./athena-regex.js";
import { EXAMPLE_QUERIES, fillParams } from "./queries.js";
import { LOG_FIELDS, type LogField } from "./record.js";

export interface AthenaSource {
  account: string;
  region: string;
  bucket: string;
}

/** One log location: a bucket + prefix with one key format. */
export interface AthenaTarget {
  logBucket: string;
  prefix: string;
  keyFormat: "simple" | "partitioned";
  partitionDateSource?: "EventTime" | "DeliveryTime";
  /** The log bucket's Region, when known. */
  region?: string;
  /** Source buckets known to log here. */
  sources: AthenaSource[];
}

export interface AthenaOptions {
  database: string;
  /** Table name (default: from the log bucket and prefix). */
  table?: string;
  /** First day of the partition projection range (yyyy/MM/dd). */
  projectionStart?: string;
  /** For the example queries' day filter (default: now). */
  now?: number;
  version: string;
}

const RAW_TYPES: Partial<Record<LogField, string>> = { bytessent: "BIGINT", objectsize: "BIGINT" };

/** Lower-case letters, digits and underscores (an Athena identifier that needs no quoting). */
export function athenaName(s: string): string {
  const n = s
    .toLowerCase()
    .replace(/[^a-z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .replace(/_+/g, "_");
  return /^[a-z]/.test(n) ? n : `t_${n}`;
}

function tableName(t: AthenaTarget, o: AthenaOptions): string {
  return o.table ?? athenaName(`${t.logBucket}_${t.prefix}`.replace(/_$/, ""));
}

function sqlString(s: string): string {
  return `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function uniqueSorted(xs: string[]): string[] {
  return [...new Set(xs)].sort();
}

function projection(name: string, values: string[]): string[] {
  if (values.length === 0) return [`  'projection.${name}.type' = 'injected'`];
  return [`  'projection.${name}.type' = 'enum'`, `  'projection.${name}.values' = ${sqlString(values.join(","))}`];
}

function day(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, "/");
}

/** The raw table: every column STRING except bytessent/objectsize (as AWS's DDL). */
function rawTable(t: AthenaTarget, o: AthenaOptions, full: string): string[] {
  const location = `s3://${t.logBucket}/${t.prefix}`;
  const cols = LOG_FIELDS.map((f, i) => `  \`${f}\` ${RAW_TYPES[f] ?? "STRING"}${i < LOG_FIELDS.length - 1 ? "," : ""}`);
  const out = [`CREATE EXTERNAL TABLE IF NOT EXISTS ${full} (`, ...cols, ")"];
  if (t.keyFormat === "partitioned") out.push("PARTITIONED BY (`account` STRING, `region` STRING, `source_bucket` STRING, `timestamp` STRING)");
  out.push(
    "ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'",
    `WITH SERDEPROPERTIES ('input.regex' = ${regexSqlLiteral()})`,
    "STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'",
    "OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'",
    `LOCATION ${sqlString(location)}`,
  );
  if (t.keyFormat === "partitioned") {
    const start = o.projectionStart ?? "2023/11/01";
    out.push(
      "TBLPROPERTIES (",
      "  'projection.enabled' = 'true',",
      ...[
        ...projection("account", uniqueSorted(t.sources.map((s) => s.account))),
        ...projection("region", uniqueSorted(t.sources.map((s) => s.region))),
        ...projection("source_bucket", uniqueSorted(t.sources.map((s) => s.bucket))),
        "  'projection.timestamp.type' = 'date'",
        "  'projection.timestamp.format' = 'yyyy/MM/dd'",
        `  'projection.timestamp.range' = '${start},NOW'`,
        "  'projection.timestamp.interval' = '1'",
        "  'projection.timestamp.interval.unit' = 'DAYS'",
        `  'storage.location.template' = ${sqlString(`${location}\${account}/\${region}/\${source_bucket}/\${timestamp}`)}`,
      ].map((l, i, all) => (i < all.length - 1 ? `${l},` : l)),
      ")",
    );
  }
  return [`${out.join("\n")};`];
}

function stripQuotes(col: string): string {
  return `NULLIF(NULLIF(regexp_replace(${col}, '^"(.*)"$', '$1'), '-'), '')`;
}

/** The typed view: NULL for '-', quotes stripped, a timestamp, integers. */
function typedView(t: AthenaTarget, full: string, view: string): string {
  const cols = LOG_FIELDS.map((f) => {
    if (f === "requestdatetime") return `  parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z') AS requestdatetime`;
    if (f === "request_uri" || f === "referrer" || f === "useragent") return `  ${stripQuotes(f)} AS ${f}`;
    if (f === "httpstatus") return `  TRY_CAST(NULLIF(httpstatus, '-') AS INTEGER) AS httpstatus`;
    if (f === "totaltime" || f === "turnaroundtime") return `  TRY_CAST(NULLIF(${f}, '-') AS BIGINT) AS ${f}`;
    if (f === "bytessent" || f === "objectsize") return `  ${f}`;
    return `  NULLIF(${f === "key" ? '"key"' : f}, '-') AS ${f === "key" ? '"key"' : f}`;
  });
  if (t.keyFormat === "partitioned") cols.push("  account", "  region", "  source_bucket", '  "timestamp"');
  return `CREATE OR REPLACE VIEW ${view} AS\nSELECT\n${cols.join(",\n")}\nFROM ${full};`;
}

/** Header comment: what this is and how to run it. */
function header(t: AthenaTarget, o: AthenaOptions, full: string, view: string): string[] {
  const where = `s3://${t.logBucket}/${t.prefix}`;
  const fmt = t.keyFormat === "partitioned" ? `partitioned (${t.partitionDateSource ?? "EventTime"})` : "simple";
  const lines = [
    `-- Athena table for the S3 server access logs under ${where} (key format: ${fmt}).`,
    `-- Generated by s3-log-auditor ${o.version}. Run each statement in the Athena query editor${t.region ? ` in ${t.region} (the log bucket's Region)` : " in the log bucket's Region"}.`,
    `-- ${full}: the records as logged ('-' for empty), parsed by a regex that keeps every field`,
    "--   including sourceregion, keeps the fields of older 18–26-field records, accepts fields AWS",
    "--   adds later (trailing .*$), requesters with spaces and unescaped quotes inside quoted fields.",
    `-- ${view}: the same with NULL for '-', a timestamp and integers (what \`logs query\` gives you locally).`,
  ];
  if (t.keyFormat === "partitioned") {
    lines.push(
      "-- Partition projection over account / region / source_bucket / day: one table for the whole",
      "--   prefix, no MSCK REPAIR or crawler; filter on \"timestamp\" (yyyy/MM/dd) to read only those days.",
    );
    if (t.partitionDateSource === "DeliveryTime") lines.push('--   DeliveryTime keys: a day holds what was delivered that day; widen the "timestamp" range by a day.');
    if (t.sources.length === 0) lines.push("--   No source is known: account, region and source_bucket are `injected` (every query must name them).");
  } else {
    lines.push(
      "-- Simple keys (prefix + YYYY-MM-DD-hh-mm-ss-UNIQUE) have no date folders, so this table cannot be",
      "--   partitioned: every query reads every log object under the prefix. To partition by day, switch",
      "--   the source buckets to the partitioned key format (`s3-log-auditor fix --rules target-prefix-structured`).",
    );
  }
  if (t.sources.length > 0) lines.push(`-- Sources logging here: ${t.sources.map((s) => `${s.bucket} (${s.account}, ${s.region})`).join(", ")}.`);
  return lines;
}

/** The DDL, view and example queries for one target. */
export function athenaDdl(t: AthenaTarget, o: AthenaOptions): string {
  const db = athenaName(o.database);
  const table = tableName(t, o);
  const full = `${db}.${table}`;
  const view = `${db}.${table}_typed`;
  const now = o.now ?? Date.now();
  const daysFilter = t.keyFormat === "partitioned" ? `\n  AND "timestamp" BETWEEN '${day(now - 7 * 86_400_000)}' AND '${day(now)}'` : "";
  const examples = EXAMPLE_QUERIES.map((q) => {
    const sql = fillParams(q.athena, q).replace(/\bFROM TABLE\b/, `FROM ${full}`).replace(/WHERE_DAYS/g, daysFilter);
    return `-- ${q.question}\n${sql};`;
  });
  return [
    ...header(t, o, full, view),
    "",
    `CREATE DATABASE IF NOT EXISTS ${db};`,
    "",
    ...rawTable(t, o, full),
    "",
    typedView(t, full, view),
    "",
    "-- Example queries (over the raw table: anonymous is requester = '-'; on the typed view it is IS NULL).",
    "",
    examples.join("\n\n"),
    "",
  ].join("\n");
}

/** The log locations a snapshot knows: one per (target bucket, prefix, key format), with their sources. */
export function targetsFromSnapshot(s: Snapshot): AthenaTarget[] {
  const regionOf = new Map(s.buckets.map((b) => [b.name, b.region]));
  const byKey = new Map<string, AthenaTarget>();
  for (const b of s.buckets) {
    if (b.logging.status !== "ok" || !b.logging.value) continue;
    const l = b.logging.value;
    const kf = l.keyFormat;
    const key = `${l.targetBucket}\u0000${l.targetPrefix}\u0000${kf.type}`;
    let t = byKey.get(key);
    if (!t) {
      t = { logBucket: l.targetBucket, prefix: l.targetPrefix, keyFormat: kf.type, sources: [] };
      if (kf.type === "partitioned") t.partitionDateSource = kf.partitionDateSource;
      const region = regionOf.get(l.targetBucket);
      if (region) t.region = region;
      byKey.set(key, t);
    }
    t.sources.push({ account: b.account, region: b.region, bucket: b.name });
  }
  return [...byKey.values()].sort((a, b) => (a.logBucket + a.prefix < b.logBucket + b.prefix ? -1 : 1));
}
