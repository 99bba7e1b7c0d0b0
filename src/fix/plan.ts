/**
 * The planner: failing findings → their rules' fix intents → one ordered, merged list of AWS
 * writes. Pure (reads only the snapshot and findings).
 *
 * Merging: all intents on one bucket become at most one write per resource (one
 * PutBucketLogging per source, one PutBucketPolicy per target, ...). Order: create and harden the
 * account+Region log bucket → merge the delivery statement into target policies → PutBucketLogging
 * on sources; each step names the steps it depends on.
 */
import picomatch from "picomatch";
import type { FixIntent } from "../engine/define-rule.js";
import { SnapshotIndex } from "../engine/snapshot-index.js";
import { planIntents } from "../engine/evaluate.js";
import { representativeKey } from "../engine/delivery-key.js";
import { deliveryRequest, evaluateDelivery } from "../engine/policy-eval.js";
import type { Finding } from "../model/finding.js";
import type {
  BucketSnapshot,
  LifecycleRule,
  LoggingConfig,
  PublicAccessBlock,
  Read,
  Snapshot,
} from "../model/snapshot.js";
import { bucketKey } from "../model/snapshot.js";
import { TOOL_NAME, TOOL_VERSION } from "../base/identity.js";
import { InputError } from "../base/errors.js";
import {
  deliveryStatement,
  hasRetention,
  mergeRule,
  mergeStatement,
  parsePolicyDocument,
  policyText,
  POLICY_SIZE_LIMIT,
  retentionRule,
} from "./merge.js";
import { sameState } from "./resources.js";
import { DEFAULT_PLAN_OPTIONS, PLAN_KIND, PLAN_SCHEMA_VERSION, STEP_OPERATIONS, type Plan, type PlanOptions, type PlanScope, type PlanStep, type PolicyDocument } from "../model/plan.js";
import { type PlanFixesOptions } from "./types.js";

const FULL_PAB: PublicAccessBlock = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

/** Why a bucket name is not a valid general purpose bucket name, or undefined when valid. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (is ${name.length})`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return "may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit";
  if (name.includes("..")) return "must not contain two adjacent dots";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not be formatted as an IP address";
  if (name.startsWith("xn--") || name.startsWith("sthree-")) return "must not start with xn-- or sthree-";
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return "must not end with a reserved suffix";
  return undefined;
}

/** The log bucket name for an account+Region from the template. */
export function logBucketName(template: string, account: string, region: string): string {
  return template.replaceAll("{account}", account).replaceAll("{region}", region);
}

/**
 * Why a log bucket name template is unusable, or undefined: an unknown placeholder, an invalid
 * sample name, or a template that gives two accounts (no `{account}`) or two Regions (no
 * `{region}`, unless `singleRegion`: exactly one Region is in scope) the same bucket name.
 */
export function logBucketTemplateProblem(template: string, singleRegion = false): string | undefined {
  const unknown = template.match(/\{(?!account\}|region\})[^}]*\}/);
  if (unknown) return `unknown placeholder ${unknown[0]} (use {account} and {region})`;
  if (!template.includes("{account}")) return "has no {account} placeholder: every account would get the same bucket name";
  if (!singleRegion && !template.includes("{region}"))
    return "has no {region} placeholder: every Region would get the same bucket name (leave it out only when exactly one Region is in scope)";
  const sample = logBucketName(template, "111122223333", "ap-southeast-2");
  const problem = bucketNameProblem(sample);
  if (problem) return `"${sample}" is not a valid bucket name: it ${problem}`;
  return undefined;
}

/** Throws an InputError when the log bucket name template is unusable (see logBucketTemplateProblem). */
export function checkLogBucketTemplate(template: string, singleRegion = false): void {
  const problem = logBucketTemplateProblem(template, singleRegion);
  if (problem) throw new InputError(`log bucket name template: ${problem}`);
}

interface Need {
  account: string;
  region: string;
  bucket: string;
  fps: Set<string>;
  reasons: Set<string>;
}

interface SourceNeed extends Need {
  useLogBucket: boolean;
  structure: boolean;
  removeGrants: boolean;
}

interface PolicyNeed extends Need {
  sources: Set<string>;
}

/** A step under construction: dependencies by key, ids assigned at the end. */
type Draft = Omit<PlanStep, "id" | "dependsOn"> & { key: string; deps: string[] };

function stepKey(account: string, bucket: string, op: string): string {
  return `${account}/${bucket}/${op}`;
}

function need<T extends Need>(map: Map<string, T>, account: string, region: string, bucket: string, make: () => T): T {
  const k = bucketKey(account, bucket);
  let n = map.get(k);
  if (!n) {
    n = make();
    map.set(k, n);
  }
  return n;
}

function baseNeed(account: string, region: string, bucket: string): Need {
  return { account, region, bucket, fps: new Set(), reasons: new Set() };
}

function readValue<T>(r: Read<T> | undefined): { known: true; value: T | null } | { known: false; why: string } {
  if (!r) return { known: false, why: "not read by the scan" };
  if (r.status === "ok") return { known: true, value: r.value };
  if (r.status === "absent") return { known: true, value: null };
  return { known: false, why: `${r.operation} failed: ${r.code}` };
}

function inScope(f: Finding, scope: PlanScope): boolean {
  if (scope.rules && scope.rules.length > 0 && !scope.rules.includes(f.ruleId)) return false;
  if (scope.accounts && scope.accounts.length > 0 && !scope.accounts.includes(f.account)) return false;
  if (scope.buckets && scope.buckets.length > 0 && !picomatch.isMatch(f.bucket, scope.buckets)) return false;
  return true;
}

interface ExplicitDeny {
  sid?: string;
  index: number;
}

function explicitDenyOf(f: Finding): ExplicitDeny | undefined {
  const d = f.details.explicitDeny as { sid?: unknown; index?: unknown } | undefined;
  if (!d || typeof d !== "object") return undefined;
  const index = typeof d.index === "number" ? d.index : -1;
  return typeof d.sid === "string" ? { sid: d.sid, index } : { index };
}

/** Whether the target's policy allows delivery for a logging configuration of `source`. */
function policyAllows(index: SnapshotIndex, source: BucketSnapshot, cfg: LoggingConfig): boolean {
  const t = index.bucket(source.account, cfg.targetBucket);
  const pol = t?.targetFacts?.policy;
  if (!pol || pol.status !== "ok") return false;
  const req = deliveryRequest({
    partition: index.partition,
    targetBucket: cfg.targetBucket,
    key: representativeKey(source, cfg),
    sourceBucket: source.name,
    account: source.account,
  });
  return evaluateDelivery(pol.value, req).decision === "allow";
}

/**
 * True when re-prefixing (or re-formatting) a source's logging on the same target would take it
 * out of what the target's policy allows today: the plan then merges the delivery statement too.
 */
function deliveryBrokenBy(source: BucketSnapshot, before: LoggingConfig, after: LoggingConfig, index: SnapshotIndex): boolean {
  if (after.targetBucket !== before.targetBucket) return false;
  if (after.targetPrefix === before.targetPrefix && sameState("logging", { ...before, targetGrants: [] }, { ...after, targetGrants: [] })) return false;
  return policyAllows(index, source, before) && !policyAllows(index, source, after);
}

/** Pure: the plan for the failing findings of `findings` (see module comment). */
export function planFixes(snapshot: Snapshot, findings: readonly Finding[], options: PlanFixesOptions = {}): Plan {
  const opts: PlanOptions = {
    logBucketTemplate: options.logBucketTemplate ?? DEFAULT_PLAN_OPTIONS.logBucketTemplate,
    logRetentionDays: options.logRetentionDays ?? DEFAULT_PLAN_OPTIONS.logRetentionDays,
    keyFormat: options.keyFormat ?? DEFAULT_PLAN_OPTIONS.keyFormat,
  };
  checkLogBucketTemplate(opts.logBucketTemplate, snapshot.scope.regions?.length === 1);
  const scope: PlanScope = {};
  if (options.rules?.length) scope.rules = [...options.rules];
  if (options.buckets?.length) scope.buckets = [...options.buckets];
  if (options.accounts?.length) scope.accounts = [...options.accounts];
  const index = new SnapshotIndex(snapshot);
  /** The scan listed only some buckets: a log bucket missing from it may exist all the same. */
  const filtered = (snapshot.scope.bucketGlobs?.length ?? 0) > 0;
  const intentsFor = options.intentsFor ?? ((f: Finding) => planIntents([f], index));
  const partition = snapshot.partition;

  const sources = new Map<string, SourceNeed>();
  const policies = new Map<string, PolicyNeed>();
  const pabs = new Map<string, Need>();
  const retention = new Map<string, Need>();
  const denies = new Map<string, Need & { deny: ExplicitDeny; denied: Map<string, string> }>();

  const sourceNeed = (account: string, region: string, bucket: string) =>
    need(sources, account, region, bucket, () => ({
      ...baseNeed(account, region, bucket),
      useLogBucket: false,
      structure: false,
      removeGrants: false,
    }));
  const policyNeed = (account: string, region: string, bucket: string) =>
    need(policies, account, region, bucket, () => ({ ...baseNeed(account, region, bucket), sources: new Set() }));

  const grants: { it: Extract<FixIntent, { kind: "grant-delivery" }>; fp: string; why: string }[] = [];
  for (const f of findings) {
    if (f.status !== "fail" || !inScope(f, scope)) continue;
    const deny = f.ruleId === "delivery-permitted" ? explicitDenyOf(f) : undefined;
    if (deny) {
      const b = index.bucket(f.account, f.bucket);
      const cfg = b && b.logging.status === "ok" ? b.logging.value : null;
      const target = (typeof f.details.target === "string" ? f.details.target : undefined) ?? cfg?.targetBucket;
      if (target) {
        const t = index.bucket(f.account, target);
        const n = need(denies, f.account, t?.region ?? f.region, target, () => ({
          ...baseNeed(f.account, t?.region ?? f.region, target),
          deny,
          denied: new Map<string, string>(),
        }));
        n.denied.set(f.bucket, f.fingerprint);
        n.fps.add(f.fingerprint);
        n.reasons.add(`${f.ruleId} on ${f.bucket}`);
      }
      continue;
    }
    if (!f.fixable) continue;
    const intents: FixIntent[] = intentsFor(f);
    for (const it of intents) {
      const why = `${f.ruleId} on ${f.bucket}`;
      switch (it.kind) {
        case "use-log-bucket":
        case "remove-target-grants":
        case "structure-prefix": {
          const n = sourceNeed(it.account, it.region, it.bucket);
          if (it.kind === "use-log-bucket") n.useLogBucket = true;
          else if (it.kind === "remove-target-grants") n.removeGrants = true;
          else n.structure = true;
          n.fps.add(f.fingerprint);
          n.reasons.add(why);
          break;
        }
        case "grant-delivery":
          grants.push({ it, fp: f.fingerprint, why });
          break;
        case "block-public-access": {
          const n = need(pabs, it.account, it.region, it.bucket, () => baseNeed(it.account, it.region, it.bucket));
          n.fps.add(f.fingerprint);
          n.reasons.add(why);
          break;
        }
        case "add-log-retention": {
          const n = need(retention, it.account, it.region, it.bucket, () => baseNeed(it.account, it.region, it.bucket));
          n.fps.add(f.fingerprint);
          n.reasons.add(why);
          break;
        }
      }
    }
  }

  // A source that is retargeted to the log bucket needs no grant in its old target.
  for (const { it, fp, why } of grants) {
    const src = sources.get(bucketKey(it.account, it.sourceBucket));
    if (src?.useLogBucket) {
      src.fps.add(fp);
      continue;
    }
    const t = index.bucket(it.account, it.targetBucket);
    if (!t) continue;
    const n = policyNeed(it.account, t.region, it.targetBucket);
    n.sources.add(it.sourceBucket);
    n.fps.add(fp);
    n.reasons.add(why);
  }

  // A denied source that is retargeted anyway needs no manual policy edit on its old target.
  for (const [k, n] of denies) {
    for (const [source, fp] of n.denied) {
      const src = sources.get(bucketKey(n.account, source));
      if (!src?.useLogBucket) continue;
      src.fps.add(fp);
      n.denied.delete(source);
      n.fps.delete(fp);
    }
    if (n.denied.size === 0) denies.delete(k);
  }

  // ---- sources: one coherent logging configuration each ---------------------------------------
  interface LoggingDraft {
    need: SourceNeed;
    before: LoggingConfig | null;
    after: LoggingConfig | null;
    logBucket?: string;
    manual?: string;
    grantTarget?: string;
  }
  const loggingDrafts: LoggingDraft[] = [];
  /** log bucket key → {account, region, name, sources} */
  const logBuckets = new Map<string, { account: string; region: string; name: string; sources: Set<string> }>();
  const keyFormat: LoggingConfig["keyFormat"] =
    opts.keyFormat === "partitioned" ? { type: "partitioned", partitionDateSource: "EventTime" } : { type: "simple" };

  const draftSource = (n: SourceNeed): void => {
    const b = index.bucket(n.account, n.bucket);
    const region = b?.region ?? n.region;
    n.region = region;
    const read = b ? readValue(b.logging) : ({ known: false, why: "bucket not in the snapshot" } as const);
    if (!read.known) {
      loggingDrafts.push({ need: n, before: null, after: null, manual: `logging configuration unknown (${read.why}); re-scan first` });
      return;
    }
    const before = read.value;
    let after: LoggingConfig | null;
    let logBucket: string | undefined;
    let grantTarget: string | undefined;
    if (n.useLogBucket) {
      const lb = logBucketName(opts.logBucketTemplate, n.account, region);
      if (lb === n.bucket) {
        after = null; // the log bucket never logs into itself
      } else {
        logBucket = lb;
        after = { targetBucket: lb, targetPrefix: `${n.bucket}/`, targetGrants: [], keyFormat, keyFormatExplicit: true };
        const k = bucketKey(n.account, lb);
        const e = logBuckets.get(k) ?? { account: n.account, region, name: lb, sources: new Set<string>() };
        e.sources.add(n.bucket);
        logBuckets.set(k, e);
      }
    } else if (before) {
      after = { ...before, targetGrants: [...before.targetGrants] };
      if (n.structure) {
        if (opts.keyFormat === "partitioned") {
          after.keyFormat = keyFormat;
          after.keyFormatExplicit = true;
          // "logs" → "logs/": keys stay under the old prefix (a `logs*` grant still matches).
          if (after.targetPrefix !== "" && !after.targetPrefix.endsWith("/")) after.targetPrefix = `${after.targetPrefix}/`;
        } else {
          after.targetPrefix = `${n.bucket}/`;
        }
      }
      if (n.removeGrants) after.targetGrants = [];
      if (b && deliveryBrokenBy(b, before, after, index)) grantTarget = before.targetBucket;
    } else {
      return; // nothing to restructure on a bucket without logging
    }
    if (sameState("logging", before, after)) return;
    loggingDrafts.push({ need: n, before, after, ...(logBucket ? { logBucket } : {}), ...(grantTarget ? { grantTarget } : {}) });
  };
  for (const n of sources.values()) draftSource(n);

  // Log targets after the plan: a bucket no source will log into needs no log-bucket hardening.
  const finalTargets = new Set<string>();
  const drafted = new Map(loggingDrafts.map((d) => [bucketKey(d.need.account, d.need.bucket), d]));
  for (const b of snapshot.buckets) {
    const d = drafted.get(bucketKey(b.account, b.name));
    const cfg = d && !d.manual ? d.after : b.logging.status === "ok" ? b.logging.value : null;
    if (cfg && cfg.targetBucket !== b.name) finalTargets.add(bucketKey(b.account, cfg.targetBucket));
    if (b.logging.status === "error") finalTargets.add("*"); // unknown links: keep everything
  }
  const stillTarget = (k: string) => finalTargets.has("*") || finalTargets.has(k);
  // A bucket without logging that stops being a log target loses logging-enabled's exemption:
  // it gets logging to the log bucket too (so the fixed organization has no new finding).
  const wantsLoggingEnabled = !scope.rules || scope.rules.includes("logging-enabled");
  const matchBucket = scope.buckets ? picomatch(scope.buckets) : undefined;
  for (const b of index.inScope) {
    if (!wantsLoggingEnabled) break;
    const k = bucketKey(b.account, b.name);
    if (sources.has(k) || stillTarget(k) || !index.isLogTarget(b)) continue;
    if (b.logging.status !== "ok" || b.logging.value !== null) continue;
    if (scope.accounts && !scope.accounts.includes(b.account)) continue;
    if (matchBucket && !matchBucket(b.name)) continue;
    if (logBucketName(opts.logBucketTemplate, b.account, b.region) === b.name) continue;
    const n = sourceNeed(b.account, b.region, b.name);
    n.useLogBucket = true;
    n.reasons.add("no longer a log target after this plan (logging-enabled)");
    draftSource(n);
    finalTargets.add(bucketKey(b.account, logBucketName(opts.logBucketTemplate, b.account, b.region)));
  }
  for (const k of [...pabs.keys()]) if (!stillTarget(k)) pabs.delete(k);
  for (const k of [...retention.keys()]) if (!stillTarget(k)) retention.delete(k);

  // A re-prefixed source (simple key format) may need the delivery grant on its target.
  for (const d of loggingDrafts) {
    if (!d.grantTarget) continue;
    const t = index.bucket(d.need.account, d.grantTarget);
    if (!t || t.region !== d.need.region) continue;
    const p = policyNeed(d.need.account, t.region, t.name);
    p.sources.add(d.need.bucket);
    p.reasons.add(`new prefix of ${d.need.bucket}`);
  }

  const drafts: Draft[] = [];
  const unusable = new Map<string, string>(); // log bucket key → why it cannot be used
  const created = new Set<string>(); // bucket keys the plan creates

  // ---- log buckets: create hardened, or check and complete the existing one -------------------
  for (const [k, lb] of [...logBuckets.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const existing = index.bucket(lb.account, lb.name);
    const ext = snapshot.externalTargets.find((t) => t.account === lb.account && t.name === lb.name);
    const problem = bucketNameProblem(lb.name);
    if (problem) {
      unusable.set(k, `log bucket name ${lb.name} is not valid: it ${problem}`);
      continue;
    }
    if (existing && existing.region !== lb.region) {
      unusable.set(k, `log bucket ${lb.name} exists in ${existing.region}, not ${lb.region}; choose another --log-bucket-template`);
      continue;
    }
    if (!existing && ext?.state === "foreign") {
      unusable.set(k, `bucket name ${lb.name} belongs to another account; choose another --log-bucket-template`);
      continue;
    }
    const pol = policyNeed(lb.account, lb.region, lb.name);
    for (const s of lb.sources) pol.sources.add(s);
    pol.reasons.add("log bucket delivery statement");
    if (!existing) {
      created.add(k);
      const common = {
        account: lb.account,
        region: lb.region,
        bucket: lb.name,
        resolves: [] as string[],
        createdBucket: true as const,
        beforeKnown: true,
        reasons: [`account+Region log bucket for ${[...lb.sources].sort().join(", ")}`],
      };
      const createKey = stepKey(lb.account, lb.name, "CreateBucket");
      drafts.push({ ...common, key: createKey, deps: [], operation: "CreateBucket", before: null, after: { region: lb.region } });
      drafts.push({
        ...common,
        key: stepKey(lb.account, lb.name, "PutBucketOwnershipControls"),
        deps: [createKey],
        operation: "PutBucketOwnershipControls",
        before: null,
        after: "BucketOwnerEnforced",
      });
      drafts.push({
        ...common,
        key: stepKey(lb.account, lb.name, "PutPublicAccessBlock"),
        deps: [createKey],
        operation: "PutPublicAccessBlock",
        before: null,
        after: FULL_PAB,
      });
      drafts.push({
        ...common,
        key: stepKey(lb.account, lb.name, "PutBucketEncryption"),
        deps: [createKey],
        operation: "PutBucketEncryption",
        before: null,
        after: { algorithm: "AES256" },
      });
      drafts.push({
        ...common,
        key: stepKey(lb.account, lb.name, "PutBucketLifecycleConfiguration"),
        deps: [createKey],
        operation: "PutBucketLifecycleConfiguration",
        before: null,
        after: [retentionRule(opts.logRetentionDays)],
        // A --buckets-filtered scan may simply not have listed an existing log bucket: merge then.
        ...(filtered ? { beforeKnown: false, patch: { kind: "lifecycle-rule" as const, rule: retentionRule(opts.logRetentionDays) } } : {}),
      });
      continue;
    }
    // Existing log bucket: it must be usable as a target (never change its encryption silently).
    const facts = existing.targetFacts;
    if (facts) {
      const enc = readValue(facts.encryption);
      if (enc.known && enc.value && enc.value.algorithm !== "AES256") {
        unusable.set(k, `log bucket ${lb.name} uses ${enc.value.algorithm} default encryption (delivery needs SSE-S3); not changed automatically`);
      }
      const lock = readValue(facts.objectLock);
      if (lock.known && lock.value?.defaultRetention) {
        unusable.set(k, `log bucket ${lb.name} has an Object Lock default retention; delivery fails`);
      }
      const rp = readValue(facts.requestPayment);
      if (rp.known && rp.value === "Requester") unusable.set(k, `log bucket ${lb.name} has Requester Pays enabled; delivery fails`);
    }
    if (unusable.has(k)) {
      policies.delete(k);
      continue;
    }
    need(pabs, lb.account, lb.region, lb.name, () => baseNeed(lb.account, lb.region, lb.name)).reasons.add("log bucket hardening");
    need(retention, lb.account, lb.region, lb.name, () => baseNeed(lb.account, lb.region, lb.name)).reasons.add(
      "log bucket retention",
    );
  }

  // ---- Block Public Access on log buckets ------------------------------------------------------
  for (const [k, n] of [...pabs.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (created.has(k)) continue;
    const b = index.bucket(n.account, n.bucket);
    if (!b) continue;
    const read = readValue(b.targetFacts?.publicAccessBlock);
    const common = {
      account: n.account,
      region: b.region,
      bucket: n.bucket,
      resolves: [...n.fps].sort(),
      reasons: [...n.reasons],
      key: stepKey(n.account, n.bucket, "PutPublicAccessBlock"),
      deps: [],
      operation: "PutPublicAccessBlock" as const,
      after: FULL_PAB,
    };
    if (!read.known) drafts.push({ ...common, before: null, beforeKnown: false });
    else if (!sameState("public-access-block", read.value, FULL_PAB)) drafts.push({ ...common, before: read.value, beforeKnown: true });
  }

  // ---- lifecycle retention on log buckets -----------------------------------------------------
  const rule = retentionRule(opts.logRetentionDays);
  for (const [k, n] of [...retention.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (created.has(k)) continue;
    const b = index.bucket(n.account, n.bucket);
    if (!b) continue;
    const read = readValue<LifecycleRule[]>(b.targetFacts?.lifecycle);
    const common = {
      account: n.account,
      region: b.region,
      bucket: n.bucket,
      resolves: [...n.fps].sort(),
      reasons: [...n.reasons],
      key: stepKey(n.account, n.bucket, "PutBucketLifecycleConfiguration"),
      deps: [],
      operation: "PutBucketLifecycleConfiguration" as const,
    };
    if (!read.known) {
      drafts.push({ ...common, before: null, after: [rule], beforeKnown: false, patch: { kind: "lifecycle-rule", rule } });
    } else if (!hasRetention(read.value)) {
      drafts.push({ ...common, before: read.value, after: mergeRule(read.value, rule), beforeKnown: true });
    }
  }

  // ---- explicit denies: manual, never rewritten -----------------------------------------------
  for (const [k, n] of [...denies.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const b = index.bucket(n.account, n.bucket);
    const read = readValue(b?.targetFacts?.policy);
    const doc = read.known && read.value ? (parsePolicyDocument(read.value) ?? null) : null;
    const name = n.deny.sid ?? `#${n.deny.index}`;
    policies.delete(k);
    drafts.push({
      account: n.account,
      region: b?.region ?? n.region,
      bucket: n.bucket,
      resolves: [...n.fps].sort(),
      reasons: [...n.reasons],
      key: stepKey(n.account, n.bucket, "PutBucketPolicy"),
      deps: [],
      operation: "PutBucketPolicy",
      before: doc,
      after: doc ?? { Version: "2012-10-17", Statement: [] },
      beforeKnown: true,
      manual: {
        reason: `statement ${name} of the bucket policy of ${n.bucket} explicitly denies log delivery; edit it by hand (never rewritten automatically)`,
        statement: name,
      },
    });
  }

  // ---- delivery statements: one merged policy write per target ---------------------------------
  for (const [k, n] of [...policies.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    if (n.sources.size === 0) continue;
    const key = stepKey(n.account, n.bucket, "PutBucketPolicy");
    const b = index.bucket(n.account, n.bucket);
    const statement = deliveryStatement({ partition, account: n.account, targetBucket: n.bucket, sourceBuckets: [...n.sources] });
    const common = {
      account: n.account,
      region: b?.region ?? n.region,
      bucket: n.bucket,
      resolves: [...n.fps].sort(),
      reasons: [...n.reasons],
      key,
      operation: "PutBucketPolicy" as const,
    };
    if (created.has(k)) {
      drafts.push({
        ...common,
        deps: [stepKey(n.account, n.bucket, "CreateBucket")],
        before: null,
        after: mergeStatement(null, statement),
        beforeKnown: !filtered,
        ...(filtered ? { patch: { kind: "policy-statement" as const, statement } } : {}),
        createdBucket: true,
      });
      continue;
    }
    const read = b?.targetFacts ? readValue(b.targetFacts.policy) : ({ known: false, why: "not read" } as const);
    if (!read.known) {
      drafts.push({
        ...common,
        deps: [],
        before: null,
        after: mergeStatement(null, statement),
        beforeKnown: false,
        patch: { kind: "policy-statement", statement },
      });
      continue;
    }
    let before: PolicyDocument | null = null;
    if (read.value !== null) {
      const doc = parsePolicyDocument(read.value);
      if (!doc) {
        drafts.push({
          ...common,
          deps: [],
          before: null,
          after: mergeStatement(null, statement),
          beforeKnown: true,
          manual: { reason: `the bucket policy of ${n.bucket} is not a valid policy document; add the delivery statement by hand` },
        });
        continue;
      }
      before = doc;
    }
    const after = mergeStatement(before, statement);
    if (before && sameState("policy", before, after)) continue;
    const size = Buffer.byteLength(policyText(after));
    drafts.push({
      ...common,
      deps: [],
      before,
      after,
      beforeKnown: true,
      ...(size > POLICY_SIZE_LIMIT
        ? {
            manual: {
              reason: `merged bucket policy of ${n.bucket} would be ${size} bytes, over the ${POLICY_SIZE_LIMIT}-byte limit; shorten it by hand`,
            },
          }
        : {}),
    });
  }

  // ---- PutBucketLogging on sources -----------------------------------------------------------
  const draftKeys = new Set(drafts.map((d) => d.key));
  for (const d of loggingDrafts.sort((a, b) =>
    `${a.need.account}/${a.need.region}/${a.need.bucket}`.localeCompare(`${b.need.account}/${b.need.region}/${b.need.bucket}`),
  )) {
    const n = d.need;
    const deps: string[] = [];
    let manual = d.manual;
    if (d.logBucket) {
      const lk = bucketKey(n.account, d.logBucket);
      const why = unusable.get(lk);
      if (why) manual = why;
      for (const x of drafts) if (x.account === n.account && x.bucket === d.logBucket) deps.push(x.key);
    }
    // Delivery is granted in the target's policy before logging is pointed there.
    const target = d.after?.targetBucket;
    if (target && target !== d.logBucket) {
      const pk = stepKey(n.account, target, "PutBucketPolicy");
      if (draftKeys.has(pk)) deps.push(pk);
    }
    drafts.push({
      account: n.account,
      region: n.region,
      bucket: n.bucket,
      resolves: [...n.fps].sort(),
      reasons: [...n.reasons],
      key: stepKey(n.account, n.bucket, "PutBucketLogging"),
      deps,
      operation: "PutBucketLogging",
      before: d.before,
      after: d.after,
      beforeKnown: true,
      ...(manual ? { manual: { reason: manual } } : {}),
    });
  }

  // ---- order and ids ---------------------------------------------------------------------------
  const rank = (d: Draft): number => {
    if (d.createdBucket) return 0;
    if (d.operation === "PutBucketLogging") return 2;
    return 1;
  };
  drafts.sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.account.localeCompare(b.account) ||
      a.region.localeCompare(b.region) ||
      a.bucket.localeCompare(b.bucket) ||
      STEP_OPERATIONS.indexOf(a.operation) - STEP_OPERATIONS.indexOf(b.operation),
  );
  const ids = new Map<string, string>();
  drafts.forEach((d, i) => ids.set(d.key, `step-${String(i + 1).padStart(3, "0")}`));
  const steps: PlanStep[] = drafts.map((d) => {
    const { key, deps, ...rest } = d;
    return { ...rest, id: ids.get(key)!, dependsOn: deps.map((x) => ids.get(x)!).filter(Boolean) } as PlanStep;
  });

  return {
    kind: PLAN_KIND,
    schemaVersion: PLAN_SCHEMA_VERSION,
    tool: { name: TOOL_NAME, version: TOOL_VERSION },
    createdAt: (options.now ?? new Date()).toISOString(),
    snapshotAt: snapshot.finishedAt,
    partition,
    options: opts,
    scope,
    steps,
  };
}
