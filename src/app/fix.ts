/**
 * Fixing, as the application offers it (to the CLI and the UI alike): plan the failing findings
 * of a scan, apply a plan, undo a journal. The AWS SDK (collection's client pool, the fix
 * engine's writes) is loaded only by apply and undo, so planning from a snapshot never needs it.
 */
import { writeFileAtomic } from "../base/atomic-file.js";
import { InputError } from "../base/errors.js";
import type { AwsCredentialIdentityProvider } from "@aws-sdk/types";
import type { ClientPool, ClientPoolOptions } from "../collect/index.js";
import { parsePlan, serializePlan } from "../fix/plan-file.js";
import { intentSource } from "../engine/evaluate.js";
import { SnapshotIndex } from "../engine/snapshot-index.js";
import { planFixes } from "../fix/plan.js";
import type { PlanFixesOptions, S3ClientProvider } from "../fix/types.js";
import type { Finding } from "../model/finding.js";
import type { UndoEvent, UndoSummary } from "../model/journal.js";
import type { ApplyEvent, ApplySummary, Plan, PlanOptions } from "../model/plan.js";
import type { Snapshot } from "../model/snapshot.js";
import { readInputFile } from "./files.js";
import type { AwsAccess, ScanOptions } from "./options.js";

/** AWS access for apply and undo: the scan's options, plus explicit credentials (the demo). */
export interface FixAccess extends AwsAccess {
  credentials?: AwsCredentialIdentityProvider;
  /** Default Region for global calls. */
  region?: string;
}

/** The planner's options for a scan: the plan options plus the scan's narrowing (rules, buckets, accounts). */
export function planOptionsFor(scan: ScanOptions, plan: PlanOptions): PlanFixesOptions {
  const o: PlanFixesOptions = { logBucketTemplate: plan.logBucketTemplate, logRetentionDays: plan.logRetentionDays, keyFormat: plan.keyFormat };
  if (scan.rules) o.rules = scan.rules;
  if (scan.target.bucketGlobs) o.buckets = scan.target.bucketGlobs;
  if (scan.target.accounts) o.accounts = scan.target.accounts;
  return o;
}

/** Pure: the plan for the failing findings of a scan (the planner asks the catalog's rules through their intents). */
export function planScanFixes(snapshot: Snapshot, findings: readonly Finding[], options: PlanFixesOptions = {}): Plan {
  const index = new SnapshotIndex(snapshot);
  return planFixes(snapshot, findings, { ...options, index, intents: intentSource(index, options.rules) });
}

/** Reads and validates a plan file (InputError, one line, when unusable). */
export async function loadPlanFile(file: string): Promise<Plan> {
  return (await readPlanFile(file)).plan;
}

/** Reads and validates a plan file, keeping its text as written (`fix show --format json` passes it through). */
export async function readPlanFile(file: string): Promise<{ text: string; plan: Plan }> {
  const text = await readInputFile(file, "plan");
  return { text, plan: parsePlan(text, file) };
}

/** Writes a plan file atomically (temp file + rename: a failure never leaves half a plan). */
export async function writePlanFile(file: string, plan: Plan): Promise<void> {
  try {
    await writeFileAtomic(file, serializePlan(plan));
  } catch (err) {
    throw new InputError(`cannot write plan ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
}

function poolOptions(access: FixAccess): ClientPoolOptions {
  const o: ClientPoolOptions = {};
  if (access.endpointUrl !== undefined) o.endpointUrl = access.endpointUrl;
  if (access.profile !== undefined) o.profile = access.profile;
  if (access.roleName !== undefined) o.roleName = access.roleName;
  if (access.externalId !== undefined) o.externalId = access.externalId;
  if (access.credentials) o.credentials = access.credentials;
  if (access.region) o.region = access.region;
  return o;
}

/** Runs `fn` with S3 clients of a pool of its own (loads the AWS SDK), destroyed afterwards. */
async function withClients<T>(access: FixAccess, fn: (clients: S3ClientProvider) => Promise<T>): Promise<T> {
  const pool = await openClientPool(access);
  try {
    return await fn((account, region) => pool.s3(account, region));
  } finally {
    pool.destroy();
  }
}

/** A client pool for apply and undo (loads the AWS SDK). */
export async function openClientPool(access: FixAccess): Promise<ClientPool> {
  const { ClientPool } = await import("../collect/index.js");
  return new ClientPool(poolOptions(access));
}

export interface ApplyRequest {
  access: FixAccess;
  journalPath: string;
  onEvent?: (e: ApplyEvent) => void;
  signal?: AbortSignal;
  /** Only these step ids (and what they depend on); default all. */
  stepIds?: readonly string[];
}

/** Applies a plan with a client pool of its own, journaling every write; never throws for a step failure. */
export async function applyFixPlan(plan: Plan, req: ApplyRequest): Promise<ApplySummary> {
  const { applyPlan } = await import("../fix/apply.js");
  return withClients(req.access, (clients) =>
    applyPlan(plan, {
      clients,
      journalPath: req.journalPath,
      ...(req.onEvent ? { onEvent: req.onEvent } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
      ...(req.stepIds ? { stepIds: req.stepIds } : {}),
    }),
  );
}

export interface UndoRequest {
  access: FixAccess;
  /** Where undo writes its own journal. */
  journalPath: string;
  /** Restore even resources that changed since the fix. */
  force: boolean;
  onEvent?: (e: UndoEvent) => void;
  signal?: AbortSignal;
}

/** Restores what the journal at `journal` changed, journaling undo's own writes. */
export async function undoFixJournal(journal: string, req: UndoRequest): Promise<UndoSummary> {
  const { undoJournal } = await import("../fix/undo.js");
  return withClients(req.access, (clients) =>
    undoJournal(journal, {
      clients,
      journalPath: req.journalPath,
      force: req.force,
      ...(req.onEvent ? { onEvent: req.onEvent } : {}),
      ...(req.signal ? { signal: req.signal } : {}),
    }),
  );
}

/**
 * True when an apply left something to do: a step failed, drifted or was skipped, or a `manual`
 * step is outstanding (the CLI and the UI exit 1 then, like findings remaining).
 */
export function applyLeftWork(s: ApplySummary): boolean {
  return s.failed + s.skippedDrifted + s.skippedDependent + s.manual > 0;
}

/**
 * True when an undo did not put everything back: a restore failed or was skipped (drift), a
 * created bucket was kept (not empty, still in use, not provably created by the run) or a prior
 * configuration is not restorable (exit 1).
 */
export function undoLeftWork(s: UndoSummary): boolean {
  return s.failed + s.skippedDrifted + s.bucketsNotEmpty + s.bucketsInUse + s.bucketsNotProven + s.unrestorable > 0;
}
