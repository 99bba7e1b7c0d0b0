/** Bad flags, unreadable files and malformed inputs: one line on stderr, exit 2, nothing done. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allRules } from "../../rules/index.js";
import { readmeSection } from "../../src/output/catalog.js";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT, expectUsageError, runCli, tempDir } from "./helpers.js";
import { A1, bucket, noLogging, snapshot } from "../output/fixtures.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

const good = tmp.file("good-snapshot.json");
writeFileSync(good, JSON.stringify(snapshot([bucket(A1, "us-east-1", "lonely", noLogging)])));
const notJson = tmp.file("not-json.json");
writeFileSync(notJson, "{ this is not json");
const wrongKind = tmp.file("wrong-kind.json");
writeFileSync(wrongKind, JSON.stringify({ hello: "world" }));
const otherVersion = tmp.file("v2.json");
writeFileSync(otherVersion, JSON.stringify({ ...snapshot([]), schemaVersion: 2 }));
const malformed = tmp.file("malformed.json");
writeFileSync(malformed, JSON.stringify({ ...snapshot([]), buckets: [{ account: A1, name: "x" }] }));
const reportV2 = tmp.file("report-v2.json");
writeFileSync(reportV2, JSON.stringify({ schemaVersion: 2, findings: [] }));

describe.concurrent("usage errors exit 2 with one line", () => {
  // One case per kind of mistake; the full matrix of option validation is unit-tested in-process
  // (test/cli/scan-options.test.ts), each spawn costs about a second of CPU.
  const cases: [string, string[], RegExp | string][] = [
    ["unknown option", ["scan", "--bogus"], "unknown option '--bogus'"],
    ["unknown command (suggestion on the same line)", ["scna"], "unknown command 'scna' (Did you mean scan?)"],
    ["bad --format", ["scan", "--format", "xml"], /--format.*xml/],
    ["bad --fail-on", ["scan", "--fail-on", "severe"], /--fail-on.*severe/],
    ["unknown rule", ["scan", "--from-snapshot", good, "--rules", "logging-enabled,no-such-rule"], "unknown rule no-such-rule"],
    ["bad shard", ["scan", "--org", "--shard", "4/3"], "--shard must be I/N"],
    ["bad account id", ["scan", "--accounts", "12345"], 'account ids are 12 digits, got "12345"'],
    ["missing snapshot", ["scan", "--from-snapshot", tmp.file("missing.json")], /cannot read snapshot .*missing\.json: ENOENT/],
    ["snapshot not JSON", ["scan", "--from-snapshot", notJson], "is not valid JSON"],
    ["not a snapshot", ["scan", "--from-snapshot", wrongKind], "is not an s3-log-auditor snapshot"],
    ["other snapshot version", ["scan", "--from-snapshot", otherVersion], "has schemaVersion 2; this version of the tool reads version 1"],
    ["malformed snapshot", ["scan", "--from-snapshot", malformed], /is malformed at buckets\.0\./],
    ["snapshot with --org", ["scan", "--from-snapshot", good, "--org"], "--org cannot be combined with --from-snapshot"],
    ["missing baseline", ["scan", "--from-snapshot", good, "--baseline", tmp.file("nope.json")], /cannot read baseline .*ENOENT/],
    ["unwritable output", ["scan", "--from-snapshot", good, "--output", "/nonexistent-dir/r.json"], /--output .*not writable/],
    ["merge without files", ["merge"], "missing required argument 'files'"],
    ["merge other version", ["merge", reportV2], "has report schemaVersion 2; this tool merges version 1 only"],
    ["merge a snapshot", ["merge", good], "is a snapshot (--save-snapshot), not a report"],
  ];
  it.each(cases)("%s", async (_name, args, pattern) => {
    expectUsageError(await runCli(args), pattern);
  });
});

describe.concurrent("offline evaluation of a hand-written snapshot", () => {
  it("needs no credentials and no network", async () => {
    const r = await runCli(["scan", "--from-snapshot", good, "--format", "json"], {
      env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "", AWS_ENDPOINT_URL: "http://127.0.0.1:9" },
    });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout) as { findings: { ruleId: string; bucket: string; status: string }[] };
    expect(report.findings).toContainEqual(expect.objectContaining({ ruleId: "logging-enabled", bucket: "lonely", status: "fail" }));
  });

  it("honours --fail-on and --rules", async () => {
    const medium = await runCli(["scan", "--from-snapshot", good, "--fail-on", "high", "--format", "json"]);
    expect(medium.code).toBe(0);
    const none = await runCli(["scan", "--from-snapshot", good, "--rules", "target-not-source", "--format", "json"]);
    expect(none.code).toBe(0);
    expect((JSON.parse(none.stdout) as { scope: { rules: string[] } }).scope.rules).toEqual(["target-not-source"]);
  });

  it("rules --format md is exactly the README rules section; --format json lists the catalog", async () => {
    const md = await runCli(["rules", "--format", "md"]);
    expect(md.code).toBe(0);
    expect(md.stdout).toBe(readmeSection(readFileSync(join(ROOT, "README.md"), "utf8"), "rules"));
    const json = await runCli(["rules", "--format", "json"]);
    type Listed = { id: string; severity: string; failsWhen: string; fix: string; options: { name: string; type: string; default: unknown; description: string }[] };
    const listed = (JSON.parse(json.stdout) as { rules: Listed[] }).rules;
    expect(listed.map((r) => r.id)).toEqual(allRules().map((r) => r.meta.id));
    // Each rule's options as its meta declares them (name, type, default, description); none: an empty list.
    for (const [i, rule] of allRules().entries()) {
      const declared = Object.entries(rule.meta.options ?? {}).map(([name, spec]) => ({ name, ...spec }));
      expect(listed[i]!.options, rule.meta.id).toEqual(declared);
    }
    expect(listed.find((r) => r.id === "logging-enabled")!.options).toContainEqual(expect.objectContaining({ name: "exemptLogTargets", type: "boolean", default: true }));
  });

  it("prints help and version with exit 0", async () => {
    const help = await runCli(["scan", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--fail-on <severity>");
    expect(help.stdout).toContain("Exit codes");
    const v = await runCli(["--version"]);
    expect(v.code).toBe(0);
    expect(v.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
