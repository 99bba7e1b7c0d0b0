/**
 * `logs query`: records into an in-memory DuckDB table named `logs` with the Athena column names
 * and the typed view's types (integers, a TIMESTAMP, NULL for `-`), then the user's SQL.
 * `@duckdb/node-api` is loaded with `import()` only here, and only this module is imported by
 * the query command (its native binary ships in a registry package, nothing is downloaded).
 */
import { InputError } from "../base/errors.js";
import { LOG_FIELDS, type LogField, type LogRecord } from "./record.js";

type DuckModule = typeof import("@duckdb/node-api");
type Appender = Awaited<ReturnType<InstanceType<DuckModule["DuckDBConnection"]>["createAppender"]>>;

/** Column types of the `logs` table (the typed Athena view's, in DuckDB names). */
export const DUCKDB_TYPES: Record<LogField, string> = Object.fromEntries(
  LOG_FIELDS.map((f) => [
    f,
    f === "requestdatetime" ? "TIMESTAMP" : f === "httpstatus" ? "INTEGER" : ["bytessent", "objectsize", "totaltime", "turnaroundtime"].includes(f) ? "BIGINT" : "VARCHAR",
  ]),
) as Record<LogField, string>;

/** The CREATE TABLE statement of `logs`. */
export function logsTableSql(): string {
  const cols = LOG_FIELDS.map((f) => `"${f}" ${DUCKDB_TYPES[f]}`);
  cols.push(`"extra" VARCHAR[]`, `"_line" BIGINT`, `"_source" VARCHAR`);
  return `CREATE TABLE logs (${cols.join(", ")})`;
}

export interface QueryResult {
  columns: string[];
  /** JSON-safe values (big integers as numbers when safe, else strings; timestamps as ISO text). */
  rows: unknown[][];
}

/** One SQL error line, without DuckDB's multi-line context. */
function sqlErrorLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return (msg.split("\n").find((l) => l.trim() !== "") ?? "SQL error").trim();
}

function jsValue(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (Array.isArray(v)) return v.map(jsValue);
  if (typeof v === "object") {
    const s = (v as { toString(): string }).toString();
    // Timestamps print as `2026-11-30 10:15:02`: make them ISO-8601 UTC like the records.
    if (/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}(\.\d+)?$/.test(s)) return `${s.replace(" ", "T")}Z`;
    const items = (v as { items?: unknown }).items;
    if (Array.isArray(items)) return items.map(jsValue);
    return s;
  }
  return v;
}

/** An in-memory DuckDB database holding the `logs` table. */
export class LogsDb {
  private constructor(
    private readonly duck: DuckModule,
    private readonly conn: InstanceType<DuckModule["DuckDBConnection"]>,
    private readonly appender: Appender,
    private readonly listType: ReturnType<DuckModule["LIST"]>,
  ) {}

  /** Opens the database and creates `logs`. */
  static async open(): Promise<LogsDb> {
    const duck = await import("@duckdb/node-api");
    const instance = await duck.DuckDBInstance.create(":memory:");
    const conn = await instance.connect();
    await conn.run(logsTableSql());
    const appender = await conn.createAppender("logs");
    return new LogsDb(duck, conn, appender, duck.LIST(duck.VARCHAR));
  }

  /** Adds one record. */
  append(r: LogRecord): void {
    const a = this.appender;
    for (const f of LOG_FIELDS) {
      const v = r[f];
      if (v === null) a.appendNull();
      else if (f === "requestdatetime") a.appendTimestamp(new this.duck.DuckDBTimestampValue(BigInt(Date.parse(v as string)) * 1000n));
      else if (f === "httpstatus") a.appendInteger(v as number);
      else if (typeof v === "number") a.appendBigInt(BigInt(v));
      else a.appendVarchar(v);
    }
    a.appendList(r.extra, this.listType);
    a.appendBigInt(BigInt(r._line));
    a.appendVarchar(r._source);
    a.endRow();
  }

  /** Runs one SQL statement over `logs`; an SQL error is an InputError with DuckDB's first line. */
  async query(sql: string): Promise<QueryResult> {
    this.appender.flushSync();
    let reader;
    try {
      reader = await this.conn.runAndReadAll(sql);
    } catch (err) {
      throw new InputError(`SQL error: ${sqlErrorLine(err)}`);
    }
    const columns = reader.columnNames();
    const rows = reader.getRows().map((row) => row.map(jsValue));
    return { columns, rows };
  }

  /** Frees the database. */
  close(): void {
    try {
      this.appender.closeSync();
    } catch {
      // already closed
    }
    this.conn.closeSync();
  }
}
