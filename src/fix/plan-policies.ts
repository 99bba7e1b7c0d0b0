/**
 * Planner, part 4: bucket policies. One merged delivery-statement write per target (never a
 * dropped statement; over the size limit or unparsable → manual), and a manual step for each
 * target whose policy explicitly denies delivery (never rewritten).
 */
import type { PolicyDocument } from "../model/plan.js";
import { deliveryStatement, mergeStatement, parsePolicyDocument, policyText, POLICY_SIZE_LIMIT } from "./merge.js";
import { needFields, readValue, stepKey, type Draft, type Needs, type PlanContext, type PolicyNeed } from "./plan-draft.js";
import { sameState } from "./resources.js";

/** A manual step per denying target; its delivery statement waits for the person's edit. */
export function planManualPolicyEdits(ctx: PlanContext, needs: Needs, drafts: Draft[]): void {
  for (const [k, n] of needs.denies.sorted()) {
    const b = ctx.index.bucket(n.account, n.bucket);
    const read = readValue(b?.targetFacts?.policy);
    const doc = read.known && read.value ? (parsePolicyDocument(read.value) ?? null) : null;
    needs.policies.delete(k);
    drafts.push({
      ...needFields(n, b?.region ?? n.region),
      key: stepKey(n.account, n.bucket, "PutBucketPolicy"),
      deps: [],
      operation: "PutBucketPolicy",
      before: doc,
      after: doc ?? { Version: "2012-10-17", Statement: [] },
      beforeKnown: true,
      manual: {
        reason: `statement ${n.statement} of the bucket policy of ${n.bucket} explicitly denies log delivery; edit it by hand (never rewritten automatically)`,
        statement: n.statement,
      },
    });
  }
}

/** The policy write of one target (undefined when its policy already has the statement). */
function policyStep(ctx: PlanContext, n: PolicyNeed, created: boolean): Draft | undefined {
  const b = ctx.index.bucket(n.account, n.bucket);
  const statement = deliveryStatement({ partition: ctx.snapshot.partition, account: n.account, targetBucket: n.bucket, sourceBuckets: [...n.sources] });
  const common = { ...needFields(n, b?.region ?? n.region), key: stepKey(n.account, n.bucket, "PutBucketPolicy"), operation: "PutBucketPolicy" as const };
  const unknownBefore = { before: null, after: mergeStatement(null, statement) };
  if (created) {
    return {
      ...common,
      deps: [stepKey(n.account, n.bucket, "CreateBucket")],
      ...unknownBefore,
      beforeKnown: !ctx.filtered,
      ...(ctx.filtered ? { patch: { kind: "policy-statement" as const, statement } } : {}),
      createdBucket: true,
    };
  }
  const read = b?.targetFacts ? readValue(b.targetFacts.policy) : ({ known: false, why: "not read" } as const);
  if (!read.known) return { ...common, deps: [], ...unknownBefore, beforeKnown: false, patch: { kind: "policy-statement", statement } };
  let before: PolicyDocument | null = null;
  if (read.value !== null) {
    const doc = parsePolicyDocument(read.value);
    if (!doc) {
      const reason = `the bucket policy of ${n.bucket} is not a valid policy document; add the delivery statement by hand`;
      return { ...common, deps: [], ...unknownBefore, beforeKnown: true, manual: { reason } };
    }
    before = doc;
  }
  const after = mergeStatement(before, statement);
  if (before && sameState("policy", before, after)) return undefined;
  const size = Buffer.byteLength(policyText(after));
  const tooBig = `merged bucket policy of ${n.bucket} would be ${size} bytes, over the ${POLICY_SIZE_LIMIT}-byte limit; shorten it by hand`;
  return { ...common, deps: [], before, after, beforeKnown: true, ...(size > POLICY_SIZE_LIMIT ? { manual: { reason: tooBig } } : {}) };
}

/** One merged delivery-statement write per target that must allow sources. */
export function planDeliveryStatements(ctx: PlanContext, needs: Needs, created: ReadonlySet<string>, drafts: Draft[]): void {
  for (const [k, n] of needs.policies.sorted()) {
    if (n.sources.size === 0) continue;
    const step = policyStep(ctx, n, created.has(k));
    if (step) drafts.push(step);
  }
}
