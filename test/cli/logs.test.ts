/** The `logs` commands from the built CLI on the fixture logs (test/fixtures/logs). */
import { spawn } from "node:child_process";
import { cpSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { parse as parseCsv } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE_QUERIES } from "../../src/logs/queries.js";
import { line } from "../logs/lines.js";
import { CLI, CONTROL_CHARS, ROOT, cleanEnv, expectUsageError, runCli, tempDir, type CliResult } from "./helpers.js";

const FIX = join(ROOT, "test/fixtures/logs");
const tmp = tempDir();
const GZ_DIR = tmp.file("logs");

beforeAll(() => {
  cpSync(FIX, GZ_DIR, { recursive: true });
  // the partitioned object gzipped (same records), as logs often are once archived
  const p = join(GZ_DIR, "partitioned/111122223333/us-east-1/demo-data/2026/11/30/2026-11-30-00-00-00-0F1E2D3C4B5A6978");
  writeFileSync(`${p}.gz`, gzipSync(readFileSync(p)));
  rmSync(p);
  writeFileSync(join(GZ_DIR, "notes.md"), "not a log");
});
afterAll(() => tmp.cleanup());

function jsonLines(s: string): Record<string, unknown>[] {
  return s.trim() === "" ? [] : s.trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
}

function runWithStdin(args: string[], input: string): Promise<CliResult> {
  return runCli(args, { input });
}

describe("logs parse", () => {
  it("a directory: both key formats, .gz transparently, BOM and CRLF, broken lines reported with file, line and reason", async () => {
    const r = await runCli(["logs", "parse", GZ_DIR]);
    expect(r.code).toBe(0);
    const recs = jsonLines(r.stdout);
    expect(recs).toHaveLength(21);
    expect(new Set(recs.map((x) => x.bucket_name))).toEqual(new Set(["demo-app", "demo-data"]));
    const data = recs.filter((x) => x.bucket_name === "demo-data");
    expect(data[0]?._source).toMatch(/\.gz$/);
    expect(data[0]).toMatchObject({ bucketowner: expect.stringMatching(/^[0-9a-f]{64}$/), sourceregion: null, hostid: expect.any(String) });
    expect(data.find((x) => x.requestid === "B2000000000000004")).toMatchObject({ extra: ["future-field-28", "a quoted future field"], sourceregion: "us-east-1" });
    expect(r.stderr).toContain("3 lines could not be parsed:");
    expect(r.stderr).toMatch(/quirks\/2026-11-30-12-10-00-ABCDEFABCDEF0123:6: fewer than 18 fields/);
    expect(r.stderr).toMatch(/:7: field 3 is not a \[bracketed time\]/);
  });

  it("--strict exits 1 on rejected lines; --rejects keeps them all", async () => {
    const rejects = tmp.file("rejects.jsonl");
    const r = await runCli(["logs", "parse", join(FIX, "quirks"), "--strict", "--rejects", rejects]);
    expect(r.code).toBe(1);
    const kept = jsonLines(readFileSync(rejects, "utf8"));
    expect(kept.map((k) => k.line)).toEqual([6, 7, 8]);
    expect(kept[1]).toMatchObject({ reason: "field 3 is not a [bracketed time]", text: "<html><body>502 Bad Gateway</body></html>" });
    const ok = await runCli(["logs", "parse", join(FIX, "demo-app"), "--strict"]);
    expect(ok.code).toBe(0);
  });

  it("stdin (-)", async () => {
    const r = await runWithStdin(["logs", "parse", "-"], `${line({ requestId: "STDIN1" })}\r\n${line({ requestId: "STDIN2" })}`);
    expect(r.code).toBe(0);
    expect(jsonLines(r.stdout).map((x) => [x.requestid, x._source, x._line])).toEqual([
      ["STDIN1", "-", 1],
      ["STDIN2", "-", 2],
    ]);
  });

  it("filters: --status, --operation, --requester (- = anonymous), --bucket, time range", async () => {
    const ids = async (...flags: string[]) => jsonLines((await runCli(["logs", "parse", FIX, ...flags])).stdout).map((x) => x.requestid);
    expect(await ids("--status", "403")).toEqual(["A1000000000000003", "A1000000000000004", "A1000000000000006"]);
    expect(await ids("--status", "5xx")).toEqual(["B2000000000000002"]);
    expect(await ids("--operation", "*.delete.*")).toEqual(["A1000000000000007", "A1000000000000010"]);
    expect(await ids("--requester", "-")).toEqual(["A1000000000000005", "A1000000000000006"]);
    expect(await ids("--requester", "*user/bob")).toEqual(["A1000000000000003", "A1000000000000004"]);
    expect((await ids("--bucket", "demo-data")).length).toBe(5);
    expect(await ids("--since", "2026-11-30T12:02:00Z", "--until", "2026-11-30T12:03:00Z")).toEqual(["C3000000000000002", "2f6b0c8e-1d2a-4c55-9e7b-3a1f0d9c8b7a"]);
  });

  it("CSV: a header with every column, one row per record", async () => {
    const r = await runCli(["logs", "parse", join(FIX, "demo-app"), "--format", "csv"]);
    const rows = parseCsv<Record<string, string>>(r.stdout, { columns: true });
    expect(rows).toHaveLength(12);
    expect(Object.keys(rows[0] as object)).toContain("sourceregion");
    expect(rows[8]).toMatchObject({ requester: "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID", extra: "" });
  });

  it("control characters from log data never reach the output unescaped", async () => {
    const evil = line({ agent: '"x\u001b[31mred\u001b]0;title\u0007\u009b2J"', key: "a\u202eb" });
    for (const format of ["table", "jsonl", "csv"]) {
      const r = await runWithStdin(["logs", "parse", "-", "--format", format], evil);
      expect(r.code).toBe(0);
      expect(CONTROL_CHARS.test(r.stdout)).toBe(false);
      expect(r.stdout).not.toContain("\u202e");
    }
    const json = await runWithStdin(["logs", "parse", "-"], evil);
    expect(jsonLines(json.stdout)[0]?.useragent).toBe("x\u001b[31mred\u001b]0;title\u0007\u009b2J");
    const rej = await runWithStdin(["logs", "parse", "-"], "\u001b[2Jgarbage");
    expect(CONTROL_CHARS.test(rej.stderr)).toBe(false);
  });

  it("bad input: one line, exit 2", async () => {
    expectUsageError(await runCli(["logs", "parse", join(FIX, "nope")]), "cannot read");
    expectUsageError(await runCli(["logs", "parse", FIX, "--status", "4x"]), "--status");
    expectUsageError(await runCli(["logs", "parse", FIX, "--since", "yesterday"]), "--since");
    expectUsageError(await runCli(["logs", "parse", "s3://"]), "not an s3:// URL");
    expectUsageError(await runCli(["logs", "summarize", FIX, "--top", "0"]), "--top");
  });
});

describe("logs summarize", () => {
  it("json: per bucket and overall", async () => {
    const r = await runCli(["logs", "summarize", FIX, "--format", "json"]);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.totals).toMatchObject({ inputs: 3, records: 21, rejected: 3 });
    expect(s.overall.timeRange).toEqual({ first: "2026-11-30T09:00:01Z", last: "2026-12-01T00:00:00Z" });
    expect(s.overall.forbidden.byRequester).toEqual([
      { value: "arn:aws:iam::111122223333:user/bob", count: 2 },
      { value: "-", count: 1 },
    ]);
    expect(s.overall.deletions.total).toBe(3);
    expect(s.overall.deletions.latest.map((d: { operation: string }) => d.operation)).toEqual(["S3.EXPIRE.OBJECT", "BATCH.DELETE.OBJECT", "REST.DELETE.OBJECT"]);
    expect(s.overall.anonymous.total).toBe(2);
    expect(s.overall.sigv2).toEqual({ total: 1, byRequester: [{ value: "arn:aws:iam::111122223333:user/legacy-backup", count: 1 }] });
    expect(s.overall.tlsBelow12.total).toBe(1);
    expect(s.overall.requesterKinds).toMatchObject({ anonymous: 2, iam: 17, other: 1, service: 1 });
    expect(s.overall.statusClasses).toEqual({ "-": 1, "2xx": 16, "4xx": 3, "5xx": 1 });
    expect(s.buckets["demo-data"].records).toBe(5);
    expect(s.overall.hourly["2026-11-30T10:00Z"]).toBe(9);
  });

  it("table: sections and an hourly histogram; markdown", async () => {
    const t = await runCli(["logs", "summarize", FIX, "--format", "table", "--top", "3"]);
    expect(t.stdout).toContain("requests per hour (UTC)");
    expect(t.stdout).toMatch(/11-30 10h +9 █+/);
    expect(t.stdout).toContain("Bucket demo-data");
    const md = await runCli(["logs", "summarize", FIX, "--format", "markdown"]);
    expect(md.stdout).toMatch(/^# S3 server access logs: summary/);
    expect(md.stdout).toContain("| requester | count |");
  });
});

describe("logs query (DuckDB)", () => {
  const run = (...args: string[]) => runCli(["logs", "query", ...args]);
  const rows = async (...args: string[]) => {
    const r = await run(...args);
    expect(r.code, r.stderr).toBe(0);
    return jsonLines(r.stdout);
  };

  it("a table named logs with the Athena columns and types", async () => {
    const r = await rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'logs' ORDER BY ordinal_position", join(FIX, "demo-app"));
    expect(r.slice(0, 3)).toEqual([
      { column_name: "bucketowner", data_type: "VARCHAR" },
      { column_name: "bucket_name", data_type: "VARCHAR" },
      { column_name: "requestdatetime", data_type: "TIMESTAMP" },
    ]);
    expect(r.find((c) => c.column_name === "httpstatus")?.data_type).toBe("INTEGER");
    expect(r.find((c) => c.column_name === "bytessent")?.data_type).toBe("BIGINT");
    expect(r.map((c) => c.column_name).slice(-4)).toEqual(["sourceregion", "extra", "_line", "_source"]);
  });

  it("the shipped example queries answer their questions on the fixture logs", async () => {
    expect(EXAMPLE_QUERIES.map((q) => q.id)).toEqual(["deletions", "principal", "forbidden", "anonymous", "sigv2", "bytes-by-ip"]);
    expect((await rows("--example", "deletions", FIX)).map((x) => [x.operation, x.key, x.requester])).toEqual([
      ["REST.DELETE.OBJECT", "reports/2026/q3.pdf", "arn:aws:iam::111122223333:user/alice"],
      ["BATCH.DELETE.OBJECT", "tmp/build-1.zip", "arn:aws:sts::111122223333:assumed-role/deploy/ci-run-42"],
      ["S3.EXPIRE.OBJECT", "tmp/old-export.csv", "AmazonS3"],
    ]);
    const bob = await rows("--example", "principal", "--param", "principal=arn:aws:iam::111122223333:user/bob", FIX);
    expect(bob.map((x) => [x.httpstatus, x.errorcode, x.key])).toEqual([
      [403, "AccessDenied", "reports/2026/q4.pdf"],
      [403, "AccessDenied", "payroll/2026-11.csv"],
    ]);
    expect(await rows("--example", "forbidden", FIX)).toEqual([
      { requester: "arn:aws:iam::111122223333:user/bob", requests: 2, keys: 2, first_seen: "2026-11-30T10:21:40Z" },
      { requester: "-", requests: 1, keys: 1, first_seen: "2026-11-30T10:31:12Z" },
    ]);
    expect((await rows("--example", "anonymous", FIX)).map((x) => [x.remoteip, x.key, x.httpstatus])).toEqual([
      ["203.0.113.50", "public/logo.png", 200],
      ["203.0.113.51", "private/keys.txt", 403],
    ]);
    expect(await rows("--example", "sigv2", FIX)).toEqual([{ requester: "arn:aws:iam::111122223333:user/legacy-backup", useragent: "legacy-sync/1.0", requests: 1 }]);
    const bytes = await rows("--example", "bytes-by-ip", FIX);
    expect(bytes[0]).toEqual({ remoteip: "192.0.2.10", bytes_sent: 2662992 * 4 + 73400320 + 4211, requests: 6 });
  });

  it("--list-examples prints every example", async () => {
    const r = await run("--list-examples");
    for (const q of EXAMPLE_QUERIES) expect(r.stdout).toContain(`--example ${q.id}`);
  });

  it("an SQL error is one line, exit 2", async () => {
    expectUsageError(await run("SELEC nothing", join(FIX, "demo-app")), /SQL error: Parser Error/);
    expectUsageError(await run("SELECT nope FROM logs", join(FIX, "demo-app")), /SQL error: Binder Error/);
    expectUsageError(await run("--example", "nope", FIX), "no example query");
  });
});

describe("logs athena", () => {
  it("explicit --bucket --prefix --key-format", async () => {
    const r = await runCli(["logs", "athena", "--bucket", "my-logs", "--prefix", "app/", "--key-format", "simple"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("CREATE EXTERNAL TABLE IF NOT EXISTS s3_access_logs_db.my_logs_app (");
    expect(r.stdout).toContain("LOCATION 's3://my-logs/app/'");
  });

  it("from a saved snapshot: one DDL per log location, enum projections from the scan", async () => {
    const snap = tmp.file("demo-snapshot.json");
    const d = await runCli(["demo", "--save-snapshot", snap, "--quiet", "--format", "json"]);
    expect(d.code).toBe(0);
    const out = tmp.file("athena.sql");
    const r = await runCli(["logs", "athena", "--from-snapshot", snap, "--output", out, "--quiet"]);
    expect(r.code, r.stderr).toBe(0);
    const sql = readFileSync(out, "utf8");
    expect(sql).toMatch(/CREATE EXTERNAL TABLE IF NOT EXISTS s3_access_logs_db\.demo_logs_222222222222_us_east_1_demo_prod_web_assets \(/);
    expect(sql).toContain("'projection.account.values' = '222222222222'");
    expect(sql).toContain("'projection.source_bucket.values' = 'demo-prod-web-assets'");
    const only = await runCli(["logs", "athena", "--from-snapshot", snap, "--bucket", "demo-logs-222222222222-us-east-1"]);
    expect(only.stdout).not.toContain("demo-logs-333333333333");
    expectUsageError(await runCli(["logs", "athena", "--from-snapshot", snap, "--bucket", "nope"]), "no bucket logs into nope");
    expectUsageError(await runCli(["logs", "athena", "--bucket", "my-logs"]), "--key-format");
  });
});

describe("logs output files", () => {
  const SAMPLE = join(FIX, "demo-app");

  it("refuse to overwrite a log source of the run, or --output and --rejects naming one file (exit 2, nothing read)", async () => {
    const src = tmp.file("own-input.log");
    cpSync(join(SAMPLE, readdirSync(SAMPLE)[0]!), src);
    const before = readFileSync(src, "utf8");
    for (const cmd of ["parse", "summarize"]) {
      expectUsageError(await runCli(["logs", cmd, src, "--output", src]), `--output ${src} is the input of this run (a log source); refusing to overwrite it`);
      expectUsageError(await runCli(["logs", cmd, src, "--rejects", src]), "is the input of this run");
    }
    expectUsageError(await runCli(["logs", "query", "select 1", src, "--output", src]), "is the input of this run");
    expect(readFileSync(src, "utf8")).toBe(before);
    const out = tmp.file("both.json");
    expectUsageError(await runCli(["logs", "parse", src, "--output", out, "--rejects", out]), `--rejects and --output name the same file ${out}`);
  });

  it("an interrupted run leaves the previous --output file as it was and no temporary file", async () => {
    const dir = tmp.file("interrupted");
    mkdirSync(dir);
    const out = join(dir, "records.json");
    writeFileSync(out, "the previous run's output\n");
    const child = spawn(process.execPath, [CLI, "logs", "parse", "-", "--output", out], { cwd: ROOT, env: cleanEnv(), stdio: ["pipe", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    const closed = new Promise<number | null>((resolve) => child.on("close", resolve));
    child.stdin.write(readFileSync(join(SAMPLE, readdirSync(SAMPLE)[0]!)));
    // the run has opened its output once the temporary file beside it exists
    for (let i = 0; i < 600 && readdirSync(dir).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    expect(readdirSync(dir).some((f) => f.endsWith(".tmp"))).toBe(true);
    child.kill("SIGINT"); // stdin stays open: the interrupt must not wait for the end of its input
    const code = await closed;
    expect({ code, stderr }).toEqual({ code: 130, stderr: "s3-log-auditor: interrupted\n" });
    expect(readFileSync(out, "utf8")).toBe("the previous run's output\n");
    expect(readdirSync(dir)).toEqual(["records.json"]);
  });

  it("a complete run replaces the file", async () => {
    const out = tmp.file("complete.json");
    writeFileSync(out, "old\n");
    const r = await runCli(["logs", "parse", SAMPLE, "--output", out]);
    expect(r.code, r.stderr).toBe(0);
    expect(jsonLines(readFileSync(out, "utf8")).length).toBeGreaterThan(0);
  });
});
