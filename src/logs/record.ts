/**
 * The S3 server access log record as data: the field list in log order with the Athena column
 * names (reference §5.2), the typed record the parser produces, and a rejected line.
 */

/** Every known field, in the order S3 writes them, named as AWS's Athena DDL names its columns. */
export const LOG_FIELDS = [
  "bucketowner",
  "bucket_name",
  "requestdatetime",
  "remoteip",
  "requester",
  "requestid",
  "operation",
  "key",
  "request_uri",
  "httpstatus",
  "errorcode",
  "bytessent",
  "objectsize",
  "totaltime",
  "turnaroundtime",
  "referrer",
  "useragent",
  "versionid",
  "hostid",
  "sigv",
  "ciphersuite",
  "authtype",
  "endpoint",
  "tlsversion",
  "accesspointarn",
  "aclrequired",
  "sourceregion",
] as const;

export type LogField = (typeof LOG_FIELDS)[number];

/** Fields the record carries as integers (after the `-` check). */
export const INTEGER_FIELDS = ["httpstatus", "bytessent", "objectsize", "totaltime", "turnaroundtime"] as const;
export type IntegerField = (typeof INTEGER_FIELDS)[number];

/** The oldest records end after this many fields (versionid); fewer is a broken line. */
export const MIN_FIELDS = 18;

/** One request, as parsed: `-` / `"-"` and fields missing from shorter records are `null`. */
export type LogRecord = { [F in Exclude<LogField, IntegerField>]: string | null } & { [F in IntegerField]: number | null } & {
  /** Fields after the last known one (future fields), as strings. */
  extra: string[];
  /** 1-based line number within the source. */
  _line: number;
  /** Where the line came from: a file path, `-` (stdin) or `s3://bucket/key`. */
  _source: string;
};

/** A line the parser could not turn into a record. */
export interface RejectedLine {
  source: string;
  line: number;
  reason: string;
  text: string;
}

/** Plain-language meaning of each field (the README's field table and `--help`). */
export const FIELD_DESCRIPTIONS: Record<LogField, string> = {
  bucketowner: "canonical user ID of the source bucket's owner",
  bucket_name: "bucket the request was made to",
  requestdatetime: "time the request was received (ISO-8601 UTC)",
  remoteip: "apparent IP address of the requester",
  requester: "IAM ARN or canonical user ID of the requester; null = anonymous",
  requestid: "S3 request ID",
  operation: "e.g. REST.GET.OBJECT, BATCH.DELETE.OBJECT, S3.EXPIRE.OBJECT",
  key: "object key, URL-encoded as S3 logs it",
  request_uri: "Request-URI of the HTTP request line",
  httpstatus: "HTTP status code (integer)",
  errorcode: "S3 error code, e.g. AccessDenied",
  bytessent: "response bytes sent, without HTTP headers (integer)",
  objectsize: "total size of the object (integer)",
  totaltime: "milliseconds the request was in flight (integer)",
  turnaroundtime: "milliseconds S3 spent processing (integer)",
  referrer: "HTTP Referer header",
  useragent: "HTTP User-Agent header",
  versionid: "version ID in the request",
  hostid: "x-amz-id-2 (extended request ID)",
  sigv: "SigV2 or SigV4; null = unauthenticated",
  ciphersuite: "TLS cipher suite; null = plain HTTP",
  authtype: "AuthHeader or QueryString (presigned URL)",
  endpoint: "Host header (the endpoint used)",
  tlsversion: "TLSv1.1, TLSv1.2, TLSv1.3",
  accesspointarn: "access point ARN",
  aclrequired: "Yes when an ACL was needed to authorize the request",
  sourceregion: "Region the request came from (the 27th field, added in 2026)",
};
