/**
 * Server access log records as S3 writes them (docs/aws-s3-logging-reference.md §5.1–5.2): 27
 * space-separated fields, `-` for "none", Time in brackets, Request-URI, Referer and User-Agent in
 * quotes. Also the REST operation names and the log object key formats (§2.2).
 *
 * What the simulator writes where AWS leaves a choice (documented in the README simulator section):
 * requests are described as arriving at the Regional endpoint over TLS 1.3
 * (`s3.REGION.amazonaws.com`, cipher `TLS_AES_128_GCM_SHA256`), since the simulator stands in for
 * that endpoint; field 27 (source Region, meaning [Unverified]) is the Region of the signature.
 */
import type { SimLogging } from "../state.js";

/** Everything one log record says about one request. */
export interface LogRecordInput {
  bucketOwner: string;
  bucket: string;
  /** Epoch ms when the request was received (simulator clock). */
  time: number;
  remoteIp: string | undefined;
  /** IAM ARN of the caller, a service (`svc:…`), or undefined when anonymous. */
  requester: string | undefined;
  requestId: string;
  operation: string;
  key: string | undefined;
  /** The HTTP request line, e.g. `GET /bucket?logging HTTP/1.1`. */
  requestLine: string;
  status: number;
  errorCode: string | undefined;
  bytesSent: number;
  objectSize: number | undefined;
  totalTimeMs: number;
  turnAroundMs: number | undefined;
  referer: string | undefined;
  userAgent: string | undefined;
  versionId: string | undefined;
  hostId: string;
  signatureVersion: "SigV4" | "SigV2" | undefined;
  authType: "AuthHeader" | "QueryString" | undefined;
  hostHeader: string;
  tls: boolean;
  accessPointArn: string | undefined;
  aclRequired: boolean;
  sourceRegion: string | undefined;
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const pad = (n: number, w = 2) => String(n).padStart(w, "0");

/** `[06/Feb/2019:00:00:38 +0000]` for an epoch-ms time. */
export function logTime(ms: number): string {
  const d = new Date(ms);
  return `[${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000]`;
}

const dash = (v: string | undefined) => (v === undefined || v === "" ? "-" : v);
const quoted = (v: string | undefined) => (v === undefined || v === "" ? "-" : `"${v}"`);
/** Keys are URL-encoded in the Key field, with `/` kept. */
const encodeKey = (k: string) => encodeURIComponent(k).replace(/%2F/g, "/");

/** One record line (no newline). */
export function formatRecord(r: LogRecordInput): string {
  return [
    r.bucketOwner,
    r.bucket,
    logTime(r.time),
    dash(r.remoteIp),
    dash(r.requester),
    r.requestId,
    r.operation,
    r.key === undefined ? "-" : encodeKey(r.key),
    quoted(r.requestLine),
    String(r.status),
    dash(r.errorCode),
    r.bytesSent > 0 ? String(r.bytesSent) : "-",
    r.objectSize === undefined ? "-" : String(r.objectSize),
    String(r.totalTimeMs),
    r.turnAroundMs === undefined ? "-" : String(r.turnAroundMs),
    quoted(r.referer),
    quoted(r.userAgent),
    dash(r.versionId),
    r.hostId,
    dash(r.signatureVersion),
    r.tls ? "TLS_AES_128_GCM_SHA256" : "-",
    dash(r.authType),
    r.hostHeader,
    r.tls ? "TLSv1.3" : "-",
    dash(r.accessPointArn),
    r.aclRequired ? "Yes" : "-",
    dash(r.sourceRegion),
  ].join(" ");
}

/** REST operation names as the Operation field spells them, by SDK operation name. */
const REST_OPERATIONS: Record<string, string> = {
  ListBuckets: "REST.GET.SERVICE",
  CreateBucket: "REST.PUT.BUCKET",
  DeleteBucket: "REST.DELETE.BUCKET",
  HeadBucket: "REST.HEAD.BUCKET",
  ListObjectsV2: "REST.GET.BUCKET",
  ListObjects: "REST.GET.BUCKET",
  GetBucketLocation: "REST.GET.LOCATION",
  GetBucketLogging: "REST.GET.LOGGING_STATUS",
  PutBucketLogging: "REST.PUT.LOGGING_STATUS",
  GetBucketPolicy: "REST.GET.BUCKETPOLICY",
  PutBucketPolicy: "REST.PUT.BUCKETPOLICY",
  DeleteBucketPolicy: "REST.DELETE.BUCKETPOLICY",
  GetBucketAcl: "REST.GET.ACL",
  PutBucketAcl: "REST.PUT.ACL",
  GetBucketOwnershipControls: "REST.GET.OWNERSHIP_CONTROLS",
  PutBucketOwnershipControls: "REST.PUT.OWNERSHIP_CONTROLS",
  DeleteBucketOwnershipControls: "REST.DELETE.OWNERSHIP_CONTROLS",
  GetBucketEncryption: "REST.GET.ENCRYPTION",
  PutBucketEncryption: "REST.PUT.ENCRYPTION",
  DeleteBucketEncryption: "REST.DELETE.ENCRYPTION",
  GetObjectLockConfiguration: "REST.GET.OBJECT_LOCK_CONFIGURATION",
  PutObjectLockConfiguration: "REST.PUT.OBJECT_LOCK_CONFIGURATION",
  GetBucketRequestPayment: "REST.GET.REQUEST_PAYMENT",
  PutBucketRequestPayment: "REST.PUT.REQUEST_PAYMENT",
  GetPublicAccessBlock: "REST.GET.PUBLIC_ACCESS_BLOCK",
  PutPublicAccessBlock: "REST.PUT.PUBLIC_ACCESS_BLOCK",
  DeletePublicAccessBlock: "REST.DELETE.PUBLIC_ACCESS_BLOCK",
  GetBucketLifecycleConfiguration: "REST.GET.LIFECYCLE",
  PutBucketLifecycleConfiguration: "REST.PUT.LIFECYCLE",
  DeleteBucketLifecycle: "REST.DELETE.LIFECYCLE",
  GetBucketVersioning: "REST.GET.VERSIONING",
  PutBucketVersioning: "REST.PUT.VERSIONING",
  PutObject: "REST.PUT.OBJECT",
  GetObject: "REST.GET.OBJECT",
  HeadObject: "REST.HEAD.OBJECT",
  DeleteObject: "REST.DELETE.OBJECT",
};

/** The Operation field for an SDK operation name and HTTP method. */
export function restOperation(sdkOperation: string, method: string): string {
  return REST_OPERATIONS[sdkOperation] ?? `REST.${method}.UNKNOWN`;
}

function stamp(ms: number, withTime: boolean): { day: string; path: string; time: string } {
  const d = new Date(ms);
  const y = d.getUTCFullYear();
  const m = pad(d.getUTCMonth() + 1);
  const dd = pad(d.getUTCDate());
  const time = withTime ? `${pad(d.getUTCHours())}-${pad(d.getUTCMinutes())}-${pad(d.getUTCSeconds())}` : "00-00-00";
  return { day: `${y}-${m}-${dd}`, path: `${y}/${m}/${dd}`, time };
}

/**
 * The key of a log object (reference §2.2): simple `PREFIX` + `YYYY-MM-DD-hh-mm-ss-UNIQUE` (delivery
 * time); partitioned `PREFIX` + `ACCOUNT/REGION/BUCKET/YYYY/MM/DD/` + that name, dated by the
 * delivery time or (EventTime) by the events' day with the time part `00-00-00`.
 */
export function logObjectKey(
  logging: SimLogging,
  source: { account: string; region: string; name: string },
  deliveredAt: number,
  eventDay: number,
  unique: string,
): string {
  const kf = logging.keyFormat;
  if (kf?.type !== "partitioned") {
    const s = stamp(deliveredAt, true);
    return `${logging.targetPrefix}${s.day}-${s.time}-${unique}`;
  }
  const event = (kf.partitionDateSource ?? "EventTime") === "EventTime";
  const s = event ? stamp(eventDay, false) : stamp(deliveredAt, true);
  return `${logging.targetPrefix}${source.account}/${source.region}/${source.name}/${s.path}/${s.day}-${s.time}-${unique}`;
}

/** Start of the UTC day of an epoch-ms time. */
export function utcDay(ms: number): number {
  return Math.floor(ms / 86_400_000) * 86_400_000;
}
