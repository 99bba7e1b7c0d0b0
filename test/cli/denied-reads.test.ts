/**
 * Denied reads never turn into a pass or a silent drop (issue 10 items 2 and 3): `scan --org` of
 * the demo organization through the built CLI against an in-test simulator with AccessDenied
 * injected on one operation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/output/report.js";
import { startSimulator, type RunningSim } from "../../src/sim/index.js";
import { runCli } from "./helpers.js";
import { parseValidReport } from "./report-schema.js";

const PROD = "222222222222";

let sim: RunningSim;
let baseline: Report;

const scan = async (): Promise<{ code: number | null; report: Report }> => {
  const r = await runCli(["scan", "--org", "--endpoint-url", sim.endpoint, "--format", "json", "--include-passed"]);
  return { code: r.code, report: parseValidReport(r.stdout) };
};
const findingsOf = (rep: Report, ruleId: string, bucket: string) => rep.findings.filter((f) => f.ruleId === ruleId && f.bucket === bucket);
const statusOf = (rep: Report, ruleId: string, bucket: string): string[] => findingsOf(rep, ruleId, bucket).map((f) => f.status);

/** Scan with one fault rule in force. */
async function scanWith(rule: Record<string, unknown>): Promise<{ code: number | null; report: Report }> {
  sim.setFaults({ rules: [{ effect: "deny", service: "s3", ...rule }] });
  try {
    return await scan();
  } finally {
    sim.setFaults({});
  }
}

beforeAll(async () => {
  sim = await startSimulator({ scenario: "demo", port: 0 });
  baseline = (await scan()).report;
});

afterAll(async () => {
  await sim.close();
});

describe("HeadBucket denied (item 2)", () => {
  let code: number | null;
  let rep: Report;
  beforeAll(async () => {
    ({ code, report: rep } = await scanWith({ operation: "HeadBucket" }));
  });

  it("a 403 without x-amz-bucket-region decides nothing: the deleted target's rules are errors, never pass", () => {
    expect(statusOf(baseline, "target-exists", "demo-prod-deleted-target")).toEqual(["fail"]);
    expect(statusOf(rep, "target-exists", "demo-prod-deleted-target")).toEqual(["error"]);
    expect(statusOf(rep, "target-same-account", "demo-prod-deleted-target")).not.toContain("fail");
    expect(statusOf(rep, "target-same-account", "demo-prod-deleted-target")).not.toContain("pass");
    const [f] = findingsOf(rep, "target-exists", "demo-prod-deleted-target");
    expect(f?.details).toMatchObject({ operation: "HeadBucket", code: "AccessDenied" });
  });

  it("lists the failed read under errors, marks the scan incomplete and exits 3", () => {
    expect(code).toBe(3);
    expect(rep.summary.complete).toBe(false);
    expect(rep.errors).toContainEqual(expect.objectContaining({ account: PROD, operation: "HeadBucket", code: "AccessDenied" }));
  });

  it("a 403 that carries x-amz-bucket-region still decides: the cross-account target fails as before", () => {
    expect(statusOf(rep, "target-same-account", "demo-prod-xacct-target")).toEqual(["fail"]);
    expect(statusOf(rep, "target-exists", "demo-prod-xacct-target")).toEqual(["pass"]);
  });
});

describe("GetBucketLogging denied (item 3): log-bucket results become errors, never vanish", () => {
  const LOG_RULES = ["log-bucket-not-public", "log-bucket-retention"];
  const logResults = (rep: Report) => rep.findings.filter((f) => LOG_RULES.includes(f.ruleId));
  const key = (f: { ruleId: string; account: string; bucket: string }) => `${f.ruleId} ${f.account} ${f.bucket}`;

  it("on the only source of a log bucket: that bucket's log-bucket rules say error", async () => {
    // A log bucket that exactly one other bucket logs into, found in the healthy scan.
    const sourcesOf = new Map<string, string[]>();
    for (const b of baseline.buckets) {
      if (!b.logging.enabled || !b.logging.targetBucket || b.logging.targetBucket === b.name) continue;
      const k = `${b.account} ${b.logging.targetBucket}`;
      sourcesOf.set(k, [...(sourcesOf.get(k) ?? []), b.name]);
    }
    const [target, [source]] = [...sourcesOf].find(([k, s]) => s.length === 1 && logResults(baseline).some((f) => `${f.account} ${f.bucket}` === k))!;
    const [account, logBucket] = target.split(" ") as [string, string];
    const { code, report } = await scanWith({ operation: "GetBucketLogging", bucket: source });
    expect(code).toBe(3);
    expect(report.errors).toContainEqual(expect.objectContaining({ bucket: source, operation: "GetBucketLogging", code: "AccessDenied" }));
    for (const ruleId of LOG_RULES) {
      const mine = report.findings.filter((f) => f.ruleId === ruleId && f.account === account && f.bucket === logBucket);
      expect(mine.map((f) => f.status), `${ruleId} on ${logBucket}`).toEqual(["error"]);
      expect(mine[0]!.message).toContain(source);
      expect(mine[0]!.details).toMatchObject({ operation: "GetBucketLogging", code: "AccessDenied" });
    }
  });

  it("on every bucket: each log-bucket result of the healthy scan is still there, as error", async () => {
    const { code, report } = await scanWith({ operation: "GetBucketLogging" });
    expect(code).toBe(3);
    const before = logResults(baseline);
    expect(before.length).toBeGreaterThanOrEqual(20);
    const after = new Map(logResults(report).map((f) => [key(f), f]));
    for (const f of before) {
      expect(after.get(key(f))?.status, key(f)).toBe("error");
    }
    expect(logResults(report).every((f) => f.status === "error")).toBe(true);
  });
});
