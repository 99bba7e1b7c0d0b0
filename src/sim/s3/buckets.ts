/**
 * Bucket-level APIs of the simulated S3 that are not configuration: ListBuckets, CreateBucket,
 * HeadBucket, GetBucketLocation, DeleteBucket.
 */
import { SimError, malformedXml, s3AccessDenied } from "../errors.js";
import { BUCKET_NAME_RE, REGION_RE } from "../scenario.js";
import { lowerBound, ownerGrant, upperBound, type ObjectOwnership, type SimGrant } from "../state.js";
import { S3_NS, child, esc, text } from "../xml.js";
import { aclWithEnforced, cannedAcl, emailGrantRejected, headerGrants } from "./acl-policy.js";
import { OWNERSHIPS } from "./bucket-config.js";
import { NO_CONTENT, b64, isoSeconds, ok, parseBody, parseBool, unb64, type BucketApi, type S3Context, type S3Request, type SimResponse } from "./wire.js";

/** ListBuckets (paginated when any of its parameters is given, as AWS does). */
export function listBuckets(ctx: S3Context, req: S3Request): SimResponse {
  const ident = req.identity;
  const acct = ident ? ctx.state.accounts.get(ident.account) : undefined;
  if (!ident) throw s3AccessDenied();
  const q = req.query;
  const maxRaw = q.get("max-buckets");
  const token = q.get("continuation-token");
  const prefix = q.get("prefix");
  const regionFilter = q.get("bucket-region");
  const paged = maxRaw !== undefined || token !== undefined || prefix !== undefined || regionFilter !== undefined;
  let max = 10000;
  if (maxRaw !== undefined) {
    max = Number(maxRaw);
    if (!/^\d+$/.test(maxRaw) || max < 1 || max > 10000) {
      throw new SimError("InvalidArgument", 400, "Argument max-buckets must be an integer between 1 and 10000", { ArgumentName: "max-buckets", ArgumentValue: maxRaw });
    }
  }
  if (regionFilter !== undefined && !REGION_RE.test(regionFilter)) {
    throw new SimError("InvalidArgument", 400, "Invalid Region", { ArgumentName: "bucket-region", ArgumentValue: regionFilter });
  }
  const names: readonly string[] = !acct ? [] : regionFilter !== undefined ? (acct.bucketsByRegion.get(regionFilter) ?? []) : acct.bucketNames;
  let start = 0;
  if (token !== undefined) {
    const last = unb64(token);
    if (last === undefined || token === "") throw new SimError("InvalidArgument", 400, "The continuation token provided is incorrect", { ArgumentName: "continuation-token" });
    start = upperBound(names, last);
  }
  if (prefix !== undefined && prefix !== "") start = Math.max(start, lowerBound(names, prefix));
  let xml = "";
  let count = 0;
  let i = start;
  let lastName: string | undefined;
  for (; i < names.length; i++) {
    const n = names[i] as string;
    if (prefix !== undefined && !n.startsWith(prefix)) break;
    if (paged && count >= max) break;
    const b = ctx.state.buckets.get(n);
    if (!b) continue;
    xml += `<Bucket><Name>${esc(n)}</Name><CreationDate>${isoSeconds(b.creationDate)}</CreationDate>${paged ? `<BucketRegion>${b.region}</BucketRegion>` : ""}</Bucket>`;
    count++;
    lastName = n;
  }
  const more = paged && i < names.length && lastName !== undefined && (prefix === undefined || (names[i] as string).startsWith(prefix));
  const owner = acct ? `<Owner><ID>${acct.canonicalId}</ID></Owner>` : "";
  const tail = `${more ? `<ContinuationToken>${b64(lastName as string)}</ContinuationToken>` : ""}${prefix !== undefined ? `<Prefix>${esc(prefix)}</Prefix>` : ""}`;
  return ok(`<ListAllMyBucketsResult xmlns="${S3_NS}">${owner}<Buckets>${xml}</Buckets>${tail}</ListAllMyBucketsResult>`);
}

/** CreateBucket with its location-constraint, ownership and ACL rules. */
export function createBucket(ctx: S3Context, req: S3Request, name: string): SimResponse {
  const ident = req.identity;
  if (!ident) throw s3AccessDenied();
  if (!BUCKET_NAME_RE.test(name) || name.includes("..") || /^\d+\.\d+\.\d+\.\d+$/.test(name) || name.startsWith("xn--") || name.endsWith("-s3alias")) {
    throw new SimError("InvalidBucketName", 400, "The specified bucket is not valid.", { BucketName: name });
  }
  let constraint: string | undefined;
  if (req.body.length > 0 && req.body.toString("utf8").trim() !== "") {
    const cfg = child(parseBody(req), "CreateBucketConfiguration");
    if (!cfg) throw malformedXml();
    constraint = text(cfg, "LocationConstraint");
    if (constraint === "") constraint = undefined;
  }
  let region: string;
  if (constraint === undefined) {
    if (req.region !== "us-east-1") {
      throw new SimError("IllegalLocationConstraintException", 400, "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to.");
    }
    region = "us-east-1";
  } else {
    region = constraint === "EU" ? "eu-west-1" : constraint;
    if (constraint === "us-east-1" || !REGION_RE.test(region)) {
      throw new SimError("InvalidLocationConstraint", 400, "The specified location-constraint is not valid", { LocationConstraint: constraint });
    }
    if (region !== req.region) {
      throw new SimError("IllegalLocationConstraintException", 400, `The ${constraint} location constraint is incompatible for the region specific endpoint this request was sent to.`);
    }
  }
  const ownershipHeader = req.headers["x-amz-object-ownership"];
  let ownership: ObjectOwnership = "BucketOwnerEnforced";
  if (typeof ownershipHeader === "string") {
    if (!OWNERSHIPS.has(ownershipHeader)) throw new SimError("InvalidArgument", 400, "Invalid x-amz-object-ownership header", { ArgumentName: "x-amz-object-ownership", ArgumentValue: ownershipHeader });
    ownership = ownershipHeader as ObjectOwnership;
  }
  const acctState = ctx.state.accounts.get(ident.account);
  const canonical = acctState?.canonicalId ?? "";
  let acl: SimGrant[] = [];
  const canned = req.headers["x-amz-acl"];
  if (typeof canned === "string") acl = cannedAcl(canned, canonical).slice(1);
  const hg = headerGrants(req.headers);
  if (hg) acl = hg.filter((g) => !(g.type === "CanonicalUser" && g.id === canonical && g.permission === "FULL_CONTROL"));
  if (acl.some((g) => g.type === "AmazonCustomerByEmail")) throw emailGrantRejected();
  const existing = ctx.state.buckets.get(name);
  if (existing) {
    if (existing.account !== ident.account) {
      throw new SimError("BucketAlreadyExists", 409, "The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.", { BucketName: name });
    }
    // AWS: in us-east-1 re-creating your own bucket answers 200 (legacy); elsewhere BucketAlreadyOwnedByYou.
    if (existing.region === "us-east-1" && region === "us-east-1") {
      if (existing.ownership === "BucketOwnerEnforced" && acl.length > 0) throw aclWithEnforced();
      existing.acl = [ownerGrant(canonical), ...acl];
      return ok(undefined, { location: `/${name}` });
    }
    throw new SimError("BucketAlreadyOwnedByYou", 409, "Your previous request to create the named bucket succeeded and you already own it.", { BucketName: name });
  }
  if (ownership === "BucketOwnerEnforced" && acl.length > 0) throw aclWithEnforced();
  const objectLock = parseBool(typeof req.headers["x-amz-bucket-object-lock-enabled"] === "string" ? (req.headers["x-amz-bucket-object-lock-enabled"]).toLowerCase() : undefined);
  ctx.state.createBucket(ident.account, name, region, { ownership, objectLock, acl, creationDate: new Date(Math.floor(ctx.now().getTime() / 1000) * 1000) });
  return ok(undefined, { location: `/${name}` });
}

/** The bucket-level APIs on an existing bucket, by operation name. */
export const BUCKET_APIS: Record<string, BucketApi> = {
  HeadBucket: (_ctx, _req, bucket) => ({ status: 200, headers: { "x-amz-bucket-region": bucket.region, "x-amz-access-point-alias": "false" } }),
  GetBucketLocation: (_ctx, _req, bucket) =>
    ok(bucket.region === "us-east-1" ? `<LocationConstraint xmlns="${S3_NS}"/>` : `<LocationConstraint xmlns="${S3_NS}">${bucket.region}</LocationConstraint>`),
  DeleteBucket: (ctx, _req, bucket) => {
    if (bucket.objects.size > 0) throw new SimError("BucketNotEmpty", 409, "The bucket you tried to delete is not empty", { BucketName: bucket.name });
    ctx.state.deleteBucket(bucket.name);
    return NO_CONTENT;
  },
};
