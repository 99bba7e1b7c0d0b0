import { describe, expect, it } from "vitest";
import { athenaDdl, targetsFromSnapshot, type AthenaTarget } from "../../src/logs/athena.js";
import { unquoteSqlLiteral } from "../../src/logs/athena-regex.js";
import { cleanLine, parseLine } from "../../src/logs/parse.js";
import { LOG_FIELDS } from "../../src/logs/record.js";
import type { Snapshot } from "../../src/model/snapshot.js";
import { OAI, line } from "./lines.js";

const PARTITIONED: AthenaTarget = {
  logBucket: "central-logs",
  prefix: "logs/",
  keyFormat: "partitioned",
  partitionDateSource: "EventTime",
  region: "us-east-1",
  sources: [
    { account: "222222222222", region: "us-east-1", bucket: "web" },
    { account: "111111111111", region: "us-east-1", bucket: "api" },
  ],
};
const SIMPLE: AthenaTarget = { logBucket: "old-logs", prefix: "app/", keyFormat: "simple", sources: [] };
const NOW = Date.UTC(2026, 10, 30, 12);

function ddl(t: AthenaTarget): string {
  return athenaDdl(t, { database: "s3_access_logs_db", version: "test", now: NOW });
}

/** The input.regex of a generated DDL, as the JavaScript RegExp Athena's Java regex would be. */
function inputRegex(text: string): RegExp {
  const m = /'input\.regex' = ('(?:[^'\\]|\\.)*')/.exec(text);
  if (!m) throw new Error("no input.regex in the DDL");
  return new RegExp(unquoteSqlLiteral(m[1] as string));
}

describe("athena DDL", () => {
  it("keeps every column including sourceregion, in log order, and ends the regex with .*$", () => {
    const text = ddl(PARTITIONED);
    const cols = [...text.matchAll(/^ {2}`(\w+)` (STRING|BIGINT),?$/gm)].map((m) => m[1]);
    expect(cols).toEqual([...LOG_FIELDS]);
    expect(unquoteSqlLiteral(/'input\.regex' = ('(?:[^'\\]|\\.)*')/.exec(text)?.[1] as string)).toMatch(/\.\*\$$/);
  });

  it("its input.regex matches records with future trailing fields and old short ones, field for field", () => {
    const re = inputRegex(ddl(PARTITIONED));
    for (const text of [line({}, 27, ["f28", "f29"]), line({}, 26), line({}, 18), line({ requester: OAI }), line({ agent: '"x "y" z"' })]) {
      const m = re.exec(cleanLine(text));
      expect(m).not.toBeNull();
      const r = parseLine(cleanLine(text), "x", 1);
      if (typeof r === "string") throw new Error(r);
      expect(m?.[5]).toBe(r.requester ?? "-");
      expect(m?.[27] ?? null).toBe(r.sourceregion);
    }
  });

  it("partitioned: projection over account, Region, source bucket and day, enum values from what is known", () => {
    const text = ddl(PARTITIONED);
    expect(text).toContain("PARTITIONED BY (`account` STRING, `region` STRING, `source_bucket` STRING, `timestamp` STRING)");
    expect(text).toContain("'projection.account.values' = '111111111111,222222222222'");
    expect(text).toContain("'projection.source_bucket.values' = 'api,web'");
    expect(text).toContain("'projection.timestamp.format' = 'yyyy/MM/dd'");
    expect(text).toContain("'storage.location.template' = 's3://central-logs/logs/${account}/${region}/${source_bucket}/${timestamp}'");
    expect(text).toContain(`AND "timestamp" BETWEEN '2026/11/23' AND '2026/11/30'`);
    expect(text).toContain("LOCATION 's3://central-logs/logs/'");
  });

  it("partitioned without known sources: injected projection", () => {
    const text = ddl({ ...PARTITIONED, sources: [] });
    expect(text).toContain("'projection.account.type' = 'injected'");
    expect(text).not.toContain("projection.account.values");
  });

  it("simple: a table at the prefix, no partitions, and why", () => {
    const text = ddl(SIMPLE);
    expect(text).toContain("LOCATION 's3://old-logs/app/'");
    expect(text).not.toContain("PARTITIONED BY");
    expect(text).not.toContain("projection.enabled");
    expect(text).toMatch(/cannot be\n-- {3}partitioned/);
    expect(text).toContain("target-prefix-structured");
  });

  it("a typed view and correct example queries (anonymous is requester = '-' on the raw table)", () => {
    const text = ddl(SIMPLE);
    expect(text).toContain("CREATE OR REPLACE VIEW s3_access_logs_db.old_logs_app_typed AS");
    expect(text).toContain("NULLIF(requester, '-') AS requester");
    expect(text).toContain("parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z') AS requestdatetime");
    expect(text).toContain("WHERE requester = '-'");
    expect(text).not.toMatch(/requester IS NULL/);
    expect(text).toContain("WHERE sigv = 'SigV2'");
    expect(text).toContain("sum(bytessent) AS bytes_sent");
    expect(text).toContain("WHERE requester = 'arn:aws:iam::111122223333:user/alice'");
  });

  it("targets from a snapshot: one per log bucket + prefix + key format, with their sources", () => {
    const logging = (targetBucket: string, targetPrefix: string, partitioned: boolean) => ({
      status: "ok" as const,
      value: {
        targetBucket,
        targetPrefix,
        targetGrants: [],
        keyFormat: partitioned ? { type: "partitioned" as const, partitionDateSource: "EventTime" as const } : { type: "simple" as const },
        keyFormatExplicit: true,
      },
    });
    const snap = {
      buckets: [
        { account: "111111111111", region: "us-east-1", name: "logs-1", logging: { status: "ok", value: null } },
        { account: "111111111111", region: "us-east-1", name: "a", logging: logging("logs-1", "", true) },
        { account: "111111111111", region: "us-east-1", name: "b", logging: logging("logs-1", "", true) },
        { account: "111111111111", region: "us-east-1", name: "c", logging: logging("logs-1", "c/", false) },
        { account: "111111111111", region: "us-east-1", name: "d", logging: { status: "error", operation: "GetBucketLogging", code: "AccessDenied", message: "x" } },
      ],
    } as unknown as Snapshot;
    const ts = targetsFromSnapshot(snap);
    expect(ts).toEqual([
      { logBucket: "logs-1", prefix: "", keyFormat: "partitioned", partitionDateSource: "EventTime", region: "us-east-1", sources: [
        { account: "111111111111", region: "us-east-1", bucket: "a" },
        { account: "111111111111", region: "us-east-1", bucket: "b" },
      ] },
      { logBucket: "logs-1", prefix: "c/", keyFormat: "simple", region: "us-east-1", sources: [{ account: "111111111111", region: "us-east-1", bucket: "c" }] },
    ]);
  });
});
