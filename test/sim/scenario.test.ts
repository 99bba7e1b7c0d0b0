/** Scenario files (YAML/JSON) and their validation, the demo scenario's coverage, the generator. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { GetBucketLoggingCommand, GetBucketPolicyCommand, ListBucketsCommand, PutBucketLoggingCommand } from "@aws-sdk/client-s3";
import { AssumeRoleCommand } from "@aws-sdk/client-sts";
import { InputError } from "../../src/base/errors.js";
import { DEMO_ACCOUNTS, demoScenario, generateScenario, loadScenarioFile, startSimulator, type Scenario } from "../../src/sim/index.js";
import { SimState, LOG_DELIVERY_URI } from "../../src/sim/state.js";
import { creds, failure, s3, sts } from "./helpers.js";

const FIXTURE = new URL("../fixtures/sim-scenario.yaml", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "sim-scenario-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

function usageMessage(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).not.toContain("\n");
    return msg;
  }
  throw new Error("expected a InputError");
}

describe("scenario files", () => {
  it("account IDs are 12-digit strings: unquoted 12-digit YAML IDs keep their digits, short numbers are refused (issue 10 item 15)", () => {
    const yaml = (id: string) => `accounts:\n  - id: ${id}\n    name: A\n    roles: [{ name: R, trustedAccounts: [011122223333] }]\n`;
    const sc = loadScenarioFile(write("zero.yaml", yaml("011122223333")));
    expect(sc.accounts[0]!.id).toBe("011122223333");
    expect(sc.accounts[0]!.roles![0]!.trustedAccounts).toEqual(["011122223333"]);
    expect(usageMessage(() => loadScenarioFile(write("short.yaml", yaml("12"))))).toMatch(/accounts\[0\]\.id: expected a 12-digit account ID string/);
    expect(usageMessage(() => loadScenarioFile(write("n.json", JSON.stringify({ accounts: [{ id: 111122223333, name: "A" }] }))))).toMatch(
      /accounts\[0\]\.id: expected a 12-digit account ID string/,
    );
  });

  it("loads the shipped YAML example, normalising unquoted account IDs", async () => {
    const sc = loadScenarioFile(FIXTURE);
    expect(sc.accounts.map((a) => a.id)).toEqual(["111122223333", "444455556666", "777788889999"]);
    const sim = await startSimulator({ scenario: sc });
    try {
      const legacy = sim.state.buckets.get("example-eu-legacy-target")!;
      expect(legacy.acl.filter((g) => g.uri === LOG_DELIVERY_URI).map((g) => g.permission)).toEqual(["WRITE", "READ_ACP"]);
      expect(legacy.objectLockRetention).toEqual({ mode: "GOVERNANCE", days: 30 });
      expect(legacy.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false });
      const mgmt = s3(sim, "us-east-1", creds("AKIAEXAMPLEMGMT00001"));
      expect((await mgmt.send(new ListBucketsCommand({ MaxBuckets: 10 }))).Buckets?.map((b) => b.Name)).toEqual(["example-app", "example-logs-111122223333-us-east-1"]);
      expect((await mgmt.send(new GetBucketLoggingCommand({ Bucket: "example-app" }))).LoggingEnabled?.TargetObjectKeyFormat).toEqual({ PartitionedPrefix: { PartitionDateSource: "EventTime" } });
      // the scenario's faults: the first PutBucketLogging fails once
      const put = () => mgmt.send(new PutBucketLoggingCommand({ Bucket: "example-app", BucketLoggingStatus: {} }));
      expect((await failure(put())).name).toBe("InternalError");
      await put();
      const role = await sts(sim, creds("AKIAEXAMPLEMGMT00001")).send(
        new AssumeRoleCommand({ RoleArn: "arn:aws:iam::444455556666:role/AuditRole", RoleSessionName: "example", ExternalId: "example-external-id" }),
      );
      const c = role.Credentials!;
      const member = s3(sim, "eu-west-1", { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! });
      expect((await failure(member.send(new GetBucketPolicyCommand({ Bucket: "example-eu-data" })))).name).toBe("AccessDenied");
    } finally {
      await sim.close();
    }
  });

  it("loads JSON files", () => {
    const p = write("demo.json", JSON.stringify(demoScenario()));
    expect(loadScenarioFile(p).accounts).toHaveLength(5);
  });

  it("rejects bad files with one line naming the field", () => {
    const base = { accounts: [{ id: "123456789012", name: "a", buckets: [{ name: "ok-bucket", region: "us-east-1" }] }] };
    const bad = (mut: (s: Record<string, any>) => void, name = "bad.yaml") => {
      const s = structuredClone(base) as Record<string, any>;
      mut(s);
      return usageMessage(() => loadScenarioFile(write(name, JSON.stringify(s))));
    };
    expect(
      usageMessage(() =>
        loadScenarioFile(
          write(
            "region.yaml",
            "accounts:\n  - id: '123456789012'\n    name: a\n  - id: '123456789013'\n    name: b\n  - id: '123456789014'\n    name: c\n    buckets:\n      - name: some-bucket\n        region: mars-1\n",
          ),
        ),
      ),
    ).toMatch(/^scenario\.accounts\[2\]\.buckets\[0\]\.region: expected a Region name \(in .*region\.yaml\)$/);
    expect(bad((s) => (s.accounts[0].buckets[0].name = "Bad_Name"))).toMatch(/^scenario\.accounts\[0\]\.buckets\[0\]\.name: expected a bucket name/);
    expect(bad((s) => (s.accounts[0].id = "12"))).toMatch(/^scenario\.accounts\[0\]\.id: expected a 12-digit account ID/);
    expect(bad((s) => (s.accounts[0].bukets = []))).toMatch(/^scenario\.accounts\[0\]: unknown field 'bukets'/);
    expect(bad((s) => delete s.accounts)).toMatch(/^scenario\.accounts: required field missing/);
    expect(bad((s) => (s.accounts[0].buckets[0].ownership = "Whatever"))).toMatch(/^scenario\.accounts\[0\]\.buckets\[0\]\.ownership: expected one of "BucketOwnerEnforced"/);
    expect(bad((s) => (s.accounts[0].buckets[0].policy = "{nope"))).toMatch(/^scenario\.accounts\[0\]\.buckets\[0\]\.policy: expected a JSON policy document/);
    expect(bad((s) => (s.accounts[0].buckets[0].logging = { targetPrefix: "x/" }))).toMatch(/^scenario\.accounts\[0\]\.buckets\[0\]\.logging\.targetBucket: required field missing/);
    expect(bad((s) => s.accounts[0].buckets.push({ name: "ok-bucket", region: "eu-west-1" }))).toMatch(/^scenario\.accounts\[0\]\.buckets\[1\]\.name: duplicate bucket name ok-bucket/);
    expect(bad((s) => (s.organization = { id: "o-abcdefghij", managementAccount: "999999999999" }))).toMatch(/^scenario\.organization\.managementAccount: expected the ID of an account/);
    expect(bad((s) => (s.faults = { throttleRate: 3 }))).toMatch(/^scenario\.faults\.throttleRate: /);
    expect(bad((s) => (s.faults = { rules: [{ effect: "deny", times: 0 }] }))).toMatch(/^scenario\.faults\.rules\[0\]\.times: /);
    expect(bad((s) => (s.accounts[0].buckets[0].lifecycle = [{ ID: "x", Status: "Enabled" }]))).toMatch(/^scenario\.accounts\[0\]\.buckets\[0\]\.lifecycle\[0\]: expected at least one action/);
    expect(bad((s) => (s.accounts[0].buckets[0].objectLock = { defaultRetention: { mode: "GOVERNANCE", days: 1, years: 1 } }))).toMatch(/defaultRetention: expected exactly one of days or years/);
    expect(usageMessage(() => loadScenarioFile(write("syntax.yaml", "accounts: [\n  - id: {")))).toMatch(/^scenario: not valid YAML: /);
    expect(usageMessage(() => loadScenarioFile(write("syntax.json", "{ \"accounts\": ")))).toMatch(/^scenario: not valid JSON: /);
    expect(usageMessage(() => loadScenarioFile(write("list.yaml", "- 1\n- 2\n")))).toMatch(/expected a scenario object/);
    expect(usageMessage(() => loadScenarioFile(join(dir, "missing.yaml")))).toMatch(/^cannot read scenario file .*missing\.yaml \(ENOENT\)$/);
  });

  it("startSimulator validates scenario objects too", async () => {
    await expect(startSimulator({ scenario: { accounts: [] } as Scenario })).rejects.toThrow(/^scenario\.accounts: expected at least one account$/);
  });
});

describe("demo scenario", () => {
  const state = new SimState(demoScenario());
  const b = (name: string) => {
    const bucket = state.buckets.get(name);
    if (!bucket) throw new Error(`demo bucket ${name} missing`);
    return bucket;
  };
  const target = (name: string) => b(name).logging?.targetBucket;
  const { production: P, development: D, management: M } = DEMO_ACCOUNTS;

  it("has a management account, three or more active members, one suspended, three Regions, roles everywhere", () => {
    const accts = [...state.accounts.values()];
    expect(state.organization?.managementAccount).toBe(M);
    expect(accts.filter((a) => a.state === "ACTIVE" && a.id !== M).length).toBeGreaterThanOrEqual(3);
    expect(accts.filter((a) => a.state === "SUSPENDED")).toHaveLength(1);
    expect(accts.every((a) => a.roles.has("OrganizationAccountAccessRole"))).toBe(true);
    expect(new Set([...state.buckets.values()].map((x) => x.region))).toEqual(new Set(["us-east-1", "eu-west-1", "ap-southeast-2"]));
  });

  it("has the documented failing cases", () => {
    expect(b("demo-prod-no-logging").logging).toBeUndefined();
    expect(target("demo-loop-self-prod-audit")).toBe("demo-loop-self-prod-audit");
    expect(target(target(`demo-loop2-a-${P}`)!)).toBe(`demo-loop2-a-${P}`);
    expect(target(target(target(`demo-loop3-a-${D}`)!)!)).toBe(`demo-loop3-a-${D}`);
    expect(state.buckets.has(target("demo-prod-deleted-target")!)).toBe(false);
    expect(b(target("demo-prod-xacct-target")!).account).toBe(D);
    expect(b(target("demo-prod-cross-region")!).region).not.toBe(b("demo-prod-cross-region").region);
    expect(b(target("demo-prod-kms-target-source")!).encryption?.algorithm).toBe("aws:kms");
    expect(b(target("demo-prod-objlock-source")!).objectLockRetention).toEqual({ mode: "GOVERNANCE", days: 30 });
    expect(b(target("demo-prod-requester-pays-source")!).requestPayer).toBe("Requester");
    const denyPolicy = JSON.parse(b(target("demo-prod-eu-deny-source")!).policy!);
    expect(denyPolicy.Statement.some((s: { Effect: string; Action: string }) => s.Effect === "Deny" && s.Action === "s3:PutObject")).toBe(true);
    const noGrant = b(target("demo-prod-eu-no-grant-source")!);
    expect([noGrant.policy, noGrant.ownership, noGrant.acl.length]).toEqual([undefined, "BucketOwnerEnforced", 1]);
    const legacy = b(target("demo-prod-eu-legacy-acl-source")!);
    expect(legacy.ownership).toBe("ObjectWriter");
    expect(legacy.acl.filter((g) => g.uri === LOG_DELIVERY_URI).map((g) => g.permission).sort()).toEqual(["READ_ACP", "WRITE"]);
    expect(b("demo-prod-eu-grants-source").logging?.targetGrants?.length).toBe(1);
    expect(b(target("demo-prod-eu-grants-source")!).ownership).toBe("BucketOwnerEnforced");
    expect(b("demo-prod-syd-media").logging?.targetPrefix).toBe("");
    expect(b("demo-prod-syd-reports").logging?.targetPrefix).toBe("reports");
    const shared = ["demo-prod-syd-shared-a", "demo-prod-syd-shared-b"].map((n) => `${target(n)}/${b(n).logging?.targetPrefix}`);
    expect(shared[0]).toBe(shared[1]);
    expect(b(`demo-logs-${D}-us-east-1`).publicAccessBlock?.blockPublicPolicy).toBe(false);
    expect(b(`demo-logs-${D}-eu-west-1`).lifecycle?.some((r) => r.Expiration || r.Transitions)).toBe(false);
  });

  it("has well-configured central log buckets whose policies carry unrelated statements", () => {
    const central = b(`demo-logs-${P}-us-east-1`);
    expect(central.ownership).toBe("BucketOwnerEnforced");
    expect(central.publicAccessBlock).toEqual({ blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true });
    expect(central.encryption?.algorithm).toBe("AES256");
    expect(central.lifecycle?.map((r) => r.ID)).toEqual(["expire-access-logs", "abort-incomplete-uploads"]);
    const sids = JSON.parse(central.policy!).Statement.map((s: { Sid: string }) => s.Sid);
    expect(sids).toEqual(["DenyInsecureTransport", "S3ServerAccessLogsPolicy"]);
  });
});

describe("generateScenario", () => {
  it("builds a large organization with a realistic mix, deterministic per seed", () => {
    const sc = generateScenario({ accounts: 50, bucketsPerAccount: 200, seed: 3 });
    const state = new SimState(sc);
    expect(state.accounts.size).toBe(50);
    const buckets = [...state.buckets.values()];
    expect(buckets.length).toBeGreaterThanOrEqual(50 * 200);
    const sources = buckets.filter((x) => !x.name.startsWith("gen-logs-"));
    expect(sources).toHaveLength(10000);
    const central = sources.filter((x) => x.logging?.targetBucket.startsWith("gen-logs-") && x.logging.targetPrefix === `${x.name}/`).length;
    const disabled = sources.filter((x) => !x.logging).length;
    const selfLoops = sources.filter((x) => x.logging?.targetBucket === x.name).length;
    const pairs = sources.filter((x) => {
      const t = x.logging?.targetBucket;
      return t && t !== x.name && state.buckets.get(t)?.logging?.targetBucket === x.name;
    }).length;
    expect(central / sources.length).toBeGreaterThan(0.7);
    expect(disabled / sources.length).toBeGreaterThan(0.05);
    expect(selfLoops).toBeGreaterThan(0);
    expect(pairs).toBeGreaterThan(0);
    expect(JSON.stringify(generateScenario({ accounts: 3, bucketsPerAccount: 20, seed: 3 }))).toBe(JSON.stringify(generateScenario({ accounts: 3, bucketsPerAccount: 20, seed: 3 })));
    expect(JSON.stringify(generateScenario({ accounts: 3, bucketsPerAccount: 20, seed: 4 }))).not.toBe(JSON.stringify(generateScenario({ accounts: 3, bucketsPerAccount: 20, seed: 3 })));
  });

  it("logHistory: past deliveries for sources of a central log bucket, the organization unchanged", () => {
    const plain = generateScenario({ accounts: 4, bucketsPerAccount: 200, seed: 5 });
    const withHistory = generateScenario({ accounts: 4, bucketsPerAccount: 200, seed: 5, logHistory: true });
    expect(withHistory.accounts).toEqual(plain.accounts);
    expect(plain.logHistory).toBeUndefined();
    const history = withHistory.logHistory!;
    const buckets = new Map(withHistory.accounts.flatMap((a) => a.buckets ?? []).map((b) => [b.name, b]));
    for (const h of history) expect(buckets.get(h.source)!.logging!.targetBucket).toMatch(/^gen-logs-/);
    const recent = history.filter((h) => Math.min(...h.hoursAgo) < 48).length;
    const old = history.length - recent;
    const central = [...buckets.values()].filter((b) => b.logging?.targetBucket.startsWith("gen-logs-")).length;
    expect(recent / central).toBeGreaterThan(0.6);
    expect(old / central).toBeGreaterThan(0.08);
    expect(history.length).toBeLessThan(central);
  });

  it("serves a generated organization under concurrent load", async () => {
    const sim = await startSimulator({ scenario: generateScenario({ accounts: 5, bucketsPerAccount: 100, regions: ["us-east-1"] }) });
    try {
      const client = s3(sim, "us-east-1", creds("AKIAANYKEY0000000001"));
      const list = await client.send(new ListBucketsCommand({ MaxBuckets: 1000 }));
      const names = list.Buckets!.map((x) => x.Name!);
      expect(names).toHaveLength(101);
      const queue = [...names, ...names];
      await Promise.all(
        Array.from({ length: 32 }, async () => {
          for (let n = queue.pop(); n !== undefined; n = queue.pop()) await client.send(new GetBucketLoggingCommand({ Bucket: n }));
        }),
      );
      expect(sim.metrics().byOperation.GetBucketLogging).toBe(202);
    } finally {
      await sim.close();
    }
  });

  it("rejects bad sizes", () => {
    expect(() => generateScenario({ accounts: 0, bucketsPerAccount: 1 })).toThrow(InputError);
    expect(() => generateScenario({ accounts: 1, bucketsPerAccount: 1, regions: ["nowhere"] })).toThrow(/expected a Region name/);
  });
});
