/**
 * @fileoverview The delivery-permission evaluator: a small, hand-written, pure evaluator of an
 * S3 bucket policy for one question — may the S3 log-delivery service principal
 * (`logging.s3.amazonaws.com`) `s3:PutObject` this key for this source bucket?
 *
 * It follows IAM's evaluation logic for a resource policy and a service principal:
 *   - any matching `Deny` gives `explicit-deny` (explicit deny wins);
 *   - else any matching `Allow` gives `allow`;
 *   - else `implicit-deny`.
 * It is three-valued: a statement whose outcome depends on something the evaluator cannot know
 * (a condition key outside the known delivery context, a key known to be present but with an
 * unknown value, a `${...}` policy variable, a construct IAM does not document) is *undecided*.
 * A condition on such a key is decided only when its outcome is the same for every value the key
 * could take (and for its absence, where it may be absent). An undecided Deny (with no decided
 * Deny) or an undecided Allow (with no decided Allow) makes the answer `unknown`, naming the
 * statement and the key — callers report that as status `error`, never as a pass.
 * A document that AWS would refuse to store as a bucket policy (unknown element, unknown
 * condition operator, non-string Sid, unknown Version, unknown principal type) is malformed.
 *
 * Matching rules, as IAM applies them:
 *   - Principal `"*"`, `{"AWS": "*"}` and `{"Service": name | [names]}` match a service principal;
 *     other `AWS`/`Federated`/`CanonicalUser` values never do (AWS refuses to store e.g.
 *     `{"AWS": "logging.s3.amazonaws.com"}` or `{"AWS": "arn:aws:iam::*:root"}`, so they cannot
 *     stand for the service). `NotPrincipal` inverts.
 *   - Action/NotAction: case-insensitive globs (`*`, `?`).
 *   - Resource/NotResource: case-sensitive globs where `*` spans `/`.
 *   - Condition: AND across operators and keys, OR across the values of one key; key names are
 *     case-insensitive, values case-sensitive unless the operator says IgnoreCase.
 *     Missing key: positive operator → false, negated operator → true, `...IfExists` → true,
 *     `Null` tests presence, `ForAnyValue:` → false, `ForAllValues:` → true; a set operator
 *     combined with `...IfExists` on a missing key is undecided (IAM documents each rule, not
 *     their combination).
 *   - An ARN operator with the bare value `"*"` (not an ARN: IAM compares six colon-separated
 *     parts) is undecided.
 */

export type Decision = "allow" | "explicit-deny" | "implicit-deny" | "unknown";

/** Where a statement sits in the policy: its Sid (when given) and 0-based index. */
export interface StatementRef {
  sid?: string;
  index: number;
}

export interface DeliveryRequest {
  /** The calling service principal, e.g. `logging.s3.amazonaws.com`. */
  principalService: string;
  /** e.g. `s3:PutObject`. */
  action: string;
  /** Object ARN, e.g. `arn:aws:s3:::log-bucket/prefix/2024-...`. */
  resource: string;
  /** Known request-context keys (names are matched case-insensitively). */
  context: Record<string, string | string[]>;
  /**
   * Keys known NOT to be in the request context. Any key that is in none of `context`,
   * `partialKeys` and this list may be absent and may take any value. Defaults to
   * `DELIVERY_ABSENT_KEYS`.
   */
  absentKeys?: readonly string[];
  /** Keys that are partly known (lower-cased names). Defaults to `DELIVERY_PARTIAL_KEYS`. */
  partialKeys?: Readonly<Record<string, PartialKey>>;
}

export interface PolicyDecision {
  decision: Decision;
  /** The deciding statement: the Deny for explicit-deny, the Allow for allow, the undecided one for unknown. */
  statement?: StatementRef;
  /** One human-readable sentence. */
  reason: string;
  /** For `unknown`: whether the undecided statement is a Deny or an Allow. */
  unknownEffect?: "Allow" | "Deny";
  /** For `unknown`: the condition key (or other construct) that could not be resolved. */
  unknownKey?: string;
  /** True when the policy text is not a valid policy document. */
  malformed?: boolean;
}

/** The service principal that writes server access logs. */
export const LOG_DELIVERY_PRINCIPAL = "logging.s3.amazonaws.com";

/**
 * Condition keys known to be absent from S3 server-access-log delivery requests, and why:
 *   - `s3:x-amz-server-side-encryption-aws-kms-key-id`: only sent with SSE-KMS, which log
 *     delivery does not support (reference §1.1).
 *   - Copy, object-lock and object-tagging headers: a delivery is a plain PutObject of a new log
 *     object; it copies nothing, and delivered log objects carry no retention settings or tags.
 *   - Principal identity keys IAM documents only for IAM principals or organization members
 *     (PrincipalOrgID, PrincipalOrgPaths, PrincipalArn, PrincipalTag, username, MFA and token
 *     keys): the caller is an AWS service principal.
 *   - VPC keys (SourceVpc, SourceVpce, VpcSourceIp): the service does not call through a customer
 *     VPC endpoint.
 * Not here on purpose (see DELIVERY_PARTIAL_KEYS): `aws:SourceIp`, `aws:userid` and
 * `aws:PrincipalAccount` (documented as present in every signed request) and the SSE/ACL/grant
 * request headers (undocumented for log delivery, reference §1.2).
 * Keys with a `/` suffix pattern (e.g. `aws:PrincipalTag/`) match every key with that prefix.
 */
export const DELIVERY_ABSENT_KEYS: readonly string[] = [
  "s3:x-amz-server-side-encryption-aws-kms-key-id",
  "s3:x-amz-copy-source",
  "s3:x-amz-metadata-directive",
  "s3:object-lock-mode",
  "s3:object-lock-retain-until-date",
  "s3:object-lock-remaining-retention-days",
  "s3:object-lock-legal-hold",
  "s3:requestobjecttagkeys",
  "s3:requestobjecttag/",
  "aws:principalorgid",
  "aws:principalorgpaths",
  "aws:principalarn",
  "aws:principaltag/",
  "aws:username",
  "aws:multifactorauthpresent",
  "aws:multifactorauthage",
  "aws:tokenissuetime",
  "aws:sourcevpc",
  "aws:sourcevpce",
  "aws:vpcsourceip",
  "aws:requesttag/",
  "aws:tagkeys",
];

/**
 * What is known about a key that is neither fully known nor known to be absent:
 *   - `present`: whether it is certainly in the request (true) or may be absent (false);
 *   - `impossiblePrefix`: values starting with this (compared case-insensitively) never occur.
 */
export interface PartialKey {
  present: boolean;
  impossiblePrefix?: string;
}

/**
 * Keys whose value (and for some, presence) is unknown for log delivery, lower-cased:
 *   - `aws:SourceIp`, `aws:userid`, `aws:PrincipalAccount`: the IAM guide documents them as
 *     included in (almost) every signed request ("except when the requester uses a VPC
 *     endpoint" for SourceIp), and gives no value for a service principal: present, value unknown.
 *   - `s3:x-amz-server-side-encryption`: whether log delivery sends it is undocumented
 *     (reference §1.2); if it does, it is never a KMS value (`aws:kms`, `aws:kms:dsse`): log
 *     delivery does not support SSE-KMS (reference §1.1). So a Deny escapable only with a KMS
 *     value always applies.
 *   - `s3:x-amz-acl`, `s3:x-amz-grant-*`, `s3:x-amz-server-side-encryption-customer-algorithm`:
 *     undocumented either way (reference §1.2).
 * Every other key outside the context and DELIVERY_ABSENT_KEYS is treated as `{present: false}`.
 */
export const DELIVERY_PARTIAL_KEYS: Readonly<Record<string, PartialKey>> = {
  "aws:sourceip": { present: true },
  "aws:userid": { present: true },
  "aws:principalaccount": { present: true },
  "s3:x-amz-server-side-encryption": { present: false, impossiblePrefix: "aws:kms" },
};

/** A key about which nothing is known: it may be absent, and may take any value. */
const UNKNOWN_KEY: PartialKey = { present: false };

/** Build the request for "may log delivery write `key` into `targetBucket` for this source?". */
export function deliveryRequest(p: {
  partition: string;
  targetBucket: string;
  key: string;
  sourceBucket: string;
  account: string;
}): DeliveryRequest {
  return {
    principalService: LOG_DELIVERY_PRINCIPAL,
    action: "s3:PutObject",
    resource: `arn:${p.partition}:s3:::${p.targetBucket}/${p.key}`,
    context: {
      "aws:SourceArn": `arn:${p.partition}:s3:::${p.sourceBucket}`,
      "aws:SourceAccount": p.account,
      "aws:SecureTransport": "true",
      "aws:PrincipalServiceName": LOG_DELIVERY_PRINCIPAL,
      "aws:PrincipalIsAWSService": "true",
      // The target is a bucket of the source's own account (other targets never get here).
      "aws:ResourceAccount": p.account,
      "s3:ResourceAccount": p.account,
    },
  };
}

const DEFAULT_ABSENT_LOWER: readonly string[] = DELIVERY_ABSENT_KEYS.map((k) => k.toLowerCase());

// ---------------------------------------------------------------------------------------------
// Parsing
// ---------------------------------------------------------------------------------------------

type Values = string[];

interface ParsedCondition {
  /** Operator as written. */
  raw: string;
  key: string;
  values: Values;
  /** Parsed from the operator: set qualifier, IfExists suffix, lower-case base operator. */
  set: "any" | "all" | undefined;
  ifExists: boolean;
  base: string;
}

/** Split an operator into set qualifier, base operator (lower case) and IfExists. */
function parseOperator(raw: string): Pick<ParsedCondition, "set" | "ifExists" | "base"> {
  let base = raw.toLowerCase();
  let set: "any" | "all" | undefined;
  if (base.startsWith("foranyvalue:")) {
    set = "any";
    base = base.slice("foranyvalue:".length);
  } else if (base.startsWith("forallvalues:")) {
    set = "all";
    base = base.slice("forallvalues:".length);
  }
  let ifExists = false;
  if (base.endsWith("ifexists")) {
    ifExists = true;
    base = base.slice(0, -"ifexists".length);
  }
  return { set, ifExists, base };
}

interface ParsedStatement {
  ref: StatementRef;
  effect: "Allow" | "Deny";
  /** `"*"` or a map of principal type → values; `not` = NotPrincipal. */
  principal: { not: boolean; any: boolean; byType: Map<string, Values> };
  /** Patterns lower-cased at parse time (actions match case-insensitively). */
  action: { not: boolean; patterns: Values };
  resource: { not: boolean; patterns: Values };
  conditions: ParsedCondition[];
}

export interface ParsedPolicy {
  statements: ParsedStatement[];
  /** Policy variables (`${...}`) are only interpreted with Version 2012-10-17. */
  variables: boolean;
}

export type ParseResult = { ok: true; policy: ParsedPolicy } | { ok: false; reason: string };

class Malformed extends Error {}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function stringList(v: unknown, where: string): Values {
  if (typeof v === "string") return [v];
  if (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === "string")) return v;
  throw new Malformed(`${where} must be a string or a non-empty list of strings`);
}

function scalarList(v: unknown, where: string): Values {
  const one = (x: unknown): string => {
    if (typeof x === "string") return x;
    if (typeof x === "number" || typeof x === "boolean") return String(x);
    throw new Malformed(`${where} values must be strings, numbers or booleans`);
  };
  if (Array.isArray(v)) return v.map(one);
  return [one(v)];
}

/** Exactly one of `a`/`b` present; returns [value, isNegated]. */
function oneOf(s: Record<string, unknown>, a: string, b: string, where: string): [unknown, boolean] {
  const hasA = a in s;
  const hasB = b in s;
  if (hasA === hasB) throw new Malformed(`${where} must have exactly one of ${a} or ${b}`);
  return hasA ? [s[a], false] : [s[b], true];
}

const STATEMENT_ELEMENTS = new Set(["Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition"]);
const POLICY_ELEMENTS = new Set(["Version", "Id", "Statement"]);
const PRINCIPAL_TYPES = new Set(["AWS", "Service", "Federated", "CanonicalUser"]);
const VERSIONS = new Set(["2012-10-17", "2008-10-17"]);

/** Refuse an element name AWS does not know (element names are case-sensitive). */
function knownElements(o: Record<string, unknown>, known: ReadonlySet<string>, where: string): void {
  for (const k of Object.keys(o)) if (!known.has(k)) throw new Malformed(`${where} has an unknown element "${k}"`);
}

/** Refuse a condition operator IAM does not define (`Null` takes no IfExists suffix). */
function knownOperator(op: string, where: string): void {
  const { base, ifExists } = parseOperator(op);
  if (base === "null" ? ifExists : !Object.hasOwn(OPERATORS, base)) throw new Malformed(`${where} uses the unknown condition operator "${op}"`);
}

function parseStatement(s: unknown, index: number): ParsedStatement {
  const where = `Statement[${index}]`;
  if (!isRecord(s)) throw new Malformed(`${where} is not an object`);
  knownElements(s, STATEMENT_ELEMENTS, where);
  if ("Sid" in s && typeof s.Sid !== "string") throw new Malformed(`${where}.Sid must be a string`);
  const sid = typeof s.Sid === "string" ? s.Sid : undefined;
  const ref: StatementRef = sid === undefined ? { index } : { sid, index };
  if (s.Effect !== "Allow" && s.Effect !== "Deny") throw new Malformed(`${where}.Effect must be "Allow" or "Deny"`);

  const [p, pNot] = oneOf(s, "Principal", "NotPrincipal", where);
  const principal = { not: pNot, any: false, byType: new Map<string, Values>() };
  if (p === "*") principal.any = true;
  else if (isRecord(p)) {
    for (const [type, vals] of Object.entries(p)) {
      if (!PRINCIPAL_TYPES.has(type)) throw new Malformed(`${where}.Principal has the unknown principal type "${type}"`);
      principal.byType.set(type, stringList(vals, `${where}.Principal.${type}`));
    }
  } else throw new Malformed(`${where}.Principal must be "*" or an object`);

  const [a, aNot] = oneOf(s, "Action", "NotAction", where);
  const [r, rNot] = oneOf(s, "Resource", "NotResource", where);

  const conditions: ParsedCondition[] = [];
  if ("Condition" in s) {
    if (!isRecord(s.Condition)) throw new Malformed(`${where}.Condition must be an object`);
    for (const [op, block] of Object.entries(s.Condition)) {
      knownOperator(op, `${where}.Condition`);
      if (!isRecord(block)) throw new Malformed(`${where}.Condition.${op} must be an object`);
      for (const [key, vals] of Object.entries(block)) {
        conditions.push({ raw: op, key, values: scalarList(vals, `${where}.Condition.${op}.${key}`), ...parseOperator(op) });
      }
    }
  }
  return {
    ref,
    effect: s.Effect,
    principal,
    action: { not: aNot, patterns: stringList(a, `${where}.Action`).map((x) => x.toLowerCase()) },
    resource: { not: rNot, patterns: stringList(r, `${where}.Resource`) },
    conditions,
  };
}

/** Parse and validate a bucket policy document. Pure. */
export function parsePolicy(text: string): ParseResult {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `policy is not valid JSON (${(e as Error).message})` };
  }
  try {
    if (!isRecord(doc)) throw new Malformed("policy is not a JSON object");
    knownElements(doc, POLICY_ELEMENTS, "policy");
    if ("Version" in doc && !(typeof doc.Version === "string" && VERSIONS.has(doc.Version))) throw new Malformed("policy Version must be 2012-10-17 or 2008-10-17");
    if ("Id" in doc && typeof doc.Id !== "string") throw new Malformed("policy Id must be a string");
    const st = doc.Statement;
    let list: unknown[];
    if (Array.isArray(st)) list = st;
    else if (isRecord(st)) list = [st];
    else throw new Malformed("policy has no Statement object or list");
    return {
      ok: true,
      policy: { statements: list.map(parseStatement), variables: doc.Version === "2012-10-17" },
    };
  } catch (e) {
    if (e instanceof Malformed) return { ok: false, reason: `malformed policy: ${e.message}` };
    throw e;
  }
}

// ---------------------------------------------------------------------------------------------
// Matching
// ---------------------------------------------------------------------------------------------

/**
 * Glob match with `*` (any run, including `/` and `:`) and `?` (one character), linear-space,
 * no regular expressions (no catastrophic backtracking on hostile patterns).
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    const pc = pattern[p];
    if (pc === "?" || (pc !== undefined && pc !== "*" && pc === text[t])) {
      p++;
      t++;
    } else if (pc === "*") {
      star = p++;
      mark = t;
    } else if (star !== -1) {
      p = star + 1;
      t = ++mark;
    } else return false;
  }
  while (pattern[p] === "*") p++;
  return p === pattern.length;
}

const hasVariable = (s: string): boolean => s.includes("${");

/** Result of one test: true, false, or undecided (with the reason key). */
type Tri = true | false | { undecided: string };
const isUndecided = (t: Tri): t is { undecided: string } => typeof t === "object";

/** OR over tri-values: any true wins; else first undecided; else false. */
function anyOf<T>(items: readonly T[], f: (x: T) => Tri): Tri {
  let und: Tri | undefined;
  for (const x of items) {
    const r = f(x);
    if (r === true) return true;
    if (r !== false && und === undefined) und = r;
  }
  return und ?? false;
}

/** AND over tri-values: any false wins; else first undecided; else true (De Morgan over anyOf). */
function allOf<T>(items: readonly T[], f: (x: T) => Tri): Tri {
  return not(anyOf(items, (x) => not(f(x))));
}

function not(t: Tri): Tri {
  return isUndecided(t) ? t : !t;
}

function principalMatches(st: ParsedStatement, service: string): Tri {
  const pr = st.principal;
  let m: Tri;
  if (pr.any) m = true;
  else {
    m = false;
    const aws = pr.byType.get("AWS");
    if (aws?.includes("*")) m = true;
    const svc = pr.byType.get("Service");
    if (m === false && svc) {
      if (svc.includes(service)) m = true;
      else if (svc.some((x) => x.toLowerCase() === service.toLowerCase())) {
        // IAM compares service principal names exactly; a case-only match is not something
        // we can decide with confidence either way.
        m = { undecided: "Principal.Service (differs from the service name only in letter case)" };
      }
    }
  }
  return pr.not ? not(m) : m;
}

function actionMatches(st: ParsedStatement, action: string): boolean {
  const a = action.toLowerCase();
  const hit = st.action.patterns.some((p) => globMatch(p, a));
  return st.action.not ? !hit : hit;
}

function resourceMatches(st: ParsedStatement, resource: string, variables: boolean): Tri {
  const hit = anyOf(st.resource.patterns, (p): Tri => {
    if (variables && hasVariable(p)) return { undecided: `policy variable in Resource "${p}"` };
    return globMatch(p, resource);
  });
  return st.resource.not ? not(hit) : hit;
}

// --- conditions --------------------------------------------------------------------------------

type OpKind = "string" | "stringIgnoreCase" | "stringLike" | "arn" | "numeric" | "date" | "bool" | "binary" | "ip";
interface OpDef {
  kind: OpKind;
  negated: boolean;
  cmp?: "eq" | "lt" | "le" | "gt" | "ge";
}

/** The six comparisons IAM's Numeric… and Date… operators share, by the suffix of their names. */
function comparisons(kind: "numeric" | "date"): Record<string, OpDef> {
  return {
    [`${kind}equals`]: { kind, negated: false, cmp: "eq" },
    [`${kind}notequals`]: { kind, negated: true, cmp: "eq" },
    [`${kind}lessthan`]: { kind, negated: false, cmp: "lt" },
    [`${kind}lessthanequals`]: { kind, negated: false, cmp: "le" },
    [`${kind}greaterthan`]: { kind, negated: false, cmp: "gt" },
    [`${kind}greaterthanequals`]: { kind, negated: false, cmp: "ge" },
  };
}

/** The condition operators, by lower-case name (without IfExists and set qualifiers). */
const OPERATORS: Record<string, OpDef> = {
  stringequals: { kind: "string", negated: false },
  stringnotequals: { kind: "string", negated: true },
  stringequalsignorecase: { kind: "stringIgnoreCase", negated: false },
  stringnotequalsignorecase: { kind: "stringIgnoreCase", negated: true },
  stringlike: { kind: "stringLike", negated: false },
  stringnotlike: { kind: "stringLike", negated: true },
  arnequals: { kind: "arn", negated: false },
  arnlike: { kind: "arn", negated: false },
  arnnotequals: { kind: "arn", negated: true },
  arnnotlike: { kind: "arn", negated: true },
  bool: { kind: "bool", negated: false },
  binaryequals: { kind: "binary", negated: false },
  ipaddress: { kind: "ip", negated: false },
  notipaddress: { kind: "ip", negated: true },
  ...comparisons("numeric"),
  ...comparisons("date"),
};

function compare(cmp: NonNullable<OpDef["cmp"]>, a: number, b: number): boolean {
  switch (cmp) {
    case "eq":
      return a === b;
    case "lt":
      return a < b;
    case "le":
      return a <= b;
    case "gt":
      return a > b;
    case "ge":
      return a >= b;
  }
}

function parseDate(s: string): number {
  if (/^\d+$/.test(s)) return Number(s) * 1000; // epoch seconds
  return Date.parse(s);
}

/** ARN match: each of the six colon-separated parts is a separate glob (the last keeps its colons). */
function arnMatch(pattern: string, arn: string): boolean {
  const split = (s: string): string[] | undefined => {
    const parts: string[] = [];
    let from = 0;
    for (let i = 0; i < 5; i++) {
      const at = s.indexOf(":", from);
      if (at < 0) return undefined;
      parts.push(s.slice(from, at));
      from = at + 1;
    }
    parts.push(s.slice(from));
    return parts;
  };
  const pp = split(pattern);
  const ap = split(arn);
  if (!pp || !ap) return false;
  return pp.every((p, i) => globMatch(p, ap[i] ?? ""));
}

/** The positive (un-negated) test of one context value against one policy value. */
function positive(def: OpDef, ctx: string, pv: string): Tri {
  switch (def.kind) {
    case "string":
      return ctx === pv;
    case "stringIgnoreCase":
      return ctx.toLowerCase() === pv.toLowerCase();
    case "stringLike":
      return globMatch(pv, ctx);
    case "arn":
      // A bare "*" is not an ARN (IAM compares six colon-separated parts): undocumented.
      if (pv === "*") return { undecided: `ARN operator with the bare value "*"` };
      return arnMatch(pv, ctx);
    case "bool":
      return ctx.toLowerCase() === pv.toLowerCase();
    case "binary":
      return ctx === pv;
    case "numeric": {
      const a = Number(ctx);
      const b = Number(pv);
      if (Number.isNaN(a) || Number.isNaN(b) || ctx.trim() === "" || pv.trim() === "") return false;
      return compare(def.cmp ?? "eq", a, b);
    }
    case "date": {
      const a = parseDate(ctx);
      const b = parseDate(pv);
      if (Number.isNaN(a) || Number.isNaN(b)) return false;
      return compare(def.cmp ?? "eq", a, b);
    }
    case "ip":
      return { undecided: "IP address comparison" };
  }
}

interface KeyLookup {
  /** Context values (lower-cased key → values) */
  present: Map<string, string[]>;
  partial: Readonly<Record<string, PartialKey>>;
  absent: readonly string[];
}

type Found = { values: string[] } | "absent" | { partial: PartialKey };

function lookupKey(lk: KeyLookup, key: string): Found {
  const k = lowerKey(key);
  const v = lk.present.get(k);
  if (v) return { values: v };
  const partial = Object.hasOwn(lk.partial, k) ? lk.partial[k] : undefined;
  if (partial) return { partial };
  for (const a of lk.absent) {
    if (a.endsWith("/") ? k.startsWith(a) : k === a) return "absent";
  }
  return { partial: UNKNOWN_KEY };
}

/** The outcome of a condition whose key is missing from the request. */
function missingOutcome(c: ParsedCondition, negated: boolean): Tri {
  const { set, ifExists, base } = c;
  if (base === "null") return anyOf(c.values, (v) => v.toLowerCase() === "true");
  if (set && ifExists) return { undecided: `${c.raw} on ${c.key}, which may be absent (a set operator with IfExists on a missing key is undocumented)` };
  if (ifExists) return true;
  if (set === "any") return false;
  if (set === "all") return true;
  return negated;
}

/** Whether a string `pattern` (as `kind` compares it) can only match values starting with `prefix`. */
function onlyMatchesPrefix(kind: OpKind, pattern: string, prefix: string): boolean {
  if (kind === "string" || kind === "stringIgnoreCase") return pattern.toLowerCase().startsWith(prefix);
  if (kind === "stringLike") {
    const wild = pattern.search(/[*?]/);
    return (wild < 0 ? pattern : pattern.slice(0, wild)).toLowerCase().startsWith(prefix);
  }
  return false;
}

/**
 * The outcome of a condition on a key that is present with one unknown value: decided only when
 * every possible value gives the same answer (a `*`-only StringLike pattern matches them all; a
 * pattern that can only match impossible values matches none).
 */
function unknownValueOutcome(def: OpDef, c: ParsedCondition, pk: PartialKey, variables: boolean): Tri {
  const undecided: Tri = { undecided: c.key };
  if (variables && c.values.some(hasVariable)) return undecided;
  let always = false;
  let never = true;
  for (const pv of c.values) {
    if (def.kind === "stringLike" && /^\*+$/.test(pv)) always = true;
    if (!(pk.impossiblePrefix !== undefined && onlyMatchesPrefix(def.kind, pv, pk.impossiblePrefix.toLowerCase()))) never = false;
  }
  const pos: Tri = always ? true : never ? false : undecided;
  return def.negated ? not(pos) : pos;
}

/** A condition on a partly known key: decided only if every possible request agrees. */
function partialOutcome(c: ParsedCondition, def: OpDef | undefined, pk: PartialKey, variables: boolean): Tri {
  const whenPresent: Tri =
    c.base === "null" ? anyOf(c.values, (v) => v.toLowerCase() === "false") : unknownValueOutcome(def as OpDef, c, pk, variables);
  if (pk.present || isUndecided(whenPresent)) return whenPresent;
  const whenMissing = missingOutcome(c, def?.negated ?? false);
  if (isUndecided(whenMissing)) return whenMissing;
  return whenMissing === whenPresent ? whenPresent : { undecided: c.key };
}

function evalCondition(c: ParsedCondition, lk: KeyLookup, variables: boolean): Tri {
  const { set, base } = c;
  const isNull = base === "null";
  const def = Object.hasOwn(OPERATORS, base) ? OPERATORS[base] : undefined;
  if (!def && !isNull) return { undecided: `unsupported condition operator ${c.raw}` };

  const found = lookupKey(lk, c.key);
  if (found !== "absent" && "partial" in found) return partialOutcome(c, def, found.partial, variables);

  const ctxValues = found === "absent" ? [] : found.values;
  if (ctxValues.length === 0) return missingOutcome(c, def?.negated ?? false);
  if (isNull) return anyOf(c.values, (v) => v.toLowerCase() === "false");
  const opDef = def as OpDef;

  const satisfied = (cv: string) => satisfies(opDef, c, cv, variables);
  // ForAllValues: every context value must satisfy (false if any is false; undecided if any undecided).
  if (set === "all") return allOf(ctxValues, satisfied);
  // ForAnyValue, and a plain operator (single-valued keys; a multi-valued one is treated as "any").
  return anyOf(ctxValues, satisfied);
}

/** Does one context value satisfy the operator (negation applied) against the policy values? */
function satisfies(opDef: OpDef, c: ParsedCondition, cv: string, variables: boolean): Tri {
  const pos = anyOf(c.values, (pv): Tri =>
    variables && hasVariable(pv) ? { undecided: `policy variable "${pv}" in condition ${c.raw} on ${c.key}` } : positive(opDef, cv, pv),
  );
  return opDef.negated ? not(pos) : pos;
}

/** AND across conditions: any false decides false; else an undecided one wins; else true. */
function conditionsMatch(st: ParsedStatement, lk: KeyLookup, variables: boolean): Tri {
  return allOf(st.conditions, (c) => evalCondition(c, lk, variables));
}

/** Does a statement apply to the request? AND of principal, action, resource and conditions. */
function statementApplies(st: ParsedStatement, req: DeliveryRequest, lk: KeyLookup, variables: boolean): Tri {
  if (!actionMatches(st, req.action)) return false;
  const p = principalMatches(st, req.principalService);
  if (p === false) return false;
  const r = resourceMatches(st, req.resource, variables);
  if (r === false) return false;
  const c = st.conditions.length === 0 ? true : conditionsMatch(st, lk, variables);
  if (c === false) return false;
  if (p !== true) return p;
  if (r !== true) return r;
  return c;
}

function describeRef(r: StatementRef): string {
  return r.sid !== undefined ? `statement "${r.sid}" (#${r.index})` : `statement #${r.index}`;
}

const lowered = new Map<string, string>();
/** Lower-cased condition key name, memoised (the same few names recur for every source). */
function lowerKey(k: string): string {
  let l = lowered.get(k);
  if (l === undefined) {
    l = k.toLowerCase();
    if (lowered.size < 1024) lowered.set(k, l);
  }
  return l;
}

/** The `unknown` decision for a statement of `effect` that may or may not apply: whether it does depends on `u.key`. */
function undecidedDecision(effect: "Allow" | "Deny", u: { ref: StatementRef; key: string }): PolicyDecision {
  return {
    decision: "unknown",
    statement: u.ref,
    unknownEffect: effect,
    unknownKey: u.key,
    reason: `cannot decide whether ${effect} ${describeRef(u.ref)} applies: ${u.key} is not known for log delivery`,
  };
}

/** Evaluate a parsed policy for one request. Pure. */
export function evaluatePolicy(policy: ParsedPolicy, req: DeliveryRequest): PolicyDecision {
  const present = new Map<string, string[]>();
  for (const k in req.context) {
    const v = req.context[k] as string | string[];
    present.set(lowerKey(k), Array.isArray(v) ? v : [v]);
  }
  const lk: KeyLookup = {
    present,
    partial: req.partialKeys ?? DELIVERY_PARTIAL_KEYS,
    absent: req.absentKeys ? req.absentKeys.map((k) => k.toLowerCase()) : DEFAULT_ABSENT_LOWER,
  };

  let allow: StatementRef | undefined;
  let undecidedDeny: { ref: StatementRef; key: string } | undefined;
  let undecidedAllow: { ref: StatementRef; key: string } | undefined;
  for (const st of policy.statements) {
    const r = statementApplies(st, req, lk, policy.variables);
    if (r === false) continue;
    if (r === true) {
      if (st.effect === "Deny") {
        return {
          decision: "explicit-deny",
          statement: st.ref,
          reason: `${describeRef(st.ref)} explicitly denies ${req.principalService} ${req.action} on ${req.resource}`,
        };
      }
      allow ??= st.ref;
    } else if (st.effect === "Deny") undecidedDeny ??= { ref: st.ref, key: r.undecided };
    else undecidedAllow ??= { ref: st.ref, key: r.undecided };
  }
  if (undecidedDeny) return undecidedDecision("Deny", undecidedDeny);
  if (allow) {
    return {
      decision: "allow",
      statement: allow,
      reason: `${describeRef(allow)} allows ${req.principalService} ${req.action} on ${req.resource}`,
    };
  }
  if (undecidedAllow) return undecidedDecision("Allow", undecidedAllow);
  return {
    decision: "implicit-deny",
    reason: `no statement allows ${req.principalService} ${req.action} on ${req.resource}`,
  };
}

/**
 * Evaluate a raw policy document (as GetBucketPolicy returned it) for one request.
 * Malformed documents give `unknown` with `malformed: true` and the reason.
 */
export function evaluateDelivery(policyText: string, req: DeliveryRequest): PolicyDecision {
  const parsed = parsePolicy(policyText);
  if (!parsed.ok) return { decision: "unknown", reason: parsed.reason, malformed: true };
  return evaluatePolicy(parsed.policy, req);
}
