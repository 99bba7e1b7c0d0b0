/**
 * One SDK client per account+Region (plus the caller's STS and Organizations clients), reused for
 * the whole run, and the credentials of every account: the caller's own credentials for the
 * caller's account, `AssumeRole` into `--role-name` for every other account.
 *
 * Used by collection and, with the same options, by the fix engine to write with the same
 * credentials.
 */
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { fromNodeProviderChain, fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type {
  AwsCredentialIdentity,
  AwsCredentialIdentityProvider,
  FinalizeHandler,
  FinalizeHandlerArguments,
  MetadataBearer,
} from "@aws-sdk/types";
import { DEFAULT_ROLE_NAME } from "./target-syntax.js";
import { loadProfile, type ProfileSettings } from "./profile.js";

/**
 * Retry policy for every client (unless AWS_RETRY_MODE / AWS_MAX_ATTEMPTS say otherwise).
 *
 * Measured with `test/bench/retry-modes.ts` (simulator and scan in separate processes,
 * 20 accounts × 100 buckets, 50 ms latency, --concurrency 32, one client per account+Region):
 *   5 % throttled:  standard 12.2 s, 0 errors  | adaptive 66.3 s, 0 errors
 *   20 % throttled: standard 41.5 s, 0–2 errors | adaptive 207 s, 0 errors
 * Standard mode (exponential backoff with jitter, 500 ms base for throttling errors) wins by 5×:
 * adaptive's client-side token bucket slows *every* later call of a client after a throttle,
 * while the p-limit pools already bound our request rate, and the collection's pools bound
 * each attempt, so a call waiting out its backoff holds no slot. 6 attempts: at 5 % throttling
 * the chance that one call is throttled 6 times running is 1.6e-8.
 */
export const DEFAULT_RETRY_MODE = "standard";
export const DEFAULT_MAX_ATTEMPTS = 6;

/** Options shared by collection and the fix engine. */
export interface ClientPoolOptions {
  /** --endpoint-url: every client (S3, STS, Organizations) goes there; S3 path-style. */
  endpointUrl?: string;
  /** --profile: credentials (and region/endpoint settings) from this shared-config profile. */
  profile?: string;
  /** Explicit credentials of the caller; overrides the default chain and --profile. */
  credentials?: AwsCredentialIdentityProvider;
  /** Role assumed in every account other than the caller's. */
  roleName?: string;
  externalId?: string;
  /** Upper bound of parallel calls; sizes the keep-alive socket pool. */
  concurrency?: number;
  /** Default `AWS_REGION` / `AWS_DEFAULT_REGION`, else the partition's main Region. */
  region?: string;
}

const ASSUMED_ROLE_SECONDS = 3600; // role chaining caps sessions at one hour
const REFRESH_BEFORE_MS = 5 * 60_000;

export interface CallerIdentity {
  account: string;
  partition: string;
  arn: string;
}

/** The Region where global calls (ListBuckets, GetBucketLocation, Organizations) are made. */
export function partitionHomeRegion(partition: string): string {
  if (partition === "aws-cn") return "cn-north-1";
  if (partition === "aws-us-gov") return "us-gov-west-1";
  return "us-east-1";
}

function organizationsRegion(partition: string): string {
  if (partition === "aws-cn") return "cn-northwest-1";
  if (partition === "aws-us-gov") return "us-gov-west-1";
  return "us-east-1";
}

/** True when S3 requests go to an overridden endpoint (flag or environment): use path-style. */
export function endpointOverridden(endpointUrl: string | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (endpointUrl) return true;
  const ignore = (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() === "true";
  if (ignore) return false;
  return Boolean(env.AWS_ENDPOINT_URL || env.AWS_ENDPOINT_URL_S3);
}

/** Memoise a credential provider: one call in flight, refreshed 5 minutes before expiry. */
export function memoizeCredentials(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let current: AwsCredentialIdentity | undefined;
  let pending: Promise<AwsCredentialIdentity> | undefined;
  const fresh = (c: AwsCredentialIdentity | undefined): c is AwsCredentialIdentity =>
    c !== undefined && (c.expiration === undefined || c.expiration.getTime() - Date.now() > REFRESH_BEFORE_MS);
  return async () => {
    if (fresh(current)) return current;
    if (!pending) {
      pending = Promise.resolve(provider()).then(
        (c) => {
          current = c;
          pending = undefined;
          return c;
        },
        (err: unknown) => {
          pending = undefined;
          throw err;
        },
      );
    }
    return pending;
  };
}

/**
 * Runs one HTTP attempt of an S3 call for an account (set by collection to its p-limit pools).
 * It wraps each attempt, not the whole call, so a call waiting out a retry backoff holds no slot.
 */
export type AttemptLimiter = <T>(account: string, attempt: () => Promise<T>) => Promise<T>;

export class ClientPool {
  private readonly opts: ClientPoolOptions;
  private readonly roleName: string;
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;
  private readonly baseCredentials: AwsCredentialIdentityProvider;
  private pathStyle: boolean;
  /** The shared-config profile in effect (read by `init()`; none with explicit credentials). */
  private profileSettings: ProfileSettings | undefined;
  private identity: Promise<CallerIdentity> | undefined;
  private resolvedIdentity: CallerIdentity | undefined;
  private stsClient: STSClient | undefined;
  private orgClient: OrganizationsClient | undefined;
  private readonly s3Clients = new Map<string, S3Client>();
  private readonly accountCredentials = new Map<string, AwsCredentialIdentityProvider>();
  private readonly sessionName = `s3-log-auditor-${Date.now()}`;
  private attemptLimiter: AttemptLimiter | undefined;

  constructor(opts: ClientPoolOptions = {}) {
    this.opts = opts;
    this.roleName = opts.roleName ?? DEFAULT_ROLE_NAME;
    const sockets = Math.max(16, (opts.concurrency ?? 32) + 8);
    // Keep-alive sockets, enough for the concurrency: no TCP/TLS handshake per call.
    this.httpAgent = new HttpAgent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
    this.httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
    this.baseCredentials = memoizeCredentials(
      opts.credentials ?? fromNodeProviderChain(opts.profile ? { profile: opts.profile } : {}),
    );
    this.pathStyle = endpointOverridden(opts.endpointUrl);
  }

  /** The Region named by options or environment, else the default for the SDK's first calls. */
  private configuredRegion(): string | undefined {
    return this.opts.region || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || this.profileSettings?.region;
  }

  private commonConfig(region: string) {
    const maxAttempts = process.env.AWS_MAX_ATTEMPTS ? undefined : DEFAULT_MAX_ATTEMPTS;
    const retryMode = process.env.AWS_RETRY_MODE ? undefined : DEFAULT_RETRY_MODE;
    return {
      region,
      ...(this.opts.endpointUrl ? { endpoint: this.opts.endpointUrl } : {}),
      ...(this.opts.profile ? { profile: this.opts.profile } : {}),
      ...(maxAttempts ? { maxAttempts } : {}),
      ...(retryMode ? { retryMode } : {}),
      requestHandler: {
        httpAgent: this.httpAgent,
        httpsAgent: this.httpsAgent,
        connectionTimeout: 10_000,
        requestTimeout: 60_000,
        throwOnRequestTimeout: true,
      },
    };
  }

  /** The caller's STS client (GetCallerIdentity and every AssumeRole). */
  sts(): STSClient {
    if (!this.stsClient) {
      this.stsClient = new STSClient({
        ...this.commonConfig(this.configuredRegion() ?? "us-east-1"),
        credentials: this.baseCredentials,
      });
    }
    return this.stsClient;
  }

  /**
   * Caller identity (GetCallerIdentity), fetched once. Reads the shared-config profile first (its
   * Region and configured S3 endpoint; an unknown profile is an InputError). Throws when no
   * credentials work.
   */
  async init(signal?: AbortSignal): Promise<CallerIdentity> {
    if (!this.identity) {
      this.identity = this.loadSharedConfig()
        .then(() => this.sts().send(new GetCallerIdentityCommand({}), { abortSignal: signal }))
        .then((out) => {
          const arn = out.Arn ?? "";
          const account = out.Account ?? arn.split(":")[4] ?? "";
          const partition = arn.split(":")[1] || "aws";
          const id = { account, partition, arn };
          this.resolvedIdentity = id;
          return id;
        });
      this.identity.catch(() => {
        this.identity = undefined;
      });
    }
    return this.identity;
  }

  /** The profile's settings, as AWS_PROFILE / --profile name it; skipped with explicit credentials (the demo). */
  private async loadSharedConfig(): Promise<void> {
    if (this.opts.credentials || this.profileSettings) return;
    this.profileSettings = await loadProfile(this.opts.profile);
    if (this.profileSettings.s3EndpointUrl) this.pathStyle = true;
  }

  private requireIdentity(): CallerIdentity {
    if (!this.resolvedIdentity) throw new Error("ClientPool.init() must complete before use");
    return this.resolvedIdentity;
  }

  /** The caller's account id (after `init()`). */
  callerAccount(): string {
    return this.requireIdentity().account;
  }

  /** The partition of the caller (aws, aws-cn, aws-us-gov), after `init()`. */
  partition(): string {
    return this.requireIdentity().partition;
  }

  /** The Region for global S3 calls (ListBuckets, GetBucketLocation). */
  homeRegion(): string {
    return partitionHomeRegion(this.partition());
  }

  roleArn(account: string): string {
    return `arn:${this.partition()}:iam::${account}:role/${this.roleName}`;
  }

  /** Credentials for an account: the caller's own, or AssumeRole into the audit role (memoised). */
  credentials(account: string): AwsCredentialIdentityProvider {
    if (account === this.callerAccount()) return this.baseCredentials;
    let provider = this.accountCredentials.get(account);
    if (!provider) {
      provider = memoizeCredentials(
        fromTemporaryCredentials({
          masterCredentials: this.baseCredentials,
          params: {
            RoleArn: this.roleArn(account),
            RoleSessionName: this.sessionName,
            DurationSeconds: ASSUMED_ROLE_SECONDS,
            ...(this.opts.externalId ? { ExternalId: this.opts.externalId } : {}),
          },
          clientConfig: this.commonConfig(this.configuredRegion() ?? "us-east-1"),
        }),
      );
      this.accountCredentials.set(account, provider);
    }
    return provider;
  }

  /** Resolve an account's credentials now (AssumeRole), so a denied role fails once, up front. */
  async resolveCredentials(account: string): Promise<void> {
    await this.credentials(account)();
  }

  /** The S3 client of an account in a Region (created once, then reused). */
  async s3(account: string, region: string): Promise<S3Client> {
    await this.init();
    return this.s3Sync(account, region);
  }

  /** Same as `s3()` once `init()` has completed (no extra await on the hot path). */
  s3Sync(account: string, region: string): S3Client {
    const key = `${account}/${region}`;
    let client = this.s3Clients.get(key);
    if (!client) {
      client = new S3Client(this.s3Config(account, region));
      // Each attempt (after the retry middleware, before signing) goes through the limiter.
      client.middlewareStack.addRelativeTo(
        ((next: FinalizeHandler<object, MetadataBearer>) => (args: FinalizeHandlerArguments<object>) => {
          const limit = this.attemptLimiter;
          return limit ? limit(account, () => next(args)) : next(args);
        }),
        { name: "s3LogAuditorAttemptLimiter", relation: "before", toMiddleware: "httpSigningMiddleware" },
      );
      this.s3Clients.set(key, client);
    }
    return client;
  }

  /**
   * Bound every S3 attempt made through this pool's clients (collection sets its pools here
   * for the duration of a scan); `undefined` removes the bound.
   */
  setAttemptLimiter(limiter: AttemptLimiter | undefined): void {
    this.attemptLimiter = limiter;
  }

  /** The configuration of the S3 client of an account+Region. */
  protected s3Config(account: string, region: string): S3ClientConfig {
    return {
      ...this.commonConfig(region),
      credentials: this.credentials(account),
      forcePathStyle: this.pathStyle,
      followRegionRedirects: false,
      // Checksums only where the API requires them: less CPU per call.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
    };
  }

  /** The caller's Organizations client. */
  organizations(): OrganizationsClient {
    if (!this.orgClient) {
      this.orgClient = new OrganizationsClient({
        ...this.commonConfig(organizationsRegion(this.partition())),
        credentials: this.baseCredentials,
      });
    }
    return this.orgClient;
  }

  /** Close every client and socket. */
  destroy(): void {
    for (const c of this.s3Clients.values()) c.destroy();
    this.s3Clients.clear();
    this.stsClient?.destroy();
    this.orgClient?.destroy();
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}
