/**
 * The access log record of one answered S3 request: who called (the IAM ARN of the caller's
 * identity), what (REST operation, key, request line), the answer (status, error code, bytes) and
 * how (user agent, signature version, auth type, host, TLS) — see record.ts for the fields.
 */
import type { IncomingMessage } from "node:http";
import type { SimResponse } from "../s3/wire.js";
import type { SimBucket, SimIdentity } from "../state.js";
import { restOperation, type LogRecordInput } from "./record.js";

/** Regions launched before 20 March 2019: only their wrong-Region redirects are logged (§1.4). */
const REDIRECT_LOGGED_REGIONS = new Set([
  "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
  "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-south-1",
  "us-gov-west-1", "us-gov-east-1", "cn-north-1", "cn-northwest-1",
]);

const OBJECT_OPS = new Set(["PutObject", "GetObject", "HeadObject", "DeleteObject"]);

/** What the server knows about an answered request. */
export interface AnsweredRequest {
  req: IncomingMessage;
  op: string;
  bucket: SimBucket;
  key: string | undefined;
  identity: SimIdentity | undefined;
  signingRegion: string | undefined;
  requestId: string;
  hostId: string;
  response: SimResponse;
  errorCode: string | undefined;
  head: boolean;
  receivedAt: number;
  elapsedMs: number;
  ownerCanonicalId: string;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return typeof v === "string" ? v : undefined;
}

/** The record S3 would log for this request, or undefined when S3 logs nothing for it. */
export function accessLogRecord(a: AnsweredRequest): LogRecordInput | undefined {
  const { req, response } = a;
  const redirect = a.errorCode === "PermanentRedirect" || a.errorCode === "AuthorizationHeaderMalformed";
  if (redirect && !REDIRECT_LOGGED_REGIONS.has(a.bucket.region)) return undefined;
  const auth = header(req, "authorization");
  const presigned = req.url?.includes("X-Amz-Algorithm=") ?? false;
  const signatureVersion = auth?.startsWith("AWS4-HMAC-SHA256") || presigned ? "SigV4" : auth?.startsWith("AWS ") ? "SigV2" : undefined;
  const body = response.body;
  const bytesSent = a.head || body === undefined ? 0 : typeof body === "string" ? Buffer.byteLength(body) : body.length;
  const size = OBJECT_OPS.has(a.op) && response.status < 300 ? Number(response.headers?.["content-length"] ?? req.headers["content-length"] ?? 0) : undefined;
  const remote = req.socket.remoteAddress?.replace(/^::ffff:/, "");
  const total = Math.max(1, Math.round(a.elapsedMs));
  return {
    bucketOwner: a.ownerCanonicalId,
    bucket: a.bucket.name,
    time: a.receivedAt,
    remoteIp: remote,
    requester: a.identity?.arn,
    requestId: a.requestId,
    operation: restOperation(a.op, req.method ?? "GET"),
    key: a.key,
    requestLine: `${req.method ?? "GET"} ${req.url ?? "/"} HTTP/${req.httpVersion}`,
    status: response.status,
    errorCode: a.errorCode,
    bytesSent,
    objectSize: size !== undefined && Number.isFinite(size) ? size : undefined,
    totalTimeMs: total,
    turnAroundMs: Math.max(0, total - 1),
    referer: header(req, "referer"),
    userAgent: header(req, "user-agent"),
    versionId: undefined,
    hostId: a.hostId,
    signatureVersion,
    authType: signatureVersion === undefined ? undefined : presigned ? "QueryString" : "AuthHeader",
    hostHeader: `s3.${a.bucket.region}.amazonaws.com`,
    tls: true,
    accessPointArn: undefined,
    aclRequired: false,
    sourceRegion: a.signingRegion,
  };
}
