/**
 * Simulated Amazon S3 (REST/XML, path-style): bucket configuration reads and writes,
 * CreateBucket/DeleteBucket, ListBuckets, ListObjectsV2 and basic object calls.
 * Shapes and error codes follow docs/aws-s3-logging-reference.md §3.
 */
import { createHash } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";
import { SimError, malformedXml, noSuchBucket, s3AccessDenied } from "./errors.js";
import { BUCKET_NAME_RE, REGION_RE } from "./scenario.js";
import {
  FULL_PAB,
  LOG_DELIVERY_URI,
  deleteObject,
  lowerBound,
  ownerGrant,
  putObject,
  upperBound,
  type ObjectOwnership,
  type SimBucket,
  type SimGrant,
  type SimIdentity,
  type SimLogging,
  type SimState,
} from "./state.js";
import { S3_NS, XML_DECL, XSI, XmlSyntaxError, child, children, esc, jsonToXml, parseXml, text, xmlToJson } from "./xml.js";

export interface S3Request {
  method: string;
  op: string;
  bucket: string | undefined;
  key: string | undefined;
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  identity: SimIdentity | undefined;
  /** Region of the SigV4 credential scope. */
  region: string;
}

export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

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

const XML_HEADERS = { "content-type": "application/xml" };

function ok(body?: string, headers?: Record<string, string>): SimResponse {
  if (body === undefined) return { status: 200, ...(headers ? { headers } : {}) };
  return { status: 200, headers: { ...XML_HEADERS, ...headers }, body: XML_DECL + body };
}
const NO_CONTENT: SimResponse = { status: 204 };

export function grantXml(g: SimGrant): string {
  let inner = "";
  if (g.id !== undefined) inner += `<ID>${esc(g.id)}</ID>`;
  if (g.displayName !== undefined) inner += `<DisplayName>${esc(g.displayName)}</DisplayName>`;
  if (g.emailAddress !== undefined) inner += `<EmailAddress>${esc(g.emailAddress)}</EmailAddress>`;
  if (g.uri !== undefined) inner += `<URI>${esc(g.uri)}</URI>`;
  return `<Grant><Grantee ${XSI} xsi:type="${g.type}">${inner}</Grantee><Permission>${g.permission}</Permission></Grant>`;
}

const GRANTEE_TYPES = new Set(["CanonicalUser", "Group", "AmazonCustomerByEmail"]);

/** Parse <Grant> elements; throws `errorCode` (MalformedXML / MalformedACLError) on bad input. */
function parseGrants(nodes: Record<string, unknown>[], allowed: ReadonlySet<string>, errorCode: string): SimGrant[] {
  const bad = () => (errorCode === "MalformedXML" ? malformedXml() : new SimError(errorCode, 400, "The XML you provided was not well-formed or did not validate against our published schema"));
  return nodes.map((g) => {
    const grantee = child(g, "Grantee");
    const permission = text(g, "Permission");
    if (!grantee || !permission || !allowed.has(permission)) throw bad();
    const type = (grantee["@_type"] as string | undefined) ?? (text(grantee, "URI") ? "Group" : text(grantee, "EmailAddress") ? "AmazonCustomerByEmail" : "CanonicalUser");
    if (!GRANTEE_TYPES.has(type)) throw bad();
    const out: SimGrant = { type: type as SimGrant["type"], permission };
    const id = text(grantee, "ID");
    const uri = text(grantee, "URI");
    const email = text(grantee, "EmailAddress");
    const dn = text(grantee, "DisplayName");
    if (id !== undefined) out.id = id;
    if (uri !== undefined) out.uri = uri;
    if (email !== undefined) out.emailAddress = email;
    if (dn !== undefined) out.displayName = dn;
    if (type === "CanonicalUser" && !id) throw bad();
    if (type === "Group" && !uri) throw bad();
    return out;
  });
}

function aclWithEnforced(): SimError {
  return new SimError("InvalidBucketAclWithObjectOwnership", 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
}

function emailGrantRejected(): SimError {
  return new SimError("MethodNotAllowed", 405, "Email grantee is no longer supported. Use a canonical user ID instead.");
}

function parseBody(req: S3Request): Record<string, unknown> {
  const s = req.body.toString("utf8");
  if (s.trim() === "") throw new SimError("MissingRequestBodyError", 400, "Request Body is empty");
  try {
    return parseXml(s);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw malformedXml();
    throw err;
  }
}

function isPublicGrant(g: SimGrant): boolean {
  return g.type === "Group" && (g.uri === "http://acs.amazonaws.com/groups/global/AllUsers" || g.uri === "http://acs.amazonaws.com/groups/global/AuthenticatedUsers");
}

const CANNED: Record<string, (string | [string, string])[]> = {
  private: [],
  "bucket-owner-read": [],
  "bucket-owner-full-control": [],
  "public-read": [["http://acs.amazonaws.com/groups/global/AllUsers", "READ"]],
  "public-read-write": [
    ["http://acs.amazonaws.com/groups/global/AllUsers", "READ"],
    ["http://acs.amazonaws.com/groups/global/AllUsers", "WRITE"],
  ],
  "authenticated-read": [["http://acs.amazonaws.com/groups/global/AuthenticatedUsers", "READ"]],
  "log-delivery-write": [
    [LOG_DELIVERY_URI, "WRITE"],
    [LOG_DELIVERY_URI, "READ_ACP"],
  ],
};

function cannedAcl(name: string, ownerId: string): SimGrant[] {
  const extra = CANNED[name];
  if (!extra) throw new SimError("InvalidArgument", 400, "", { ArgumentName: "x-amz-acl", ArgumentValue: name });
  return [ownerGrant(ownerId), ...extra.map((e) => ({ type: "Group" as const, uri: (e as [string, string])[0], permission: (e as [string, string])[1] }))];
}

const GRANT_HEADERS: [string, string][] = [
  ["x-amz-grant-read", "READ"],
  ["x-amz-grant-write", "WRITE"],
  ["x-amz-grant-read-acp", "READ_ACP"],
  ["x-amz-grant-write-acp", "WRITE_ACP"],
  ["x-amz-grant-full-control", "FULL_CONTROL"],
];

function headerGrants(headers: IncomingHttpHeaders): SimGrant[] | undefined {
  let out: SimGrant[] | undefined;
  for (const [h, perm] of GRANT_HEADERS) {
    const v = headers[h];
    if (typeof v !== "string") continue;
    out ??= [];
    for (const part of v.split(",")) {
      const m = /^\s*(id|uri|emailAddress)\s*=\s*"?([^"]*)"?\s*$/i.exec(part);
      if (!m) throw new SimError("InvalidArgument", 400, "Invalid grant header", { ArgumentName: h });
      const kind = (m[1] as string).toLowerCase();
      const val = m[2] as string;
      if (kind === "id") out.push({ type: "CanonicalUser", id: val, permission: perm });
      else if (kind === "uri") out.push({ type: "Group", uri: val, permission: perm });
      else out.push({ type: "AmazonCustomerByEmail", emailAddress: val, permission: perm });
    }
  }
  return out;
}

function aclIsOwnerOnly(acl: SimGrant[], ownerId: string): boolean {
  return acl.every((g) => g.type === "CanonicalUser" && g.id === ownerId && g.permission === "FULL_CONTROL");
}

const BPP_CONDITION_KEYS = [
  "aws:sourcearn", "aws:sourceaccount", "aws:sourceowner", "aws:sourcevpc", "aws:sourcevpce",
  "aws:principalorgid", "aws:principalaccount", "aws:principalarn", "aws:userid", "aws:sourceip", "aws:principalorgpaths",
];

function principalIsWildcard(p: unknown): boolean {
  if (p === "*") return true;
  if (typeof p === "object" && p !== null) {
    const aws = (p as Record<string, unknown>).AWS;
    if (aws === "*") return true;
    if (Array.isArray(aws) && aws.includes("*")) return true;
  }
  return false;
}

/** A statement that allows anyone without a restricting condition (what BlockPublicPolicy refuses). */
function isPublicPolicy(statements: Record<string, unknown>[]): boolean {
  return statements.some((st) => {
    if (st.Effect !== "Allow" || !principalIsWildcard(st.Principal)) return false;
    const cond = st.Condition;
    if (typeof cond !== "object" || cond === null) return true;
    const keys = Object.values(cond as Record<string, unknown>).flatMap((block) =>
      typeof block === "object" && block !== null ? Object.keys(block).map((k) => k.toLowerCase()) : [],
    );
    return !keys.some((k) => BPP_CONDITION_KEYS.includes(k));
  });
}

function malformedPolicy(message: string): SimError {
  return new SimError("MalformedPolicy", 400, message);
}

/** Validate a bucket policy as S3 does (the parts that matter); returns its statements. */
export function validateBucketPolicy(textBody: string, bucket: string): Record<string, unknown>[] {
  const trimmed = textBody.trimStart();
  let doc: unknown;
  try {
    if (!trimmed.startsWith("{")) throw new Error("first byte");
    doc = JSON.parse(trimmed);
  } catch {
    throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  }
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) throw malformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  const d = doc as Record<string, unknown>;
  if (d.Version !== undefined && d.Version !== "2012-10-17" && d.Version !== "2008-10-17") throw malformedPolicy("Invalid Version");
  if (d.Statement === undefined) throw malformedPolicy("Missing required field Statement");
  const statements = (Array.isArray(d.Statement) ? d.Statement : [d.Statement]) as unknown[];
  if (statements.length === 0) throw malformedPolicy("Could not parse the policy: Statement is empty!");
  const out: Record<string, unknown>[] = [];
  for (const st of statements) {
    if (typeof st !== "object" || st === null || Array.isArray(st)) throw malformedPolicy("Statement is not an object");
    const s = st as Record<string, unknown>;
    if (s.Effect !== "Allow" && s.Effect !== "Deny") throw malformedPolicy(`Invalid effect: ${String(s.Effect)}`);
    if (s.Principal === undefined && s.NotPrincipal === undefined) throw malformedPolicy("Missing required field Principal");
    const actions = s.Action ?? s.NotAction;
    if (actions === undefined) throw malformedPolicy("Missing required field Action");
    for (const a of Array.isArray(actions) ? actions : [actions]) {
      if (typeof a !== "string" || !(a === "*" || /^s3:[A-Za-z*?]+$/.test(a))) throw malformedPolicy("Policy has invalid action");
    }
    const res = s.Resource ?? s.NotResource;
    if (res === undefined) throw malformedPolicy("Missing required field Resource");
    for (const r of Array.isArray(res) ? res : [res]) {
      if (typeof r !== "string") throw malformedPolicy("Policy has invalid resource");
      if (r === "*") continue;
      if (r !== `arn:aws:s3:::${bucket}` && !r.startsWith(`arn:aws:s3:::${bucket}/`)) throw malformedPolicy("Policy has invalid resource");
    }
    out.push(s);
  }
  return out;
}

function parseBool(v: string | undefined): boolean {
  return v === "true" || v === "TRUE" || v === "True";
}

function b64(s: string): string {
  return Buffer.from(s, "utf8").toString("base64url");
}
function unb64(s: string): string | undefined {
  try {
    const out = Buffer.from(s, "base64url").toString("utf8");
    return out;
  } catch {
    return undefined;
  }
}

function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, ".000Z");
}

function loggingXml(l: SimLogging | undefined): string {
  if (!l) return `<BucketLoggingStatus xmlns="${S3_NS}"/>`;
  let inner = `<TargetBucket>${esc(l.targetBucket)}</TargetBucket><TargetPrefix>${esc(l.targetPrefix)}</TargetPrefix>`;
  if (l.targetGrants?.length) inner += `<TargetGrants>${l.targetGrants.map(grantXml).join("")}</TargetGrants>`;
  if (l.keyFormat?.type === "simple") inner += "<TargetObjectKeyFormat><SimplePrefix/></TargetObjectKeyFormat>";
  else if (l.keyFormat?.type === "partitioned") {
    const src = l.keyFormat.partitionDateSource;
    inner += `<TargetObjectKeyFormat><PartitionedPrefix>${src ? `<PartitionDateSource>${src}</PartitionDateSource>` : ""}</PartitionedPrefix></TargetObjectKeyFormat>`;
  }
  return `<BucketLoggingStatus xmlns="${S3_NS}"><LoggingEnabled>${inner}</LoggingEnabled></BucketLoggingStatus>`;
}

const TARGET_GRANT_PERMISSIONS = new Set(["FULL_CONTROL", "READ", "WRITE", "READ_ACP"]);
const ACL_PERMISSIONS = new Set(["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"]);
const OWNERSHIPS = new Set(["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]);
const SSE_ALGORITHMS = new Set(["AES256", "aws:kms", "aws:kms:dsse", "aws:fsx", "aws:backup"]);
const LIFECYCLE_ACTIONS = ["Expiration", "Transitions", "NoncurrentVersionExpiration", "NoncurrentVersionTransitions", "AbortIncompleteMultipartUpload"];
const LIFECYCLE_HEADER = { "x-amz-transition-default-minimum-object-size": "all_storage_classes_128K" };

/** Handles S3 requests against the simulator state. */
export class S3Handler {
  constructor(private readonly state: SimState) {}

  handle(req: S3Request): SimResponse {
    const op = req.op;
    if (op === "Unsupported") {
      throw new SimError("NotImplemented", 501, "A header you provided implies functionality that is not implemented");
    }
    if (op === "MethodNotAllowed") {
      throw new SimError("MethodNotAllowed", 405, "The specified method is not allowed against this resource.", { Method: req.method, ResourceType: "BUCKET" });
    }
    const ident = req.identity;
    if (op === "ListBuckets") return this.listBuckets(req);
    const name = req.bucket as string;
    if (op === "CreateBucket") return this.createBucket(req, name);

    const bucket = this.state.buckets.get(name);
    if (!bucket) {
      if (op === "HeadBucket") throw new SimError("NotFound", 404, "Not Found");
      throw noSuchBucket(name);
    }
    const regionHeader = { "x-amz-bucket-region": bucket.region };
    if (op !== "GetBucketLocation" && req.region !== bucket.region) {
      if (this.state.wrongRegionError === "AuthorizationHeaderMalformed") {
        throw new SimError(
          "AuthorizationHeaderMalformed",
          400,
          `The authorization header is malformed; the region '${req.region}' is wrong; expecting '${bucket.region}'`,
          { Region: bucket.region },
          regionHeader,
        );
      }
      throw new SimError(
        "PermanentRedirect",
        301,
        "The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.",
        { Endpoint: `s3.${bucket.region}.amazonaws.com`, Bucket: name },
        regionHeader,
      );
    }
    if (!ident || ident.account !== bucket.account) {
      throw op === "HeadBucket" ? new SimError("Forbidden", 403, "Forbidden", {}, regionHeader) : s3AccessDenied();
    }
    const expected = req.headers["x-amz-expected-bucket-owner"];
    if (typeof expected === "string" && expected !== bucket.account) {
      throw op === "HeadBucket" ? new SimError("Forbidden", 403, "Forbidden", {}, regionHeader) : s3AccessDenied();
    }
    switch (op) {
      case "HeadBucket":
        return { status: 200, headers: { ...regionHeader, "x-amz-access-point-alias": "false" } };
      case "GetBucketLocation":
        return ok(
          bucket.region === "us-east-1"
            ? `<LocationConstraint xmlns="${S3_NS}"/>`
            : `<LocationConstraint xmlns="${S3_NS}">${bucket.region}</LocationConstraint>`,
        );
      case "DeleteBucket":
        if (bucket.objects.size > 0) throw new SimError("BucketNotEmpty", 409, "The bucket you tried to delete is not empty", { BucketName: name });
        this.state.deleteBucket(name);
        return NO_CONTENT;
      case "GetBucketLogging":
        return ok(loggingXml(bucket.logging));
      case "PutBucketLogging":
        return this.putLogging(req, bucket);
      case "GetBucketPolicy":
        if (bucket.policy === undefined) throw new SimError("NoSuchBucketPolicy", 404, "The bucket policy does not exist", { BucketName: name });
        return { status: 200, headers: { "content-type": "application/json" }, body: bucket.policy };
      case "PutBucketPolicy":
        return this.putPolicy(req, bucket);
      case "DeleteBucketPolicy":
        bucket.policy = undefined;
        return NO_CONTENT;
      case "GetBucketAcl": {
        const owner = this.canonicalOf(bucket.account);
        return ok(
          `<AccessControlPolicy xmlns="${S3_NS}"><Owner><ID>${owner}</ID></Owner><AccessControlList>${bucket.acl.map(grantXml).join("")}</AccessControlList></AccessControlPolicy>`,
        );
      }
      case "PutBucketAcl":
        return this.putAcl(req, bucket);
      case "GetBucketOwnershipControls":
        if (!bucket.ownership) throw new SimError("OwnershipControlsNotFoundError", 404, "The bucket ownership controls were not found", { BucketName: name });
        return ok(`<OwnershipControls xmlns="${S3_NS}"><Rule><ObjectOwnership>${bucket.ownership}</ObjectOwnership></Rule></OwnershipControls>`);
      case "PutBucketOwnershipControls":
        return this.putOwnership(req, bucket);
      case "DeleteBucketOwnershipControls":
        bucket.ownership = undefined;
        return NO_CONTENT;
      case "GetBucketEncryption": {
        const e = bucket.encryption;
        if (!e) throw new SimError("ServerSideEncryptionConfigurationNotFoundError", 404, "The server side encryption configuration was not found", { BucketName: name });
        const key = e.kmsKeyId !== undefined ? `<KMSMasterKeyID>${esc(e.kmsKeyId)}</KMSMasterKeyID>` : "";
        return ok(
          `<ServerSideEncryptionConfiguration xmlns="${S3_NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${esc(e.algorithm)}</SSEAlgorithm>${key}</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${e.bucketKeyEnabled}</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
        );
      }
      case "PutBucketEncryption":
        return this.putEncryption(req, bucket);
      case "DeleteBucketEncryption":
        bucket.encryption = { algorithm: "AES256", bucketKeyEnabled: false };
        return NO_CONTENT;
      case "GetObjectLockConfiguration": {
        if (!bucket.objectLockEnabled) throw new SimError("ObjectLockConfigurationNotFoundError", 404, "Object Lock configuration does not exist for this bucket", { BucketName: name });
        const r = bucket.objectLockRetention;
        const rule = r
          ? `<Rule><DefaultRetention><Mode>${r.mode}</Mode>${r.days !== undefined ? `<Days>${r.days}</Days>` : ""}${r.years !== undefined ? `<Years>${r.years}</Years>` : ""}</DefaultRetention></Rule>`
          : "";
        return ok(`<ObjectLockConfiguration xmlns="${S3_NS}"><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`);
      }
      case "PutObjectLockConfiguration":
        return this.putObjectLock(req, bucket);
      case "GetBucketVersioning":
        return ok(`<VersioningConfiguration xmlns="${S3_NS}">${bucket.versioning ? `<Status>${bucket.versioning}</Status>` : ""}</VersioningConfiguration>`);
      case "PutBucketVersioning":
        return this.putVersioning(req, bucket);
      case "GetBucketRequestPayment":
        return ok(`<RequestPaymentConfiguration xmlns="${S3_NS}"><Payer>${bucket.requestPayer}</Payer></RequestPaymentConfiguration>`);
      case "PutBucketRequestPayment": {
        const payer = text(child(parseBody(req), "RequestPaymentConfiguration"), "Payer");
        if (payer !== "Requester" && payer !== "BucketOwner") throw malformedXml();
        bucket.requestPayer = payer;
        return ok();
      }
      case "GetPublicAccessBlock": {
        const p = bucket.publicAccessBlock;
        if (!p) throw new SimError("NoSuchPublicAccessBlockConfiguration", 404, "The public access block configuration was not found", { BucketName: name });
        return ok(
          `<PublicAccessBlockConfiguration xmlns="${S3_NS}"><BlockPublicAcls>${p.blockPublicAcls}</BlockPublicAcls><IgnorePublicAcls>${p.ignorePublicAcls}</IgnorePublicAcls><BlockPublicPolicy>${p.blockPublicPolicy}</BlockPublicPolicy><RestrictPublicBuckets>${p.restrictPublicBuckets}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
        );
      }
      case "PutPublicAccessBlock": {
        const c = child(parseBody(req), "PublicAccessBlockConfiguration");
        if (!c) throw malformedXml();
        bucket.publicAccessBlock = {
          blockPublicAcls: parseBool(text(c, "BlockPublicAcls")),
          ignorePublicAcls: parseBool(text(c, "IgnorePublicAcls")),
          blockPublicPolicy: parseBool(text(c, "BlockPublicPolicy")),
          restrictPublicBuckets: parseBool(text(c, "RestrictPublicBuckets")),
        };
        return ok();
      }
      case "DeletePublicAccessBlock":
        bucket.publicAccessBlock = undefined;
        return NO_CONTENT;
      case "GetBucketLifecycleConfiguration":
        if (!bucket.lifecycle) throw new SimError("NoSuchLifecycleConfiguration", 404, "The lifecycle configuration does not exist", { BucketName: name });
        return ok(`<LifecycleConfiguration xmlns="${S3_NS}">${jsonToXml({ Rules: bucket.lifecycle })}</LifecycleConfiguration>`, LIFECYCLE_HEADER);
      case "PutBucketLifecycleConfiguration":
        return this.putLifecycle(req, bucket);
      case "DeleteBucketLifecycle":
        bucket.lifecycle = undefined;
        return NO_CONTENT;
      case "ListObjectsV2":
        return this.listObjectsV2(req, bucket);
      case "ListObjects":
        return this.listObjectsV1(req, bucket);
      case "PutObject":
        return this.putObject(req, bucket);
      case "GetObject":
      case "HeadObject": {
        const obj = bucket.objects.get(req.key as string);
        if (!obj) {
          if (op === "HeadObject") throw new SimError("NotFound", 404, "Not Found");
          throw new SimError("NoSuchKey", 404, "The specified key does not exist.", { Key: req.key as string });
        }
        const headers = {
          "content-type": "binary/octet-stream",
          etag: obj.etag,
          "last-modified": obj.lastModified.toUTCString(),
          "content-length": String(obj.body ? obj.body.length : obj.size),
          "x-amz-server-side-encryption": bucket.encryption?.algorithm ?? "AES256",
        };
        if (op === "HeadObject") return { status: 200, headers };
        return { status: 200, headers, body: obj.body ?? Buffer.alloc(obj.size) };
      }
      case "DeleteObject":
        deleteObject(bucket, req.key as string);
        return NO_CONTENT;
      default:
        throw new SimError("NotImplemented", 501, "A header you provided implies functionality that is not implemented");
    }
  }

  private canonicalOf(account: string): string {
    return this.state.accounts.get(account)?.canonicalId ?? "";
  }

  private listBuckets(req: S3Request): SimResponse {
    const ident = req.identity;
    const acct = ident ? this.state.accounts.get(ident.account) : undefined;
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
      const b = this.state.buckets.get(n);
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

  private createBucket(req: S3Request, name: string): SimResponse {
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
    const acctState = this.state.accounts.get(ident.account);
    const canonical = acctState?.canonicalId ?? "";
    let acl: SimGrant[] = [];
    const canned = req.headers["x-amz-acl"];
    if (typeof canned === "string") acl = cannedAcl(canned, canonical).slice(1);
    const hg = headerGrants(req.headers);
    if (hg) acl = hg.filter((g) => !(g.type === "CanonicalUser" && g.id === canonical && g.permission === "FULL_CONTROL"));
    if (acl.some((g) => g.type === "AmazonCustomerByEmail")) throw emailGrantRejected();
    const existing = this.state.buckets.get(name);
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
    const objectLock = parseBool(typeof req.headers["x-amz-bucket-object-lock-enabled"] === "string" ? (req.headers["x-amz-bucket-object-lock-enabled"] as string).toLowerCase() : undefined);
    this.state.createBucket(ident.account, name, region, { ownership, objectLock, acl });
    return ok(undefined, { location: `/${name}` });
  }

  private putLogging(req: S3Request, bucket: SimBucket): SimResponse {
    const root = child(parseBody(req), "BucketLoggingStatus");
    if (!root) throw malformedXml();
    const le = child(root, "LoggingEnabled");
    if (!le) {
      bucket.logging = undefined;
      return ok();
    }
    const targetName = text(le, "TargetBucket");
    const targetPrefix = text(le, "TargetPrefix");
    if (!targetName || targetPrefix === undefined) throw malformedXml();
    const grantsNode = child(le, "TargetGrants");
    const grants = grantsNode ? parseGrants(children(grantsNode, "Grant"), TARGET_GRANT_PERMISSIONS, "MalformedXML") : [];
    let keyFormat: SimLogging["keyFormat"];
    const kf = child(le, "TargetObjectKeyFormat");
    if (kf) {
      const simple = child(kf, "SimplePrefix");
      const part = child(kf, "PartitionedPrefix");
      if ((simple === undefined) === (part === undefined)) throw malformedXml();
      if (simple) keyFormat = { type: "simple" };
      else {
        const src = text(part, "PartitionDateSource");
        if (src !== undefined && src !== "EventTime" && src !== "DeliveryTime") throw malformedXml();
        keyFormat = { type: "partitioned", partitionDateSource: (src as "EventTime" | "DeliveryTime" | undefined) ?? "EventTime" };
      }
    }
    if (grants.some((g) => g.type === "AmazonCustomerByEmail")) throw emailGrantRejected();
    const target = this.state.buckets.get(targetName);
    if (!target) {
      throw new SimError("InvalidTargetBucketForLogging", 400, "The target bucket for logging does not exist", { TargetBucket: targetName });
    }
    if (target.region !== bucket.region) {
      const extra: Record<string, string> = { TargetBucketLocation: target.region };
      if (bucket.region !== "us-east-1") extra.SourceBucketLocation = bucket.region;
      throw new SimError("CrossLocationLoggingProhibitted", 403, "Cross S3 location logging not allowed. ", extra);
    }
    if (target.account !== bucket.account) {
      throw new SimError("InvalidTargetBucketForLogging", 400, "The owner for the bucket to be logged and the target bucket must be the same", { TargetBucket: targetName });
    }
    if (grants.length > 0 && target.ownership === "BucketOwnerEnforced") {
      // Code is [Unverified] in the reference; the message is AWS's documented one.
      throw new SimError("InvalidTargetBucketForLogging", 400, "Target grants not allowed for bucket owner enforced buckets", { TargetBucket: targetName });
    }
    // Like AWS today: no check that the target grants delivery permission.
    const logging: SimLogging = { targetBucket: targetName, targetPrefix };
    if (grants.length) logging.targetGrants = grants;
    if (keyFormat) logging.keyFormat = keyFormat;
    bucket.logging = logging;
    return ok();
  }

  private putPolicy(req: S3Request, bucket: SimBucket): SimResponse {
    const body = req.body.toString("utf8");
    if (body.trim() === "") throw new SimError("MissingRequestBodyError", 400, "Request Body is empty");
    const statements = validateBucketPolicy(body, bucket.name);
    if (bucket.publicAccessBlock?.blockPublicPolicy && isPublicPolicy(statements)) {
      const who = req.identity?.arn ?? "anonymous";
      throw new SimError(
        "AccessDenied",
        403,
        `User: ${who} is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket.name}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
      );
    }
    bucket.policy = body;
    return NO_CONTENT;
  }

  private putAcl(req: S3Request, bucket: SimBucket): SimResponse {
    const owner = this.canonicalOf(bucket.account);
    let acl: SimGrant[];
    const canned = req.headers["x-amz-acl"];
    const hg = headerGrants(req.headers);
    if (typeof canned === "string") acl = cannedAcl(canned, owner);
    else if (hg) acl = hg;
    else {
      const root = child(parseBody(req), "AccessControlPolicy");
      if (!root) throw new SimError("MalformedACLError", 400, "The XML you provided was not well-formed or did not validate against our published schema");
      const list = child(root, "AccessControlList");
      acl = parseGrants(list ? children(list, "Grant") : [], ACL_PERMISSIONS, "MalformedACLError");
    }
    if (acl.some((g) => g.type === "AmazonCustomerByEmail")) throw emailGrantRejected();
    if (bucket.ownership === "BucketOwnerEnforced" && !aclIsOwnerOnly(acl, owner)) {
      throw new SimError("AccessControlListNotSupported", 400, "The bucket does not allow ACLs");
    }
    if (bucket.publicAccessBlock?.blockPublicAcls && acl.some(isPublicGrant)) throw s3AccessDenied();
    bucket.acl = acl;
    return ok();
  }

  private putOwnership(req: S3Request, bucket: SimBucket): SimResponse {
    const root = child(parseBody(req), "OwnershipControls");
    const rules = children(root, "Rule");
    const value = rules.length === 1 ? text(rules[0], "ObjectOwnership") : undefined;
    if (!value || !OWNERSHIPS.has(value)) throw malformedXml();
    if (value === "BucketOwnerEnforced" && !aclIsOwnerOnly(bucket.acl, this.canonicalOf(bucket.account))) {
      throw new SimError("InvalidBucketAclWithObjectOwnership", 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
    }
    bucket.ownership = value as ObjectOwnership;
    return ok();
  }

  private putEncryption(req: S3Request, bucket: SimBucket): SimResponse {
    const root = child(parseBody(req), "ServerSideEncryptionConfiguration");
    const rules = children(root, "Rule");
    const rule = rules[0];
    if (!rule || rules.length !== 1) throw malformedXml();
    const def = child(rule, "ApplyServerSideEncryptionByDefault");
    const alg = text(def, "SSEAlgorithm");
    if (!alg || !SSE_ALGORITHMS.has(alg)) throw malformedXml();
    const key = text(def, "KMSMasterKeyID");
    if (key !== undefined && alg !== "aws:kms" && alg !== "aws:kms:dsse") {
      throw new SimError("InvalidArgument", 400, "a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse", {
        ArgumentName: "ApplyServerSideEncryptionByDefault",
      });
    }
    bucket.encryption = { algorithm: alg, bucketKeyEnabled: parseBool(text(rule, "BucketKeyEnabled")), ...(key !== undefined ? { kmsKeyId: key } : {}) };
    return ok();
  }

  private putObjectLock(req: S3Request, bucket: SimBucket): SimResponse {
    const root = child(parseBody(req), "ObjectLockConfiguration");
    if (!root || text(root, "ObjectLockEnabled") !== "Enabled") throw malformedXml();
    if (!bucket.objectLockEnabled && bucket.versioning !== "Enabled") {
      throw new SimError("InvalidBucketState", 409, "Versioning must be 'Enabled' on the bucket to apply a Object Lock configuration");
    }
    const rule = children(root, "Rule")[0];
    let retention: SimBucket["objectLockRetention"];
    if (rule) {
      const dr = child(rule, "DefaultRetention");
      const mode = text(dr, "Mode");
      const days = text(dr, "Days");
      const years = text(dr, "Years");
      if (!dr || (mode !== "GOVERNANCE" && mode !== "COMPLIANCE") || (days === undefined) === (years === undefined)) throw malformedXml();
      const n = Number(days ?? years);
      if (!Number.isInteger(n) || n <= 0) throw new SimError("InvalidArgument", 400, "Default retention period must be a positive integer value", { ArgumentName: days !== undefined ? "Days" : "Years" });
      retention = { mode, ...(days !== undefined ? { days: n } : { years: n }) };
    }
    bucket.objectLockEnabled = true;
    bucket.versioning = "Enabled";
    bucket.objectLockRetention = retention;
    return ok();
  }

  private putVersioning(req: S3Request, bucket: SimBucket): SimResponse {
    const status = text(child(parseBody(req), "VersioningConfiguration"), "Status");
    if (status !== "Enabled" && status !== "Suspended") throw malformedXml();
    if (bucket.objectLockEnabled && status === "Suspended") {
      throw new SimError("InvalidBucketState", 409, "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
    }
    bucket.versioning = status;
    return ok();
  }

  private putLifecycle(req: S3Request, bucket: SimBucket): SimResponse {
    const root = child(parseBody(req), "LifecycleConfiguration");
    const rules = children(root, "Rule").map(xmlToJson);
    if (!root || rules.length === 0 || rules.length > 1000) throw malformedXml();
    const ids = new Set<string>();
    for (const r of rules) {
      if (r.Status !== "Enabled" && r.Status !== "Disabled") throw malformedXml();
      if (!LIFECYCLE_ACTIONS.some((a) => r[a] !== undefined)) throw malformedXml();
      const id = r.ID;
      if (typeof id === "string") {
        if (id.length > 255) throw new SimError("InvalidArgument", 400, "ID length should not exceed allowed limit of 255", { ArgumentName: "ID" });
        if (ids.has(id)) throw new SimError("InvalidArgument", 400, "Rule ID must be unique. Found same ID for more than one rule", { ArgumentName: "ID", ArgumentValue: id });
        ids.add(id);
      }
      const exp = r.Expiration as Record<string, unknown> | undefined;
      if (exp && exp.Days !== undefined && !(typeof exp.Days === "number" && exp.Days > 0)) {
        throw new SimError("InvalidArgument", 400, "'Days' for Expiration action must be a positive integer", { ArgumentName: "Days" });
      }
    }
    bucket.lifecycle = rules;
    return ok(undefined, LIFECYCLE_HEADER);
  }

  private listObjectsV2(req: S3Request, bucket: SimBucket): SimResponse {
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

  private listObjectsV1(req: S3Request, bucket: SimBucket): SimResponse {
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

  private putObject(req: S3Request, bucket: SimBucket): SimResponse {
    const key = req.key as string;
    if (key.length > 1024) throw new SimError("KeyTooLongError", 400, "Your key is too long");
    const canned = req.headers["x-amz-acl"];
    if (bucket.ownership === "BucketOwnerEnforced" && typeof canned === "string" && canned !== "bucket-owner-full-control" && canned !== "private") {
      throw new SimError("AccessControlListNotSupported", 400, "The bucket does not allow ACLs");
    }
    const body = decodeAwsChunked(req);
    const obj = putObject(bucket, key, body, body.length, new Date(Math.floor(Date.now() / 1000) * 1000));
    return { status: 200, headers: { etag: obj.etag, "x-amz-server-side-encryption": bucket.encryption?.algorithm ?? "AES256" } };
  }
}

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

export { FULL_PAB };
