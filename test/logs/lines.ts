/** Builds server access log lines field by field (tests and the benchmark's generator). */

export const OWNER = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be";
export const ALICE = "arn:aws:iam::111122223333:user/alice";
export const BOB = "arn:aws:iam::111122223333:user/bob";
export const DEPLOY = "arn:aws:sts::111122223333:assumed-role/deploy/ci-run-42";
export const OAI = "arn:aws:iam::cloudfront:user/CloudFront Origin Access Identity E2EXAMPLEID";

export interface LineParts {
  owner: string;
  bucket: string;
  time: string; // [..] content
  ip: string;
  requester: string;
  requestId: string;
  operation: string;
  key: string;
  uri: string; // with quotes, or -
  status: string;
  error: string;
  bytes: string;
  size: string;
  total: string;
  turnaround: string;
  referrer: string; // with quotes, or -
  agent: string; // with quotes, or -
  versionId: string;
  hostId: string;
  sigv: string;
  cipher: string;
  auth: string;
  host: string;
  tls: string;
  accessPoint: string;
  aclRequired: string;
  sourceRegion: string;
}

export const BASE: LineParts = {
  owner: OWNER,
  bucket: "demo-app",
  time: "30/Nov/2026:10:15:02 +0000",
  ip: "192.0.2.10",
  requester: ALICE,
  requestId: "3E57427F3EXAMPLE",
  operation: "REST.GET.OBJECT",
  key: "reports/2026/q4.pdf",
  uri: '"GET /demo-app/reports/2026/q4.pdf HTTP/1.1"',
  status: "200",
  error: "-",
  bytes: "2662992",
  size: "2662992",
  total: "70",
  turnaround: "10",
  referrer: '"-"',
  agent: '"aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64"',
  versionId: "-",
  hostId: "s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234=",
  sigv: "SigV4",
  cipher: "ECDHE-RSA-AES128-GCM-SHA256",
  auth: "AuthHeader",
  host: "demo-app.s3.us-east-1.amazonaws.com",
  tls: "TLSv1.3",
  accessPoint: "-",
  aclRequired: "-",
  sourceRegion: "us-east-1",
};

const ORDER: (keyof LineParts)[] = [
  "owner", "bucket", "time", "ip", "requester", "requestId", "operation", "key", "uri", "status", "error", "bytes", "size",
  "total", "turnaround", "referrer", "agent", "versionId", "hostId", "sigv", "cipher", "auth", "host", "tls", "accessPoint",
  "aclRequired", "sourceRegion",
];

/** A log line with `fields` fields (18…27) and optional trailing extra fields. */
export function line(over: Partial<LineParts> = {}, fields = 27, extra: string[] = []): string {
  const p = { ...BASE, ...over };
  const parts = ORDER.slice(0, fields).map((k) => (k === "time" ? `[${p.time}]` : p[k]));
  return [...parts, ...extra].join(" ");
}
