/**
 * The plan-file loader refuses a plan that is inconsistent in itself (issue 10 item 9): steps
 * outside its own scope, steps naming invalid Regions or bucket names, dependencies that are
 * unknown, circular or on a later step. And it accepts every plan the planner writes: for the
 * demo organization narrowed to each of its buckets in turn, the plan round-trips.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../src/base/errors.js";
import { evaluateSnapshot } from "../../src/engine/evaluate.js";
import { parsePlan, serializePlan } from "../../src/fix/index.js";
import { planFixes } from "./helpers.js";
import type { Plan, PlanStep } from "../../src/model/plan.js";
import type { Snapshot } from "../../src/model/snapshot.js";
import { demoScenario, startSimulator } from "../../src/sim/index.js";
import { snapshotOf, type Sim } from "./helpers.js";

const NOW = new Date("2026-02-01T00:00:00Z");

describe("plan file: consistency checks", () => {
  let sim: Sim;
  let snapshot: Snapshot;
  let whole: Plan;
  beforeAll(async () => {
    sim = await startSimulator({ scenario: demoScenario(), port: 0 });
    snapshot = await snapshotOf(sim);
    whole = planFixes(snapshot, evaluateSnapshot(snapshot), { now: NOW });
  }, 60_000);
  afterAll(async () => {
    await sim.close();
  });

  /** The plan for one bucket (`--buckets NAME`). */
  const narrowed = (bucket: string) => planFixes(snapshot, evaluateSnapshot(snapshot), { now: NOW, buckets: [bucket] });
  const load = (plan: unknown) => parsePlan(JSON.stringify(plan), "p.json");
  const edit = (plan: Plan, i: number, change: Partial<PlanStep> | Record<string, unknown>) => ({
    ...plan,
    steps: plan.steps.map((s, j) => (j === i ? { ...s, ...change } : s)),
  });

  it("accepts every plan the planner writes: the whole organization and each bucket alone", () => {
    expect(whole.steps.length).toBeGreaterThan(20);
    expect(parsePlan(serializePlan(whole))).toEqual(whole);
    let withSteps = 0;
    // each bucket alone, and globs over name prefixes (demo-prod-*, demo-*, ...)
    const prefixes = snapshot.buckets.flatMap((b) => b.name.split("-").slice(0, -1).map((_, k, parts) => `${parts.slice(0, k + 1).join("-")}-*`));
    for (const glob of new Set([...snapshot.buckets.map((b) => b.name), ...prefixes])) {
      const p = narrowed(glob);
      if (p.steps.some((s) => !s.manual)) withSteps++;
      expect(() => parsePlan(serializePlan(p), glob), glob).not.toThrow();
    }
    // the narrowed plans do write buckets outside their glob (log buckets, targets): the check must allow those
    expect(withSteps).toBeGreaterThan(10);
    const outside = snapshot.buckets.flatMap((b) => narrowed(b.name).steps.filter((s) => !s.manual && s.bucket !== b.name));
    expect(outside.length).toBeGreaterThan(0);
  });

  it("refuses a step edited to a bucket outside scope.buckets", () => {
    const source = whole.steps.find((s) => s.operation === "PutBucketLogging" && !s.manual)!;
    const p = narrowed(source.bucket);
    const i = p.steps.findIndex((s) => s.operation === "PutBucketLogging" && s.bucket === source.bucket);
    expect(i).toBeGreaterThanOrEqual(0);
    const other = snapshot.buckets.find((b) => b.name !== source.bucket && b.account === source.account)!.name;
    expect(() => load(edit(p, i, { bucket: other }))).toThrow(new RegExp(`writes bucket ${other}, outside the plan's scope \\(buckets ${source.bucket}\\)`));
  });

  it("refuses a step in an account outside scope.accounts", () => {
    const account = whole.steps[0]!.account;
    const p = planFixes(snapshot, evaluateSnapshot(snapshot), { now: NOW, accounts: [account] });
    const other = snapshot.accounts.find((a) => a.id !== account)!.id;
    expect(() => load(edit(p, 0, { account: other }))).toThrow(/is in account .*, outside the plan's scope \(accounts /);
  });

  it("refuses invalid Regions and bucket names", () => {
    expect(() => load(edit(whole, 0, { region: "mars-1" }))).toThrow(/invalid plan file at steps\.0\.region: not a Region name/);
    expect(() => load(edit(whole, 1, { bucket: "../../etc" }))).toThrow(/invalid plan file at steps\.1\.bucket: not a bucket name/);
    expect(() => load(edit(whole, 1, { bucket: "" }))).toThrow(/steps\.1\.bucket/);
    expect(() => load(edit(whole, 1, { account: "12" }))).toThrow(/steps\.1\.account: an account id is 12 digits/);
    const create = whole.steps.findIndex((s) => s.operation === "CreateBucket");
    expect(() => load(edit(whole, create, { after: { region: "mars-1" } }))).toThrow(/steps\.\d+\.after\.region/);
    expect(() => load(edit(whole, create, { after: { region: "eu-west-1" } }))).toThrow(/creates .* in eu-west-1 but is a step in/);
  });

  it("refuses unknown, circular and forward dependencies", () => {
    const i = whole.steps.findIndex((s) => s.dependsOn.length > 0);
    const s = whole.steps[i]!;
    expect(() => load(edit(whole, i, { dependsOn: ["no-such-step"] }))).toThrow(new RegExp(`step ${s.id} depends on no-such-step, which is not a step of the plan`));
    expect(() => load(edit(whole, i, { dependsOn: [s.id] }))).toThrow(/depends on itself/);
    const later = whole.steps[i + 1]!.id;
    expect(() => load(edit(whole, i, { dependsOn: [later] }))).toThrow(new RegExp(`depends on ${later}, which comes after it`));
    // a two-step cycle: the first step depends on the second, which depends on the first
    const dep = s.dependsOn[0]!;
    const j = whole.steps.findIndex((x) => x.id === dep);
    expect(() => load(edit(whole, j, { dependsOn: [s.id] }))).toThrow(/which comes after it/);
    expect(() => load(edit(whole, i, { dependsOn: [s.id] }))).toThrow(InputError);
  });
});
