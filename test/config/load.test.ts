/** The configuration file: every field valid and invalid, with the line and field in each error. */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { allRules } from "../../rules/index.js";
import { InputError } from "../../src/base/errors.js";
import { findConfigFile, parseConfigText } from "../../src/config/load.js";
import { readmeSection } from "../../src/output/catalog.js";
import { configJsonSchemaText } from "../../src/schema/report-schema.js";

const CATALOG = allRules().map((r) => r.meta);
const parse = (text: string, label = "s3-log-auditor.yaml") => parseConfigText(text, label, CATALOG);

const FULL = `version: 1
rules:
  target-prefix-structured:
    enabled: false
  target-same-region:
    severity: medium
  logging-enabled:
    options:
      exemptLogTargets: false
  target-no-object-lock-retention:
    options:
      strictObjectLock: true
scope:
  org: true
  excludeAccounts: [999999999999]
  regions: [us-east-1, eu-west-1]
  buckets: ["prod-*"]
  excludeBuckets: ["tmp-*"]
  roleName: AuditRole
  externalIdEnv: S3LA_EXTERNAL_ID
fix:
  logBucketTemplate: "logs-{account}-{region}"
  retentionDays: 400
  keyFormat: simple
exceptions:
  - rule: logging-enabled
    account: "111122223333"
    bucket: "scratch-*"
    reason: scratch buckets hold no data
    owner: platform-team
    expires: 2027-06-30
`;

describe("configuration file", () => {
  it("accepts a full file; unquoted account ids come back as 12-digit strings", () => {
    const c = parse(FULL);
    expect(c.rules?.["target-same-region"]?.severity).toBe("medium");
    expect(c.scope?.excludeAccounts).toEqual(["999999999999"]);
    expect(c.fix).toEqual({ logBucketTemplate: "logs-{account}-{region}", retentionDays: 400, keyFormat: "simple" });
    expect(c.exceptions?.[0]).toMatchObject({ reason: "scratch buckets hold no data", owner: "platform-team", expires: "2027-06-30" });
    expect(parse(JSON.stringify({ rules: { "logging-enabled": { enabled: false } } }), "s3-log-auditor.json").rules?.["logging-enabled"]?.enabled).toBe(false);
    expect(parse("")).toEqual({});
  });

  const BAD: [string, string, RegExp][] = [
    ["unknown top-level field", "rulez: {}\n", /^s3-log-auditor\.yaml:1: unknown field 'rulez'$/],
    ["unknown rule", "rules:\n  no-such-rule:\n    enabled: false\n", /:2: rules\.no-such-rule: unknown rule 'no-such-rule'/],
    ["bad severity", "rules:\n  logging-enabled:\n    severity: urgent\n", /:3: rules\.logging-enabled\.severity: expected one of "critical"/],
    ["enabled not a boolean", "rules:\n  logging-enabled:\n    enabled: maybe\n", /:3: rules\.logging-enabled\.enabled: expected boolean/],
    ["undeclared rule option", "rules:\n  logging-enabled:\n    options:\n      strict: true\n", /:4: rules\.logging-enabled\.options\.strict: rule logging-enabled has no option 'strict' \(it has: exemptLogTargets\)/],
    ["option of the wrong type", "rules:\n  target-no-object-lock-retention:\n    options:\n      strictObjectLock: yes-please\n", /:4: .*strictObjectLock: expected a boolean/],
    ["unknown rule field", "rules:\n  logging-enabled:\n    level: high\n", /:2: rules\.logging-enabled: unknown field 'level'/],
    ["org not a boolean", "scope:\n  org: yes please\n", /:2: scope\.org: expected boolean/],
    ["bad account id", "scope:\n  accounts: [\"1234\"]\n", /:2: scope\.accounts\[0\]: an account id is 12 digits/],
    ["bad excluded account", "scope:\n  excludeAccounts: [abc]\n", /scope\.excludeAccounts\[0\]: an account id is 12 digits/],
    ["bad Region", "scope:\n  regions: [mars-1]\n", /:2: scope\.regions\[0\]: not a Region name/],
    ["empty include glob", "scope:\n  buckets: [\"\"]\n", /scope\.buckets\[0\]: a glob cannot be empty/],
    ["empty exclude glob", "scope:\n  excludeBuckets: [\"\"]\n", /scope\.excludeBuckets\[0\]: a glob cannot be empty/],
    ["bad role name", "scope:\n  roleName: \"no spaces allowed\"\n", /:2: scope\.roleName: not a valid IAM role name/],
    ["external id itself instead of a variable name", "scope:\n  externalIdEnv: \"s3cr3t-value!\"\n", /scope\.externalIdEnv: the NAME of an environment variable/],
    ["unknown scope field", "scope:\n  profile: x\n", /:1: scope: unknown field 'profile'/],
    ["empty template", "fix:\n  logBucketTemplate: \"\"\n", /:2: fix\.logBucketTemplate:/],
    ["retention not an integer", "fix:\n  retentionDays: 1.5\n", /:2: fix\.retentionDays:/],
    ["retention out of range", "fix:\n  retentionDays: 0\n", /fix\.retentionDays:/],
    ["bad key format", "fix:\n  keyFormat: flat\n", /:2: fix\.keyFormat: expected one of "partitioned", "simple"/],
    ["exception without reason", "exceptions:\n  - rule: logging-enabled\n    owner: me\n", /:2: exceptions\[0\]\.reason: missing/],
    ["exception with blank reason", "exceptions:\n  - rule: logging-enabled\n    owner: me\n    reason: \"  \"\n", /:4: exceptions\[0\]\.reason: an exception needs a reason/],
    ["exception without owner", "exceptions:\n  - rule: logging-enabled\n    reason: r\n", /exceptions\[0\]\.owner: missing/],
    ["exception without selector", "exceptions:\n  - reason: r\n    owner: me\n", /:2: exceptions\[0\]: an exception needs a selector/],
    ["exception with a bad date", "exceptions:\n  - rule: logging-enabled\n    reason: r\n    owner: me\n    expires: 31/01/2027\n", /:5: exceptions\[0\]\.expires: a date is YYYY-MM-DD/],
    ["exception with an impossible date", "exceptions:\n  - rule: logging-enabled\n    reason: r\n    owner: me\n    expires: 2027-02-31\n", /exceptions\[0\]\.expires: not a calendar date/],
    ["exception with an unknown rule", "exceptions:\n  - rule: nope\n    reason: r\n    owner: me\n", /:2: exceptions\[0\]\.rule: unknown rule 'nope'/],
    ["exception with a bad account", "exceptions:\n  - account: \"12\"\n    reason: r\n    owner: me\n", /exceptions\[0\]\.account: an account id is 12 digits/],
    ["exceptions not a list", "exceptions: {}\n", /:1: exceptions: expected array/],
    ["wrong version", "version: 2\n", /:1: version:/],
    ["not a mapping", "- a\n- b\n", /:1: expected a mapping of settings .*got a list/],
    ["YAML syntax error", "rules:\n  logging-enabled: [\n", /^s3-log-auditor\.yaml:\d+: not valid YAML: /],
    ["duplicate key", "scope:\n  org: true\n  org: false\n", /:\d+: not valid YAML: .*[Mm]ap keys must be unique/],
  ];
  it.each(BAD)("%s: one line with file, line and field", (_, text, pattern) => {
    let err: unknown;
    try {
      parse(text);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InputError);
    const msg = (err as Error).message;
    expect(msg).toMatch(pattern);
    expect(msg).not.toContain("\n");
  });

  it("the README's full example file is valid", () => {
    const section = readmeSection(readFileSync(join(import.meta.dirname, "..", "..", "README.md"), "utf8"), "config");
    const example = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const c = parse(example);
    expect(Object.keys(c).sort()).toEqual(["exceptions", "fix", "rules", "scope", "version"]);
    expect(c.exceptions!.every((e) => e.reason && e.owner)).toBe(true);
  });

  it("JSON errors name the line too", () => {
    expect(() => parse('{\n  "scope": {\n    "regions": ["x"]\n  }\n}\n', "s3-log-auditor.json")).toThrow(/^s3-log-auditor\.json:3: scope\.regions\[0\]: not a Region name/);
  });

  it("is found in the working directory; two files at once is an error", () => {
    const dir = mkdtempSync(join(tmpdir(), "s3la-cfg-"));
    try {
      expect(findConfigFile(dir)).toBeUndefined();
      writeFileSync(join(dir, "s3-log-auditor.yaml"), "{}\n");
      expect(findConfigFile(dir)).toBe(join(dir, "s3-log-auditor.yaml"));
      writeFileSync(join(dir, "s3-log-auditor.json"), "{}\n");
      expect(() => findConfigFile(dir)).toThrow(/keep one configuration file/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("rule options come from the rules' meta.options: a new option is accepted, checked and published without touching the loader", () => {
    const meta = { ...CATALOG.find((m) => m.id === "target-exists")!, options: { maxAgeDays: { type: "number" as const, default: 7, description: "days" } } };
    const catalog = CATALOG.map((m) => (m.id === meta.id ? meta : m));
    const ok = parseConfigText("rules:\n  target-exists:\n    options:\n      maxAgeDays: 3\n", "c.yaml", catalog);
    expect(ok.rules?.["target-exists"]?.options).toEqual({ maxAgeDays: 3 });
    expect(() => parseConfigText("rules:\n  target-exists:\n    options:\n      maxAgeDays: soon\n", "c.yaml", catalog)).toThrow(/:4: .*maxAgeDays: expected a number/);
    const schema = JSON.parse(configJsonSchemaText(catalog)) as { properties: { rules: { properties: Record<string, { properties: { options: unknown } }> } } };
    expect(schema.properties.rules.properties["target-exists"]?.properties.options).toMatchObject({
      properties: { maxAgeDays: { type: "number", default: 7, description: "days" } },
      additionalProperties: false,
    });
  });

  it("the published JSON Schema is generated (npx tsx src/schema/generate.ts) and accepts the full example", () => {
    const committed = readFileSync(join(import.meta.dirname, "..", "..", "src/schema/config-v1.schema.json"), "utf8");
    expect(committed).toBe(configJsonSchemaText(allRules().map((r) => r.meta)));
    const validate = new Ajv2020({ strict: false, allErrors: true }).compile(JSON.parse(committed) as object);
    expect(validate(parse(FULL)), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ scope: { org: "yes" } })).toBe(false);
    expect(validate({ exceptions: [{ rule: "x", owner: "o" }] })).toBe(false);
  });
});
