/** Option validation of scan/demo/fix, in-process (the CLI tests spawn only a few of these). */
import { Command } from "@commander-js/extra-typings";
import { describe, expect, it } from "vitest";
import { InputError } from "../../src/base/errors.js";
import { flagNames, parseOptions } from "../../src/cli/options/parse.js";
import { addReportFlags } from "../../src/cli/options/report.js";
import { scanCommandSchema } from "../../src/cli/options/scan.js";
import { addTargetFlags, collectList } from "../../src/cli/options/target.js";
import { shard } from "../../src/cli/options/values.js";
import type { ReportFormat } from "../../src/output/format.js";
import { parseSnapshot } from "../../src/app/snapshots.js";
import type { RuleMeta } from "../../src/engine/define-rule.js";
import { A1, bucket, noLogging, snapshot } from "../output/fixtures.js";

const catalog = [{ id: "logging-enabled" }, { id: "target-not-source" }] as RuleMeta[];
const names = flagNames(addReportFlags(addTargetFlags(new Command())) as never);
const parseAll = (raw: Record<string, unknown>, stdoutFormat: ReportFormat = "json") =>
  parseOptions(scanCommandSchema({ catalog }, stdoutFormat), { roleName: "OrganizationAccountAccessRole", failOn: "low", ...raw }, names);
const parse = (raw: Record<string, unknown>) => parseAll(raw).scan;
const parseOutputOptions = (raw: Record<string, unknown>, tty: boolean) => parseAll(raw, tty ? "table" : "json").report;

describe("the scan schema", () => {
  it("builds typed options with defaults", () => {
    const o = parse({ org: true, regions: ["eu-west-1", "eu-west-1"], buckets: ["prod-*"], shard: "2/3", concurrency: "16" });
    expect(o.target).toEqual({
      org: true,
      regions: ["eu-west-1"],
      bucketGlobs: ["prod-*"],
      roleName: "OrganizationAccountAccessRole",
      concurrency: 16,
      shard: { index: 2, count: 3 },
    });
    expect(o).toMatchObject({ includePassed: false, failOn: "low", allowPartial: false, quiet: false });
    // Without the flag logging-enabled keeps its declared default (exemptLogTargets true).
    expect(o.ruleOptions?.["logging-enabled"]?.exemptLogTargets).toBeUndefined();
    expect(parse({ exemptLogTargets: false }).ruleOptions).toEqual({ "logging-enabled": { exemptLogTargets: false } });
    expect(parse({ rules: ["target-not-source"] }).rules).toEqual(["target-not-source"]);
  });

  const bad: [string, Record<string, unknown>, string | RegExp][] = [
    ["unknown rules", { rules: ["x", "y"] }, "--rules: unknown rules x, y"],
    ["account id", { accounts: ["1234"] }, '--accounts: account ids are 12 digits, got "1234"'],
    ["excluded account id", { excludeAccounts: ["abc"] }, "12 digits"],
    ["Region", { regions: ["EU"] }, '--regions: not a Region name: "EU"'],
    ["org + accounts", { org: true, accounts: [A1] }, "--org and --accounts cannot be combined"],
    ["shard without targets", { shard: "1/2" }, "--shard needs --org or --accounts"],
    ["shard 0/2", { org: true, shard: "0/2" }, "--shard must be I/N"],
    ["concurrency 0", { concurrency: "0" }, "between 1 and 1024"],
    ["concurrency text", { perAccountConcurrency: "many" }, "positive integer"],
    ["endpoint scheme", { endpointUrl: "ftp://x" }, "must be http(s)"],
    ["endpoint", { endpointUrl: "::" }, "not a URL"],
    ["role name", { roleName: "bad role" }, "not a valid IAM role name"],
    ["snapshot + concurrency", { fromSnapshot: "s.json", concurrency: "4" }, "--concurrency cannot be combined with --from-snapshot"],
    ["snapshot + role", { fromSnapshot: "s.json", roleName: "Audit" }, "--role-name cannot be combined"],
    ["snapshot + save", { fromSnapshot: "s.json", saveSnapshot: "t.json" }, "--save-snapshot cannot be combined"],
    ["window without the check", { deliveryWindow: "2d" }, "--delivery-window needs --check-delivery"],
    ["bad window", { checkDelivery: true, deliveryWindow: "2 weeks" }, '--delivery-window: expected a duration like 48h or 2d (at most 90d), got "2 weeks"'],
    ["canary offline", { checkDelivery: true, sinceSnapshot: "a.json", fromSnapshot: "b.json" }, "--since-snapshot cannot be combined with --from-snapshot"],
    ["severity", { severity: ["urgent", "low"] }, "--severity: not a severity: urgent"],
  ];
  it.each(bad)("rejects %s", (_n, raw, msg) => {
    expect(() => parse(raw)).toThrow(InputError);
    expect(() => parse(raw)).toThrow(msg);
  });
});

describe("small parsers", () => {
  it("splits and accumulates lists", () => {
    expect(collectList("a, b,,c", undefined)).toEqual(["a", "b", "c"]);
    expect(collectList("d", ["a"])).toEqual(["a", "d"]);
  });
  it("parses shards", () => {
    expect(shard.parse("3/3")).toEqual({ index: 3, count: 3 });
    for (const s of ["1/0", "4/3", "a/b", "1", "-1/2"]) expect(shard.safeParse(s).success).toBe(false);
  });
  it("names a value from the configuration file by its key", () => {
    const fromFile = flagNames(addTargetFlags(new Command()) as never, { org: "scope.org in team.yaml", accounts: "scope.accounts in team.yaml" });
    expect(() => parseOptions(scanCommandSchema({ catalog }, "json"), { org: true, accounts: [A1] }, fromFile)).toThrow(
      "scope.org in team.yaml and scope.accounts in team.yaml cannot be combined",
    );
  });
  it("takes the delivery window in hours, 48 by default, and adds the delivery rule to --rules", () => {
    expect(parse({ checkDelivery: true }).delivery).toEqual({ windowHours: 48 });
    const o = parse({ checkDelivery: true, deliveryWindow: "3d", sinceSnapshot: "a.json", rules: ["logging-enabled"] });
    expect(o.delivery).toEqual({ windowHours: 72, sinceSnapshot: "a.json" });
    expect(o.rules).toEqual(["logging-enabled", "logs-delivered"]);
  });
  it("chooses the output format", () => {
    expect(parseOutputOptions({}, true)).toEqual({ format: "table", formatExplicit: false, files: [] });
    expect(parseOutputOptions({}, false)).toEqual({ format: "json", formatExplicit: false, files: [] });
    expect(parseOutputOptions({ output: ["x.sarif"] }, true)).toEqual({ format: "sarif", formatExplicit: false, output: "x.sarif", files: [{ file: "x.sarif", format: "sarif" }] });
    expect(parseOutputOptions({ format: "markdown", output: ["x.json"] }, true)).toEqual({
      format: "markdown",
      formatExplicit: true,
      output: "x.json",
      files: [{ file: "x.json", format: "markdown" }],
    });
    expect(parseOutputOptions({ output: ["a.sarif", "b.html", "c.csv"] }, true).files).toEqual([
      { file: "a.sarif", format: "sarif" },
      { file: "b.html", format: "html" },
      { file: "c.csv", format: "csv" },
    ]);
    expect(() => parseOutputOptions({ output: ["report.pdf"] }, true)).toThrow("--output report.pdf: the extension names no report format");
    expect(() => parseOutputOptions({ output: ["a.json", "b.sarif"], format: "json" }, true)).toThrow("--format applies to a single --output");
    expect(() => parseOutputOptions({ output: ["a.json", "./a.json"] }, true)).toThrow("--output ./a.json is given twice");
  });
});

describe("parseSnapshot", () => {
  const snap = snapshot([bucket(A1, "us-east-1", "b", noLogging)]);
  it("round-trips a valid snapshot", () => {
    expect(parseSnapshot(JSON.stringify(snap), "s.json")).toEqual(snap);
  });
  it.each([
    ["[]", "is not an s3-log-auditor snapshot"],
    ["null", "is not an s3-log-auditor snapshot"],
    [JSON.stringify({ ...snap, schemaVersion: "1" }), 'has schemaVersion "1"'],
    [JSON.stringify({ ...snap, partition: 7 }), "is malformed at partition"],
    [JSON.stringify({ ...snap, buckets: [{ ...snap.buckets[0], logging: { status: "maybe" } }] }), "is malformed at buckets.0.logging.status"],
    ['{"kind": "s3-log-auditor-snapshot",', "is not valid JSON"],
  ])("rejects %s", (text, msg) => {
    expect(() => parseSnapshot(text, "s.json")).toThrow(msg);
  });
});
