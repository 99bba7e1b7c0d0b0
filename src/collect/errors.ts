/**
 * Classification of AWS SDK failures, done in one place.
 *
 * - An answer that is AWS's own "not configured" error for that operation (NoSuchBucketPolicy, ...;
 *   the table of S3 reads in ./s3-reads.ts) is data: `{ status: "absent", code }`.
 * - Anything else (AccessDenied, throttled out after retries, timeouts, unknown errors) is a failed
 *   read: `{ status: "error", operation, code, message }`, and the collector records it once in
 *   `snapshot.errors`.
 */
import type { Read, ReadError } from "../model/snapshot.js";
import { isAbsentCode } from "./s3-reads.js";

/**
 * Codes that say nothing about one bucket but about the whole account+Region (credentials not
 * valid there, Region not enabled, endpoint unreachable). One such failure marks the Region
 * failed: one `errors` entry, and the rest of that Region's buckets are not called again.
 */
const REGION_LEVEL_CODES = new Set([
  "InvalidToken",
  "InvalidAccessKeyId",
  "InvalidClientTokenId",
  "UnrecognizedClientException",
  "AuthFailure",
  "OptInRequired",
  "RegionDisabledException",
  "ExpiredToken",
  "ExpiredTokenException",
  "IllegalLocationConstraintException",
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
]);

const MAX_MESSAGE = 300;

interface SdkErrorLike {
  name?: unknown;
  code?: unknown;
  Code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  $response?: { statusCode?: number; headers?: Record<string, string | undefined> };
}

/** HTTP status of an SDK error, when it has one. */
export function httpStatusOf(err: unknown): number | undefined {
  const e = err as SdkErrorLike | undefined;
  return e?.$metadata?.httpStatusCode ?? e?.$response?.statusCode;
}

/** A response header of an SDK error (lower-case name), e.g. `x-amz-bucket-region`. */
export function errorHeader(err: unknown, name: string): string | undefined {
  const headers = (err as SdkErrorLike | undefined)?.$response?.headers;
  if (!headers) return undefined;
  const direct = headers[name];
  if (direct !== undefined) return direct;
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === name) return v;
  return undefined;
}

/** The error code: the SDK's `name` (= AWS error code), else a Node `code`, else the HTTP status. */
export function errorCode(err: unknown): string {
  if (err === null || err === undefined) return "UnknownError";
  if (typeof err !== "object") return "UnknownError";
  const e = err as SdkErrorLike;
  if (typeof e.Code === "string" && e.Code) return e.Code;
  const name = typeof e.name === "string" ? e.name : "";
  // Node network errors surface as plain Errors with a `code`.
  if (typeof e.code === "string" && e.code && (!name || name === "Error")) return e.code;
  if (name && name !== "Error" && name !== "UnknownError") return name;
  const status = httpStatusOf(err);
  if (status) return `Http${status}`;
  return name || "UnknownError";
}

/** First line of the error message, bounded. */
export function errorMessage(err: unknown): string {
  const e = err as SdkErrorLike | undefined;
  let msg = typeof e?.message === "string" && e.message ? e.message : "";
  if (!msg) {
    const status = httpStatusOf(err);
    msg = status ? `HTTP ${status}` : String(err);
  }
  msg = msg.split("\n")[0] ?? "";
  return msg.length > MAX_MESSAGE ? `${msg.slice(0, MAX_MESSAGE - 1)}…` : msg;
}

/** True when no credentials could be found or loaded (a setup problem, not an AWS answer). */
export function isMissingCredentials(err: unknown): boolean {
  const name = (err as SdkErrorLike | undefined)?.name;
  return name === "CredentialsProviderError" || name === "TokenProviderError";
}

/** True when the error was caused by the caller aborting the scan. */
export function isAbort(err: unknown, signal?: AbortSignal): boolean {
  if (signal?.aborted) return true;
  const name = (err as SdkErrorLike | undefined)?.name;
  return name === "AbortError";
}

/** True when the failure concerns a whole account+Region rather than one bucket. */
export function isRegionLevel(code: string): boolean {
  return REGION_LEVEL_CODES.has(code);
}

/** A failed read, as stored in the snapshot. */
export function readError(operation: string, err: unknown): ReadError {
  return { status: "error", operation, code: errorCode(err), message: errorMessage(err) };
}

/**
 * Classify the failure of a read: `absent` for the operation's "not configured" code, else `error`.
 */
export function classifyFailure<T>(operation: string, err: unknown): Read<T> {
  const code = errorCode(err);
  if (isAbsentCode(operation, code)) return { status: "absent", code };
  return { status: "error", operation, code, message: errorMessage(err) };
}
