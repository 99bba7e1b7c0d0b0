import { existsSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { RULES, allRules, ruleById } from "../../rules/index.js";
import { S3_READS } from "../../src/collect/s3-reads.js";

const S3_READ_PERMISSIONS = Object.values(S3_READS).map((r) => r.permission);

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ruleFiles = readdirSync(join(root, "rules"))
  .filter((f) => f.endsWith(".ts") && f !== "index.ts")
  .map((f) => f.slice(0, -3))
  .sort();

/** spec §3. */
const SPEC: Record<string, string> = {
  "logging-enabled": "medium",
  "target-not-source": "critical",
  "no-logging-cycle": "critical",
  "target-exists": "high",
  "target-same-account": "high",
  "target-same-region": "high",
  "logs-delivered": "high",
  "delivery-permitted": "high",
  "target-grants-compatible": "medium",
  "target-encryption-supported": "high",
  "target-no-object-lock-retention": "high",
  "target-not-requester-pays": "high",
  "target-prefix-structured": "low",
  "target-prefix-unique": "low",
  "log-bucket-not-public": "high",
  "log-bucket-retention": "low",
};

describe("rule catalog", () => {
  it("lists every file of rules/ and nothing else, sorted", () => {
    expect(Object.keys(RULES)).toEqual(ruleFiles);
    expect(allRules().map((r) => r.meta.id)).toEqual(ruleFiles);
  });

  it("has exactly the ids and severities of spec §3", () => {
    expect(Object.fromEntries(allRules().map((r) => [r.meta.id, r.meta.severity]))).toEqual(SPEC);
  });

  it.each(ruleFiles)("%s: file name, default export and id agree", async (file) => {
    const mod = (await import(/* @vite-ignore */ join(root, "rules", `${file}.ts`))) as { default: unknown };
    expect(mod.default).toBe(RULES[file]);
    expect(ruleById(file)?.meta.id).toBe(file);
  });

  it.each(ruleFiles)("%s: metadata is complete", (id) => {
    const r = RULES[id];
    if (!r) throw new Error(`missing ${id}`);
    const m = r.meta;
    for (const k of ["title", "rationale", "failsWhen", "fix"] as const) expect(m[k].trim().length, k).toBeGreaterThan(10);
    expect(m.docUrl).toMatch(/^https:\/\/docs\.aws\.amazon\.com\/AmazonS3\//);
    expect(m.subject).toBe(id.startsWith("log-bucket-") ? "log-target" : "source");
    expect(m.readPermissions.length).toBeGreaterThan(0);
    for (const p of m.readPermissions) expect(p).toMatch(/^s3:[A-Za-z]+$/);
    for (const p of m.readPermissions) expect(S3_READ_PERMISSIONS, p).toContain(p);
    // logs-delivered is the one opt-in, non-fixable rule (it names the cause; another rule fixes it).
    const optIn = id === "logs-delivered";
    expect(m.fixable).toBe(!optIn);
    expect(typeof r.planFix).toBe(optIn ? "undefined" : "function");
    expect(m.optIn ?? false).toBe(optIn);
  });

  it.each(ruleFiles)("%s: has a table test", (id) => {
    expect(existsSync(join(root, "test", "rules", `${id}.test.ts`))).toBe(true);
  });

  it("ruleById does not resolve prototype keys", () => {
    expect(ruleById("constructor")).toBeUndefined();
    expect(ruleById("toString")).toBeUndefined();
  });
});
