/**
 * The example questions, each as an Athena query over the raw table (values as logged: `-` is the
 * string '-', numbers are strings except bytessent/objectsize) and as a DuckDB query over
 * `logs query`'s typed `logs` table (NULL for `-`, integers, a TIMESTAMP). Try one locally on a
 * sample with `logs query --example ID`, then run the Athena form at scale.
 */
import { InputError } from "../base/errors.js";

export interface ExampleQuery {
  id: string;
  question: string;
  /** Placeholders and their example values. */
  params: Record<string, string>;
  /** Over the raw Athena table `TABLE` (and `WHERE_DAYS`, a partition filter, or nothing). */
  athena: string;
  duckdb: string;
}

const DELETE_OPS_RAW = `(operation LIKE '%.DELETE.%' OR operation LIKE 'S3.EXPIRE.%' OR operation = 'S3.CREATE.DELETEMARKER')`;

export const EXAMPLE_QUERIES: readonly ExampleQuery[] = [
  {
    id: "deletions",
    question: "Who deleted objects, and when? (DELETE, multi-object delete, lifecycle expiration)",
    params: {},
    athena: `SELECT parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z') AS request_time, bucket_name, operation, key, requester, httpstatus
FROM TABLE
WHERE ${DELETE_OPS_RAW}
  AND operation <> 'REST.POST.MULTI_OBJECT_DELETE'
  AND (httpstatus = '-' OR httpstatus < '400')WHERE_DAYS
ORDER BY request_time, key`,
    duckdb: `SELECT requestdatetime, bucket_name, operation, key, requester, httpstatus
FROM logs
WHERE ${DELETE_OPS_RAW}
  AND operation <> 'REST.POST.MULTI_OBJECT_DELETE'
  AND (httpstatus IS NULL OR httpstatus < 400)
ORDER BY requestdatetime, key`,
  },
  {
    id: "principal",
    question: "Everything one principal did",
    params: { principal: "arn:aws:iam::111122223333:user/alice" },
    athena: `SELECT parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z') AS request_time, bucket_name, operation, key, httpstatus, errorcode, remoteip
FROM TABLE
WHERE requester = '{principal}'WHERE_DAYS
ORDER BY request_time`,
    duckdb: `SELECT requestdatetime, bucket_name, operation, key, httpstatus, errorcode, remoteip
FROM logs
WHERE requester = '{principal}'
ORDER BY requestdatetime, _source, _line`,
  },
  {
    id: "forbidden",
    question: "403 Forbidden answers, by requester",
    params: {},
    athena: `SELECT requester, count(*) AS requests, count(DISTINCT key) AS keys, min(parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z')) AS first_seen
FROM TABLE
WHERE httpstatus = '403'WHERE_DAYS
GROUP BY requester
ORDER BY requests DESC, requester`,
    duckdb: `SELECT coalesce(requester, '-') AS requester, count(*) AS requests, count(DISTINCT key) AS keys, min(requestdatetime) AS first_seen
FROM logs
WHERE httpstatus = 403
GROUP BY 1
ORDER BY requests DESC, requester`,
  },
  {
    id: "anonymous",
    question: "Anonymous (unauthenticated) requests — the raw table stores '-', not NULL",
    params: {},
    athena: `SELECT parse_datetime(requestdatetime, 'dd/MMM/yyyy:HH:mm:ss Z') AS request_time, remoteip, operation, key, httpstatus, useragent
FROM TABLE
WHERE requester = '-'WHERE_DAYS
ORDER BY request_time`,
    duckdb: `SELECT requestdatetime, remoteip, operation, key, httpstatus, useragent
FROM logs
WHERE requester IS NULL
ORDER BY requestdatetime, _source, _line`,
  },
  {
    id: "sigv2",
    question: "Callers still signing with SigV2 (deprecated)",
    params: {},
    athena: `SELECT requester, useragent, count(*) AS requests
FROM TABLE
WHERE sigv = 'SigV2'WHERE_DAYS
GROUP BY requester, useragent
ORDER BY requests DESC, requester`,
    duckdb: `SELECT requester, useragent, count(*) AS requests
FROM logs
WHERE sigv = 'SigV2'
GROUP BY requester, useragent
ORDER BY requests DESC, requester`,
  },
  {
    id: "bytes-by-ip",
    question: "Bytes sent (downloaded) by remote IP",
    params: {},
    athena: `SELECT remoteip, sum(bytessent) AS bytes_sent, count(*) AS requests
FROM TABLE
WHERE bytessent IS NOT NULLWHERE_DAYS
GROUP BY remoteip
ORDER BY bytes_sent DESC, remoteip`,
    duckdb: `SELECT remoteip, sum(bytessent) AS bytes_sent, count(*) AS requests
FROM logs
WHERE bytessent IS NOT NULL
GROUP BY remoteip
ORDER BY bytes_sent DESC, remoteip`,
  },
];

/** SQL string literal content: quotes doubled. */
function sqlString(v: string): string {
  return v.replace(/'/g, "''");
}

/** Fills `{name}` placeholders (given values, else the examples'). */
export function fillParams(sql: string, q: ExampleQuery, given: Record<string, string> = {}): string {
  for (const k of Object.keys(given)) if (!(k in q.params)) throw new InputError(`example ${q.id} has no parameter ${k} (it takes: ${Object.keys(q.params).join(", ") || "none"})`);
  return sql.replace(/\{(\w+)\}/g, (m, k: string) => (k in q.params ? sqlString(given[k] ?? (q.params[k] as string)) : m));
}

/** The example with this id, or InputError listing the ids. */
export function exampleQuery(id: string): ExampleQuery {
  const q = EXAMPLE_QUERIES.find((e) => e.id === id);
  if (!q) throw new InputError(`no example query "${id}" (examples: ${EXAMPLE_QUERIES.map((e) => e.id).join(", ")})`);
  return q;
}
