/**
 * Scenario files for the simulated organization: the zod schema (the documented format),
 * loading from JSON or YAML, and one-line validation errors that name the field path.
 *
 * Format summary (see README section "simulator"):
 *   organization?: { id, managementAccount, featureSet?, delegatedAdministrators? } | null
 *   defaultAccount?: account that unknown access keys act as (default: management, else first)
 *   accounts: [{ id, name, email?, state?, joinedMethod?, joinedTimestamp?, inOrganization?,
 *                accessKeys?, roles?: [{ name, trustedAccounts?, externalId?, maxSessionDuration? }],
 *                buckets?: [BucketSpec] }]
 *   faults?: FaultSpec
 *   logHistory?: [{ source, hoursAgo: [h…], records?, quirks?, gzip?, lateHours? }]  (past log objects)
 *   logDelivery?: { delayMs?, intervalMs?, faults?: [{ effect: drop|delay, source?, target?, delayMs? }] }
 * A bucket starts like a bucket created today (BucketOwnerEnforced, SSE-S3, full Block Public
 * Access, BucketOwner pays); `null` removes such a default configuration.
 */
import { readFileSync } from "node:fs";
import { isPair, isScalar, isSeq, parseDocument, visit } from "yaml";
import { z } from "zod";
import { InputError } from "../base/errors.js";

export const REGION_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
export const BUCKET_NAME_RE = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

const AccountId = z.string({ error: "expected a 12-digit account ID string" }).regex(/^\d{12}$/, "expected a 12-digit account ID");
const Region = z.string().regex(REGION_RE, "expected a Region name");
const BucketName = z
  .string()
  .regex(BUCKET_NAME_RE, "expected a bucket name (3-63 characters: a-z, 0-9, '.', '-')")
  .refine((s) => !s.includes(".."), "expected a bucket name without '..'");

export const GrantSpecSchema = z.strictObject({
  type: z.enum(["CanonicalUser", "Group", "AmazonCustomerByEmail"]),
  id: z.string().optional(),
  /** Full group URI, or a short name: LogDelivery, AllUsers, AuthenticatedUsers. */
  uri: z.string().optional(),
  displayName: z.string().optional(),
  emailAddress: z.string().optional(),
  permission: z.enum(["FULL_CONTROL", "WRITE", "WRITE_ACP", "READ", "READ_ACP"]),
});

export const LoggingSpecSchema = z.strictObject({
  targetBucket: z.string().min(1, "expected a target bucket name"),
  targetPrefix: z.string().optional(),
  /** Omitted: GetBucketLogging returns no TargetObjectKeyFormat (classic simple keys). */
  keyFormat: z.enum(["simple", "partitioned"]).optional(),
  partitionDateSource: z.enum(["EventTime", "DeliveryTime"]).optional(),
  targetGrants: z.array(GrantSpecSchema).optional(),
});

const RetentionSchema = z
  .strictObject({
    mode: z.enum(["GOVERNANCE", "COMPLIANCE"]),
    days: z.number().int().positive().optional(),
    years: z.number().int().positive().optional(),
  })
  .refine((r) => (r.days === undefined) !== (r.years === undefined), "expected exactly one of days or years");

const PabObject = z.strictObject({
  blockPublicAcls: z.boolean().optional(),
  ignorePublicAcls: z.boolean().optional(),
  blockPublicPolicy: z.boolean().optional(),
  restrictPublicBuckets: z.boolean().optional(),
});

const LIFECYCLE_ACTIONS = [
  "Expiration",
  "Transitions",
  "NoncurrentVersionExpiration",
  "NoncurrentVersionTransitions",
  "AbortIncompleteMultipartUpload",
] as const;

/** A lifecycle rule in the AWS JSON shape (as `aws s3api get-bucket-lifecycle-configuration` prints it). */
export const LifecycleRuleSchema = z
  .looseObject({
    ID: z.string().max(255).optional(),
    Status: z.enum(["Enabled", "Disabled"]),
  })
  .refine(
    (r) => LIFECYCLE_ACTIONS.some((a) => (r as Record<string, unknown>)[a] !== undefined),
    "expected at least one action (Expiration, Transitions, NoncurrentVersionExpiration, NoncurrentVersionTransitions, AbortIncompleteMultipartUpload)",
  );

const IsoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "expected an ISO-8601 date");

export const BucketSpecSchema = z.strictObject({
  name: BucketName,
  region: Region,
  creationDate: IsoDate.optional(),
  logging: LoggingSpecSchema.nullable().optional(),
  /** A policy document (object) or its JSON text. */
  policy: z
    .union([
      z.string().refine((s) => {
        try {
          const v: unknown = JSON.parse(s);
          return typeof v === "object" && v !== null && !Array.isArray(v);
        } catch {
          return false;
        }
      }, "expected a JSON policy document"),
      z.record(z.string(), z.unknown()),
    ])
    .nullable()
    .optional(),
  /** Grants besides the owner's FULL_CONTROL (which is always present). */
  aclGrants: z.array(GrantSpecSchema).optional(),
  ownership: z.enum(["BucketOwnerEnforced", "BucketOwnerPreferred", "ObjectWriter"]).nullable().optional(),
  encryption: z
    .strictObject({
      algorithm: z.enum(["AES256", "aws:kms", "aws:kms:dsse"]),
      kmsKeyId: z.string().optional(),
      bucketKeyEnabled: z.boolean().optional(),
    })
    .nullable()
    .optional(),
  /** Present = the bucket was created with Object Lock enabled. */
  objectLock: z.strictObject({ defaultRetention: RetentionSchema.optional() }).optional(),
  versioning: z.enum(["Enabled", "Suspended"]).optional(),
  requestPayment: z.enum(["BucketOwner", "Requester"]).optional(),
  /** true = all four settings on; an object for individual settings; null = no configuration. */
  publicAccessBlock: z.union([z.boolean(), PabObject]).nullable().optional(),
  lifecycle: z.array(LifecycleRuleSchema).nullable().optional(),
  objects: z
    .array(
      z.strictObject({
        key: z.string().min(1),
        size: z.number().int().nonnegative().optional(),
        body: z.string().optional(),
        lastModified: IsoDate.optional(),
      }),
    )
    .optional(),
});

export const RoleSpecSchema = z.strictObject({
  name: z.string().regex(/^[\w+=,.@-]{1,64}$/, "expected an IAM role name"),
  /** Accounts allowed to assume the role ("*" = any); default: the management account. */
  trustedAccounts: z.array(z.union([AccountId, z.literal("*")])).optional(),
  externalId: z.string().min(2).optional(),
  maxSessionDuration: z.number().int().min(3600).max(43200).optional(),
});

export const AccountSpecSchema = z.strictObject({
  id: AccountId,
  name: z.string().min(1),
  email: z.string().optional(),
  state: z.enum(["PENDING_ACTIVATION", "ACTIVE", "SUSPENDED", "PENDING_CLOSURE", "CLOSED"]).optional(),
  joinedMethod: z.enum(["INVITED", "CREATED"]).optional(),
  joinedTimestamp: IsoDate.optional(),
  /** false = the account is not a member of the organization (default true). */
  inOrganization: z.boolean().optional(),
  accessKeys: z
    .array(
      z.union([
        z.string().min(3, "expected an access key ID"),
        z.strictObject({ id: z.string().min(3), user: z.string().regex(/^[\w+=,.@-]{1,64}$/).optional() }),
      ]),
    )
    .optional(),
  roles: z.array(RoleSpecSchema).optional(),
  buckets: z.array(BucketSpecSchema).optional(),
});

export const FaultRuleSchema = z.strictObject({
  effect: z.enum(["deny", "throttle", "error", "drop", "latency"]),
  service: z.enum(["s3", "sts", "organizations"]).optional(),
  /** Glob patterns (picomatch); omitted = any. */
  account: z.string().optional(),
  operation: z.string().optional(),
  bucket: z.string().optional(),
  /** For effect "error": the error code and HTTP status (default InternalError/500 or the service's equivalent). */
  code: z.string().optional(),
  status: z.number().int().min(300).max(599).optional(),
  message: z.string().optional(),
  /** Fraction of matching requests affected (default 1). */
  rate: z.number().min(0).max(1).optional(),
  /** Let the first N matching requests through untouched. */
  skip: z.number().int().nonnegative().optional(),
  /** Affect at most N matching requests (one-shot = 1); omitted = unlimited. */
  times: z.number().int().positive().optional(),
  /** For effect "latency": extra delay. */
  latencyMs: z.number().nonnegative().optional(),
});

export const FaultSpecSchema = z.strictObject({
  latencyMs: z.number().nonnegative().optional(),
  throttleRate: z.number().min(0).max(1).optional(),
  dropRate: z.number().min(0).max(1).optional(),
  seed: z.number().int().optional(),
  rules: z.array(FaultRuleSchema).optional(),
});

/** Log delivery timing and faults (the simulator delivers server access logs like S3). */
export const LogDeliverySpecSchema = z.strictObject({
  /** From a batch's close to its delivery, ms (default 3600000 = 1 h; 0 for tests that read logs at once). */
  delayMs: z.number().int().nonnegative().optional(),
  /** How long a batch of one source's records stays open, ms (default 300000 = 5 min). */
  intervalMs: z.number().int().nonnegative().optional(),
  faults: z
    .array(
      z.strictObject({
        effect: z.enum(["drop", "delay"]),
        /** Glob on the source bucket name. */
        source: z.string().optional(),
        /** Glob on the target bucket name. */
        target: z.string().optional(),
        /** For "delay": extra ms. */
        delayMs: z.number().int().nonnegative().optional(),
      }),
    )
    .optional(),
});

/** Log objects delivered before the simulator started (see logging/history.ts). */
export const LogHistorySpecSchema = z.strictObject({
  /** The source bucket (its logging configuration decides target, prefix and key format). */
  source: BucketName,
  /** Hours before the start at which objects arrived, one object each. */
  hoursAgo: z.array(z.number().nonnegative()).min(1),
  records: z.number().int().min(1).max(1000).optional(),
  /** Mix in the quirks of real log files (reference §5.6). */
  quirks: z.boolean().optional(),
  /** Also keep gzip-compressed copies under archive/SOURCE/. */
  gzip: z.boolean().optional(),
  /** How long before its delivery an object's requests happened (default 1 h; more: late records, reference §1.4). */
  lateHours: z.number().nonnegative().optional(),
});

export const OrganizationSpecSchema = z.strictObject({
  id: z.string().regex(/^o-[a-z0-9]{10,32}$/, "expected an organization ID like o-abcdefghij"),
  managementAccount: AccountId,
  featureSet: z.enum(["ALL", "CONSOLIDATED_BILLING"]).optional(),
  delegatedAdministrators: z.array(AccountId).optional(),
});

export const ScenarioSchema = z
  .strictObject({
    name: z.string().optional(),
    description: z.string().optional(),
    organization: OrganizationSpecSchema.nullable().optional(),
    defaultAccount: AccountId.optional(),
    /** What a bucket request signed for the wrong Region gets (reference §3.6): 301 (default) or 400. */
    wrongRegionError: z.enum(["PermanentRedirect", "AuthorizationHeaderMalformed"]).optional(),
    accounts: z.array(AccountSpecSchema).min(1, "expected at least one account"),
    faults: FaultSpecSchema.optional(),
    logDelivery: LogDeliverySpecSchema.optional(),
    logHistory: z.array(LogHistorySpecSchema).optional(),
  })
  .superRefine((s, ctx) => {
    const ids = new Map<string, number>();
    const keys = new Set<string>();
    const buckets = new Set<string>();
    s.accounts.forEach((a, i) => {
      if (ids.has(a.id)) ctx.addIssue({ code: "custom", path: ["accounts", i, "id"], message: `duplicate account ${a.id}` });
      ids.set(a.id, i);
      (a.accessKeys ?? []).forEach((k, j) => {
        const id = typeof k === "string" ? k : k.id;
        if (keys.has(id)) ctx.addIssue({ code: "custom", path: ["accounts", i, "accessKeys", j], message: `duplicate access key ${id}` });
        keys.add(id);
      });
      (a.buckets ?? []).forEach((b, j) => {
        if (buckets.has(b.name)) ctx.addIssue({ code: "custom", path: ["accounts", i, "buckets", j, "name"], message: `duplicate bucket name ${b.name}` });
        buckets.add(b.name);
      });
    });
    if (s.organization) {
      if (!ids.has(s.organization.managementAccount)) {
        ctx.addIssue({ code: "custom", path: ["organization", "managementAccount"], message: "expected the ID of an account listed under accounts" });
      }
      (s.organization.delegatedAdministrators ?? []).forEach((d, i) => {
        if (!ids.has(d)) ctx.addIssue({ code: "custom", path: ["organization", "delegatedAdministrators", i], message: "expected the ID of an account listed under accounts" });
      });
    }
    if (s.defaultAccount !== undefined && !ids.has(s.defaultAccount)) {
      ctx.addIssue({ code: "custom", path: ["defaultAccount"], message: "expected the ID of an account listed under accounts" });
    }
  });

/** A scenario as written by hand or code (optional fields may be left out). */
export type Scenario = z.input<typeof ScenarioSchema>;
export type AccountSpec = z.input<typeof AccountSpecSchema>;
export type BucketSpec = z.input<typeof BucketSpecSchema>;
export type RoleSpec = z.input<typeof RoleSpecSchema>;
export type LoggingSpec = z.input<typeof LoggingSpecSchema>;
export type GrantSpec = z.input<typeof GrantSpecSchema>;
export type FaultSpec = z.input<typeof FaultSpecSchema>;
export type FaultRule = z.input<typeof FaultRuleSchema>;
export type LogDeliverySpec = z.input<typeof LogDeliverySpecSchema>;

/** `a.b[2].c` from a zod issue path. */
export function formatPath(root: string, path: readonly PropertyKey[]): string {
  let out = root;
  for (const p of path) out += typeof p === "number" ? `[${p}]` : `.${String(p)}`;
  return out;
}

/** The first zod issue as one line naming the field. */
export function formatZodError(root: string, err: z.ZodError): string {
  const issue = err.issues[0];
  if (!issue) return `${root}: invalid`;
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => `'${k}'`).join(", ");
    return `${formatPath(root, issue.path)}: unknown field ${keys}`;
  }
  let msg = issue.message.replace(/^Invalid input: /, "");
  if (issue.code === "invalid_type" && /received undefined$/.test(msg)) msg = `required field missing (${msg.replace(/, received undefined$/, "")})`;
  if (issue.code === "invalid_value" && "values" in issue) msg = `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(", ")}`;
  return `${formatPath(root, issue.path)}: ${msg}`;
}

/** Validate a scenario object; throws InputError with a one-line message naming the bad field. */
export function validateScenario(input: unknown, label = "scenario"): Scenario {
  const res = ScenarioSchema.safeParse(input);
  if (!res.success) throw new InputError(formatZodError(label, res.error));
  return res.data;
}

/** Validate a fault configuration (setFaults, scenario `faults`). */
export function validateFaults(input: unknown, label = "faults"): FaultSpec {
  const res = FaultSpecSchema.safeParse(input);
  if (!res.success) throw new InputError(formatZodError(label, res.error));
  return res.data;
}

/** Fields that hold account IDs (directly or as a list). */
const ACCOUNT_ID_FIELDS = new Set(["id", "managementAccount", "defaultAccount", "account", "delegatedAdministrators", "trustedAccounts"]);

/**
 * YAML reads an unquoted `111122223333` as a number (and `011122223333` loses its zero): a plain
 * scalar written as exactly 12 digits under an account-ID field is kept as the string it was
 * written as. Any other number there (`id: 12`) stays a number, which the schema refuses: account
 * IDs are 12-digit strings, never padded.
 */
function parseYamlKeepingIds(text: string): unknown {
  const doc = parseDocument(text, { prettyErrors: true });
  const [first] = doc.errors;
  if (first) throw new Error(first.message);
  visit(doc, {
    Scalar(key, node, path) {
      if (key === "key" || typeof node.value !== "number" || !/^\d{12}$/.test(node.source ?? "")) return;
      let i = path.length - 1;
      if (isSeq(path[i])) i--;
      const pair = path[i];
      if (isPair(pair) && isScalar(pair.key) && ACCOUNT_ID_FIELDS.has(String(pair.key.value))) node.value = node.source;
    },
  });
  return doc.toJS();
}

/** Parse scenario text (JSON or YAML). `label` names the source in messages. */
export function parseScenarioText(text: string, label: string, json = false): Scenario {
  let raw: unknown;
  try {
    raw = json ? JSON.parse(text) : parseYamlKeepingIds(text);
  } catch (err) {
    const msg = ((err as Error).message || "parse error").split("\n")[0];
    throw new InputError(`${label}: not valid ${json ? "JSON" : "YAML"}: ${msg}`);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new InputError(`${label}: expected a scenario object (with an accounts list)`);
  }
  return validateScenario(raw);
}

/** Load a scenario file (.json as JSON, anything else as YAML). Throws InputError on any problem. */
export function loadScenarioFile(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? "";
    throw new InputError(`cannot read scenario file ${path}${code ? ` (${code})` : ""}`);
  }
  try {
    return parseScenarioText(text, "scenario", path.toLowerCase().endsWith(".json"));
  } catch (err) {
    if (err instanceof InputError) throw new InputError(`${err.message} (in ${path})`);
    throw err;
  }
}
