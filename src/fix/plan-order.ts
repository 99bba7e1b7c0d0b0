/**
 * Planner, part 5: order and ids. Created log buckets first, then the other buckets' writes,
 * then PutBucketLogging; within that by account, Region, bucket and the model's operation
 * order. Ids `step-001`…, dependencies by id.
 */
import { STEP_OPERATIONS, type PlanStep } from "../model/plan.js";
import type { Draft } from "./plan-draft.js";

function rank(d: Draft): number {
  if (d.createdBucket) return 0;
  if (d.operation === "PutBucketLogging") return 2;
  return 1;
}

/** The drafts as ordered plan steps with ids and dependencies by id. */
export function orderSteps(drafts: Draft[]): PlanStep[] {
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
  return drafts.map((d) => {
    const { key, deps, ...rest } = d;
    return { ...rest, id: ids.get(key)!, dependsOn: deps.map((x) => ids.get(x)!).filter(Boolean) } as PlanStep;
  });
}
