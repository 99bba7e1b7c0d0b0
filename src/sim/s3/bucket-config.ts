/**
 * Bucket configuration APIs of the simulated S3: logging, policy, ACL, ownership controls,
 * default encryption, Object Lock, versioning, Requester Pays, Block Public Access, lifecycle.
 * Validations and error codes follow docs/aws-s3-logging-reference.md §3.
 */
import { SimError, malformedXml, s3AccessDenied } from "../errors.js";
import type { ObjectOwnership, SimBucket, SimGrant, SimLogging } from "../state.js";
import { S3_NS, child, children, esc, jsonToXml, text, xmlToJson } from "../xml.js";
import {
  ACL_PERMISSIONS,
  TARGET_GRANT_PERMISSIONS,
  aclIsOwnerOnly,
  cannedAcl,
  emailGrantRejected,
  grantXml,
  headerGrants,
  isPublicGrant,
  isPublicPolicy,
  parseGrants,
  validateBucketPolicy,
} from "./acl-policy.js";
import { NO_CONTENT, ok, parseBody, parseBool, type BucketApi, type S3Context, type S3Request, type SimResponse } from "./wire.js";

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

/** The Object Ownership values S3 accepts. */
export const OWNERSHIPS = new Set(["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]);
const SSE_ALGORITHMS = new Set(["AES256", "aws:kms", "aws:kms:dsse", "aws:fsx", "aws:backup"]);
const LIFECYCLE_ACTIONS = ["Expiration", "Transitions", "NoncurrentVersionExpiration", "NoncurrentVersionTransitions", "AbortIncompleteMultipartUpload"];
const LIFECYCLE_HEADER = { "x-amz-transition-default-minimum-object-size": "all_storage_classes_128K" };

function putLogging(ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
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
      keyFormat = { type: "partitioned", partitionDateSource: (src) ?? "EventTime" };
    }
  }
  if (grants.some((g) => g.type === "AmazonCustomerByEmail")) throw emailGrantRejected();
  const target = ctx.state.buckets.get(targetName);
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

function putPolicy(ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
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

function putAcl(ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
  const owner = ctx.canonicalOf(bucket.account);
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

function putOwnership(ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
  const root = child(parseBody(req), "OwnershipControls");
  const rules = children(root, "Rule");
  const value = rules.length === 1 ? text(rules[0], "ObjectOwnership") : undefined;
  if (!value || !OWNERSHIPS.has(value)) throw malformedXml();
  if (value === "BucketOwnerEnforced" && !aclIsOwnerOnly(bucket.acl, ctx.canonicalOf(bucket.account))) {
    throw new SimError("InvalidBucketAclWithObjectOwnership", 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
  }
  bucket.ownership = value as ObjectOwnership;
  return ok();
}

function putEncryption(ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
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

function putObjectLock(ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
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

function putVersioning(ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
  const status = text(child(parseBody(req), "VersioningConfiguration"), "Status");
  if (status !== "Enabled" && status !== "Suspended") throw malformedXml();
  if (bucket.objectLockEnabled && status === "Suspended") {
    throw new SimError("InvalidBucketState", 409, "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
  }
  bucket.versioning = status;
  return ok();
}

function putLifecycle(ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
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

function notFound(code: string, message: string, bucket: SimBucket): SimError {
  return new SimError(code, 404, message, { BucketName: bucket.name });
}

function getEncryption(_ctx: S3Context, _req: S3Request, bucket: SimBucket): SimResponse {
  const e = bucket.encryption;
  if (!e) throw notFound("ServerSideEncryptionConfigurationNotFoundError", "The server side encryption configuration was not found", bucket);
  const key = e.kmsKeyId !== undefined ? `<KMSMasterKeyID>${esc(e.kmsKeyId)}</KMSMasterKeyID>` : "";
  return ok(
    `<ServerSideEncryptionConfiguration xmlns="${S3_NS}"><Rule><ApplyServerSideEncryptionByDefault><SSEAlgorithm>${esc(e.algorithm)}</SSEAlgorithm>${key}</ApplyServerSideEncryptionByDefault><BucketKeyEnabled>${e.bucketKeyEnabled}</BucketKeyEnabled></Rule></ServerSideEncryptionConfiguration>`,
  );
}

function getObjectLock(_ctx: S3Context, _req: S3Request, bucket: SimBucket): SimResponse {
  if (!bucket.objectLockEnabled) throw notFound("ObjectLockConfigurationNotFoundError", "Object Lock configuration does not exist for this bucket", bucket);
  const r = bucket.objectLockRetention;
  const rule = r
    ? `<Rule><DefaultRetention><Mode>${r.mode}</Mode>${r.days !== undefined ? `<Days>${r.days}</Days>` : ""}${r.years !== undefined ? `<Years>${r.years}</Years>` : ""}</DefaultRetention></Rule>`
    : "";
  return ok(`<ObjectLockConfiguration xmlns="${S3_NS}"><ObjectLockEnabled>Enabled</ObjectLockEnabled>${rule}</ObjectLockConfiguration>`);
}

function putRequestPayment(_ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
  const payer = text(child(parseBody(req), "RequestPaymentConfiguration"), "Payer");
  if (payer !== "Requester" && payer !== "BucketOwner") throw malformedXml();
  bucket.requestPayer = payer;
  return ok();
}

function getPublicAccessBlock(_ctx: S3Context, _req: S3Request, bucket: SimBucket): SimResponse {
  const p = bucket.publicAccessBlock;
  if (!p) throw notFound("NoSuchPublicAccessBlockConfiguration", "The public access block configuration was not found", bucket);
  return ok(
    `<PublicAccessBlockConfiguration xmlns="${S3_NS}"><BlockPublicAcls>${p.blockPublicAcls}</BlockPublicAcls><IgnorePublicAcls>${p.ignorePublicAcls}</IgnorePublicAcls><BlockPublicPolicy>${p.blockPublicPolicy}</BlockPublicPolicy><RestrictPublicBuckets>${p.restrictPublicBuckets}</RestrictPublicBuckets></PublicAccessBlockConfiguration>`,
  );
}

function putPublicAccessBlock(_ctx: S3Context, req: S3Request, bucket: SimBucket): SimResponse {
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

/** The bucket configuration APIs by operation name. */
export const CONFIG_APIS: Record<string, BucketApi> = {
  GetBucketLogging: (_ctx, _req, bucket) => ok(loggingXml(bucket.logging)),
  PutBucketLogging: putLogging,
  GetBucketPolicy: (_ctx, _req, bucket) => {
    if (bucket.policy === undefined) throw notFound("NoSuchBucketPolicy", "The bucket policy does not exist", bucket);
    return { status: 200, headers: { "content-type": "application/json" }, body: bucket.policy };
  },
  PutBucketPolicy: putPolicy,
  DeleteBucketPolicy: (_ctx, _req, bucket) => {
    bucket.policy = undefined;
    return NO_CONTENT;
  },
  GetBucketAcl: (ctx, _req, bucket) => {
    const owner = ctx.canonicalOf(bucket.account);
    return ok(
      `<AccessControlPolicy xmlns="${S3_NS}"><Owner><ID>${owner}</ID></Owner><AccessControlList>${bucket.acl.map(grantXml).join("")}</AccessControlList></AccessControlPolicy>`,
    );
  },
  PutBucketAcl: putAcl,
  GetBucketOwnershipControls: (_ctx, _req, bucket) => {
    if (!bucket.ownership) throw notFound("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", bucket);
    return ok(`<OwnershipControls xmlns="${S3_NS}"><Rule><ObjectOwnership>${bucket.ownership}</ObjectOwnership></Rule></OwnershipControls>`);
  },
  PutBucketOwnershipControls: putOwnership,
  DeleteBucketOwnershipControls: (_ctx, _req, bucket) => {
    bucket.ownership = undefined;
    return NO_CONTENT;
  },
  GetBucketEncryption: getEncryption,
  PutBucketEncryption: putEncryption,
  DeleteBucketEncryption: (_ctx, _req, bucket) => {
    bucket.encryption = { algorithm: "AES256", bucketKeyEnabled: false };
    return NO_CONTENT;
  },
  GetObjectLockConfiguration: getObjectLock,
  PutObjectLockConfiguration: putObjectLock,
  GetBucketVersioning: (_ctx, _req, bucket) =>
    ok(`<VersioningConfiguration xmlns="${S3_NS}">${bucket.versioning ? `<Status>${bucket.versioning}</Status>` : ""}</VersioningConfiguration>`),
  PutBucketVersioning: putVersioning,
  GetBucketRequestPayment: (_ctx, _req, bucket) =>
    ok(`<RequestPaymentConfiguration xmlns="${S3_NS}"><Payer>${bucket.requestPayer}</Payer></RequestPaymentConfiguration>`),
  PutBucketRequestPayment: putRequestPayment,
  GetPublicAccessBlock: getPublicAccessBlock,
  PutPublicAccessBlock: putPublicAccessBlock,
  DeletePublicAccessBlock: (_ctx, _req, bucket) => {
    bucket.publicAccessBlock = undefined;
    return NO_CONTENT;
  },
  GetBucketLifecycleConfiguration: (_ctx, _req, bucket) => {
    if (!bucket.lifecycle) throw notFound("NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist", bucket);
    return ok(`<LifecycleConfiguration xmlns="${S3_NS}">${jsonToXml({ Rules: bucket.lifecycle })}</LifecycleConfiguration>`, LIFECYCLE_HEADER);
  },
  PutBucketLifecycleConfiguration: putLifecycle,
  DeleteBucketLifecycle: (_ctx, _req, bucket) => {
    bucket.lifecycle = undefined;
    return NO_CONTENT;
  },
};
