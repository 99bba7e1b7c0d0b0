/**
 * `scan` of the demo organization through the built CLI against an in-test simulator:
 * findings rule by rule, the published schema, offline re-evaluation, partial failure and exit
 * codes, --fail-on, baselines and every output format.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import type { Report } from "../../src/output/report.js";
import { startSimulator, type RunningSim } from "../../src/sim/index.js";
import { spawn } from "node:child_process";
import { CLI, CONTROL_CHARS, ROOT, cleanEnv, runCli, tempDir, type CliResult } from "./helpers.js";
import { comparable, parseValidReport } from "./report-schema.js";
import { EXPECTED_FAILS, EXPECTED_PASSES } from "./demo-expectations.js";

const PROD = "222222222222";
const DEV = "333333333333";

let sim: RunningSim;
const tmp = tempDir();
const snapshotFile = tmp.file("demo-snapshot.json");
let live: CliResult;
let liveReport: Report;

const scanArgs = () => ["scan", "--org", "--endpoint-url", sim.endpoint];
const fromSnapshot = (...args: string[]) => runCli(["scan", "--from-snapshot", snapshotFile, ...args]);

beforeAll(async () => {
  sim = await startSimulator({ scenario: "demo", port: 0 });
  live = await runCli([...scanArgs(), "--format", "json", "--include-passed", "--save-snapshot", snapshotFile]);
  liveReport = parseValidReport(live.stdout);
});

afterAll(async () => {
  await sim.close();
  tmp.cleanup();
});

describe("scan --org of the demo organization", () => {
  it("exits 1 with a complete report that validates against the published schema", () => {
    expect(live.code).toBe(1);
    expect(liveReport.summary.complete).toBe(true);
    expect(liveReport.errors).toEqual([]);
    expect(liveReport.scope.accounts).toEqual(["111111111111", PROD, DEV, "444444444444"]);
    expect(liveReport.scope.regions).toEqual(["ap-southeast-2", "eu-west-1", "us-east-1"]);
    expect(liveReport.scope.rules).toEqual(allRules().filter((r) => !r.meta.optIn).map((r) => r.meta.id).sort());
    expect(liveReport.summary.buckets).toBe(liveReport.buckets.length);
    // progress went to stderr, never into the JSON on stdout
    expect(live.stderr).toMatch(/^scanned 4 accounts, 48 buckets in /m);
    expect(CONTROL_CHARS.test(live.stdout.replace(/\n/g, ""))).toBe(false);
    // in a pipe the progress is plain lines: no cursor movement, no colour
    expect(CONTROL_CHARS.test(live.stderr.replace(/\n/g, ""))).toBe(false);
  });

  it.each(Object.keys(EXPECTED_FAILS))("rule %s fails exactly where the demo stages it, and passes elsewhere", (ruleId) => {
    const mine = liveReport.findings.filter((f) => f.ruleId === ruleId);
    const fails = mine.filter((f) => f.status === "fail").map((f) => f.bucket).sort();
    expect(fails).toEqual([...EXPECTED_FAILS[ruleId]!].sort());
    const passes = new Set(mine.filter((f) => f.status === "pass").map((f) => f.bucket));
    for (const b of EXPECTED_PASSES[ruleId]!) expect(passes.has(b), `${ruleId} passes on ${b}`).toBe(true);
    expect(mine.some((f) => f.status === "error")).toBe(false);
    const severity = allRules().find((r) => r.meta.id === ruleId)!.meta.severity;
    expect(mine.every((f) => f.severity === severity)).toBe(true);
  });

  it("covers every rule of the catalog with at least one fail and one pass", () => {
    for (const r of allRules().filter((x) => !x.meta.optIn)) {
      const statuses = new Set(liveReport.findings.filter((f) => f.ruleId === r.meta.id).map((f) => f.status));
      expect([r.meta.id, statuses.has("fail"), statuses.has("pass")]).toEqual([r.meta.id, true, true]);
    }
    expect(Object.keys(EXPECTED_FAILS).sort()).toEqual(allRules().filter((x) => !x.meta.optIn).map((r) => r.meta.id).sort());
  });

  it("counts match the findings; summary and failBySeverity agree", () => {
    const s = liveReport.summary;
    const count = (st: string) => liveReport.findings.filter((f) => f.status === st).length;
    expect(s.status).toEqual({ fail: count("fail"), pass: count("pass"), error: 0, muted: 0 });
    const bySev = { critical: 0, high: 0, medium: 0, low: 0, info: 0 };
    for (const f of liveReport.findings) if (f.status === "fail") bySev[f.severity]++;
    expect(s.failBySeverity).toEqual(bySev);
    const web = liveReport.buckets.find((b) => b.name === "demo-prod-web-assets")!;
    expect(web.logging.enabled).toBe(true);
    expect(liveReport.buckets.find((b) => b.name === "demo-prod-no-logging")!.logging).toEqual({ enabled: false });
  });
});

describe("--from-snapshot", () => {
  it("gives the same report as the live scan, with no network", async () => {
    const before = sim.metrics().total;
    const offline = await runCli(["scan", "--from-snapshot", snapshotFile, "--format", "json", "--include-passed"], {
      env: { AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" },
    });
    expect(offline.code).toBe(1);
    expect(offline.stderr).toBe("");
    expect(sim.metrics().total).toBe(before);
    expect(comparable(parseValidReport(offline.stdout))).toEqual(comparable(liveReport));
  });
});

describe("without --include-passed", () => {
  it("lists no passes but counts them: the same summary and the same other findings", async () => {
    const r = await fromSnapshot("--format", "json");
    expect(r.code).toBe(1);
    const report = parseValidReport(r.stdout);
    expect(report.findings.some((f) => f.status === "pass")).toBe(false);
    expect(liveReport.summary.status.pass).toBeGreaterThan(0);
    expect(report.summary).toEqual(liveReport.summary);
    expect(report.findings).toEqual(liveReport.findings.filter((f) => f.status !== "pass"));
  });
});

describe("--no-exempt-log-targets", () => {
  it("makes logging-enabled fail on dedicated log buckets too", async () => {
    const strict = parseValidReport((await fromSnapshot("--format", "json", "--rules", "logging-enabled", "--no-exempt-log-targets")).stdout);
    const fails = strict.findings.filter((f) => f.status === "fail").map((f) => f.bucket);
    expect(fails).toEqual(expect.arrayContaining([...EXPECTED_FAILS["logging-enabled"]!, "demo-logs-222222222222-us-east-1"]));
    expect(fails.length).toBeGreaterThan(EXPECTED_FAILS["logging-enabled"]!.length);
  });
});

describe("--fail-on", () => {
  it.each([
    [[], 1],
    [["--fail-on", "critical"], 1],
    [["--fail-on", "none"], 0],
    [["--rules", "target-prefix-structured,target-prefix-unique"], 1],
    [["--rules", "target-prefix-structured,target-prefix-unique", "--fail-on", "medium"], 0],
    [["--rules", "target-prefix-structured", "--fail-on", "low"], 1],
    [["--rules", "logging-enabled", "--fail-on", "high"], 0],
  ] as [string[], number][])("%j → exit %i", async (args, code) => {
    const r = await fromSnapshot("--format", "json", ...args);
    expect(r.code).toBe(code);
    parseValidReport(r.stdout);
  });
});

describe("baselines", () => {
  const baseline = tmp.file("baseline.json");

  it("--write-baseline records every failing finding and mutes them (exit 0)", async () => {
    const w = await fromSnapshot("--format", "json", "--write-baseline", baseline);
    expect(w.code).toBe(0);
    const r = parseValidReport(w.stdout);
    expect(r.summary.status.fail).toBe(0);
    expect(r.summary.status.muted).toBe(liveReport.summary.status.fail);
    const file = JSON.parse(readFileSync(baseline, "utf8")) as { kind: string; findings: { fingerprint: string }[] };
    expect(file.kind).toBe("s3-log-auditor-baseline");
    expect(file.findings).toHaveLength(liveReport.summary.status.fail);
  });

  it("--baseline mutes listed findings; a finding missing from it fails the gate", async () => {
    const all = await fromSnapshot("--format", "json", "--baseline", baseline);
    expect(all.code).toBe(0);
    expect(parseValidReport(all.stdout).findings.every((f) => f.status === "muted")).toBe(true);

    const file = JSON.parse(readFileSync(baseline, "utf8")) as { findings: { ruleId: string; bucket: string }[] };
    const partial = tmp.file("partial-baseline.json");
    writeFileSync(partial, JSON.stringify({ ...file, findings: file.findings.filter((e) => !(e.ruleId === "target-not-source")) }));
    const r = await fromSnapshot("--format", "json", "--baseline", partial);
    expect(r.code).toBe(1);
    const failing = parseValidReport(r.stdout).findings.filter((f) => f.status === "fail");
    expect(failing.map((f) => [f.ruleId, f.bucket])).toEqual([["target-not-source", "demo-loop-self-prod-audit"]]);
    expect((await fromSnapshot("--format", "json", "--baseline", partial, "--fail-on", "high")).code).toBe(1);
  });

  it("accepts an earlier JSON report as the baseline", async () => {
    const old = tmp.file("old-report.json");
    writeFileSync(old, live.stdout);
    const r = await fromSnapshot("--format", "json", "--baseline", old);
    expect(r.code).toBe(0);
    expect(parseValidReport(r.stdout).summary.status.muted).toBe(liveReport.summary.status.fail);
  });
});

describe("output formats", () => {
  it("sarif: SARIF 2.1.0 with a result per finding", async () => {
    const r = await fromSnapshot("--format", "sarif");
    expect(r.code).toBe(1);
    const s = JSON.parse(r.stdout) as {
      version: string;
      runs: { tool: { driver: { rules: { id: string }[] } }; results: { ruleId: string; level: string; message: { text: string }; locations: { logicalLocations: { fullyQualifiedName: string }[] }[]; partialFingerprints: Record<string, string> }[] }[];
    };
    expect(s.version).toBe("2.1.0");
    const run = s.runs[0]!;
    const fingerprints = new Set(liveReport.findings.filter((f) => f.status === "fail").map((f) => f.fingerprint));
    expect(run.tool.driver.rules.map((x) => x.id).sort()).toEqual(allRules().filter((x) => !x.meta.optIn).map((x) => x.meta.id).sort());
    expect(run.results).toHaveLength(liveReport.summary.status.fail);
    for (const res of run.results) {
      expect(run.tool.driver.rules.some((x) => x.id === res.ruleId)).toBe(true);
      expect(["error", "warning", "note"]).toContain(res.level);
      expect(res.message.text.length).toBeGreaterThan(0);
      expect(res.locations[0]!.logicalLocations[0]!.fullyQualifiedName).toMatch(/^arn:aws:s3:::demo-/);
      expect(fingerprints.has(Object.values(res.partialFingerprints)[0]!)).toBe(true);
    }
    expect(CONTROL_CHARS.test(r.stdout.replace(/\n/g, ""))).toBe(false);
  });

  it("junit: well-formed XML with a failure per failing finding", async () => {
    const r = await fromSnapshot("--format", "junit", "--include-passed");
    expect(XMLValidator.validate(r.stdout)).toBe(true);
    const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(r.stdout) as { testsuites: { tests: string; failures: string; errors: string } };
    expect(Number(doc.testsuites.failures)).toBe(liveReport.summary.status.fail);
    expect(Number(doc.testsuites.tests)).toBe(liveReport.findings.length);
    expect(Number(doc.testsuites.errors)).toBe(0);
  });

  it("markdown and table: readable, table grouped and without colour in a pipe", async () => {
    const md = await fromSnapshot("--format", "markdown");
    expect(md.stdout).toContain("| fail | critical | `target-not-source` | `222222222222` | us-east-1 | `demo-loop-self-prod-audit` |");
    expect(CONTROL_CHARS.test(md.stdout.replace(/\n/g, ""))).toBe(false);
    const table = await fromSnapshot("--format", "table");
    expect(table.code).toBe(1);
    expect(table.stdout).toContain(`Account ${PROD}`);
    expect(table.stdout).toMatch(/demo-loop-self-prod-audit\n\s+CRITICAL\s+target-not-source/);
    expect(table.stdout).toMatch(/^Summary: 48 buckets in 4 accounts: \d+ failing \(/m);
    expect(table.stdout).not.toContain("\u001b");
    for (const line of table.stdout.split("\n")) expect(line.length).toBeLessThanOrEqual(80);
  });

  it("colours the table only when forced, never with NO_COLOR, never in JSON", async () => {
    const forced = await fromSnapshot("--format", "table", "--rules", "target-not-source");
    expect(forced.stdout).not.toContain("\u001b[");
    const colour = await runCli(["scan", "--from-snapshot", snapshotFile, "--format", "table", "--rules", "target-not-source"], { env: { FORCE_COLOR: "1" } });
    expect(colour.stdout).toContain("\u001b[");
    const noColour = await runCli(["scan", "--from-snapshot", snapshotFile, "--format", "table", "--rules", "target-not-source"], { env: { FORCE_COLOR: "1", NO_COLOR: "1" } });
    expect(noColour.stdout).not.toContain("\u001b[");
    const json = await runCli(["scan", "--from-snapshot", snapshotFile, "--format", "json"], { env: { FORCE_COLOR: "1" } });
    expect(json.stdout).not.toContain("\u001b");
  });

  it("--output writes the file (format from its extension) and leaves stdout empty", async () => {
    const out = tmp.file("report.sarif");
    const r = await fromSnapshot("--output", out);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`Report (sarif) written to ${out}`);
    expect((JSON.parse(readFileSync(out, "utf8")) as { version: string }).version).toBe("2.1.0");
  });
});

describe("a reader that goes away", () => {
  it("(`| head`) ends the output quietly: no stack trace, the scan's own exit code", async () => {
    const child = spawn(process.execPath, [CLI, "scan", "--from-snapshot", snapshotFile, "--format", "json", "--include-passed"], {
      cwd: ROOT,
      env: cleanEnv(),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.setEncoding("utf8").on("data", (d: string) => (stderr += d));
    child.stdout.once("data", () => child.stdout.destroy());
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(stderr).toBe("");
    expect(code).toBe(1);
  });
});

describe("AccessDenied on a single read", () => {
  const TARGET = "demo-logs-222222222222-us-east-1";

  it("makes the affected rules error, completes the rest and exits 3 (1/0 with --allow-partial)", async () => {
    sim.setFaults({ rules: [{ effect: "deny", service: "s3", operation: "GetBucketPolicy", bucket: TARGET }] });
    try {
      const r = await runCli([...scanArgs(), "--format", "json", "--include-passed"]);
      expect(r.code).toBe(3);
      const rep = parseValidReport(r.stdout);
      expect(rep.summary.complete).toBe(false);
      expect(rep.errors).toEqual([
        expect.objectContaining({ account: PROD, region: "us-east-1", bucket: TARGET, operation: "GetBucketPolicy", code: "AccessDenied" }),
      ]);
      const key = (f: Report["findings"][number]) => `${f.ruleId} ${f.account} ${f.bucket}`;
      const before = new Map(liveReport.findings.map((f) => [key(f), f]));
      const changed = rep.findings.filter((f) => before.get(key(f))?.status !== f.status);
      // only delivery-permitted of sources logging into TARGET became errors; nothing else moved
      expect(changed.length).toBeGreaterThan(0);
      for (const f of changed) {
        expect(f.ruleId).toBe("delivery-permitted");
        expect(f.status).toBe("error");
        expect(rep.buckets.find((b) => b.name === f.bucket && b.account === f.account)!.logging.targetBucket).toBe(TARGET);
        expect(["pass", "fail"]).toContain(before.get(key(f))!.status);
        expect(f.message).toContain("AccessDenied");
      }
      expect(rep.findings.length).toBe(liveReport.findings.length);
      expect(rep.summary.status.error).toBe(changed.length);

      const partial = await runCli([...scanArgs(), "--format", "json", "--allow-partial"]);
      expect(partial.code).toBe(1);
      const clean = await runCli([...scanArgs(), "--format", "json", "--allow-partial", "--fail-on", "none"]);
      expect(clean.code).toBe(0);
      const strict = await runCli([...scanArgs(), "--format", "json", "--fail-on", "none"]);
      expect(strict.code).toBe(3);
    } finally {
      sim.setFaults({});
    }
  });
});
