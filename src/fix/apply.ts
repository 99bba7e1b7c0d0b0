/**
 * Apply a plan. Per step, in dependency order: re-read the resource; equal to `after` → already
 * applied (no write); not equal to `before` → skipped as drifted; else journal the prior state
 * (fsync'd), write, re-read to verify. Writes to one bucket are serialised; different buckets run
 * concurrently up to a small bound. A failed step only stops the steps that depend on it.
 * Abort (Ctrl-C): steps not yet started are reported `not-run`; the step in flight completes.
 */
import pLimit from "p-limit";
import { applyPatch, policyText, POLICY_SIZE_LIMIT } from "./merge.js";
import { readResource, resourceOf, sameState, StepFailure, writeResource, type Target } from "./resources.js";
import { JournalWriter } from "./journal.js";
import type { ApplyEvent, ApplySummary, Plan, PlanStep, PolicyDocument, StepError, StepOutcome } from "../model/plan.js";
import type { ApplyOptions } from "./types.js";

const VERIFY_DELAYS_MS = [0, 200, 1000];

function stepError(err: unknown): StepError {
  if (err instanceof StepFailure) return { code: err.code, message: err.message };
  const e = err as { name?: string; message?: string };
  return { code: e?.name ?? "Error", message: (e?.message ?? String(err)).split("\n")[0] ?? "" };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The selected steps plus everything they depend on (transitively). */
function closure(plan: Plan, ids: readonly string[] | undefined): Set<string> {
  if (!ids) return new Set(plan.steps.map((s) => s.id));
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const out = new Set<string>();
  const visit = (id: string) => {
    if (out.has(id)) return;
    const s = byId.get(id);
    if (!s) return;
    out.add(id);
    s.dependsOn.forEach(visit);
  };
  ids.forEach(visit);
  return out;
}

/** Applies `plan` (see module comment). Resolves with the summary; never throws for a step failure. */
export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<ApplySummary> {
  const { clients, signal } = options;
  const emit = (e: ApplyEvent) => {
    try {
      options.onEvent?.(e);
    } catch {
      // a listener's failure must not break the run
    }
  };
  const selected = closure(plan, options.stepIds);
  const steps = plan.steps.filter((s) => selected.has(s.id));
  const journal = await JournalWriter.open(options.journalPath, { command: "fix", planCreatedAt: plan.createdAt });
  const limit = pLimit(Math.max(1, options.concurrency ?? 4));
  const outcomes: Record<string, StepOutcome> = {};
  const done = new Map<string, Promise<StepOutcome>>();
  const bucketTail = new Map<string, Promise<unknown>>();
  let writes = 0;

  const runStep = async (step: PlanStep): Promise<StepOutcome> => {
    if (step.manual) {
      emit({ type: "manual", step, reason: step.manual.reason });
      return "manual";
    }
    if (signal?.aborted) {
      emit({ type: "not-run", step, reason: "aborted" });
      return "not-run";
    }
    emit({ type: "started", step });
    const resource = resourceOf(step.operation);
    let target: Target;
    let intended: unknown;
    let prior: { value: unknown; raw?: string };
    try {
      target = { client: await clients(step.account, step.region), account: step.account, bucket: step.bucket, region: step.region };
      prior = await readResource(target, resource);
    } catch (err) {
      emit({ type: "failed", step, error: stepError(err) });
      return "failed";
    }
    if (!step.beforeKnown && step.patch) {
      intended = applyPatch(step.patch, prior.value);
      if (sameState(resource, prior.value, intended)) {
        emit({ type: "already-applied", step });
        return "already-applied";
      }
    } else {
      intended = step.after;
      if (sameState(resource, prior.value, step.after)) {
        emit({ type: "already-applied", step });
        return "already-applied";
      }
      if (step.beforeKnown && !sameState(resource, prior.value, step.before)) {
        emit({
          type: "skipped-drifted",
          step,
          current: prior.value,
          reason: `${step.bucket}: ${resource} changed since the plan was made`,
        });
        return "skipped-drifted";
      }
    }
    if (resource === "policy" && intended !== null) {
      const size = Buffer.byteLength(policyText(intended as PolicyDocument));
      if (size > POLICY_SIZE_LIMIT) {
        const error = { code: "PolicyTooLarge", message: `${step.bucket}: merged bucket policy would be ${size} bytes, over the ${POLICY_SIZE_LIMIT}-byte limit` };
        emit({ type: "failed", step, error });
        return "failed";
      }
    }
    const seq = journal.write({
      stepId: step.id,
      account: step.account,
      region: step.region,
      bucket: step.bucket,
      operation: step.operation,
      resource,
      prior: prior.value,
      ...(prior.raw !== undefined ? { priorRaw: prior.raw } : {}),
      intended,
      ...(step.operation === "CreateBucket" ? { createdBucket: true as const } : {}),
    });
    try {
      writes++;
      await writeResource(target, resource, intended);
    } catch (err) {
      const error = stepError(err);
      journal.result({ seq, stepId: step.id, outcome: "failed", error });
      emit({ type: "failed", step, error });
      return "failed";
    }
    emit({ type: "applied", step });
    let ok = false;
    let lastErr: StepError | undefined;
    for (const delay of VERIFY_DELAYS_MS) {
      if (delay) await sleep(delay);
      try {
        const now = await readResource(target, resource);
        lastErr = undefined;
        if (sameState(resource, now.value, intended)) {
          ok = true;
          break;
        }
      } catch (err) {
        lastErr = stepError(err);
      }
    }
    emit({ type: "verified", step, ok });
    if (!ok) {
      const error = lastErr ?? { code: "VerifyMismatch", message: `${step.bucket}: re-read after ${step.operation} differs from what was written` };
      journal.result({ seq, stepId: step.id, outcome: "verify-mismatch", error });
      emit({ type: "failed", step, error });
      return "failed";
    }
    journal.result({ seq, stepId: step.id, outcome: "applied" });
    return "applied";
  };

  const schedule = (step: PlanStep): Promise<StepOutcome> => {
    const bucketKey = `${step.account}/${step.bucket}`;
    const prev = bucketTail.get(bucketKey) ?? Promise.resolve();
    const p = (async (): Promise<StepOutcome> => {
      const depOutcomes = await Promise.all(
        step.dependsOn.map(async (d) => [d, (await done.get(d)) ?? "not-run"] as const),
      );
      await prev;
      for (const [d, o] of depOutcomes) {
        if (o === "applied" || o === "already-applied") continue;
        if (o === "not-run") {
          emit({ type: "not-run", step, reason: `depends on ${d}, which did not run` });
          return "not-run";
        }
        emit({ type: "skipped-dependent", step, dependsOn: d, reason: `depends on ${d} (${o})` });
        return "skipped-dependent";
      }
      return limit(() => runStep(step));
    })();
    done.set(step.id, p);
    bucketTail.set(
      bucketKey,
      p.catch(() => undefined),
    );
    return p;
  };

  try {
    const all = steps.map((s) => schedule(s).then((o) => (outcomes[s.id] = o)));
    await Promise.all(all);
  } finally {
    journal.close();
  }

  const count = (o: StepOutcome) => Object.values(outcomes).filter((x) => x === o).length;
  return {
    applied: count("applied"),
    alreadyApplied: count("already-applied"),
    skippedDrifted: count("skipped-drifted"),
    skippedDependent: count("skipped-dependent"),
    failed: count("failed"),
    manual: count("manual"),
    notRun: count("not-run"),
    writes,
    aborted: signal?.aborted ?? false,
    journalPath: options.journalPath,
    outcomes,
  };
}
