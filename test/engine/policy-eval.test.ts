import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  DELIVERY_ABSENT_KEYS,
  deliveryRequest,
  evaluateDelivery,
  globMatch,
  parsePolicy,
  type DeliveryRequest,
  type PolicyDecision,
} from "../../src/engine/policy-eval.js";

const ACCT = "111122223333";
const TARGET = "target-bucket";
const SOURCE = "source-bucket";
const KEY = "some/prefix/2024-01-01-00-00-00-ABCDEF";

const req = (over: Partial<DeliveryRequest> = {}, ctx: Record<string, string | string[]> = {}): DeliveryRequest => {
  const base = deliveryRequest({ partition: "aws", targetBucket: TARGET, key: KEY, sourceBucket: SOURCE, account: ACCT });
  return { ...base, ...over, context: { ...base.context, ...ctx } };
};

type Stmt = Record<string, unknown>;
const policy = (...statements: Stmt[]): string => JSON.stringify({ Version: "2012-10-17", Statement: statements });

const LOGGING = { Service: "logging.s3.amazonaws.com" };
/** The AWS-recommended statement. */
const recommended = (over: Stmt = {}): Stmt => ({
  Sid: "S3ServerAccessLogsPolicy",
  Effect: "Allow",
  Principal: LOGGING,
  Action: ["s3:PutObject"],
  Resource: `arn:aws:s3:::${TARGET}/some/prefix/*`,
  Condition: {
    ArnLike: { "aws:SourceArn": `arn:aws:s3:::${SOURCE}` },
    StringEquals: { "aws:SourceAccount": ACCT },
  },
  ...over,
});
const allowAll = (over: Stmt = {}): Stmt => ({ Effect: "Allow", Principal: LOGGING, Action: "s3:PutObject", Resource: `arn:aws:s3:::${TARGET}/*`, ...over });
const deny = (over: Stmt): Stmt => ({ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: `arn:aws:s3:::${TARGET}/*`, ...over });

interface Case {
  name: string;
  policy: string;
  request?: DeliveryRequest;
  decision: PolicyDecision["decision"];
  statement?: { sid?: string; index: number };
  reason?: RegExp;
  extra?: Partial<PolicyDecision>;
}

// The 22 cases of dependency-trials §4 (results as iam-simulate gave them, matching AWS semantics).
const trialCases: Case[] = [
  { name: "(a) AWS-recommended allow", policy: policy(recommended()), decision: "allow", statement: { sid: "S3ServerAccessLogsPolicy", index: 0 } },
  {
    name: "(b) wrong aws:SourceAccount",
    policy: policy(recommended({ Condition: { ArnLike: { "aws:SourceArn": `arn:aws:s3:::${SOURCE}` }, StringEquals: { "aws:SourceAccount": "999999999999" } } })),
    decision: "implicit-deny",
  },
  {
    name: "(b) wrong aws:SourceArn",
    policy: policy(recommended({ Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::other-bucket" }, StringEquals: { "aws:SourceAccount": ACCT } } })),
    decision: "implicit-deny",
  },
  { name: "(c) Resource under another prefix", policy: policy(recommended({ Resource: `arn:aws:s3:::${TARGET}/other/*` })), decision: "implicit-deny" },
  { name: "(c) Resource is the bucket ARN only", policy: policy(recommended({ Resource: `arn:aws:s3:::${TARGET}` })), decision: "implicit-deny" },
  {
    name: "(d) Deny insecure transport, context true",
    policy: policy(recommended(), deny({ Sid: "DenyInsecure", Condition: { Bool: { "aws:SecureTransport": "false" } } })),
    decision: "allow",
  },
  {
    name: "(d) Deny insecure transport, context false",
    policy: policy(recommended(), deny({ Sid: "DenyInsecure", Condition: { Bool: { "aws:SecureTransport": "false" } } })),
    request: req({}, { "aws:SecureTransport": "false" }),
    decision: "explicit-deny",
    statement: { sid: "DenyInsecure", index: 1 },
  },
  {
    name: "(e) Deny StringNotEquals SSE header aws:kms, header absent",
    policy: policy(recommended(), deny({ Sid: "DenyNonKms", Action: "s3:PutObject", Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } } })),
    decision: "explicit-deny",
    statement: { sid: "DenyNonKms", index: 1 },
  },
  {
    name: "(e) same Deny with header AES256",
    policy: policy(recommended(), deny({ Sid: "DenyNonKms", Action: "s3:PutObject", Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } } })),
    request: req({}, { "s3:x-amz-server-side-encryption": "AES256" }),
    decision: "explicit-deny",
  },
  {
    name: "(e) StringNotEqualsIfExists, header absent",
    policy: policy(recommended(), deny({ Sid: "DenyNonKms", Action: "s3:PutObject", Condition: { StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": "aws:kms" } } })),
    decision: "explicit-deny",
  },
  { name: "(f) Action s3:*", policy: policy(recommended({ Action: "s3:*" })), decision: "allow" },
  { name: "(f) Action s3:Put*", policy: policy(recommended({ Action: "s3:Put*" })), decision: "allow" },
  { name: "(f) NotAction s3:Delete*", policy: policy(recommended({ Action: undefined, NotAction: "s3:Delete*" })), decision: "allow" },
  { name: "(f) Action s3:Get*", policy: policy(recommended({ Action: "s3:Get*" })), decision: "implicit-deny" },
  {
    name: "(g) Service list containing logging",
    policy: policy(recommended({ Principal: { Service: ["logging.s3.amazonaws.com", "cloudtrail.amazonaws.com"] } })),
    decision: "allow",
  },
  { name: "(g) another service only", policy: policy(recommended({ Principal: { Service: "cloudtrail.amazonaws.com" } })), decision: "implicit-deny" },
  { name: "extra: Principal \"*\"", policy: policy(recommended({ Principal: "*" })), decision: "allow" },
  {
    name: "extra: ArnLike source-*",
    policy: policy(recommended({ Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::source-*" } } })),
    decision: "allow",
  },
  {
    name: "extra: lower-case condition key name",
    policy: policy(recommended({ Condition: { StringEquals: { "aws:sourceaccount": ACCT } } })),
    decision: "allow",
  },
  { name: "extra: no statements", policy: JSON.stringify({ Version: "2012-10-17", Statement: [] }), decision: "implicit-deny" },
  { name: "extra: Principal {AWS: \"*\"}", policy: policy(recommended({ Principal: { AWS: "*" } })), decision: "allow" },
  {
    name: "extra: Deny on another principal does not apply",
    policy: policy(recommended(), deny({ Principal: { AWS: "arn:aws:iam::999999999999:root" } })),
    decision: "allow",
  },
];

const edgeCases: Case[] = [
  // Statement shapes
  { name: "Statement as a single object", policy: JSON.stringify({ Version: "2012-10-17", Statement: allowAll() }), decision: "allow" },
  { name: "Resource list, second matches", policy: policy(allowAll({ Resource: ["arn:aws:s3:::x/*", `arn:aws:s3:::${TARGET}/some/*`] })), decision: "allow" },
  { name: "Resource * spans /", policy: policy(allowAll({ Resource: `arn:aws:s3:::${TARGET}*` })), decision: "allow" },
  { name: "Resource is case-sensitive", policy: policy(allowAll({ Resource: `arn:aws:s3:::${TARGET.toUpperCase()}/*` })), decision: "implicit-deny" },
  { name: "Resource ? wildcard", policy: policy(allowAll({ Resource: "arn:aws:s3:::target-bucke?/some/*" })), decision: "allow" },
  { name: "Resource ? needs exactly one char", policy: policy(allowAll({ Resource: "arn:aws:s3:::target-bucket?/some/*" })), decision: "implicit-deny" },
  { name: "Action is case-insensitive", policy: policy(allowAll({ Action: "S3:PUTOBJECT" })), decision: "allow" },
  { name: "Action ? wildcard", policy: policy(allowAll({ Action: "s3:P?tObject" })), decision: "allow" },
  { name: "Action * alone", policy: policy(allowAll({ Action: "*" })), decision: "allow" },
  { name: "NotAction listing PutObject excludes it", policy: policy(allowAll({ Action: undefined, NotAction: ["s3:PutObject"] })), decision: "implicit-deny" },
  { name: "NotResource excluding another bucket applies", policy: policy(allowAll({ Resource: undefined, NotResource: "arn:aws:s3:::other/*" })), decision: "allow" },
  {
    name: "Deny with NotResource excluding the target does not apply",
    policy: policy(allowAll(), deny({ Resource: undefined, NotResource: `arn:aws:s3:::${TARGET}/*` })),
    decision: "allow",
  },
  {
    name: "Deny with NotResource applies to other keys",
    policy: policy(allowAll(), deny({ Sid: "OnlyAudit", Resource: undefined, NotResource: `arn:aws:s3:::${TARGET}/audit/*` })),
    decision: "explicit-deny",
    statement: { sid: "OnlyAudit", index: 1 },
  },
  {
    name: "NotPrincipal listing the logging service: Deny does not apply",
    policy: policy(allowAll(), deny({ Principal: undefined, NotPrincipal: LOGGING })),
    decision: "allow",
  },
  {
    name: "NotPrincipal listing someone else: Deny applies",
    policy: policy(allowAll(), deny({ Principal: undefined, NotPrincipal: { AWS: "arn:aws:iam::111122223333:root" } })),
    decision: "explicit-deny",
  },
  { name: "AWS principal other than * does not match a service", policy: policy(allowAll({ Principal: { AWS: "arn:aws:iam::111122223333:root" } })), decision: "implicit-deny" },
  { name: "AWS principal list containing *", policy: policy(allowAll({ Principal: { AWS: ["arn:aws:iam::1:root", "*"] } })), decision: "allow" },
  {
    name: "Service principal differing only in case is undecided",
    policy: policy(allowAll({ Principal: { Service: "Logging.S3.amazonaws.com" } })),
    decision: "unknown",
    extra: { unknownEffect: "Allow" },
  },
  // Conditions: operators, case, values
  { name: "OR across values of one key", policy: policy(allowAll({ Condition: { StringEquals: { "aws:SourceAccount": ["1", ACCT] } } })), decision: "allow" },
  {
    name: "AND across keys: one false",
    policy: policy(allowAll({ Condition: { StringEquals: { "aws:SourceAccount": ACCT }, ArnEquals: { "aws:SourceArn": "arn:aws:s3:::nope" } } })),
    decision: "implicit-deny",
  },
  { name: "StringEquals values are case-sensitive", policy: policy(allowAll({ Condition: { StringEquals: { "aws:SourceArn": `ARN:AWS:S3:::${SOURCE}` } } })), decision: "implicit-deny" },
  { name: "StringEqualsIgnoreCase", policy: policy(allowAll({ Condition: { StringEqualsIgnoreCase: { "aws:SourceArn": `ARN:AWS:S3:::${SOURCE.toUpperCase()}` } } })), decision: "allow" },
  { name: "StringNotEqualsIgnoreCase", policy: policy(allowAll({ Condition: { StringNotEqualsIgnoreCase: { "aws:SourceAccount": "other" } } })), decision: "allow" },
  { name: "StringLike with ?", policy: policy(allowAll({ Condition: { StringLike: { "aws:SourceArn": "arn:aws:s3:::source-bucke?" } } })), decision: "allow" },
  { name: "StringNotLike", policy: policy(allowAll(), deny({ Condition: { StringNotLike: { "aws:SourceArn": "arn:aws:s3:::source-*" } } })), decision: "allow" },
  { name: "ArnNotLike Deny for foreign sources does not hit ours", policy: policy(allowAll(), deny({ Condition: { ArnNotLike: { "aws:SourceArn": "arn:aws:s3:::source-*" } } })), decision: "allow" },
  { name: "ArnLike * in the resource part", policy: policy(allowAll({ Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } } })), decision: "allow" },
  { name: "ArnEquals wrong partition", policy: policy(allowAll({ Condition: { ArnEquals: { "aws:SourceArn": `arn:aws-cn:s3:::${SOURCE}` } } })), decision: "implicit-deny" },
  { name: "Bool value as JSON boolean", policy: policy(allowAll({ Condition: { Bool: { "aws:SecureTransport": true } } })), decision: "allow" },
  { name: "Bool true is case-insensitive", policy: policy(allowAll({ Condition: { Bool: { "aws:SecureTransport": "TRUE" } } })), decision: "allow" },
  { name: "Null true on an absent key", policy: policy(allowAll({ Condition: { Null: { "s3:x-amz-copy-source": "true" } } })), decision: "allow" },
  { name: "Null false on an absent key", policy: policy(allowAll({ Condition: { Null: { "s3:x-amz-copy-source": "false" } } })), decision: "implicit-deny" },
  { name: "Null false on a present key", policy: policy(allowAll({ Condition: { Null: { "aws:SourceArn": "false" } } })), decision: "allow" },
  { name: "Numeric on SourceAccount", policy: policy(allowAll({ Condition: { NumericGreaterThan: { "aws:SourceAccount": 100 } } })), decision: "allow" },
  { name: "NumericLessThan false", policy: policy(allowAll({ Condition: { NumericLessThan: { "aws:SourceAccount": "100" } } })), decision: "implicit-deny" },
  {
    name: "Date operator on a context value",
    policy: policy(allowAll({ Condition: { DateGreaterThan: { "aws:CurrentTime": "2020-01-01T00:00:00Z" } } })),
    request: req({}, { "aws:CurrentTime": "2024-06-01T00:00:00Z" }),
    decision: "allow",
  },
  { name: "positive operator on a missing key is false", policy: policy(allowAll({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-123" } } })), decision: "implicit-deny" },
  { name: "IfExists on a missing key is true", policy: policy(allowAll({ Condition: { StringEqualsIfExists: { "aws:PrincipalOrgID": "o-123" } } })), decision: "allow" },
  { name: "IfExists on a present key compares", policy: policy(allowAll({ Condition: { StringEqualsIfExists: { "aws:SourceAccount": "999" } } })), decision: "implicit-deny" },
  { name: "ForAnyValue on a missing key is false", policy: policy(allowAll({ Condition: { "ForAnyValue:StringEquals": { "aws:TagKeys": "x" } } })), decision: "implicit-deny" },
  { name: "ForAllValues on a missing key is true", policy: policy(allowAll({ Condition: { "ForAllValues:StringEquals": { "aws:TagKeys": "x" } } })), decision: "allow" },
  {
    name: "ForAnyValue with a multi-valued key",
    policy: policy(allowAll({ Condition: { "ForAnyValue:StringLike": { "aws:SourceArn": ["arn:aws:s3:::zzz", "arn:aws:s3:::source-*"] } } })),
    decision: "allow",
  },
  {
    name: "ForAllValues with a multi-valued context: one value outside",
    policy: policy(allowAll({ Condition: { "ForAllValues:StringEquals": { "test:List": ["a", "b"] } } })),
    request: req({}, { "test:List": ["a", "c"] }),
    decision: "implicit-deny",
  },
  {
    name: "ForAllValues with a multi-valued context: all inside",
    policy: policy(allowAll({ Condition: { "ForAllValues:StringEquals": { "test:list": ["a", "b"] } } })),
    request: req({}, { "test:List": ["b", "a"] }),
    decision: "allow",
  },
  // Three-valued answers
  {
    name: "unknown condition key in the only Allow → unknown",
    policy: policy(allowAll({ Sid: "Weird", Condition: { StringEquals: { "aws:RequestedRegion": "us-east-1" } } })),
    decision: "unknown",
    statement: { sid: "Weird", index: 0 },
    reason: /aws:RequestedRegion/,
    extra: { unknownEffect: "Allow", unknownKey: "aws:RequestedRegion" },
  },
  {
    name: "unknown key in a Deny with a matching Allow → unknown",
    policy: policy(allowAll(), deny({ Sid: "Vpc", Condition: { StringNotEquals: { "aws:CalledViaFirst": "x" } } })),
    decision: "unknown",
    statement: { sid: "Vpc", index: 1 },
    extra: { unknownEffect: "Deny" },
  },
  {
    name: "decided Deny wins over an undecided Deny",
    policy: policy(allowAll(), deny({ Sid: "Unsure", Condition: { StringEquals: { "aws:Foo": "x" } } }), deny({ Sid: "Sure" })),
    decision: "explicit-deny",
    statement: { sid: "Sure", index: 2 },
  },
  {
    name: "unknown key in a statement that does not match otherwise is irrelevant",
    policy: policy(allowAll(), deny({ Action: "s3:DeleteObject", Condition: { StringEquals: { "aws:Foo": "x" } } })),
    decision: "allow",
  },
  {
    name: "a false condition decides even beside an unknown key",
    policy: policy(allowAll(), deny({ Condition: { StringEquals: { "aws:Foo": "x", "aws:SourceAccount": "999" } } })),
    decision: "allow",
  },
  {
    name: "policy variable in Resource → unknown",
    policy: policy(allowAll({ Resource: "arn:aws:s3:::${aws:username}/*" })),
    decision: "unknown",
    reason: /policy variable/,
  },
  {
    name: "policy variable in a condition value → unknown",
    policy: policy(allowAll({ Condition: { StringEquals: { "aws:SourceAccount": "${aws:PrincipalAccount}" } } })),
    decision: "unknown",
  },
  {
    name: "Version 2008-10-17: ${...} is a literal",
    policy: JSON.stringify({ Version: "2008-10-17", Statement: [allowAll({ Resource: "arn:aws:s3:::${x}/*" })] }),
    decision: "implicit-deny",
  },
    { name: "PrincipalOrgID is absent for a service principal", policy: policy(allowAll({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-123" } } })), decision: "implicit-deny" },
  {
    name: "PrincipalIsAWSService and PrincipalServiceName are known",
    policy: policy(allowAll({ Principal: "*", Condition: { Bool: { "aws:PrincipalIsAWSService": "true" }, StringEquals: { "aws:PrincipalServiceName": "logging.s3.amazonaws.com" } } })),
    decision: "allow",
  },
  { name: "s3:ResourceAccount is known", policy: policy(allowAll({ Condition: { StringEquals: { "s3:ResourceAccount": ACCT } } })), decision: "allow" },
  // Malformed
  { name: "malformed: not JSON", policy: "{not json", decision: "unknown", reason: /not valid JSON/, extra: { malformed: true } },
  { name: "malformed: no Statement", policy: JSON.stringify({ Version: "2012-10-17" }), decision: "unknown", reason: /Statement/, extra: { malformed: true } },
  { name: "malformed: bad Effect", policy: policy(allowAll({ Effect: "allow" })), decision: "unknown", reason: /Effect/, extra: { malformed: true } },
  { name: "malformed: no Principal", policy: policy(allowAll({ Principal: undefined })), decision: "unknown", reason: /Principal/, extra: { malformed: true } },
  { name: "malformed: Action and NotAction", policy: policy(allowAll({ NotAction: "s3:Get*" })), decision: "unknown", reason: /Action/, extra: { malformed: true } },
  { name: "malformed: Action not a string", policy: policy(allowAll({ Action: 5 })), decision: "unknown", extra: { malformed: true } },
  { name: "malformed: Condition block not an object", policy: policy(allowAll({ Condition: { StringEquals: "x" } })), decision: "unknown", extra: { malformed: true } },
  { name: "malformed: top level is a list", policy: "[]", decision: "unknown", extra: { malformed: true } },
];

/** Issue 10 item 17: nothing passes where the IAM documentation does not let anyone decide. */
const KMS_ONLY = (cond: Record<string, unknown>): string => policy(allowAll(), deny({ Sid: "KmsOnly", Action: "s3:PutObject", Condition: cond }));
const unknownAllow = { unknownEffect: "Allow" } as const;
const unknownDeny = { unknownEffect: "Deny" } as const;
const malformed = { malformed: true } as const;
const noPassInDoubt: Case[] = [
  // aws:SourceIp, aws:userid, aws:PrincipalAccount: present in every signed request, value unknown.
  { name: "Allow on NotIpAddress aws:SourceIp", policy: policy(allowAll({ Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } } })), decision: "unknown", reason: /aws:SourceIp/, extra: unknownAllow },
  { name: "Allow on IpAddress aws:SourceIp", policy: policy(allowAll({ Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } })), decision: "unknown", extra: unknownAllow },
  { name: "Deny on IpAddress aws:SourceIp", policy: policy(allowAll(), deny({ Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } } })), decision: "unknown", extra: unknownDeny },
  { name: "Deny on NotIpAddress aws:SourceIp", policy: policy(allowAll(), deny({ Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" } } })), decision: "unknown", extra: unknownDeny },
  { name: "Allow on IpAddressIfExists aws:SourceIp (present, so compared)", policy: policy(allowAll({ Condition: { IpAddressIfExists: { "aws:SourceIp": "10.0.0.0/8" } } })), decision: "unknown" },
  { name: "Allow on StringNotEquals aws:userid", policy: policy(allowAll({ Condition: { StringNotEquals: { "aws:userid": "AIDAEXAMPLE" } } })), decision: "unknown", reason: /aws:userid/ },
  { name: "Deny on StringEquals aws:PrincipalAccount", policy: policy(allowAll(), deny({ Condition: { StringEquals: { "aws:PrincipalAccount": "999999999999" } } })), decision: "unknown", extra: unknownDeny },
  { name: "Deny on StringNotEquals aws:PrincipalAccount", policy: policy(allowAll(), deny({ Condition: { StringNotEquals: { "aws:PrincipalAccount": ACCT } } })), decision: "unknown", extra: unknownDeny },
  { name: "decided whatever the value: Null aws:SourceIp true in a Deny", policy: policy(allowAll(), deny({ Condition: { Null: { "aws:SourceIp": "true" } } })), decision: "allow" },
  { name: "decided whatever the value: Null aws:userid false in an Allow", policy: policy(allowAll({ Condition: { Null: { "aws:userid": "false" } } })), decision: "allow" },
  { name: "decided whatever the value: StringLike aws:PrincipalAccount *", policy: policy(allowAll({ Condition: { StringLike: { "aws:PrincipalAccount": "*" } } })), decision: "allow" },
  { name: "decided whatever the value: Deny on StringNotLike aws:userid *", policy: policy(allowAll(), deny({ Condition: { StringNotLike: { "aws:userid": "*" } } })), decision: "allow" },
  {
    name: "decided whatever the value: another Allow decides",
    policy: policy(allowAll({ Sid: "Ip", Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" } } }), allowAll({ Sid: "Plain" })),
    decision: "allow",
    statement: { sid: "Plain", index: 1 },
  },
  { name: "decided whatever the value: a false condition beside it", policy: policy(allowAll({ Condition: { IpAddress: { "aws:SourceIp": "10.0.0.0/8" }, StringEquals: { "aws:SourceAccount": "999" } } })), decision: "implicit-deny" },
  // SSE / ACL / grant request headers: undocumented, except that they are never a KMS value.
  { name: "Allow on Null s3:x-amz-acl true", policy: policy(allowAll({ Condition: { Null: { "s3:x-amz-acl": "true" } } })), decision: "unknown", extra: unknownAllow },
  { name: "Deny on StringEquals s3:x-amz-acl public-read", policy: policy(allowAll(), deny({ Condition: { StringEquals: { "s3:x-amz-acl": "public-read" } } })), decision: "unknown", extra: unknownDeny },
  { name: "Deny unless s3:x-amz-acl bucket-owner-full-control", policy: policy(allowAll(), deny({ Condition: { StringNotEquals: { "s3:x-amz-acl": "bucket-owner-full-control" } } })), decision: "unknown", extra: unknownDeny },
  { name: "Deny on Null s3:x-amz-grant-full-control false", policy: policy(allowAll(), deny({ Condition: { Null: { "s3:x-amz-grant-full-control": "false" } } })), decision: "unknown", extra: unknownDeny },
  { name: "Allow on StringEqualsIfExists s3:x-amz-grant-read", policy: policy(allowAll({ Condition: { StringEqualsIfExists: { "s3:x-amz-grant-read": "id=1" } } })), decision: "unknown" },
  { name: "Deny on StringEquals SSE AES256", policy: policy(allowAll(), deny({ Condition: { StringEquals: { "s3:x-amz-server-side-encryption": "AES256" } } })), decision: "unknown", extra: unknownDeny },
  { name: "Deny unless SSE AES256", policy: policy(allowAll(), deny({ Condition: { StringNotEquals: { "s3:x-amz-server-side-encryption": "AES256" } } })), decision: "unknown", extra: unknownDeny },
  { name: "Deny unless SSE aws:kms or AES256", policy: KMS_ONLY({ StringNotEqualsIfExists: { "s3:x-amz-server-side-encryption": ["aws:kms", "AES256"] } }), decision: "unknown", extra: unknownDeny },
  { name: "Allow on StringEqualsIfExists SSE AES256", policy: policy(allowAll({ Condition: { StringEqualsIfExists: { "s3:x-amz-server-side-encryption": "AES256" } } })), decision: "unknown", extra: unknownAllow },
  { name: "Deny on Null SSE-C algorithm false", policy: policy(allowAll(), deny({ Condition: { Null: { "s3:x-amz-server-side-encryption-customer-algorithm": "false" } } })), decision: "unknown" },
  { name: "Deny unless SSE aws:kms (escapable only with KMS) denies", policy: KMS_ONLY({ StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } }), decision: "explicit-deny", statement: { sid: "KmsOnly", index: 1 } },
  { name: "Deny unless SSE aws:kms:dsse denies", policy: KMS_ONLY({ StringNotEquals: { "s3:x-amz-server-side-encryption": "aws:kms:dsse" } }), decision: "explicit-deny" },
  { name: "Deny unless SSE aws:kms or aws:kms:dsse denies", policy: KMS_ONLY({ StringNotEquals: { "s3:x-amz-server-side-encryption": ["aws:kms", "aws:kms:dsse"] } }), decision: "explicit-deny" },
  { name: "Deny unless SSE like aws:kms* denies", policy: KMS_ONLY({ StringNotLike: { "s3:x-amz-server-side-encryption": "aws:kms*" } }), decision: "explicit-deny" },
  { name: "Deny unless SSE aws:kms, IgnoreCase, denies", policy: KMS_ONLY({ StringNotEqualsIgnoreCase: { "s3:x-amz-server-side-encryption": "AWS:KMS" } }), decision: "explicit-deny" },
  { name: "Deny when no KMS key id is given denies", policy: KMS_ONLY({ Null: { "s3:x-amz-server-side-encryption-aws-kms-key-id": "true" } }), decision: "explicit-deny" },
  { name: "Allow only with SSE aws:kms never applies", policy: policy(allowAll({ Condition: { StringEquals: { "s3:x-amz-server-side-encryption": "aws:kms" } } })), decision: "implicit-deny" },
  // Set operators with IfExists on a missing key.
  { name: "Allow on ForAnyValue:StringEqualsIfExists, key absent", policy: policy(allowAll({ Condition: { "ForAnyValue:StringEqualsIfExists": { "aws:TagKeys": "x" } } })), decision: "unknown", extra: unknownAllow },
  { name: "Allow on ForAllValues:StringLikeIfExists, key absent", policy: policy(allowAll({ Condition: { "ForAllValues:StringLikeIfExists": { "aws:PrincipalOrgPaths": "o-1/*" } } })), decision: "unknown", extra: unknownAllow },
  { name: "Deny on ForAllValues:StringNotEqualsIfExists, key absent", policy: policy(allowAll(), deny({ Condition: { "ForAllValues:StringNotEqualsIfExists": { "aws:TagKeys": "x" } } })), decision: "unknown", extra: unknownDeny },
  { name: "Deny on ForAnyValue:StringEqualsIfExists, key may be absent", policy: policy(allowAll(), deny({ Condition: { "ForAnyValue:StringEqualsIfExists": { "s3:x-amz-acl": "public-read" } } })), decision: "unknown", extra: unknownDeny },
  { name: "set operator with IfExists on a present key is compared", policy: policy(allowAll({ Condition: { "ForAllValues:ArnLikeIfExists": { "aws:SourceArn": "arn:aws:s3:::source-*" } } })), decision: "allow" },
  // ARN operators with a bare "*".
  { name: "Allow on ArnLike aws:SourceArn \"*\"", policy: policy(allowAll({ Condition: { ArnLike: { "aws:SourceArn": "*" } } })), decision: "unknown", reason: /ARN operator/, extra: unknownAllow },
  { name: "Allow on ArnEquals aws:SourceArn \"*\"", policy: policy(allowAll({ Condition: { ArnEquals: { "aws:SourceArn": "*" } } })), decision: "unknown", extra: unknownAllow },
  { name: "Allow on ArnLike [\"*\", this source] still allows", policy: policy(allowAll({ Condition: { ArnLike: { "aws:SourceArn": ["*", `arn:aws:s3:::${SOURCE}`] } } })), decision: "allow" },
  { name: "Deny on ArnNotLike aws:SourceArn \"*\"", policy: policy(allowAll(), deny({ Condition: { ArnNotLike: { "aws:SourceArn": "*" } } })), decision: "unknown", extra: unknownDeny },
  { name: "ArnLike with six wildcard parts is decided", policy: policy(allowAll({ Condition: { ArnLike: { "aws:SourceArn": "arn:*:*:*:*:*" } } })), decision: "allow" },
  // Principals AWS refuses to store in a bucket policy never stand for the service.
  { name: "Principal {AWS: logging.s3.amazonaws.com} does not match", policy: policy(allowAll({ Principal: { AWS: "logging.s3.amazonaws.com" } })), decision: "implicit-deny" },
  { name: "Principal {AWS: arn:aws:iam::*:root} does not match", policy: policy(allowAll({ Principal: { AWS: "arn:aws:iam::*:root" } })), decision: "implicit-deny" },
  { name: "Principal {AWS: [both]} does not match", policy: policy(allowAll({ Principal: { AWS: ["arn:aws:iam::*:root", "logging.s3.amazonaws.com"] } })), decision: "implicit-deny" },
  { name: "NotPrincipal {AWS: logging.s3.amazonaws.com} does not exempt the service", policy: policy(allowAll(), deny({ Sid: "NotMe", Principal: undefined, NotPrincipal: { AWS: "logging.s3.amazonaws.com" } })), decision: "explicit-deny", statement: { sid: "NotMe", index: 1 } },
  // Documents AWS would refuse as a whole are malformed, never evaluated into a pass.
  { name: "malformed: unknown operator in an otherwise irrelevant Deny", policy: policy(allowAll(), deny({ Action: "s3:GetObject", Condition: { StringMatchesRegex: { "aws:SourceAccount": ".*" } } })), decision: "unknown", reason: /StringMatchesRegex/, extra: malformed },
  { name: "malformed: unknown operator in the Allow", policy: policy(allowAll({ Condition: { StringEqualz: { "aws:SourceAccount": ACCT } } })), decision: "unknown", extra: malformed },
  { name: "malformed: NullIfExists", policy: policy(allowAll({ Condition: { NullIfExists: { "aws:SourceIp": "false" } } })), decision: "unknown", extra: malformed },
  { name: "malformed: non-string Sid", policy: policy(allowAll({ Sid: 7 })), decision: "unknown", reason: /Sid/, extra: malformed },
  { name: "malformed: unknown statement element", policy: policy(allowAll({ Condtion: { StringEquals: { "aws:SourceAccount": "999" } } })), decision: "unknown", reason: /Condtion/, extra: malformed },
  { name: "malformed: element name in the wrong case", policy: policy(allowAll({ Action: undefined, action: "s3:PutObject" })), decision: "unknown", extra: malformed },
  { name: "malformed: unknown top-level element", policy: JSON.stringify({ Version: "2012-10-17", Statement: [allowAll()], Statements: [] }), decision: "unknown", extra: malformed },
  { name: "malformed: unknown Version", policy: JSON.stringify({ Version: "2024-01-01", Statement: [allowAll()] }), decision: "unknown", reason: /Version/, extra: malformed },
  { name: "malformed: non-string Id", policy: JSON.stringify({ Version: "2012-10-17", Id: 1, Statement: [allowAll()] }), decision: "unknown", extra: malformed },
  {
    name: "malformed: a condition operator named like an Object property (Constructor) is unknown, not ignored",
    policy: policy(allowAll(), deny({ Condition: { Constructor: { "aws:SourceAccount": ACCT } } })),
    decision: "unknown",
    reason: /unknown condition operator "Constructor"/,
    extra: malformed,
  },
  { name: "malformed: unknown principal type", policy: policy(allowAll({ Principal: { Services: "logging.s3.amazonaws.com" } })), decision: "unknown", reason: /principal type/, extra: malformed },
  // What IAM documents for a direct service-principal call stays decided.
  { name: "decided: PrincipalServiceName", policy: policy(allowAll({ Principal: "*", Condition: { StringEquals: { "aws:PrincipalServiceName": "logging.s3.amazonaws.com" } } })), decision: "allow" },
  { name: "decided: Deny unless PrincipalIsAWSService", policy: policy(allowAll(), deny({ Condition: { Bool: { "aws:PrincipalIsAWSService": "false" } } })), decision: "allow" },
  { name: "decided: Deny for a foreign resource account", policy: policy(allowAll(), deny({ Condition: { StringNotEquals: { "aws:ResourceAccount": ACCT } } })), decision: "allow" },
  { name: "decided: s3:ResourceAccount mismatch", policy: policy(allowAll({ Condition: { StringEquals: { "s3:ResourceAccount": "999999999999" } } })), decision: "implicit-deny" },
  { name: "decided: Deny unless this source account", policy: policy(allowAll(), deny({ Condition: { StringNotEquals: { "aws:SourceAccount": ACCT } } })), decision: "allow" },
];

/** Evaluates a case and checks its decision (and its statement, reason and extra fields where the case gives them). */
function check(c: Case): PolicyDecision {
  const d = evaluateDelivery(c.policy, c.request ?? req());
  expect(d.decision, d.reason).toBe(c.decision);
  if (c.statement) expect(d.statement).toEqual(c.statement);
  if (c.reason) expect(d.reason).toMatch(c.reason);
  if (c.extra) expect(d).toMatchObject(c.extra);
  return d;
}

describe("evaluateDelivery: dependency-trials §4 cases", () => {
  it("has the 22 trial cases", () => expect(trialCases.length).toBe(22));
  it.each(trialCases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });
});

describe("evaluateDelivery: edge cases", () => {
  it.each(edgeCases.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    expect(check(c).reason.length).toBeGreaterThan(0);
  });

  it("an unknown answer names the statement and the key", () => {
    const d = evaluateDelivery(policy(allowAll({ Sid: "Odd", Condition: { StringEquals: { "aws:Weird": "1" } } })), req());
    expect(d.reason).toContain('"Odd"');
    expect(d.reason).toContain("aws:Weird");
  });

  it("explicit deny reason names the Sid, implicit deny names the resource", () => {
    expect(evaluateDelivery(policy(deny({ Sid: "NoLogs" })), req()).reason).toContain('"NoLogs"');
    expect(evaluateDelivery(policy(), req()).reason).toContain(`arn:aws:s3:::${TARGET}/${KEY}`);
  });

  it("uses the given absent-key list instead of the default", () => {
    const p = policy(allowAll({ Condition: { StringEquals: { "aws:PrincipalOrgID": "o-1" } } }));
    expect(evaluateDelivery(p, { ...req(), absentKeys: [] }).decision).toBe("unknown");
    expect(evaluateDelivery(p, req()).decision).toBe("implicit-deny");
    expect(DELIVERY_ABSENT_KEYS).toContain("aws:principalorgid");
    expect(DELIVERY_ABSENT_KEYS).not.toContain("aws:sourceip");
  });

  it("builds the delivery request for another partition", () => {
    const r = deliveryRequest({ partition: "aws-cn", targetBucket: "t", key: "p/k", sourceBucket: "s", account: "1" });
    expect(r.resource).toBe("arn:aws-cn:s3:::t/p/k");
    expect(r.context["aws:SourceArn"]).toBe("arn:aws-cn:s3:::s");
    expect(r.context["aws:SecureTransport"]).toBe("true");
  });

  it("parsePolicy is reusable across requests", () => {
    const p = parsePolicy(policy(recommended()));
    expect(p.ok).toBe(true);
  });
});

describe("evaluateDelivery: no pass in doubt (issue 10 item 17)", () => {
  it.each(noPassInDoubt.map((c) => [c.name, c] as const))("%s", (_n, c) => {
    check(c);
  });
});

describe("globMatch", () => {
  it.each([
    ["*", "", true],
    ["*", "a/b:c", true],
    ["a*c", "abbbc", true],
    ["a*c", "abbb", false],
    ["a?c", "abc", true],
    ["a?c", "ac", false],
    ["a**b", "ab", true],
    ["*a*a*a*a*a*b", "a".repeat(5000), false],
    ["arn:aws:s3:::b/*", "arn:aws:s3:::b/x/y/z", true],
    ["", "", true],
    ["", "x", false],
  ] as const)("%s vs %s", (p, t, want) => {
    expect(globMatch(p, t)).toBe(want);
  });
});


describe("evaluateDelivery robustness (property-based)", () => {
  const scalar = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.boolean(), fc.constant(null));
  const strings = fc.oneof(
    fc.constantFrom("*", "s3:PutObject", "s3:*", "arn:aws:s3:::target-bucket/*", "logging.s3.amazonaws.com", "aws:SourceArn", "${aws:username}"),
    fc.string({ maxLength: 12 }),
  );
  const value = fc.oneof(scalar, fc.array(strings, { maxLength: 3 }), fc.dictionary(strings, fc.oneof(scalar, fc.array(strings, { maxLength: 3 })), { maxKeys: 3 }));
  const statement = fc.record(
    {
      Sid: fc.string({ maxLength: 5 }),
      Effect: fc.constantFrom("Allow", "Deny", "allow", 1),
      Principal: fc.oneof(fc.constant("*"), fc.record({ Service: fc.oneof(strings, fc.array(strings, { maxLength: 2 })) }), value),
      NotPrincipal: value,
      Action: fc.oneof(strings, fc.array(strings, { maxLength: 3 })),
      NotAction: value,
      Resource: fc.oneof(strings, fc.array(strings, { maxLength: 3 })),
      NotResource: value,
      Condition: fc.dictionary(
        fc.constantFrom("StringEquals", "StringNotLike", "ArnLike", "Bool", "Null", "ForAnyValue:StringLike", "ForAllValues:StringEquals", "NumericLessThan", "DateGreaterThan", "Foo"),
        fc.dictionary(strings, fc.oneof(scalar, fc.array(scalar, { maxLength: 3 })), { maxKeys: 2 }),
        { maxKeys: 2 },
      ),
    },
    { requiredKeys: [] },
  );
  const doc = fc.oneof(
    fc.record({ Version: fc.constantFrom("2012-10-17", "2008-10-17"), Statement: fc.oneof(statement, fc.array(statement, { maxLength: 4 })) }),
    value,
  );

  it("never throws, and always gives a decision with a reason", () => {
    fc.assert(
      fc.property(doc, (d) => {
        const r = evaluateDelivery(JSON.stringify(d) ?? "null", req());
        expect(["allow", "explicit-deny", "implicit-deny", "unknown"]).toContain(r.decision);
        expect(r.reason.length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });

  it("an unconditional Deny of everything for everyone always wins", () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 4 }), (sts) => {
        const valid = sts.filter((s) => parsePolicy(policy(s)).ok);
        const r = evaluateDelivery(policy(...valid, { Sid: "All", Effect: "Deny", Principal: "*", Action: "*", Resource: "*" }), req());
        expect(r.decision).toBe("explicit-deny");
      }),
      { numRuns: 500 },
    );
  });
});
