/**
 * Deterministic log history: log objects that S3 delivered before the simulator started, for
 * `demo logs …` and the delivery states of the demo. Each entry names a source bucket and how many
 * hours before the simulator's start its log objects arrived; the objects go where that source's
 * logging configuration sends them, in its key format, with real-format records (record.ts).
 * Records are drawn from a seeded generator, so the same scenario gives the same records (only
 * their dates move with the start time). `quirks` mixes in the oddities of real files
 * (reference §5.6); `gzip` also writes gzip-compressed copies under `archive/` (as a pipeline that
 * archives logs would), which are not delivery keys and never count as deliveries.
 */
import { gzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { mulberry32 } from "../faults.js";
import { putObject, type SimBucket, type SimState } from "../state.js";
import { formatRecord, logObjectKey, utcDay, type LogRecordInput } from "./record.js";

/** One source's past deliveries. */
export interface HistorySpec {
  source: string;
  /** Hours before the simulator's start at which log objects were delivered. */
  hoursAgo: number[];
  /** Records per object (default 6). */
  records?: number | undefined;
  quirks?: boolean | undefined;
  gzip?: boolean | undefined;
  /** Hours between an object's requests and its delivery (default 1); an EventTime key carries the requests' day. */
  lateHours?: number | undefined;
}

const OPERATIONS: [string, string, number][] = [
  ["REST.GET.OBJECT", "GET", 200],
  ["REST.GET.OBJECT", "GET", 200],
  ["REST.PUT.OBJECT", "PUT", 200],
  ["REST.HEAD.OBJECT", "HEAD", 200],
  ["REST.GET.BUCKET", "GET", 200],
  ["REST.DELETE.OBJECT", "DELETE", 204],
  ["REST.GET.OBJECT", "GET", 404],
  ["REST.GET.OBJECT", "GET", 403],
  ["REST.GET.OBJECT", "GET", 304],
  ["REST.GET.ACL", "GET", 200],
];
const ERROR_CODES: Record<number, string> = { 403: "AccessDenied", 404: "NoSuchKey" };
const USER_AGENTS = [
  "aws-cli/2.15.30 Python/3.11.8 Linux/6.1.79 exe/x86_64.amzn.2023 prompt/off command/s3.cp",
  "Boto3/1.34.69 md/Botocore#1.34.69 ua/2.0 os/linux#5.10.213 md/arch#x86_64 lang/python#3.12.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.69",
  "aws-sdk-js/3.540.0 ua/2.0 os/linux#5.15.0 lang/js md/nodejs#20.11.1 api/s3#3.540.0",
  "S3Console/0.4",
  "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/123.0.0.0 Safari/537.36",
  "curl/8.5.0",
];
const IPS = ["192.0.2.3", "192.0.2.44", "198.51.100.17", "198.51.100.200", "203.0.113.9", "10.24.3.118"];
const KEYS = ["index.html", "assets/app.js", "reports/2026/q3 summary.pdf", "data/part-0001.parquet", "images/logo.png", "exports/orders.csv"];

function hex(rand: () => number, n: number): string {
  let s = "";
  for (let i = 0; i < n; i++) s += Math.floor(rand() * 16).toString(16).toUpperCase();
  return s;
}

function pick<T>(rand: () => number, list: readonly T[]): T {
  return list[Math.floor(rand() * list.length)] as T;
}

function baseRecord(rand: () => number, source: SimBucket, owner: string, time: number): LogRecordInput {
  const [operation, method, status] = pick(rand, OPERATIONS);
  const objectOp = operation.endsWith(".OBJECT");
  const key = objectOp ? pick(rand, KEYS) : undefined;
  const requestId = hex(rand, 16);
  const anonymous = rand() < 0.1;
  const requester = anonymous ? undefined : rand() < 0.5 ? `arn:aws:iam::${source.account}:user/deploy` : `arn:aws:sts::${source.account}:assumed-role/app-runtime/i-0${hex(rand, 16).toLowerCase()}`;
  const size = 512 + Math.floor(rand() * 40000);
  const path = key ? `/${source.name}/${encodeURIComponent(key).replace(/%2F/g, "/")}` : operation === "REST.GET.ACL" ? `/${source.name}?acl` : `/${source.name}?list-type=2&prefix=`;
  const oldTls = rand() < 0.08;
  return {
    bucketOwner: owner,
    bucket: source.name,
    time,
    remoteIp: pick(rand, IPS),
    requester,
    requestId,
    operation,
    key,
    requestLine: `${method} ${path} HTTP/1.1`,
    status,
    errorCode: ERROR_CODES[status],
    bytesSent: status === 200 && method !== "HEAD" && method !== "PUT" ? size : status >= 400 ? 243 : 0,
    objectSize: objectOp && status < 300 ? size : undefined,
    totalTimeMs: 3 + Math.floor(rand() * 120),
    turnAroundMs: 1 + Math.floor(rand() * 40),
    referer: rand() < 0.2 ? "https://www.example.com/" : undefined,
    userAgent: pick(rand, USER_AGENTS),
    versionId: undefined,
    hostId: Buffer.from(hex(rand, 48)).toString("base64"),
    signatureVersion: anonymous ? undefined : "SigV4",
    authType: anonymous ? undefined : "AuthHeader",
    hostHeader: `${source.name}.s3.${source.region}.amazonaws.com`,
    tls: !oldTls,
    accessPointArn: undefined,
    aclRequired: false,
    sourceRegion: source.region,
  };
}

/** The fields of a line the simulator wrote (no quotes inside its quoted fields). */
function fieldsOf(line: string): string[] {
  return line.match(/\[[^\]]*\]|"[^"]*"|\S+/g) as string[];
}

/** The quirky lines of reference §5.6, for one source at one time (index chooses which). */
function quirkLine(rand: () => number, source: SimBucket, owner: string, time: number, index: number): string {
  const r = baseRecord(rand, source, owner, time);
  const f = fieldsOf(formatRecord(r));
  switch (index % 9) {
    case 0: // quote inside the quoted Request-URI
      return formatRecord({ ...r, operation: "REST.GET.OBJECT", key: 'a"b.txt', requestLine: `GET /${source.name}/a"b.txt HTTP/1.1`, status: 404, errorCode: "NoSuchKey", bytesSent: 243, objectSize: undefined });
    case 1: // requester with spaces (CloudFront origin access identity)
      return formatRecord({ ...r, requester: "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID" });
    case 2: {
      // an AWS service requester without an IP; the empty Referer written quoted, as "-"
      const g = fieldsOf(formatRecord({ ...r, remoteIp: undefined, requester: "svc:delivery.logs.amazonaws.com", referer: undefined }));
      g[15] = '"-"';
      return g.join(" ");
    }
    case 3: // host header with a port, TLS version in upper case
      return formatRecord({ ...r, hostHeader: `${source.name}.s3.amazonaws.com:443` }).replace(" TLSv1.3 ", " TLSV1.2 ");
    case 4: // four-part operation with a UUID request id
      return formatRecord({ ...r, operation: "S3.COMPUTE.OBJECT.CHECKSUM", requestId: "1b9b2f66-0c55-4d0c-9d4b-1f5a7a4c1e2d", remoteIp: undefined, requester: "svc:s3.amazonaws.com" });
    case 5: // lifecycle expiry
      return formatRecord({ ...r, operation: "S3.EXPIRE.OBJECT", requester: "AmazonS3", remoteIp: undefined, requestLine: "", userAgent: undefined, signatureVersion: undefined, authType: undefined, tls: false });
    case 6: // an older 26-field record (before the source-Region field)
      return f.slice(0, 26).join(" ");
    case 7: // a much older 18-field record
      return f.slice(0, 18).join(" ");
    default: // a record with two future fields, and a non-ASCII key
      return `${formatRecord({ ...r, operation: "REST.GET.OBJECT", key: "résumé 2026.pdf", requestLine: `GET /${source.name}/r%C3%A9sum%C3%A9%202026.pdf HTTP/1.1` })} future1 future2`;
  }
}

/** Write the history into the state's log buckets (start = the simulator clock's start). */
export function writeHistory(state: SimState, specs: readonly HistorySpec[], start: number, seed = 1): void {
  let quirk = 0;
  for (const spec of specs) {
    const source = state.buckets.get(spec.source);
    const logging = source?.logging;
    const target = logging ? state.buckets.get(logging.targetBucket) : undefined;
    if (!source || !logging || !target) continue;
    const owner = state.accounts.get(source.account)?.canonicalId ?? "-";
    const rand = mulberry32(seed ^ parseInt(createHash("sha1").update(spec.source).digest("hex").slice(0, 8), 16));
    for (const hours of [...spec.hoursAgo].sort((a, b) => b - a)) {
      const deliveredAt = Math.floor((start - hours * 3_600_000) / 1000) * 1000;
      const lines: string[] = [];
      const n = spec.records ?? 6;
      const eventsFrom = deliveredAt - (spec.lateHours ?? 1) * 3_600_000;
      let last = eventsFrom;
      for (let i = 0; i < n; i++) {
        last += Math.floor(rand() * (2_700_000 / n)) + 1000;
        lines.push(spec.quirks && i % 3 === 2 ? quirkLine(rand, source, owner, last, quirk++) : formatRecord(baseRecord(rand, source, owner, last)));
      }
      // An EventTime object holds one event day; the events above may straddle midnight: keep the first day's.
      const key = logObjectKey(logging, source, deliveredAt, utcDay(eventsFrom), hex(rand, 16));
      const body = Buffer.from(`${lines.join("\n")}\n`, "utf8");
      putObject(target, key, body, body.length, new Date(deliveredAt));
      if (spec.gzip) {
        const gz = gzipSync(body, { level: 9 });
        const name = key.slice(key.lastIndexOf("/") + 1);
        putObject(target, `archive/${spec.source}/${name}.gz`, gz, gz.length, new Date(deliveredAt));
      }
    }
  }
}
