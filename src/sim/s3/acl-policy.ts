/**
 * ACL and bucket-policy helpers of the simulated S3: grant XML, canned ACLs, grant headers, the
 * Block Public Access "public" tests and S3's validation of a bucket policy document.
 */
import type { IncomingHttpHeaders } from "node:http";
import { SimError, malformedXml } from "../errors.js";
import { LOG_DELIVERY_URI, ownerGrant, type SimGrant } from "../state.js";
import { XSI, child, esc, text } from "../xml.js";

/** One ACL grant as S3 renders it in XML. */
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
export function parseGrants(nodes: Record<string, unknown>[], allowed: ReadonlySet<string>, errorCode: string): SimGrant[] {
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

/** The error for an ACL that BucketOwnerEnforced forbids at creation. */
export function aclWithEnforced(): SimError {
  return new SimError("InvalidBucketAclWithObjectOwnership", 400, "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
}

/** The error S3 gives email-address grantees since October 2025. */
export function emailGrantRejected(): SimError {
  return new SimError("MethodNotAllowed", 405, "Email grantee is no longer supported. Use a canonical user ID instead.");
}

/** A grant to AllUsers or AuthenticatedUsers. */
export function isPublicGrant(g: SimGrant): boolean {
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

/** The full ACL (owner grant first) of a canned ACL name; InvalidArgument for unknown names. */
export function cannedAcl(name: string, ownerId: string): SimGrant[] {
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

/** Grants from x-amz-grant-* headers, or undefined when none is given. */
export function headerGrants(headers: IncomingHttpHeaders): SimGrant[] | undefined {
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

/** True when every grant is the owner's FULL_CONTROL. */
export function aclIsOwnerOnly(acl: SimGrant[], ownerId: string): boolean {
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
export function isPublicPolicy(statements: Record<string, unknown>[]): boolean {
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

/** Permissions allowed in TargetGrants. */
export const TARGET_GRANT_PERMISSIONS = new Set(["FULL_CONTROL", "READ", "WRITE", "READ_ACP"]);
/** Permissions allowed in a bucket ACL. */
export const ACL_PERMISSIONS = new Set(["FULL_CONTROL", "READ", "WRITE", "READ_ACP", "WRITE_ACP"]);
