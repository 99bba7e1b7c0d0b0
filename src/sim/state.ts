/**
 * The simulator's live in-memory state: accounts, roles, access keys and buckets.
 * Every lookup a request needs is a Map access or a binary search over one account's
 * sorted bucket list; nothing scans all buckets.
 */
import { createHash } from "node:crypto";
import type { BucketSpec, GrantSpec, Scenario } from "./scenario.js";
import { validateScenario } from "./scenario.js";

export type ObjectOwnership = "BucketOwnerEnforced" | "BucketOwnerPreferred" | "ObjectWriter";
export type AccountStateName = "PENDING_ACTIVATION" | "ACTIVE" | "SUSPENDED" | "PENDING_CLOSURE" | "CLOSED";

export interface SimGrant {
  type: "CanonicalUser" | "Group" | "AmazonCustomerByEmail";
  id?: string;
  uri?: string;
  displayName?: string;
  emailAddress?: string;
  permission: string;
}

export interface SimLogging {
  targetBucket: string;
  targetPrefix: string;
  targetGrants?: SimGrant[];
  /** undefined = not set (GetBucketLogging omits TargetObjectKeyFormat). */
  keyFormat?: { type: "simple" } | { type: "partitioned"; partitionDateSource?: "EventTime" | "DeliveryTime" };
}

export interface SimEncryption {
  algorithm: string;
  kmsKeyId?: string;
  bucketKeyEnabled: boolean;
}

export interface SimRetention {
  mode: "GOVERNANCE" | "COMPLIANCE";
  days?: number;
  years?: number;
}

export interface SimPublicAccessBlock {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export interface SimObject {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
  body?: Buffer;
}

export interface SimBucket {
  name: string;
  account: string;
  region: string;
  creationDate: Date;
  logging?: SimLogging;
  /** Policy JSON text as stored. */
  policy?: string;
  /** Full ACL, owner grant included. */
  acl: SimGrant[];
  ownership?: ObjectOwnership;
  encryption?: SimEncryption;
  objectLockEnabled: boolean;
  objectLockRetention?: SimRetention;
  versioning?: "Enabled" | "Suspended";
  requestPayer: "BucketOwner" | "Requester";
  publicAccessBlock?: SimPublicAccessBlock;
  /** Lifecycle rules in the AWS JSON shape; undefined = no configuration. */
  lifecycle?: Record<string, unknown>[];
  objects: Map<string, SimObject>;
  /** Object keys, sorted. */
  objectKeys: string[];
}

export interface SimRole {
  name: string;
  arn: string;
  trustedAccounts: string[];
  externalId?: string;
  maxSessionDuration: number;
  roleId: string;
}

export interface SimAccount {
  id: string;
  name: string;
  email: string;
  state: AccountStateName;
  joinedMethod: "INVITED" | "CREATED";
  joinedTimestamp: Date;
  inOrganization: boolean;
  canonicalId: string;
  roles: Map<string, SimRole>;
  /** This account's bucket names, sorted. */
  bucketNames: string[];
  /** Per Region, sorted. */
  bucketsByRegion: Map<string, string[]>;
}

export interface SimIdentity {
  account: string;
  arn: string;
  userId: string;
  /** Set for AssumeRole-issued keys. */
  expiration?: Date;
  secretAccessKey?: string;
  sessionToken?: string;
  /** True when the key came from AssumeRole (role chaining limits). */
  assumed?: boolean;
}

export interface SimOrganization {
  id: string;
  managementAccount: string;
  featureSet: "ALL" | "CONSOLIDATED_BILLING";
  delegatedAdministrators: Set<string>;
}

export const LOG_DELIVERY_URI = "http://acs.amazonaws.com/groups/s3/LogDelivery";
const GROUPS: Record<string, string> = {
  LogDelivery: LOG_DELIVERY_URI,
  AllUsers: "http://acs.amazonaws.com/groups/global/AllUsers",
  AuthenticatedUsers: "http://acs.amazonaws.com/groups/global/AuthenticatedUsers",
};

/** Canonical user ID of an account (deterministic 64 hex characters). */
export function canonicalIdOf(account: string): string {
  return createHash("sha256").update(`s3-canonical:${account}`).digest("hex");
}

/** Index of the first element >= key in a sorted array. */
export function lowerBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as string) < key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Index of the first element > key in a sorted array. */
export function upperBound(arr: readonly string[], key: string): number {
  let lo = 0;
  let hi = arr.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((arr[mid] as string) <= key) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function insertSorted(arr: string[], key: string): void {
  const i = lowerBound(arr, key);
  if (arr[i] !== key) arr.splice(i, 0, key);
}

export function removeSorted(arr: string[], key: string): void {
  const i = lowerBound(arr, key);
  if (arr[i] === key) arr.splice(i, 1);
}

export function grantFromSpec(g: GrantSpec): SimGrant {
  const out: SimGrant = { type: g.type, permission: g.permission };
  if (g.id !== undefined) out.id = g.id;
  if (g.uri !== undefined) out.uri = g.uri.includes("://") ? g.uri : (GROUPS[g.uri] ?? g.uri);
  if (g.displayName !== undefined) out.displayName = g.displayName;
  if (g.emailAddress !== undefined) out.emailAddress = g.emailAddress;
  return out;
}

export function ownerGrant(canonicalId: string): SimGrant {
  return { type: "CanonicalUser", id: canonicalId, permission: "FULL_CONTROL" };
}

export const FULL_PAB: Readonly<SimPublicAccessBlock> = Object.freeze({
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
});

let keyCounter = 0;

/** Live state of the simulated organization. Tests may read and mutate it. */
export class SimState {
  readonly accounts = new Map<string, SimAccount>();
  readonly buckets = new Map<string, SimBucket>();
  /** Access key ID → identity (scenario keys and AssumeRole-issued keys). */
  readonly keys = new Map<string, SimIdentity>();
  organization: SimOrganization | undefined;
  /** The account any unknown access key acts as. */
  defaultAccount: string;
  /** The answer to a bucket request signed for another Region. */
  wrongRegionError: "PermanentRedirect" | "AuthorizationHeaderMalformed";

  /** `validated`: the scenario already went through validateScenario (skip the second pass). */
  constructor(scenario: Scenario, opts: { validated?: boolean } = {}) {
    const s = opts.validated ? scenario : validateScenario(scenario);
    if (s.organization) {
      this.organization = {
        id: s.organization.id,
        managementAccount: s.organization.managementAccount,
        featureSet: s.organization.featureSet ?? "ALL",
        delegatedAdministrators: new Set(s.organization.delegatedAdministrators ?? []),
      };
    }
    this.wrongRegionError = s.wrongRegionError ?? "PermanentRedirect";
    const first = s.accounts[0];
    this.defaultAccount = s.defaultAccount ?? s.organization?.managementAccount ?? (first ? first.id : "000000000000");
    const mgmt = this.organization?.managementAccount ?? this.defaultAccount;
    for (const a of s.accounts) {
      const acct: SimAccount = {
        id: a.id,
        name: a.name,
        email: a.email ?? `${a.name.toLowerCase().replace(/[^a-z0-9]+/g, "-")}@example.com`,
        state: a.state ?? "ACTIVE",
        joinedMethod: a.joinedMethod ?? (a.id === mgmt ? "INVITED" : "CREATED"),
        joinedTimestamp: new Date(a.joinedTimestamp ?? "2024-01-15T09:00:00Z"),
        inOrganization: this.organization ? (a.inOrganization ?? true) : false,
        canonicalId: canonicalIdOf(a.id),
        roles: new Map(),
        bucketNames: [],
        bucketsByRegion: new Map(),
      };
      this.accounts.set(a.id, acct);
      for (const r of a.roles ?? []) {
        acct.roles.set(r.name, {
          name: r.name,
          arn: `arn:aws:iam::${a.id}:role/${r.name}`,
          trustedAccounts: r.trustedAccounts ?? [mgmt],
          ...(r.externalId !== undefined ? { externalId: r.externalId } : {}),
          maxSessionDuration: r.maxSessionDuration ?? 3600,
          roleId: `AROA${createHash("sha256").update(`${a.id}/${r.name}`).digest("hex").slice(0, 17).toUpperCase()}`,
        });
      }
      for (const k of a.accessKeys ?? []) {
        const id = typeof k === "string" ? k : k.id;
        const user = typeof k === "string" ? undefined : k.user;
        this.keys.set(id, {
          account: a.id,
          arn: user ? `arn:aws:iam::${a.id}:user/${user}` : `arn:aws:iam::${a.id}:root`,
          userId: user ? `AIDA${createHash("sha256").update(`${a.id}/${user}`).digest("hex").slice(0, 17).toUpperCase()}` : a.id,
        });
      }
    }
    for (const a of s.accounts) for (const b of a.buckets ?? []) this.addBucketFromSpec(a.id, b);
  }

  /** The identity a request with this access key acts as. */
  identityFor(accessKeyId: string | undefined): SimIdentity | undefined {
    if (accessKeyId === undefined) return undefined;
    const known = this.keys.get(accessKeyId);
    if (known) return known;
    return { account: this.defaultAccount, arn: `arn:aws:iam::${this.defaultAccount}:root`, userId: this.defaultAccount };
  }

  /** Issue temporary credentials for an assumed role. */
  issueCredentials(role: SimRole, account: string, sessionName: string, durationSeconds: number, now: number): SimIdentity & { accessKeyId: string } {
    keyCounter += 1;
    const n = `${keyCounter.toString(36).toUpperCase()}${createHash("sha1").update(`${account}${sessionName}${keyCounter}${now}`).digest("hex").toUpperCase()}`;
    const accessKeyId = `ASIA${n.slice(0, 16)}`;
    const ident: SimIdentity = {
      account,
      arn: `arn:aws:sts::${account}:assumed-role/${role.name}/${sessionName}`,
      userId: `${role.roleId}:${sessionName}`,
      expiration: new Date(Math.floor(now / 1000) * 1000 + durationSeconds * 1000),
      secretAccessKey: createHash("sha256").update(`secret${accessKeyId}`).digest("base64").slice(0, 40),
      sessionToken: `FwoGZXIvYXdzE${createHash("sha256").update(`token${accessKeyId}`).digest("base64")}`,
      assumed: true,
    };
    this.keys.set(accessKeyId, ident);
    return { ...ident, accessKeyId };
  }

  /** Create a bucket with today's defaults (BucketOwnerEnforced, SSE-S3, full Block Public Access). */
  createBucket(
    account: string,
    name: string,
    region: string,
    opts: { ownership?: ObjectOwnership | undefined; objectLock?: boolean; acl?: SimGrant[]; creationDate?: Date } = {},
  ): SimBucket {
    const acct = this.accounts.get(account);
    const canonical = acct?.canonicalId ?? canonicalIdOf(account);
    const bucket: SimBucket = {
      name,
      account,
      region,
      creationDate: opts.creationDate ?? new Date(Math.floor(Date.now() / 1000) * 1000),
      acl: [ownerGrant(canonical), ...(opts.acl ?? [])],
      ownership: opts.ownership ?? "BucketOwnerEnforced",
      encryption: { algorithm: "AES256", bucketKeyEnabled: false },
      objectLockEnabled: opts.objectLock ?? false,
      ...(opts.objectLock ? { versioning: "Enabled" as const } : {}),
      requestPayer: "BucketOwner",
      publicAccessBlock: { ...FULL_PAB },
      objects: new Map(),
      objectKeys: [],
    };
    this.buckets.set(name, bucket);
    if (acct) {
      insertSorted(acct.bucketNames, name);
      let list = acct.bucketsByRegion.get(region);
      if (!list) {
        list = [];
        acct.bucketsByRegion.set(region, list);
      }
      insertSorted(list, name);
    }
    return bucket;
  }

  /** Remove a bucket (no checks). */
  deleteBucket(name: string): boolean {
    const b = this.buckets.get(name);
    if (!b) return false;
    this.buckets.delete(name);
    const acct = this.accounts.get(b.account);
    if (acct) {
      removeSorted(acct.bucketNames, name);
      const list = acct.bucketsByRegion.get(b.region);
      if (list) removeSorted(list, name);
    }
    return true;
  }

  /** Add a bucket described like a scenario bucket. */
  addBucketFromSpec(account: string, b: BucketSpec): SimBucket {
    const bucket = this.createBucket(account, b.name, b.region, {
      objectLock: b.objectLock !== undefined,
      creationDate: new Date(b.creationDate ?? "2024-03-01T12:00:00Z"),
      acl: (b.aclGrants ?? []).map(grantFromSpec),
    });
    bucket.ownership = b.ownership === null ? undefined : (b.ownership ?? "BucketOwnerEnforced");
    if (b.encryption === null) bucket.encryption = undefined;
    else if (b.encryption) {
      bucket.encryption = {
        algorithm: b.encryption.algorithm,
        bucketKeyEnabled: b.encryption.bucketKeyEnabled ?? false,
        ...(b.encryption.kmsKeyId !== undefined ? { kmsKeyId: b.encryption.kmsKeyId } : {}),
      };
    }
    if (b.objectLock?.defaultRetention) bucket.objectLockRetention = { ...b.objectLock.defaultRetention };
    if (b.versioning) bucket.versioning = b.versioning;
    if (b.requestPayment) bucket.requestPayer = b.requestPayment;
    const pab = b.publicAccessBlock;
    if (pab === null || pab === false) bucket.publicAccessBlock = undefined;
    else if (typeof pab === "object") {
      bucket.publicAccessBlock = {
        blockPublicAcls: pab.blockPublicAcls ?? false,
        ignorePublicAcls: pab.ignorePublicAcls ?? false,
        blockPublicPolicy: pab.blockPublicPolicy ?? false,
        restrictPublicBuckets: pab.restrictPublicBuckets ?? false,
      };
    }
    if (b.policy !== undefined && b.policy !== null) bucket.policy = typeof b.policy === "string" ? b.policy : JSON.stringify(b.policy);
    if (b.lifecycle) bucket.lifecycle = b.lifecycle.map((r) => structuredClone(r) as Record<string, unknown>);
    if (b.logging) {
      const l = b.logging;
      bucket.logging = { targetBucket: l.targetBucket, targetPrefix: l.targetPrefix ?? "" };
      if (l.targetGrants?.length) bucket.logging.targetGrants = l.targetGrants.map(grantFromSpec);
      if (l.keyFormat === "simple") bucket.logging.keyFormat = { type: "simple" };
      else if (l.keyFormat === "partitioned" || l.partitionDateSource) {
        bucket.logging.keyFormat = { type: "partitioned", partitionDateSource: l.partitionDateSource ?? "EventTime" };
      }
    }
    for (const o of b.objects ?? []) {
      const body = o.body !== undefined ? Buffer.from(o.body) : undefined;
      putObject(bucket, o.key, body, o.size ?? body?.length ?? 0, o.lastModified ? new Date(o.lastModified) : bucket.creationDate);
    }
    return bucket;
  }
}

/** Store an object in a bucket, keeping the sorted key list. */
export function putObject(bucket: SimBucket, key: string, body: Buffer | undefined, size: number, lastModified: Date): SimObject {
  const etag = `"${createHash("md5").update(body ?? `${key}:${size}`).digest("hex")}"`;
  const obj: SimObject = { key, size, etag, lastModified, ...(body ? { body } : {}) };
  if (!bucket.objects.has(key)) insertSorted(bucket.objectKeys, key);
  bucket.objects.set(key, obj);
  return obj;
}

export function deleteObject(bucket: SimBucket, key: string): void {
  if (bucket.objects.delete(key)) removeSorted(bucket.objectKeys, key);
}
