/**
 * Collection of one account: ListBuckets (Regions from `BucketRegion`), one GetBucketLogging per
 * bucket in its Region, then the facts of each DISTINCT log target once, and one HeadBucket per
 * target that is not a bucket of the account. Work is pipelined: a target's reads are queued as
 * soon as the first source naming it has been read.
 */
import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketLocationCommand,
  GetBucketLoggingCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketRequestPaymentCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type {
  AccountSnapshot,
  BucketSnapshot,
  CollectionError,
  ExternalTarget,
  Read,
  ReadError,
  TargetFacts,
} from "../model/snapshot.js";
import type { ProgressEvent } from "../progress/events.js";
import type { ClientPool } from "./clients.js";
import {
  classifyFailure,
  errorCode,
  errorHeader,
  errorMessage,
  httpStatusOf,
  isAbort,
  isRegionLevel,
  readError,
} from "./errors.js";
import { isNoSuchBucket } from "./s3-reads.js";
import {
  normaliseAcl,
  normaliseEncryption,
  normaliseLifecycle,
  normaliseLocation,
  normaliseLogging,
  normaliseObjectLock,
  normaliseOwnership,
  normalisePublicAccessBlock,
  normaliseRequestPayment,
} from "./normalise.js";
import type { CallRunner } from "./scheduler.js";
import type { TargetAccount } from "./accounts.js";
import { UNKNOWN_REGION } from "../model/snapshot.js";
import { collectDelivery, type DeliveryCheck } from "./delivery.js";

export { UNKNOWN_REGION };
const LIST_PAGE_SIZE = 1000;

export interface AccountContext {
  pool: ClientPool;
  /**
   * Runner for calls that are not S3 (AssumeRole). S3 calls are bounded per attempt by the
   * pool's attempt limiter (the same pools), so a call in retry backoff holds no slot.
   */
  run: CallRunner;
  /** Admission of S3 calls (bounds how many are under way; attempts are bounded by the pool). */
  admit: CallRunner;
  /** Called once the account's bucket list is known and its reads are queued (or it failed). */
  listed?: () => void;
  callerAccount: string;
  /** Bucket-name filter (--buckets); undefined = every bucket. */
  matchBucket?: (name: string) => boolean;
  /** --regions; undefined = every Region. */
  regions?: ReadonlySet<string>;
  signal?: AbortSignal;
  emit: (e: DistributiveOmit<ProgressEvent, "elapsedMs">) => void;
  /** --check-delivery: keep each GetBucketLogging as the canary, then list log objects. */
  delivery?: DeliveryCheck;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

export interface AccountResult {
  account: AccountSnapshot;
  buckets: BucketSnapshot[];
  externalTargets: ExternalTarget[];
  errors: CollectionError[];
}

interface Listed {
  name: string;
  region?: string;
  creationDate?: string;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; read: ReadError | { status: "absent"; code: string } };

const noop = (): void => {};

export async function collectAccount(ctx: AccountContext, target: TargetAccount): Promise<AccountResult> {
  return new AccountCollector(ctx, target).collect();
}

class AccountCollector {
  private readonly ctx: AccountContext;
  private readonly id: string;
  private readonly name: string | undefined;
  private readonly errors: CollectionError[] = [];
  private readonly listed = new Map<string, Listed>();
  private readonly collected = new Map<string, BucketSnapshot>();
  private readonly external = new Map<string, ExternalTarget>();
  private readonly factsRequested = new Set<string>();
  private readonly regionFailures = new Map<string, ReadError>();
  private readonly regionLookups = new Map<string, Promise<string | ReadError>>();
  private readonly chasing = new Map<string, Promise<void>>();
  private readonly pending: Promise<unknown>[] = [];

  constructor(ctx: AccountContext, target: TargetAccount) {
    this.ctx = ctx;
    this.id = target.id;
    this.name = target.name;
  }

  async collect(): Promise<AccountResult> {
    this.ctx.signal?.throwIfAborted();
    this.ctx.emit(this.name !== undefined ? { type: "account-started", account: this.id, name: this.name } : { type: "account-started", account: this.id });
    let fatal = false;
    if (this.id !== this.ctx.callerAccount) {
      try {
        await this.ctx.run(() => this.ctx.pool.resolveCredentials(this.id));
      } catch (err) {
        this.rethrowAbort(err);
        this.record({ account: this.id, operation: "AssumeRole", code: errorCode(err), message: errorMessage(err) });
        fatal = true;
      }
    }
    if (!fatal) fatal = !(await this.listBuckets());
    if (!fatal) await this.readInScope();
    this.ctx.listed?.();
    if (!fatal) await this.drain();
    if (!fatal && this.ctx.delivery) {
      await collectDelivery(this.id, this.collected, {
        call: (r, b, op, fn, record) => this.call(r, b, op, fn, record),
        record: (r, b, failure) => void this.recordFailure(r, b, failure),
        check: this.ctx.delivery,
        ...(this.ctx.signal ? { signal: this.ctx.signal } : {}),
      });
    }
    return this.result(fatal);
  }

  // ---------------------------------------------------------------- listing and Regions

  /** ListBuckets with MaxBuckets (so BucketRegion comes back), to the last page. */
  private async listBuckets(): Promise<boolean> {
    const home = this.ctx.pool.homeRegion();
    const client = this.ctx.pool.s3Sync(this.id, home);
    let token: string | undefined;
    try {
      do {
        const page = await this.ctx.admit(() =>
          client.send(new ListBucketsCommand({ MaxBuckets: LIST_PAGE_SIZE, ContinuationToken: token }), {
            abortSignal: this.ctx.signal,
          }),
        );
        for (const b of page.Buckets ?? []) {
          if (!b.Name) continue;
          const item: Listed = { name: b.Name };
          if (b.BucketRegion) item.region = b.BucketRegion;
          if (b.CreationDate) item.creationDate = b.CreationDate.toISOString();
          this.listed.set(b.Name, item);
        }
        token = page.ContinuationToken || undefined;
      } while (token);
    } catch (err) {
      this.rethrowAbort(err);
      this.record({ account: this.id, region: home, operation: "ListBuckets", code: errorCode(err), message: errorMessage(err) });
      // Nothing listed: the account could not be read at all. A later page failing keeps what
      // was listed (the account is partial).
      return this.listed.size > 0;
    }
    return true;
  }

  /**
   * The Region of a listed bucket: BucketRegion, else GetBucketLocation in the home Region,
   * else the `x-amz-bucket-region` of a HeadBucket. Memoised; failure recorded once.
   */
  private regionOf(name: string): Promise<string | ReadError> {
    const listed = this.listed.get(name);
    if (listed?.region) return Promise.resolve(listed.region);
    let lookup = this.regionLookups.get(name);
    if (!lookup) {
      lookup = this.lookupRegion(name);
      this.regionLookups.set(name, lookup);
    }
    return lookup;
  }

  private async lookupRegion(name: string): Promise<string | ReadError> {
    const home = this.ctx.pool.homeRegion();
    const client = this.ctx.pool.s3Sync(this.id, home);
    let firstErr: unknown;
    try {
      const out = await this.ctx.admit(() =>
        client.send(new GetBucketLocationCommand({ Bucket: name }), { abortSignal: this.ctx.signal }),
      );
      const region = normaliseLocation(out.LocationConstraint);
      this.setRegion(name, region);
      return region;
    } catch (err) {
      this.rethrowAbort(err);
      firstErr = err;
    }
    try {
      const out = await this.ctx.admit(() => client.send(new HeadBucketCommand({ Bucket: name }), { abortSignal: this.ctx.signal }));
      if (out.BucketRegion) {
        this.setRegion(name, out.BucketRegion);
        return out.BucketRegion;
      }
    } catch (err) {
      this.rethrowAbort(err);
      const header = errorHeader(err, "x-amz-bucket-region");
      if (header) {
        this.setRegion(name, header);
        return header;
      }
    }
    const failure = readError("GetBucketLocation", firstErr);
    this.record({ account: this.id, bucket: name, operation: failure.operation, code: failure.code, message: failure.message });
    return failure;
  }

  private setRegion(name: string, region: string): void {
    const l = this.listed.get(name);
    if (l) l.region = region;
  }

  // ---------------------------------------------------------------- buckets

  private inRegionScope(region: string): boolean {
    return !this.ctx.regions || region === UNKNOWN_REGION || this.ctx.regions.has(region);
  }

  /**
   * Resolve the Regions of name-matching buckets that came without BucketRegion (rare: endpoints
   * that omit it), then queue the logging read of every in-scope bucket. Every in-scope bucket is
   * queued before any answer arrives, so a target met later that is not collected is out of scope.
   */
  private async readInScope(): Promise<void> {
    const candidates = [...this.listed.values()].filter((b) => !this.ctx.matchBucket || this.ctx.matchBucket(b.name));
    const failures = new Map<string, ReadError>();
    await Promise.all(
      candidates
        .filter((b) => b.region === undefined)
        .map(async (b) => {
          const region = await this.regionOf(b.name);
          if (typeof region !== "string") failures.set(b.name, region);
        }),
    );
    const inScope = candidates.filter((b) => this.inRegionScope(b.region ?? UNKNOWN_REGION));
    // Also with 0: the account's bucket count is known (progress shows a total only once every account's is).
    this.ctx.emit({ type: "buckets-found", account: this.id, count: inScope.length });
    for (const b of inScope) {
      const failure = failures.get(b.name);
      if (b.region !== undefined) this.readLogging(b.name, b.region, true);
      else if (failure) this.addUnreadable(b.name, failure, true);
    }
  }

  private newBucket(name: string, region: string, inScope: boolean, logging: BucketSnapshot["logging"]): BucketSnapshot {
    const created = this.listed.get(name)?.creationDate;
    const b: BucketSnapshot = {
      account: this.id,
      region,
      name,
      ...(created ? { creationDate: created } : {}),
      ...(inScope ? {} : { inScope: false }),
      logging,
    };
    return b;
  }

  /** A bucket whose Region is unknown: every read is the Region lookup's failure. */
  private addUnreadable(name: string, failure: ReadError, inScope: boolean): BucketSnapshot {
    const b = this.newBucket(name, UNKNOWN_REGION, inScope, failure);
    this.collected.set(name, b);
    this.ctx.emit({ type: "bucket-read", account: this.id });
    return b;
  }

  /** Queue the GetBucketLogging of one bucket (placeholder recorded now, so it is read once). */
  private readLogging(name: string, region: string, inScope: boolean): void {
    const placeholder: ReadError = { status: "error", operation: "GetBucketLogging", code: "NotRead", message: "not read" };
    const bucket = this.newBucket(name, region, inScope, placeholder);
    this.collected.set(name, bucket);
    this.track(
      (async () => {
        const sentAt = new Date().toISOString();
        const out = await this.call(region, name, "GetBucketLogging", (c) =>
          c.send(new GetBucketLoggingCommand({ Bucket: name }), { abortSignal: this.ctx.signal }),
        );
        bucket.logging = out.ok ? { status: "ok", value: normaliseLogging(out.value) } : out.read;
        const ids = out.ok ? out.value.$metadata : undefined;
        if (this.ctx.delivery && ids?.requestId) {
          bucket.canary = { time: sentAt, requestId: ids.requestId, ...(ids.extendedRequestId ? { extendedRequestId: ids.extendedRequestId } : {}) };
        }
        this.ctx.emit({ type: "bucket-read", account: this.id });
        if (bucket.logging.status === "ok" && bucket.logging.value) this.onTarget(bucket, bucket.logging.value.targetBucket);
      })(),
    );
  }

  // ---------------------------------------------------------------- targets

  /** A source names `name` as its log target. */
  private onTarget(source: BucketSnapshot, name: string): void {
    const sourceInScope = source.inScope !== false;
    const listed = this.listed.get(name);
    if (listed) {
      if (this.collected.has(name)) {
        this.afterTargetKnown(source, name, sourceInScope);
        return;
      }
      // Out of --buckets/--regions, but a log target: its logging (cycles) and facts are needed.
      let ready = this.chasing.get(name);
      if (!ready) {
        if (listed.region !== undefined) {
          this.ctx.emit({ type: "buckets-found", account: this.id, count: 1 });
          this.readLogging(name, listed.region, false);
          this.afterTargetKnown(source, name, sourceInScope);
          return;
        }
        ready = (async () => {
          const region = await this.regionOf(name);
          if (this.collected.has(name)) return;
          this.ctx.emit({ type: "buckets-found", account: this.id, count: 1 });
          if (typeof region === "string") this.readLogging(name, region, false);
          else this.addUnreadable(name, region, false);
        })();
        this.chasing.set(name, ready);
        this.track(ready);
      }
      this.track(ready.then(() => this.afterTargetKnown(source, name, sourceInScope)));
      return;
    }
    // Not a bucket of this account: one HeadBucket, from the source's Region.
    if (!sourceInScope || this.external.has(name)) return;
    const entry: ExternalTarget = { account: this.id, name, state: "error" };
    this.external.set(name, entry);
    this.track(this.headExternal(entry, source.region));
  }

  private afterTargetKnown(source: BucketSnapshot, name: string, sourceInScope: boolean): void {
    const target = this.collected.get(name);
    if (!target) return;
    const wanted = sourceInScope || target.inScope !== false;
    if (!wanted || this.factsRequested.has(name)) return;
    this.factsRequested.add(name);
    if (target.region === UNKNOWN_REGION && target.logging.status === "error") {
      const failure = target.logging;
      target.targetFacts = allFacts(failure);
      return;
    }
    this.track(this.readFacts(target));
  }

  /** The 8 facts of a log target, in the target's Region. */
  private async readFacts(target: BucketSnapshot): Promise<void> {
    const Bucket = target.name;
    const r = target.region;
    const o = { abortSignal: this.ctx.signal };
    const [policy, acl, ownership, encryption, objectLock, requestPayment, publicAccessBlock, lifecycle] =
      await Promise.all([
        this.call(r, Bucket, "GetBucketPolicy", (c) => c.send(new GetBucketPolicyCommand({ Bucket }), o)),
        this.call(r, Bucket, "GetBucketAcl", (c) => c.send(new GetBucketAclCommand({ Bucket }), o)),
        this.call(r, Bucket, "GetBucketOwnershipControls", (c) => c.send(new GetBucketOwnershipControlsCommand({ Bucket }), o)),
        this.call(r, Bucket, "GetBucketEncryption", (c) => c.send(new GetBucketEncryptionCommand({ Bucket }), o)),
        this.call(r, Bucket, "GetObjectLockConfiguration", (c) => c.send(new GetObjectLockConfigurationCommand({ Bucket }), o)),
        this.call(r, Bucket, "GetBucketRequestPayment", (c) => c.send(new GetBucketRequestPaymentCommand({ Bucket }), o)),
        this.call(r, Bucket, "GetPublicAccessBlock", (c) => c.send(new GetPublicAccessBlockCommand({ Bucket }), o)),
        this.call(r, Bucket, "GetBucketLifecycleConfiguration", (c) =>
          c.send(new GetBucketLifecycleConfigurationCommand({ Bucket }), o),
        ),
      ]);
    const facts: TargetFacts = {
      policy: map(policy, (v) =>
        v.Policy === undefined ? { status: "absent", code: "NoSuchBucketPolicy" } : { status: "ok", value: v.Policy },
      ),
      acl: map(acl, (v) => ({ status: "ok", value: normaliseAcl(v) })),
      ownership: map(ownership, normaliseOwnership),
      encryption: map(encryption, normaliseEncryption),
      objectLock: map(objectLock, (v) => ({ status: "ok", value: normaliseObjectLock(v) })),
      requestPayment: map(requestPayment, normaliseRequestPayment),
      publicAccessBlock: map(publicAccessBlock, (v) => ({ status: "ok", value: normalisePublicAccessBlock(v) })),
      lifecycle: map(lifecycle, (v) => ({ status: "ok", value: normaliseLifecycle(v) })),
    };
    // A response the normaliser could not understand is a failed read too: record it once.
    for (const read of Object.values(facts) as Read<unknown>[]) {
      if (read.status === "error" && read.code === "UnexpectedResponse") {
        this.record({ account: this.id, region: r, bucket: Bucket, operation: read.operation, code: read.code, message: read.message });
      }
    }
    target.targetFacts = facts;
  }

  /**
   * HeadBucket of a target that is not a bucket of this account (so not ours: ListBuckets decides
   * ownership; HeadBucket only existence): 404 → missing; a 200, a 301 or any answer carrying
   * x-amz-bucket-region (S3 sends it for an existing bucket whatever the caller's permissions,
   * reference §3.5) → foreign; anything else → error. A 403 without that header is an error too:
   * it means "exists and is someone else's" or "you may not ask", and nothing decides which.
   */
  private async headExternal(entry: ExternalTarget, region: string): Promise<void> {
    const failed = this.regionFailures.get(region);
    if (failed) {
      entry.error = failed;
      return;
    }
    const client = this.ctx.pool.s3Sync(this.id, region === UNKNOWN_REGION ? this.ctx.pool.homeRegion() : region);
    try {
      const out = await this.ctx.admit(() =>
        client.send(new HeadBucketCommand({ Bucket: entry.name }), { abortSignal: this.ctx.signal }),
      );
      entry.state = "foreign";
      if (out.BucketRegion) entry.region = out.BucketRegion;
      return;
    } catch (err) {
      this.rethrowAbort(err);
      const status = httpStatusOf(err);
      const header = errorHeader(err, "x-amz-bucket-region");
      const code = errorCode(err);
      if (isNoSuchBucket(status, code)) {
        entry.state = "missing";
        return;
      }
      if (status === 301 || header) {
        entry.state = "foreign";
        if (header) entry.region = header;
        return;
      }
      const failure = status === 403 ? undecidedForbidden(err) : readError("HeadBucket", err);
      entry.state = "error";
      entry.error = failure;
      this.recordFailure(region, entry.name, failure);
    }
  }

  // ---------------------------------------------------------------- calls and failures

  /**
   * One read of one bucket in a Region, through the pools. A failure becomes `absent` (the
   * operation's "not configured" code) or `error`, recorded once in `errors`. A Region already
   * known to fail is not called again.
   */
  private async call<T>(region: string, bucket: string, operation: string, fn: (c: S3Client) => Promise<T>, record = true): Promise<Outcome<T>> {
    const failed = this.regionFailures.get(region);
    if (failed) return { ok: false, read: failed };
    const client = this.ctx.pool.s3Sync(this.id, region);
    try {
      return { ok: true, value: await this.ctx.admit(() => fn(client)) };
    } catch (err) {
      this.rethrowAbort(err);
      const read = classifyFailure<never>(operation, err);
      if (read.status === "absent") return { ok: false, read };
      return { ok: false, read: record ? this.recordFailure(region, bucket, read as ReadError) : (read as ReadError) };
    }
  }

  /** Record a failed read; a Region-level failure is recorded once for the whole Region. */
  private recordFailure(region: string, bucket: string, failure: ReadError): ReadError {
    if (isRegionLevel(failure.code) && region !== UNKNOWN_REGION) {
      const known = this.regionFailures.get(region);
      if (known) return known;
      this.regionFailures.set(region, failure);
      this.record({ account: this.id, region, operation: failure.operation, code: failure.code, message: failure.message });
      return failure;
    }
    const already = this.regionFailures.get(region);
    if (already && already.code === failure.code) return already;
    this.record({
      account: this.id,
      ...(region !== UNKNOWN_REGION ? { region } : {}),
      bucket,
      operation: failure.operation,
      code: failure.code,
      message: failure.message,
    });
    return failure;
  }

  private record(e: CollectionError): void {
    this.errors.push(e);
    this.ctx.emit({ type: "error", error: e });
  }

  private rethrowAbort(err: unknown): void {
    if (isAbort(err, this.ctx.signal)) throw err;
  }

  private track(p: Promise<unknown>): void {
    p.catch(noop); // awaited in drain(); this only avoids an early unhandled-rejection report
    this.pending.push(p);
  }

  private async drain(): Promise<void> {
    while (this.pending.length > 0) await Promise.all(this.pending.splice(0));
  }

  // ---------------------------------------------------------------- result

  private result(fatal: boolean): AccountResult {
    const buckets = [...this.collected.values()];
    const regions = new Set<string>();
    for (const b of buckets) if (b.inScope !== false && b.region !== UNKNOWN_REGION) regions.add(b.region);
    const status: AccountSnapshot["status"] = fatal ? "error" : this.errors.length > 0 ? "partial" : "ok";
    const account: AccountSnapshot = {
      id: this.id,
      ...(this.name !== undefined ? { name: this.name } : {}),
      status,
      regions: [...regions].sort(),
    };
    this.ctx.emit({
      type: "account-finished",
      account: this.id,
      ...(this.name !== undefined ? { name: this.name } : {}),
      status,
      buckets: buckets.filter((b) => b.inScope !== false).length,
      errors: this.errors.length,
    });
    return { account, buckets, externalTargets: [...this.external.values()], errors: this.errors };
  }
}

function map<T, U>(o: Outcome<T>, f: (v: T) => Read<U>): Read<U> {
  return o.ok ? f(o.value) : o.read;
}

function allFacts(failure: ReadError): TargetFacts {
  return {
    policy: failure,
    acl: failure,
    ownership: failure,
    encryption: failure,
    objectLock: failure,
    requestPayment: failure,
    publicAccessBlock: failure,
    lifecycle: failure,
  };
}

/**
 * The failed read for a HeadBucket 403 without `x-amz-bucket-region`: HEAD errors have no body,
 * so the code is the status's (AccessDenied) and the message says why nothing is decided.
 */
function undecidedForbidden(err: unknown): ReadError {
  const e = readError("HeadBucket", err);
  return { ...e, code: "AccessDenied", message: `${e.message} (403 without x-amz-bucket-region: the bucket exists and is another account's, or the caller may not ask)` };
}
