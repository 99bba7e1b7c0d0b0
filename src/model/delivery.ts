/**
 * Delivery evidence in the snapshot (reference §1.6): what the scan saw in a logging source's
 * target — the newest log object of this source, and whether the canary of an earlier scan was
 * found — and the scan's own canary (its GetBucketLogging request on the source, which S3 logs).
 * Plain data: collection writes it, the `logs-delivered` rule judges it.
 */
import { z } from "zod";

/** A failed read (the same shape as the snapshot's ReadError, declared here to keep this a leaf). */
const FailedReadSchema = z.object({ status: z.literal("error"), operation: z.string(), code: z.string(), message: z.string() });

/** The scan's GetBucketLogging on a source: a request S3 writes into that source's logs. */
export const CanarySchema = z.object({
  /** ISO time the request was sent. */
  time: z.string(),
  /** `x-amz-request-id` (the log's `requestid` field). */
  requestId: z.string(),
  /** `x-amz-id-2` (the log's `hostid` field). */
  extendedRequestId: z.string().optional(),
});
export type Canary = z.infer<typeof CanarySchema>;

export const LogObjectSchema = z.object({ key: z.string(), lastModified: z.string() });
export type LogObject = z.infer<typeof LogObjectSchema>;

/** What the listing found for one source. */
export const DeliveryEvidenceSchema = z.object({
  /** Where it looked: the target bucket and the key prefix listed. */
  target: z.string(),
  prefix: z.string(),
  /** The newest log object attributed to this source, if any. */
  newest: LogObjectSchema.optional(),
  /** Whether any log object of this source exists at all (within what was listed). */
  anyObject: z.boolean(),
  /** The listing stopped at its page bound before reaching the end of the prefix (older objects unseen). */
  truncated: z.boolean().optional(),
  /** With an earlier snapshot: the canary looked for, and what was found after it. */
  sinceCanary: z
    .object({
      canary: CanarySchema,
      /** The earlier scan saw another logging configuration (changes take an hour or more). */
      configChanged: z.boolean(),
      /** Log objects of this source delivered after the canary time. */
      objectsAfter: z.number().int().nonnegative(),
      /** A record with the canary's request id (or host id) was found. */
      found: z.boolean(),
      /** The object that held it. */
      foundIn: z.string().optional(),
    })
    .optional(),
});
export type DeliveryEvidence = z.infer<typeof DeliveryEvidenceSchema>;

/** `ok` evidence, or the failed read (ListObjectsV2 / GetObject denied or failed: never `none`). */
export const DeliveryReadSchema = z.discriminatedUnion("status", [z.object({ status: z.literal("ok"), value: DeliveryEvidenceSchema }), FailedReadSchema]);
export type DeliveryRead = z.infer<typeof DeliveryReadSchema>;
