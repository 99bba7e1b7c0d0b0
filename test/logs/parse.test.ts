import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AWS_DOC_REGEX_SOURCE, LOG_LINE_REGEX_SOURCE, regexSqlLiteral, unquoteSqlLiteral } from "../../src/logs/athena-regex.js";
import { cleanLine, logTimeToIso, parseLine } from "../../src/logs/parse.js";
import { INTEGER_FIELDS, LOG_FIELDS, type LogRecord } from "../../src/logs/record.js";
import { ALICE, BASE, OAI, OWNER, line } from "./lines.js";

function parse(text: string): LogRecord | string {
  return parseLine(cleanLine(text), "t.log", 7);
}

function rec(text: string): LogRecord {
  const r = parse(text);
  if (typeof r === "string") throw new Error(`rejected: ${r}`);
  return r;
}

const DOC_EXAMPLE =
  '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be amzn-s3-demo-bucket1 [06/Feb/2019:00:00:38 +0000] 192.0.2.3 79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be 3E57427F3EXAMPLE REST.GET.VERSIONING - "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1" 200 - 113 - 7 - "-" "S3Console/0.4" - s9lzHYrFp76ZVxRcpX9+5cjAnEH2ROuNkd2BHfIa6UkFVdtjf5mKR3/eTPFvsiP/XV/VLi31234= SigV4 ECDHE-RSA-AES128-GCM-SHA256 AuthHeader amzn-s3-demo-bucket1.s3.us-west-1.amazonaws.com TLSV1.2 arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP Yes us-east-1';

interface Case {
  name: string;
  text: string;
  expect: Partial<LogRecord>;
}

/** Every quirk of reference §5.1–§5.6 and issue 12, with the fields it must come out with. */
const CASES: Case[] = [
  {
    name: "the documentation's 27-field example",
    text: DOC_EXAMPLE,
    expect: {
      bucketowner: OWNER,
      bucket_name: "amzn-s3-demo-bucket1",
      requestdatetime: "2019-02-06T00:00:38Z",
      remoteip: "192.0.2.3",
      requestid: "3E57427F3EXAMPLE",
      operation: "REST.GET.VERSIONING",
      key: null,
      request_uri: "GET /amzn-s3-demo-bucket1?versioning HTTP/1.1",
      httpstatus: 200,
      errorcode: null,
      bytessent: 113,
      objectsize: null,
      totaltime: 7,
      turnaroundtime: null,
      referrer: null,
      useragent: "S3Console/0.4",
      versionid: null,
      sigv: "SigV4",
      authtype: "AuthHeader",
      tlsversion: "TLSV1.2",
      accesspointarn: "arn:aws:s3:us-west-1:123456789012:accesspoint/example-AP",
      aclrequired: "Yes",
      sourceregion: "us-east-1",
      extra: [],
      _line: 7,
      _source: "t.log",
    },
  },
  { name: "old 18-field record", text: line({}, 18), expect: { versionid: null, hostid: null, sigv: null, sourceregion: null, useragent: "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64" } },
  { name: "18-field record with a version id", text: line({ versionId: "3HL4kqtJvjVBH40Nrjfkd" }, 18), expect: { versionid: "3HL4kqtJvjVBH40Nrjfkd", hostid: null } },
  { name: "19-field record", text: line({}, 19), expect: { hostid: BASE.hostId, sigv: null } },
  { name: "24-field record (TLS version)", text: line({}, 24), expect: { tlsversion: "TLSv1.3", accesspointarn: null, sourceregion: null } },
  { name: "25-field record (access point)", text: line({ accessPoint: "arn:aws:s3:us-east-1:111122223333:accesspoint/ap1" }, 25), expect: { accesspointarn: "arn:aws:s3:us-east-1:111122223333:accesspoint/ap1", aclrequired: null } },
  { name: "26-field record keeps hostid … aclrequired", text: line({ aclRequired: "Yes" }, 26), expect: { hostid: BASE.hostId, sigv: "SigV4", aclrequired: "Yes", sourceregion: null } },
  { name: "27-field record", text: line({ sourceRegion: "eu-west-1" }), expect: { sourceregion: "eu-west-1", extra: [] } },
  { name: "unknown extra fields", text: line({}, 27, ["x-new-1", "x-new-2"]), expect: { sourceregion: "us-east-1", extra: ["x-new-1", "x-new-2"] } },
  { name: "a quoted extra field with spaces", text: line({}, 27, ['"two words"', "-"]), expect: { extra: ["two words", "-"] } },
  { name: "CRLF line end", text: `${line()}\r`, expect: { sourceregion: "us-east-1" } },
  { name: "UTF-8 BOM", text: `\ufeff${line()}`, expect: { bucketowner: OWNER } },
  { name: "trailing spaces", text: `${line()}  `, expect: { sourceregion: "us-east-1", extra: [] } },
  { name: "quote inside the Request-URI", text: line({ uri: '"GET /demo-app/a"b.txt HTTP/1.1"' }), expect: { request_uri: 'GET /demo-app/a"b.txt HTTP/1.1', httpstatus: 200 } },
  { name: "quote and status-like text inside the Request-URI", text: line({ uri: '"GET /a" 20 b HTTP/1.1"' }), expect: { request_uri: 'GET /a" 20 b HTTP/1.1' } },
  { name: "User-Agent ending in \"\"", text: line({ agent: '"curl/8.5.0 ""' }), expect: { useragent: 'curl/8.5.0 "', versionid: null } },
  { name: "quoted word inside the User-Agent", text: line({ agent: '"Mozilla/5.0 "Custom" (X11)"' }), expect: { useragent: 'Mozilla/5.0 "Custom" (X11)', sigv: "SigV4" } },
  { name: "quote inside the User-Agent of an 18-field record", text: line({ agent: '"a "b" c"' }, 18), expect: { useragent: 'a "b" c', versionid: null } },
  { name: "Referer with a space", text: line({ referrer: '"https://example.com/a page"' }), expect: { referrer: "https://example.com/a page", useragent: "aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64" } },
  { name: "unquoted Referer", text: line({ referrer: "https://example.com/" }), expect: { referrer: "https://example.com/" } },
  { name: '"-" and - both mean empty', text: line({ referrer: '"-"', agent: "-", uri: "-" }), expect: { referrer: null, useragent: null, request_uri: null } },
  { name: "requester with spaces (CloudFront OAI)", text: line({ requester: OAI }), expect: { requester: OAI, requestid: BASE.requestId, operation: "REST.GET.OBJECT", key: BASE.key } },
  { name: "anonymous requester", text: line({ requester: "-", sigv: "-", auth: "-" }), expect: { requester: null, sigv: null, authtype: null } },
  { name: "remote IP -", text: line({ ip: "-", requester: "svc:delivery.logs.amazonaws.com" }), expect: { remoteip: null, requester: "svc:delivery.logs.amazonaws.com" } },
  { name: "host header with a port", text: line({ host: "demo-app.s3.amazonaws.com:80" }), expect: { endpoint: "demo-app.s3.amazonaws.com:80" } },
  { name: "non-ASCII bytes and percent-encoding", text: line({ key: "photos/%E6%97%A5%E6%9C%AC+x%2Ay.jpg", uri: '"GET /demo-app/photos/日本 x*y.jpg HTTP/1.1"' }), expect: { key: "photos/%E6%97%A5%E6%9C%AC+x%2Ay.jpg", request_uri: "GET /demo-app/photos/日本 x*y.jpg HTTP/1.1" } },
  { name: "four-part operation with a UUID request id", text: line({ operation: "S3.COMPUTE.OBJECT.CHECKSUM", requestId: "2f6b0c8e-1d2a-4c55-9e7b-3a1f0d9c8b7a" }), expect: { operation: "S3.COMPUTE.OBJECT.CHECKSUM", requestid: "2f6b0c8e-1d2a-4c55-9e7b-3a1f0d9c8b7a" } },
  { name: "lifecycle expiration", text: line({ operation: "S3.EXPIRE.OBJECT", requester: "AmazonS3", ip: "-", status: "-", bytes: "-", size: "-", total: "-", turnaround: "-" }), expect: { operation: "S3.EXPIRE.OBJECT", httpstatus: null, bytessent: null } },
  { name: "lifecycle transition and delete marker", text: line({ operation: "S3.TRANSITION_SIA.OBJECT" }), expect: { operation: "S3.TRANSITION_SIA.OBJECT" } },
  { name: "create delete marker", text: line({ operation: "S3.CREATE.DELETEMARKER" }), expect: { operation: "S3.CREATE.DELETEMARKER" } },
  { name: "batch delete without Request-URI", text: line({ operation: "BATCH.DELETE.OBJECT", uri: "-", referrer: "-", agent: "-" }), expect: { operation: "BATCH.DELETE.OBJECT", request_uri: null } },
  { name: "SOAP and WEBSITE operations", text: line({ operation: "WEBSITE.GET.OBJECT" }), expect: { operation: "WEBSITE.GET.OBJECT" } },
  { name: "TLS version in either case", text: line({ tls: "TLSV1.2" }), expect: { tlsversion: "TLSV1.2" } },
  { name: "time with a non-UTC offset", text: line({ time: "06/Feb/2019:02:00:38 +0200" }), expect: { requestdatetime: "2019-02-06T00:00:38Z" } },
  { name: "any field may be -", text: line({ owner: "-", bucket: "-", error: "-", versionId: "-", hostId: "-", cipher: "-", host: "-", tls: "-", sourceRegion: "-" }), expect: { bucketowner: null, bucket_name: null, hostid: null, endpoint: null, sourceregion: null } },
  { name: "integers", text: line({ status: "206", bytes: "1", size: "5497558138880", total: "0", turnaround: "12" }), expect: { httpstatus: 206, bytessent: 1, objectsize: 5497558138880, totaltime: 0, turnaroundtime: 12 } },
  { name: "requester with spaces in a 26-field record", text: line({ requester: OAI }, 26), expect: { requester: OAI, aclrequired: "-" === BASE.aclRequired ? null : BASE.aclRequired } },
  { name: "ARN requester", text: line({ requester: ALICE }), expect: { requester: ALICE } },
];

const BROKEN: { name: string; text: string; reason: RegExp }[] = [
  { name: "truncated after the request ID", text: line().slice(0, 220), reason: /fewer than 18 fields|closing quote/ },
  { name: "17 fields", text: line({}, 17), reason: /fewer than 18 fields/ },
  { name: "not a log line", text: "<html><body>502 Bad Gateway</body></html>", reason: /bracketed time/ },
  { name: "unclosed time", text: `${OWNER} b [06/Feb/2019:00:00:38 +0000 x y z`, reason: /not closed/ },
  { name: "unreadable time", text: line({ time: "2019-02-06 00:00:38" }), reason: /unreadable time/ },
  { name: "unknown month", text: line({ time: "06/Fev/2019:00:00:38 +0000" }), reason: /unreadable time/ },
  { name: "status not a number", text: line({ status: "OK", uri: "-" }), reason: /HTTP status is not a number/ },
  { name: "bytes not a number", text: line({ bytes: "12k" }), reason: /bytes sent is not an integer/ },
  { name: "unterminated Request-URI", text: `${OWNER} b [06/Feb/2019:00:00:38 +0000] 1.2.3.4 - ID REST.GET.OBJECT k "GET /x HTTP/1.1 200 - 1 1 1 1 "-" "-" -`, reason: /Request-URI|fewer than 18 fields/ },
  { name: "unterminated User-Agent", text: line({ agent: '"abc def' }), reason: /User-Agent/ },
];

describe("parseLine", () => {
  it.each(CASES)("$name", ({ text, expect: want }) => {
    const r = rec(text);
    expect(r).toMatchObject(want);
    // exactly the Athena columns plus extra/_line/_source
    expect(Object.keys(r)).toEqual([...LOG_FIELDS, "extra", "_line", "_source"]);
    for (const f of INTEGER_FIELDS) expect(r[f] === null || Number.isSafeInteger(r[f])).toBe(true);
  });

  it.each(BROKEN)("rejects: $name", ({ text, reason }) => {
    const r = parse(text);
    expect(typeof r).toBe("string");
    expect(r).toMatch(reason);
  });

  it("converts - to null in every field of a record made of dashes", () => {
    const dashes = `- - [06/Feb/2019:00:00:38 +0000] ${Array.from({ length: 24 }, () => "-").join(" ")}`;
    const r = rec(dashes);
    for (const f of LOG_FIELDS) if (f !== "requestdatetime") expect(r[f]).toBeNull();
  });

  it("time conversion rejects impossible values", () => {
    expect(logTimeToIso("32/Jan/2019:00:00:00 +0000")).toBeUndefined();
    expect(logTimeToIso("01/Jan/2019:24:00:00 +0000")).toBeUndefined();
    expect(logTimeToIso("01/Jan/2019:23:59:59 -0130")).toBe("2019-01-02T01:29:59Z");
  });

  it("never throws on arbitrary text or bytes", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.uint8Array({ maxLength: 400 }).map((b) => Buffer.from(b).toString("utf8"))), (s) => {
        const r = parseLine(cleanLine(s), "x", 1);
        expect(typeof r === "string" || typeof r === "object").toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it("never throws on mutated log lines (characters replaced, cut, or inserted)", () => {
    const base = [line(), line({ requester: OAI }, 26), line({}, 18), DOC_EXAMPLE];
    const alphabet = [" ", '"', "-", "[", "]", "x", "\r", "\u0000", "REST.", "9"];
    fc.assert(
      fc.property(fc.constantFrom(...base), fc.array(fc.tuple(fc.nat(), fc.constantFrom(...alphabet), fc.boolean()), { maxLength: 8 }), fc.nat(), (b, edits, cut) => {
        let s = b;
        for (const [pos, ch, insert] of edits) {
          const p = pos % (s.length + 1);
          s = insert ? s.slice(0, p) + ch + s.slice(p) : s.slice(0, p) + ch + s.slice(p + 1);
        }
        s = s.slice(0, s.length - (cut % 30));
        const r = parseLine(cleanLine(s), "x", 1);
        if (typeof r === "object") expect(Object.keys(r)).toHaveLength(LOG_FIELDS.length + 3);
      }),
      { numRuns: 3000 },
    );
  });
});

/** The regex's groups in record form: quotes stripped, - → null, numbers, ISO time. */
function fromGroups(g: (string | undefined)[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  LOG_FIELDS.forEach((f, i) => {
    let v = g[i] ?? null;
    if (v !== null && v.length >= 2 && v.startsWith('"') && v.endsWith('"') && ["request_uri", "referrer", "useragent"].includes(f)) v = v.slice(1, -1);
    if (v === "-" || v === "") v = null;
    if (f === "requestdatetime" && v !== null) out[f] = logTimeToIso(v);
    else if ((INTEGER_FIELDS as readonly string[]).includes(f)) out[f] = v === null ? null : Number(v);
    else out[f] = v;
  });
  return out;
}

describe("the generated Athena input.regex", () => {
  const re = new RegExp(unquoteSqlLiteral(regexSqlLiteral()));

  it("has exactly 27 capture groups (one per column)", () => {
    expect(new RegExp(`${LOG_LINE_REGEX_SOURCE}|`).exec("")?.length).toBe(28);
  });

  it.each(CASES)("extracts the same fields as the parser: $name", ({ text }) => {
    const r = rec(text);
    const m = re.exec(cleanLine(text));
    expect(m).not.toBeNull();
    const want = Object.fromEntries(LOG_FIELDS.map((f) => [f, r[f]]));
    expect(fromGroups((m as RegExpExecArray).slice(1))).toEqual(want);
  });

  it("the SQL literal round-trips", () => {
    expect(unquoteSqlLiteral(regexSqlLiteral())).toBe(LOG_LINE_REGEX_SOURCE);
    expect(regexSqlLiteral()).toContain("\\\\[");
  });

  it("where AWS's documented regex loses fields, ours does not (26-field record, quote in the User-Agent)", () => {
    const aws = new RegExp(`^${AWS_DOC_REGEX_SOURCE}`);
    const old = line({ aclRequired: "Yes" }, 26);
    expect(aws.exec(old)?.[19]).toBeUndefined(); // hostid lost
    expect(re.exec(old)?.[19]).toBe(BASE.hostId);
    const quoted = line({ agent: '"Mozilla/5.0 "Custom" (X11)"' });
    expect(aws.exec(quoted)).toBeNull(); // a row of NULLs in Athena
    expect(re.exec(quoted)).not.toBeNull();
  });
});
