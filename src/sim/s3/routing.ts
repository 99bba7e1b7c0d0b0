/**
 * Routing of the simulated S3 (REST/XML, path-style): the operation name of a request, then the
 * checks every bucket request passes in AWS's order (bucket exists, Region of the signature,
 * caller's account, expected owner) before the API's own handler runs.
 */
import { SimError, noSuchBucket, s3AccessDenied } from "../errors.js";
import type { SimState } from "../state.js";
import { BUCKET_APIS, createBucket, listBuckets } from "./buckets.js";
import { CONFIG_APIS } from "./bucket-config.js";
import { OBJECT_APIS } from "./objects.js";
import type { BucketApi, S3Context, S3Request, SimResponse } from "./wire.js";

const SUBRESOURCE_OPS: Record<string, Record<string, string>> = {
  logging: { GET: "GetBucketLogging", PUT: "PutBucketLogging" },
  policy: { GET: "GetBucketPolicy", PUT: "PutBucketPolicy", DELETE: "DeleteBucketPolicy" },
  acl: { GET: "GetBucketAcl", PUT: "PutBucketAcl" },
  ownershipControls: { GET: "GetBucketOwnershipControls", PUT: "PutBucketOwnershipControls", DELETE: "DeleteBucketOwnershipControls" },
  encryption: { GET: "GetBucketEncryption", PUT: "PutBucketEncryption", DELETE: "DeleteBucketEncryption" },
  "object-lock": { GET: "GetObjectLockConfiguration", PUT: "PutObjectLockConfiguration" },
  requestPayment: { GET: "GetBucketRequestPayment", PUT: "PutBucketRequestPayment" },
  publicAccessBlock: { GET: "GetPublicAccessBlock", PUT: "PutPublicAccessBlock", DELETE: "DeletePublicAccessBlock" },
  lifecycle: { GET: "GetBucketLifecycleConfiguration", PUT: "PutBucketLifecycleConfiguration", DELETE: "DeleteBucketLifecycle" },
  location: { GET: "GetBucketLocation" },
  versioning: { GET: "GetBucketVersioning", PUT: "PutBucketVersioning" },
};
const OTHER_SUBRESOURCES = new Set([
  "tagging", "cors", "website", "replication", "notification", "analytics", "inventory", "metrics",
  "intelligent-tiering", "accelerate", "policyStatus", "delete", "uploads", "uploadId", "versions",
  "object-lock-retention", "retention", "legal-hold", "attributes", "select", "restore", "torrent",
]);

/** The S3 operation name (SDK command name without "Command") of a request. */
export function s3Operation(method: string, bucket: string | undefined, key: string | undefined, query: Map<string, string>): string {
  if (bucket === undefined) return method === "GET" ? "ListBuckets" : "Unsupported";
  if (key === undefined) {
    for (const q of query.keys()) {
      const ops = SUBRESOURCE_OPS[q];
      if (ops) return ops[method] ?? "MethodNotAllowed";
      if (OTHER_SUBRESOURCES.has(q)) return "Unsupported";
    }
    switch (method) {
      case "PUT":
        return "CreateBucket";
      case "DELETE":
        return "DeleteBucket";
      case "HEAD":
        return "HeadBucket";
      case "GET":
        return query.get("list-type") === "2" ? "ListObjectsV2" : "ListObjects";
      default:
        return "Unsupported";
    }
  }
  for (const q of query.keys()) if (OTHER_SUBRESOURCES.has(q) || q === "acl") return "Unsupported";
  switch (method) {
    case "PUT":
      return query.has("x-id") && query.get("x-id") !== "PutObject" ? "Unsupported" : "PutObject";
    case "GET":
      return "GetObject";
    case "HEAD":
      return "HeadObject";
    case "DELETE":
      return "DeleteObject";
    default:
      return "Unsupported";
  }
}

const BUCKET_REQUEST_APIS: Record<string, BucketApi> = { ...BUCKET_APIS, ...CONFIG_APIS, ...OBJECT_APIS };

function notImplemented(): SimError {
  return new SimError("NotImplemented", 501, "A header you provided implies functionality that is not implemented");
}

function wrongRegion(state: SimState, req: S3Request, bucketRegion: string, name: string): SimError {
  const regionHeader = { "x-amz-bucket-region": bucketRegion };
  if (state.wrongRegionError === "AuthorizationHeaderMalformed") {
    return new SimError(
      "AuthorizationHeaderMalformed",
      400,
      `The authorization header is malformed; the region '${req.region}' is wrong; expecting '${bucketRegion}'`,
      { Region: bucketRegion },
      regionHeader,
    );
  }
  return new SimError(
    "PermanentRedirect",
    301,
    "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
    { Endpoint: `s3.${bucketRegion}.amazonaws.com`, Bucket: name },
    regionHeader,
  );
}

/** Handles S3 requests against the simulator state. */
export class S3Handler {
  private readonly ctx: S3Context;

  constructor(state: SimState, now: () => Date = () => new Date()) {
    this.ctx = { state, now, canonicalOf: (account) => state.accounts.get(account)?.canonicalId ?? "" };
  }

  /** Answer one request (throws SimError for AWS error answers). */
  handle(req: S3Request): SimResponse {
    const op = req.op;
    if (op === "Unsupported") throw notImplemented();
    if (op === "MethodNotAllowed") {
      throw new SimError("MethodNotAllowed", 405, "The specified method is not allowed against this resource.", { Method: req.method, ResourceType: "BUCKET" });
    }
    if (op === "ListBuckets") return listBuckets(this.ctx, req);
    const name = req.bucket as string;
    if (op === "CreateBucket") return createBucket(this.ctx, req, name);

    const { state } = this.ctx;
    const bucket = state.buckets.get(name);
    if (!bucket) {
      if (op === "HeadBucket") throw new SimError("NotFound", 404, "Not Found");
      throw noSuchBucket(name);
    }
    if (op !== "GetBucketLocation" && req.region !== bucket.region) throw wrongRegion(state, req, bucket.region, name);
    const regionHeader = { "x-amz-bucket-region": bucket.region };
    const ident = req.identity;
    const expected = req.headers["x-amz-expected-bucket-owner"];
    if (!ident || ident.account !== bucket.account || (typeof expected === "string" && expected !== bucket.account)) {
      throw op === "HeadBucket" ? new SimError("Forbidden", 403, "Forbidden", {}, regionHeader) : s3AccessDenied();
    }
    const api = BUCKET_REQUEST_APIS[op];
    if (!api) throw notImplemented();
    return api(this.ctx, req, bucket);
  }
}
