/**
 * `s3://bucket/prefix` sources: ListObjectsV2 (paginated), narrowed by the time in each key
 * before anything is downloaded, then GetObject with bounded concurrency. Objects are fetched a
 * few ahead and read in listing order, so output is deterministic and memory is bounded by the
 * window. Credentials, profile, endpoint and role come from the scan's client pool.
 * Loaded with `import()` only by the commands that read S3 (it pulls in the AWS SDK).
 */
import { GetBucketLocationCommand, GetObjectCommand, paginateListObjectsV2, type S3Client } from "@aws-sdk/client-s3";
import pLimit from "p-limit";
import { InputError } from "../base/errors.js";
import { ClientPool, type ClientPoolOptions } from "../collect/clients.js";
import { errorCode, errorMessage } from "../collect/errors.js";
import { normaliseLocation } from "../collect/normalise.js";
import { keyMayMatch, parseLogKey } from "./keys.js";
import type { LogInput, LogSource, SourceCounters, SourceFailure } from "./read.js";

export interface S3SourceOptions extends ClientPoolOptions {
  /** The account that owns the log bucket (default: the caller's; another account is reached through the role). */
  account?: string;
  /** The owner account of a bucket when known (the demo knows it); else `account`. */
  accountFor?: (bucket: string) => string | undefined;
  /** The log bucket's Region (default: asked with GetBucketLocation). */
  bucketRegion?: string;
  /** GetObject calls in flight (default 8). */
  fetchConcurrency?: number;
  since?: number;
  until?: number;
  signal?: AbortSignal;
}

const SLICE = 1 << 16;

/** `s3://bucket/prefix` → parts; InputError when it is not one. */
export function parseS3Url(spec: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(spec);
  if (!m || !m[1]) throw new InputError(`not an s3:// URL: "${spec}" (expected s3://bucket/prefix)`);
  return { bucket: m[1], prefix: m[2] ?? "" };
}

/** True for `s3://…` specs. */
export function isS3Spec(spec: string): boolean {
  return spec.startsWith("s3://");
}

function awsFailure(source: string, operation: string, err: unknown): SourceFailure {
  return { source, kind: "aws", operation, code: errorCode(err), message: errorMessage(err) };
}

class OperationError extends Error {
  constructor(
    readonly operation: string,
    override readonly cause: unknown,
  ) {
    super(errorMessage(cause));
  }
}

/** Opens S3 sources sharing one client pool; `close()` when done. */
export class S3Sources {
  private readonly pool: ClientPool;
  private readonly limit: ReturnType<typeof pLimit>;
  private readonly window: number;

  constructor(private readonly opts: S3SourceOptions) {
    this.pool = new ClientPool(opts);
    const n = opts.fetchConcurrency ?? 8;
    this.limit = pLimit(n);
    this.window = n * 2;
  }

  /** The S3 client for the bucket's owner account in the bucket's Region. */
  private async client(bucket: string): Promise<S3Client> {
    const id = await this.pool.init(this.opts.signal).catch((err: unknown) => {
      throw new OperationError("GetCallerIdentity", err);
    });
    const account = this.opts.accountFor?.(bucket) ?? this.opts.account ?? id.account;
    if (this.opts.bucketRegion) return this.pool.s3Sync(account, this.opts.bucketRegion);
    const home = await this.pool.s3(account, this.pool.homeRegion());
    let region: string;
    try {
      const out = await home.send(new GetBucketLocationCommand({ Bucket: bucket }), { abortSignal: this.opts.signal });
      region = normaliseLocation(out.LocationConstraint);
    } catch (err) {
      throw new OperationError("GetBucketLocation", err);
    }
    return this.pool.s3Sync(account, region);
  }

  /** One `s3://bucket/prefix` argument as a source. */
  source(spec: string): LogSource {
    const { bucket, prefix } = parseS3Url(spec);
    return {
      name: spec,
      failure: (input, err) =>
        err instanceof OperationError ? awsFailure(input, err.operation, err.cause) : awsFailure(input, input === spec ? "ListObjectsV2" : "GetObject", err),
      inputs: (counters) => this.inputs(bucket, prefix, counters),
    };
  }

  private fetch(client: S3Client, bucket: string, key: string): Promise<Uint8Array> {
    return this.limit(async () => {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }), { abortSignal: this.opts.signal });
        if (!out.Body) return new Uint8Array(0);
        return await out.Body.transformToByteArray();
      } catch (err) {
        throw new OperationError("GetObject", err);
      }
    });
  }

  private async *inputs(bucket: string, prefix: string, counters: SourceCounters): AsyncGenerator<LogInput> {
    const client = await this.client(bucket);
    const queue: LogInput[] = [];
    const pages = paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix });
    let listing: AsyncIterator<unknown> | undefined;
    try {
      listing = pages[Symbol.asyncIterator]();
    } catch (err) {
      throw new OperationError("ListObjectsV2", err);
    }
    for (;;) {
      let page;
      try {
        page = (await listing.next()) as IteratorResult<{ Contents?: { Key?: string }[] }>;
      } catch (err) {
        throw new OperationError("ListObjectsV2", err);
      }
      if (page.done) break;
      for (const o of page.value.Contents ?? []) {
        const key = o.Key;
        if (!key) continue;
        const k = parseLogKey(key);
        if (!k) {
          counters.skippedNotLogs++;
          continue;
        }
        if (!keyMayMatch(k, this.opts.since, this.opts.until)) {
          counters.skippedByTime++;
          continue;
        }
        const body = this.fetch(client, bucket, key);
        body.catch(() => undefined); // observed when its turn comes
        queue.push({
          name: `s3://${bucket}/${key}`,
          open: async () => {
            const bytes = await body;
            return (async function* () {
              // in slices, so that one large object is decoded and parsed a bit at a time
              for (let i = 0; i < bytes.length; i += SLICE) yield bytes.subarray(i, i + SLICE);
            })();
          },
        });
        while (queue.length > this.window) yield queue.shift() as LogInput;
      }
    }
    while (queue.length > 0) yield queue.shift() as LogInput;
  }

  /** Closes every client and socket. */
  close(): void {
    this.pool.destroy();
  }
}
