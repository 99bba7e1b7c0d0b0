/**
 * Object APIs of the simulated S3: ListObjectsV2, ListObjects, PutObject, GetObject, HeadObject,
 * DeleteObject, and the aws-chunked upload decoding.
 */
import { createHash } from "node:crypto";
import { SimError } from "../errors.js";
import { deleteObject, lowerBound, putObject as storeObject, upperBound, type SimBucket } from "../state.js";
import { S3_NS, esc } from "../xml.js";
import { NO_CONTENT, b64, ok, unb64, type BucketApi, type S3Context, type S3Request, type SimResponse } from "./wire.js";

function listObjectsV2(_ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
  const q = req.query;
  const prefix = q.get("prefix") ?? "";
  const delimiter = q.get("delimiter") ?? "";
  const maxRaw = q.get("max-keys");
  let maxKeys = 1000;
  if (maxRaw !== undefined) {
    maxKeys = Number(maxRaw);
    if (!/^\d+$/.test(maxRaw)) throw new SimError("InvalidArgument", 400, "Provided max-keys not an integer or within integer range", { ArgumentName: "max-keys", ArgumentValue: maxRaw });
    maxKeys = Math.min(maxKeys, 1000);
  }
  const token = q.get("continuation-token");
  const startAfter = q.get("start-after");
  const urlEncode = q.get("encoding-type") === "url";
  const enc = (s: string) => esc(urlEncode ? encodeURIComponent(s).replace(/%2F/g, "/") : s);
  const keys = bucket.objectKeys;
  let after: string | undefined = startAfter;
  if (token !== undefined) {
    const decoded = token === "" ? undefined : unb64(token);
    if (decoded === undefined) throw new SimError("InvalidArgument", 400, "The continuation token provided is incorrect", { ArgumentName: "continuation-token" });
    after = decoded;
  }
  let i = after !== undefined ? upperBound(keys, after) : 0;
  if (prefix) i = Math.max(i, lowerBound(keys, prefix));
  let contents = "";
  let prefixes = "";
  let count = 0;
  let last: string | undefined;
  let truncated = false;
  let lastPrefix: string | undefined;
  while (i < keys.length) {
    const k = keys[i] as string;
    if (prefix && !k.startsWith(prefix)) break;
    if (delimiter) {
      const d = k.indexOf(delimiter, prefix.length);
      if (d >= 0) {
        const cp = k.slice(0, d + delimiter.length);
        if (cp !== lastPrefix) {
          if (count >= maxKeys) {
            truncated = true;
            break;
          }
          prefixes += `<CommonPrefixes><Prefix>${enc(cp)}</Prefix></CommonPrefixes>`;
          count++;
          lastPrefix = cp;
        }
        // skip every key under this common prefix
        last = `${cp}\uffff`;
        i = lowerBound(keys, last);
        continue;
      }
    }
    if (count >= maxKeys) {
      truncated = true;
      break;
    }
    const o = bucket.objects.get(k);
    if (o) {
      contents += `<Contents><Key>${enc(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${esc(o.etag)}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    }
    count++;
    last = k;
    i++;
  }
  let xml = `<ListBucketResult xmlns="${S3_NS}"><Name>${esc(bucket.name)}</Name><Prefix>${enc(prefix)}</Prefix>`;
  if (delimiter) xml += `<Delimiter>${enc(delimiter)}</Delimiter>`;
  xml += `<MaxKeys>${maxKeys}</MaxKeys><KeyCount>${count}</KeyCount><IsTruncated>${truncated}</IsTruncated>`;
  if (urlEncode) xml += "<EncodingType>url</EncodingType>";
  if (token !== undefined) xml += `<ContinuationToken>${esc(token)}</ContinuationToken>`;
  if (truncated && last !== undefined) xml += `<NextContinuationToken>${b64(last)}</NextContinuationToken>`;
  if (startAfter !== undefined) xml += `<StartAfter>${enc(startAfter)}</StartAfter>`;
  xml += `${contents}${prefixes}</ListBucketResult>`;
  return ok(xml);
}

function listObjectsV1(_ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
  const q = req.query;
  const prefix = q.get("prefix") ?? "";
  const marker = q.get("marker");
  const maxKeys = Math.min(Number(q.get("max-keys") ?? "1000") || 1000, 1000);
  const keys = bucket.objectKeys;
  let i = marker ? upperBound(keys, marker) : 0;
  if (prefix) i = Math.max(i, lowerBound(keys, prefix));
  let contents = "";
  let count = 0;
  let truncated = false;
  for (; i < keys.length; i++) {
    const k = keys[i] as string;
    if (prefix && !k.startsWith(prefix)) break;
    if (count >= maxKeys) {
      truncated = true;
      break;
    }
    const o = bucket.objects.get(k);
    if (o) contents += `<Contents><Key>${esc(k)}</Key><LastModified>${o.lastModified.toISOString()}</LastModified><ETag>${esc(o.etag)}</ETag><Size>${o.size}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    count++;
  }
  return ok(
    `<ListBucketResult xmlns="${S3_NS}"><Name>${esc(bucket.name)}</Name><Prefix>${esc(prefix)}</Prefix><Marker>${esc(marker ?? "")}</Marker><MaxKeys>${maxKeys}</MaxKeys><IsTruncated>${truncated}</IsTruncated>${contents}</ListBucketResult>`,
  );
}

function putObject(ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
  const key = req.key as string;
  if (key.length > 1024) throw new SimError("KeyTooLongError", 400, "Your key is too long");
  const canned = req.headers["x-amz-acl"];
  if (bucket.ownership === "BucketOwnerEnforced" && typeof canned === "string" && canned !== "bucket-owner-full-control" && canned !== "private") {
    throw new SimError("AccessControlListNotSupported", 400, "The bucket does not allow ACLs");
  }
  const body = decodeAwsChunked(req);
  const obj = storeObject(bucket, key, body, body.length, new Date(Math.floor(ctx.now().getTime() / 1000) * 1000));
  return { status: 200, headers: { etag: obj.etag, "x-amz-server-side-encryption": bucket.encryption?.algorithm ?? "AES256" } };
}

function getOrHeadObject(req: S3Request, bucket: SimBucket, head: boolean): SimResponse {
  const obj = bucket.objects.get(req.key as string);
  if (!obj) {
    if (head) throw new SimError("NotFound", 404, "Not Found");
    throw new SimError("NoSuchKey", 404, "The specified key does not exist.", { Key: req.key as string });
  }
  const headers = {
    "content-type": "binary/octet-stream",
    etag: obj.etag,
    "last-modified": obj.lastModified.toUTCString(),
    "content-length": String(obj.body ? obj.body.length : obj.size),
    "x-amz-server-side-encryption": bucket.encryption?.algorithm ?? "AES256",
  };
  if (head) return { status: 200, headers };
  return { status: 200, headers, body: obj.body ?? Buffer.alloc(obj.size) };
}

/** The object APIs by operation name. */
export const OBJECT_APIS: Record<string, BucketApi> = {
  ListObjectsV2: listObjectsV2,
  ListObjects: listObjectsV1,
  PutObject: putObject,
  GetObject: (_ctx, req, bucket) => getOrHeadObject(req, bucket, false),
  HeadObject: (_ctx, req, bucket) => getOrHeadObject(req, bucket, true),
  DeleteObject: (_ctx, req, bucket) => {
    deleteObject(bucket, req.key as string);
    return NO_CONTENT;
  },
};


/** Decode an `aws-chunked` upload body (streaming SigV4 or unsigned-with-trailer) into the payload. */
export function decodeAwsChunked(req: S3Request): Buffer {
  const sha = req.headers["x-amz-content-sha256"];
  const encoding = req.headers["content-encoding"];
  const chunked = (typeof sha === "string" && sha.startsWith("STREAMING-")) || (typeof encoding === "string" && encoding.includes("aws-chunked"));
  if (!chunked) return req.body;
  const parts: Buffer[] = [];
  const buf = req.body;
  let pos = 0;
  while (pos < buf.length) {
    const lineEnd = buf.indexOf("\r\n", pos);
    if (lineEnd < 0) break;
    const header = buf.subarray(pos, lineEnd).toString("latin1");
    const size = parseInt(header.split(";")[0] as string, 16);
    if (!Number.isFinite(size)) break;
    pos = lineEnd + 2;
    if (size === 0) break;
    parts.push(buf.subarray(pos, pos + size));
    pos += size + 2;
  }
  return Buffer.concat(parts);
}

/** Content MD5 of a body (for tests and ETags). */
export function md5Hex(b: Buffer): string {
  return createHash("md5").update(b).digest("hex");
}
