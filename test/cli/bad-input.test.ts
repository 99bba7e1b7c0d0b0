/**
 * Bad input, in the style of a RuleTester table: malformed invocations of every command — flags,
 * files, plan files, journals, baselines, snapshots, scenario files, log sources — each run through
 * the built CLI, asserting the documented exit code, exactly one line on stderr (prefixed with the
 * tool's name) and no stack frame. Cases run a few at a time; the few that need AWS
 * talk to one simulator on 127.0.0.1, the others get an endpoint where nothing listens (a case
 * that reached AWS would fail there, not pass).
 */
import { spawn } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import pLimit from "p-limit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../../src/sim/index.js";
import { CLI, cliEnv, runCli, tempDir, type Sim } from "../fix/helpers.js";
import { JOURNAL_HEADER_LINE } from "./helpers.js";
import { fixScenario } from "../fix/scenario.js";

/** One malformed invocation. `$name` in an argument is a file of the fixture folder. */
interface BadCase {
  /** What is wrong, for the test name. */
  name: string;
  args: string[];
  /** The documented exit code (2 = bad usage or input, 3 = AWS failure). */
  code: number;
  /** The one stderr line must match this. */
  message?: RegExp;
  /** Needs the simulator (otherwise AWS is unreachable): the healthy one, or one whose STS fails. */
  sim?: "ok" | "sts-error";
  /** Extra environment. */
  env?: Record<string, string>;
}

const ACCOUNT = "111111111111";
const journalWrite = (extra: Record<string, unknown>) =>
  JSON.stringify({
    type: "write",
    seq: 1,
    at: "2026-01-01T00:00:01.000Z",
    stepId: "step-001",
    account: ACCOUNT,
    region: "us-east-1",
    bucket: "app-data",
    operation: "PutBucketLogging",
    resource: "logging",
    prior: null,
    intended: null,
    ...extra,
  });

/** The files bad cases point at (written once into a temp folder). */
function fixtures(validPlan: string, validSnapshot: string, validReport: string): Record<string, string> {
  const plan = JSON.parse(validPlan) as Record<string, unknown> & { steps: Record<string, unknown>[] };
  const withSteps = (steps: unknown[]) => JSON.stringify({ ...plan, steps });
  const step0 = plan.steps[0]!;
  const logging = plan.steps.find((x) => x.operation === "PutBucketLogging" && !x.manual)!;
  const snapshot = JSON.parse(validSnapshot) as Record<string, unknown>;
  return {
    "notes.txt": "just some notes\n",
    "empty.json": "",
    "broken.json": "{ not json",
    "array.json": "[1, 2, 3]\n",
    "null.json": "null\n",
    "plan-other-kind.json": JSON.stringify({ kind: "something-else" }),
    "plan-v2.json": JSON.stringify({ ...plan, schemaVersion: 2 }),
    "plan-steps-string.json": JSON.stringify({ ...plan, steps: "x" }),
    "plan-bad-operation.json": withSteps([{ ...step0, operation: "DeleteBucket" }]),
    "plan-dup-ids.json": withSteps([step0, step0]),
    "plan-forward-dep.json": withSteps([{ ...step0, dependsOn: ["step-999"] }]),
    "plan-no-options.json": JSON.stringify({ ...plan, options: undefined }),
    "plan-bad-days.json": JSON.stringify({ ...plan, options: { ...(plan.options as object), logRetentionDays: -3 } }),
    "plan-account-number.json": withSteps([{ ...step0, account: 111111111111 }]),
    "plan-region-mars.json": withSteps([{ ...step0, region: "mars-1" }]),
    "plan-bucket-path.json": withSteps([{ ...step0, bucket: "../../etc" }]),
    "plan-self-dep.json": withSteps([{ ...step0, dependsOn: [step0.id] }]),
    "plan-cycle.json": withSteps([{ ...step0, dependsOn: ["s-two"] }, { ...step0, id: "s-two", dependsOn: [step0.id] }]),
    "plan-outside-buckets.json": JSON.stringify({ ...plan, scope: { buckets: ["only-this-bucket"] }, steps: [{ ...logging, dependsOn: [] }] }),
    "plan-outside-accounts.json": JSON.stringify({ ...plan, scope: { accounts: ["999999999999"] } }),
    "config-template-no-region.yaml": 'fix:\n  logBucketTemplate: "logs-{account}"\n',
    "config-empty-regions.yaml": "scope:\n  regions: []\n",
    "config-bad-glob.yaml": 'scope:\n  buckets: ["["]\n',
    "config-nomatch.yaml": 'scope:\n  buckets: ["nomatch-*"]\n',
    "journal-lifecycle-rules-5.jsonl": `${JOURNAL_HEADER_LINE}\n${journalWrite({ resource: "lifecycle", operation: "PutBucketLifecycleConfiguration", prior: { rules: 5 } })}\n`,
    "journal-policy-prior-string.jsonl": `${JOURNAL_HEADER_LINE}\n${journalWrite({ resource: "policy", operation: "PutBucketPolicy", prior: "not a policy" })}\n`,
    "journal-policy-raw-not-json.jsonl": `${JOURNAL_HEADER_LINE}\n${journalWrite({ resource: "policy", operation: "PutBucketPolicy", prior: { Statement: [] }, priorRaw: "{oops" })}\n`,
    "journal-logging-prior-number.jsonl": `${JOURNAL_HEADER_LINE}\n${journalWrite({ prior: 7 })}\n`,
    "journal-bucket-path.jsonl": `${JOURNAL_HEADER_LINE}\n${journalWrite({ bucket: "../../etc" })}\n`,
    "snapshot-v9.json": JSON.stringify({ ...snapshot, schemaVersion: 9 }),
    "snapshot-other-kind.json": JSON.stringify({ ...snapshot, kind: "nope" }),
    "snapshot-buckets-string.json": JSON.stringify({ ...snapshot, buckets: "x" }),
    "snapshot-plan.json": validPlan,
    "baseline-other.json": JSON.stringify({ hello: "world" }),
    "baseline-fingerprints-string.json": JSON.stringify({ kind: "s3-log-auditor-baseline", schemaVersion: 1, findings: "x" }),
    "report.json": validReport,
    "report-broken.json": validReport.slice(0, 40),
    "journal-no-header.jsonl": `${journalWrite({})}\n`,
    "journal-v2.jsonl": `${JSON.stringify({ ...JSON.parse(JOURNAL_HEADER_LINE), schemaVersion: 2 })}\n`,
    "journal-garbage.jsonl": `${JOURNAL_HEADER_LINE}\nnot json at all\n${journalWrite({})}\n`,
    "journal-bad-resource.jsonl": `${JOURNAL_HEADER_LINE}\n${journalWrite({ resource: "database" })}\n`,
    "journal-seq-string.jsonl": `${JOURNAL_HEADER_LINE}\n${journalWrite({ seq: "one" })}\n`,
    "journal-other-kind.jsonl": `${JSON.stringify({ ...JSON.parse(JOURNAL_HEADER_LINE), kind: "other-tool" })}\n`,
    "journal-empty.jsonl": "",
    "scenario-broken.yaml": "accounts: [ {id: \n",
    "scenario-no-accounts.yaml": "name: x\n",
    "scenario-bad-region.yaml": `accounts:\n  - id: "${ACCOUNT}"\n    name: A\n    buckets: [{ name: app, region: mars-1 }]\n`,
    "scenario-bad-bucket.yaml": `accounts:\n  - id: "${ACCOUNT}"\n    name: A\n    buckets: [{ name: "UPPER_case", region: us-east-1 }]\n`,
    "scenario-unknown-field.yaml": `accounts:\n  - id: "${ACCOUNT}"\n    name: A\n    colour: blue\n`,
    "scenario-short-id.yaml": `accounts:\n  - id: 12\n    name: A\n`,
    "scenario-number-id.json": JSON.stringify({ accounts: [{ id: 111111111111, name: "A" }] }),
    "scenario-bad-fault.yaml": `accounts:\n  - id: "${ACCOUNT}"\n    name: A\nfaults: { rules: [{ effect: explode }] }\n`,
  };
}

/** The table. Paths are written `$file` (fixture folder), `$dir` is the folder itself. */
const CASES: BadCase[] = [
  // ---- global -------------------------------------------------------------------------------
  { name: "unknown command", args: ["nope"], code: 2, message: /unknown command 'nope'/ },
  { name: "unknown global option", args: ["--nope"], code: 2, message: /unknown option '--nope'/ },
  { name: "misspelled command", args: ["scna"], code: 2, message: /unknown command 'scna'/ },

  // ---- scan: flags -------------------------------------------------------------------------------
  { name: "scan: unknown option", args: ["scan", "--nope"], code: 2, message: /unknown option '--nope'/ },
  { name: "scan: unknown format", args: ["scan", "--format", "xml"], code: 2, message: /argument 'xml' is invalid/ },
  { name: "scan: --format without value", args: ["scan", "--format"], code: 2, message: /argument missing/ },
  { name: "scan: unknown --fail-on", args: ["scan", "--fail-on", "extreme"], code: 2, message: /argument 'extreme' is invalid/ },
  { name: "scan: --concurrency 0", args: ["scan", "--concurrency", "0"], code: 2, message: /--concurrency must be between 1 and 1024/ },
  { name: "scan: --concurrency not a number", args: ["scan", "--concurrency", "lots"], code: 2, message: /--concurrency must be a positive integer/ },
  { name: "scan: --concurrency negative", args: ["scan", "--concurrency=-4"], code: 2, message: /--concurrency must be a positive integer/ },
  { name: "scan: --concurrency huge", args: ["scan", "--concurrency", "99999"], code: 2, message: /--concurrency must be between 1 and 1024/ },
  { name: "scan: --per-account-concurrency 1.5", args: ["scan", "--per-account-concurrency", "1.5"], code: 2, message: /--per-account-concurrency/ },
  { name: "scan: short account id", args: ["scan", "--accounts", "12"], code: 2, message: /account ids are 12 digits, got "12"/ },
  { name: "scan: account id with letters", args: ["scan", "--accounts", "11112222333a"], code: 2, message: /account ids are 12 digits/ },
  { name: "scan: bad excluded account", args: ["scan", "--org", "--exclude-accounts", "x"], code: 2, message: /account ids are 12 digits/ },
  { name: "scan: --org with --accounts", args: ["scan", "--org", "--accounts", ACCOUNT], code: 2, message: /--org and --accounts cannot be combined/ },
  { name: "scan: not a Region", args: ["scan", "--regions", "mars-1"], code: 2, message: /not a Region name: "mars-1"/ },
  { name: "scan: Region with capitals", args: ["scan", "--regions", "US-EAST-1"], code: 2, message: /not a Region name/ },
  { name: "scan: unknown rule", args: ["scan", "--rules", "no-such-rule"], code: 2, message: /unknown rule no-such-rule/ },
  { name: "scan: two unknown rules", args: ["scan", "--rules", "a,b"], code: 2, message: /unknown rules a, b/ },
  { name: "scan: --shard 0/3", args: ["scan", "--org", "--shard", "0/3"], code: 2, message: /--shard must be I\/N/ },
  { name: "scan: --shard 4/3", args: ["scan", "--org", "--shard", "4/3"], code: 2, message: /--shard must be I\/N/ },
  { name: "scan: --shard text", args: ["scan", "--org", "--shard", "half"], code: 2, message: /--shard must be I\/N/ },
  { name: "scan: --shard without accounts", args: ["scan", "--shard", "1/2"], code: 2, message: /--shard needs --org or --accounts/ },
  { name: "scan: endpoint not a URL", args: ["scan", "--endpoint-url", "notaurl"], code: 2, message: /--endpoint-url is not a URL/ },
  { name: "scan: endpoint ftp", args: ["scan", "--endpoint-url", "ftp://127.0.0.1/"], code: 2, message: /--endpoint-url must be http\(s\)/ },
  { name: "scan: bad role name", args: ["scan", "--role-name", "bad role!"], code: 2, message: /--role-name is not a valid IAM role name/ },
  { name: "scan: role name too long", args: ["scan", "--role-name", "r".repeat(65)], code: 2, message: /--role-name is not a valid IAM role name/ },
  { name: "scan: --from-snapshot with --org", args: ["scan", "--from-snapshot", "$report.json", "--org"], code: 2, message: /--org cannot be combined with --from-snapshot/ },
  { name: "scan: --from-snapshot sliced by an invalid Region", args: ["scan", "--from-snapshot", "$snapshot.json", "--regions", "mars-1"], code: 2, message: /not a Region name: "mars-1"/ },
  { name: "scan: --from-snapshot with --role-name", args: ["scan", "--from-snapshot", "$report.json", "--role-name", "Other"], code: 2, message: /--role-name cannot be combined/ },
  { name: "scan: unexpected argument", args: ["scan", "extra"], code: 2, message: /too many arguments|unknown command|excess/ },
  { name: "scan: invalid glob [", args: ["scan", "--buckets", "["], code: 2, message: /--buckets: "\[" is not a valid glob/ },
  { name: "scan: invalid glob a{b", args: ["scan", "--buckets", "app,a{b"], code: 2, message: /--buckets: "a\{b" is not a valid glob/ },
  { name: "scan: invalid excluded glob", args: ["scan", "--exclude-buckets", "x["], code: 2, message: /--exclude-buckets: "x\[" is not a valid glob/ },
  { name: "scan: glob with a trailing backslash", args: ["scan", "--buckets", "app\\"], code: 2, message: /lone backslash/ },
  { name: "scan: empty Region list", args: ["scan", "--regions", ",,,"], code: 2, message: /option '--regions <regions>' argument ',,,' is invalid\. the list is empty/ },
  { name: "scan: empty bucket list", args: ["scan", "--buckets", ""], code: 2, message: /--buckets .*the list is empty/ },
  { name: "scan: empty account list", args: ["scan", "--accounts", " , "], code: 2, message: /--accounts .*the list is empty/ },
  { name: "scan: empty skip-rules list", args: ["scan", "--skip-rules", ","], code: 2, message: /--skip-rules .*the list is empty/ },
  { name: "scan: glob that matches no bucket", args: ["scan", "--org", "-q", "--buckets", "nomatch-*"], code: 2, message: /no bucket matches the selection \(buckets nomatch-\*\): a typo\? \(pass --allow-empty/, sim: "ok" },
  { name: "scan: a Region without buckets", args: ["scan", "--org", "-q", "--regions", "us-east-99"], code: 2, message: /no bucket matches the selection \(Regions us-east-99\)/, sim: "ok" },
  { name: "scan: config scope that matches no bucket", args: ["scan", "--org", "-q", "--config", "$config-nomatch.yaml"], code: 2, message: /no bucket matches the selection \(buckets nomatch-\*\)/, sim: "ok" },
  { name: "scan: config scope with an empty Region list", args: ["scan", "--config", "$config-empty-regions.yaml"], code: 2, message: /scope\.regions: the list is empty/ },
  { name: "scan: config scope with an invalid glob", args: ["scan", "--config", "$config-bad-glob.yaml"], code: 2, message: /scope\.buckets.*is not a valid glob/ },
  { name: "scan: --from-snapshot slice that matches no bucket", args: ["scan", "--from-snapshot", "$snapshot.json", "--buckets", "zzz*"], code: 2, message: /no bucket matches the selection \(buckets zzz\*\)/ },
  { name: "scan: --from-snapshot slice of a Region without buckets", args: ["scan", "--from-snapshot", "$snapshot.json", "--regions", "us-east-99"], code: 2, message: /no bucket matches the selection \(Regions us-east-99\)/ },

  // ---- AWS failures that are not bad input ---------------------------------------------------------
  { name: "scan: GetCallerIdentity fails (AWS error → 3)", args: ["scan"], code: 3, message: /cannot determine the caller's identity \(sts:GetCallerIdentity\): InternalError/, sim: "sts-error", env: { AWS_MAX_ATTEMPTS: "2" } },
  { name: "fix: GetCallerIdentity fails (AWS error → 3)", args: ["fix", "--org", "--plan-out", "$p-sts.json"], code: 3, message: /sts:GetCallerIdentity/, sim: "sts-error", env: { AWS_MAX_ATTEMPTS: "2" } },
  { name: "scan: endpoint refuses connections (network → 3)", args: ["scan"], code: 3, message: /cannot determine the caller's identity/ },
  { name: "scan: no credentials at all (setup → 2)", args: ["scan"], code: 2, message: /Could not load credentials|credentials/i, env: { AWS_ACCESS_KEY_ID: "", AWS_SECRET_ACCESS_KEY: "" } },

  // ---- scan: files -------------------------------------------------------------------------------
  { name: "scan: missing snapshot", args: ["scan", "--from-snapshot", "$missing.json"], code: 2, message: /cannot read snapshot .*missing\.json: ENOENT/ },
  { name: "scan: snapshot is a directory", args: ["scan", "--from-snapshot", "$dir"], code: 2, message: /cannot read snapshot .*EISDIR/ },
  { name: "scan: empty snapshot", args: ["scan", "--from-snapshot", "$empty.json"], code: 2, message: /not valid JSON/ },
  { name: "scan: broken snapshot", args: ["scan", "--from-snapshot", "$broken.json"], code: 2, message: /not valid JSON/ },
  { name: "scan: snapshot is an array", args: ["scan", "--from-snapshot", "$array.json"], code: 2, message: /is not an s3-log-auditor snapshot/ },
  { name: "scan: snapshot is null", args: ["scan", "--from-snapshot", "$null.json"], code: 2, message: /is not an s3-log-auditor snapshot/ },
  { name: "scan: snapshot of another kind", args: ["scan", "--from-snapshot", "$snapshot-other-kind.json"], code: 2, message: /is not an s3-log-auditor snapshot/ },
  { name: "scan: snapshot of version 9", args: ["scan", "--from-snapshot", "$snapshot-v9.json"], code: 2, message: /schemaVersion 9/ },
  { name: "scan: snapshot with buckets a string", args: ["scan", "--from-snapshot", "$snapshot-buckets-string.json"], code: 2, message: /malformed at buckets/ },
  { name: "scan: a plan as snapshot", args: ["scan", "--from-snapshot", "$snapshot-plan.json"], code: 2, message: /is not an s3-log-auditor snapshot/ },
  { name: "scan: a report as snapshot", args: ["scan", "--from-snapshot", "$report.json"], code: 2, message: /is not an s3-log-auditor snapshot/ },
  { name: "scan: missing baseline", args: ["scan", "--from-snapshot", "$snapshot.json", "--baseline", "$missing.json"], code: 2, message: /baseline/ },
  { name: "scan: broken baseline", args: ["scan", "--from-snapshot", "$snapshot.json", "--baseline", "$broken.json"], code: 2, message: /baseline/ },
  { name: "scan: baseline of another kind", args: ["scan", "--from-snapshot", "$snapshot.json", "--baseline", "$baseline-other.json"], code: 2, message: /baseline/ },
  { name: "scan: baseline with findings a string", args: ["scan", "--from-snapshot", "$snapshot.json", "--baseline", "$baseline-fingerprints-string.json"], code: 2, message: /baseline/ },
  { name: "scan: baseline is an empty file", args: ["scan", "--from-snapshot", "$snapshot.json", "--baseline", "$empty.json"], code: 2, message: /baseline/ },
  { name: "scan: --output into a missing folder", args: ["scan", "--from-snapshot", "$snapshot.json", "--output", "$nodir/r.json"], code: 2, message: /not writable|ENOENT|cannot write/ },
  { name: "scan: --save-snapshot into a missing folder", args: ["scan", "--from-snapshot", "$snapshot.json", "--save-snapshot", "$nodir/s.json"], code: 2, message: /--save-snapshot/ },
  { name: "scan: --write-baseline into a missing folder", args: ["scan", "--from-snapshot", "$snapshot.json", "--write-baseline", "$nodir/b.json"], code: 2, message: /--write-baseline/ },

  // ---- fix -----------------------------------------------------------------------------------------
  { name: "fix: not a terminal, no --yes/--plan-out", args: ["fix", "--org"], code: 2, message: /not a terminal: use --plan-out FILE/ },
  { name: "fix: --apply without --yes", args: ["fix", "--apply", "$plan.json"], code: 2, message: /--apply needs --yes/ },
  { name: "fix: --apply with --plan-out", args: ["fix", "--apply", "$plan.json", "--plan-out", "$p2.json"], code: 2, message: /--apply and --plan-out cannot be combined/ },
  { name: "fix: retention days 0", args: ["fix", "--org", "--plan-out", "$p.json", "--log-retention-days", "0"], code: 2, message: /--log-retention-days must be a whole number/ },
  { name: "fix: retention days text", args: ["fix", "--org", "--plan-out", "$p.json", "--log-retention-days", "year"], code: 2, message: /--log-retention-days/ },
  { name: "fix: retention days too many", args: ["fix", "--org", "--plan-out", "$p.json", "--log-retention-days", "99999"], code: 2, message: /--log-retention-days/ },
  { name: "fix: unknown key format", args: ["fix", "--org", "--plan-out", "$p.json", "--key-format", "fancy"], code: 2, message: /argument 'fancy' is invalid/ },
  { name: "fix: template with unknown placeholder", args: ["fix", "--org", "--plan-out", "$p.json", "--log-bucket-template", "logs-{acct}"], code: 2, message: /unknown placeholder \{acct\}/ },
  { name: "fix: template gives an invalid name", args: ["fix", "--org", "--plan-out", "$p.json", "--log-bucket-template", "Logs_{account}-{region}"], code: 2, message: /is not a valid bucket name/ },
  { name: "fix: template too long", args: ["fix", "--org", "--plan-out", "$p.json", "--log-bucket-template", `${"x".repeat(50)}-{account}-{region}`], code: 2, message: /must be 3 to 63 characters/ },
  { name: "fix: template without placeholders", args: ["fix", "--org", "--plan-out", "$p.json", "--log-bucket-template", "logs"], code: 2, message: /--log-bucket-template: has no \{account\} placeholder/ },
  { name: "fix: template without {account}", args: ["fix", "--org", "--plan-out", "$p.json", "--log-bucket-template", "logs-{region}"], code: 2, message: /has no \{account\} placeholder/ },
  { name: "fix: template without {region}, every Region", args: ["fix", "--org", "--plan-out", "$p.json", "--log-bucket-template", "logs-{account}"], code: 2, message: /--log-bucket-template: has no \{region\} placeholder/ },
  { name: "fix: template without {region}, two Regions", args: ["fix", "--org", "--plan-out", "$p.json", "--regions", "us-east-1,eu-west-1", "--log-bucket-template", "logs-{account}"], code: 2, message: /has no \{region\} placeholder/ },
  { name: "fix: config template without {region}", args: ["fix", "--org", "--plan-out", "$p.json", "--config", "$config-template-no-region.yaml"], code: 2, message: /fix\.logBucketTemplate in .*config-template-no-region\.yaml: has no \{region\} placeholder/ },
  { name: "fix: --from-snapshot, template without {region}", args: ["fix", "--from-snapshot", "$snapshot.json", "--plan-out", "$p.json", "--log-bucket-template", "logs-{account}"], code: 2, message: /log bucket name template: has no \{region\} placeholder/ },
  { name: "fix: invalid glob", args: ["fix", "--org", "--plan-out", "$p.json", "--buckets", "["], code: 2, message: /--buckets: "\[" is not a valid glob/ },
  { name: "fix: empty Region list", args: ["fix", "--org", "--plan-out", "$p.json", "--regions", ","], code: 2, message: /the list is empty/ },
  { name: "fix: a Region without buckets", args: ["fix", "--org", "-q", "--plan-out", "$p-empty.json", "--regions", "us-east-99"], code: 2, message: /no bucket matches the selection \(Regions us-east-99\)/, sim: "ok" },
  { name: "fix: glob that matches no bucket", args: ["fix", "--org", "-q", "--yes", "--journal", "$j-empty.jsonl", "--buckets", "nomatch-*"], code: 2, message: /no bucket matches the selection/, sim: "ok" },
  { name: "fix --apply: with --regions", args: ["fix", "--apply", "$plan.json", "--yes", "--regions", "us-east-1"], code: 2, message: /--regions cannot be combined with --apply: a plan is applied as written/ },
  { name: "fix --apply: with --buckets", args: ["fix", "--apply", "$plan.json", "--yes", "--buckets", "app-*"], code: 2, message: /--buckets cannot be combined with --apply/ },
  { name: "fix --apply: with --rules and --accounts", args: ["fix", "--apply", "$plan.json", "--yes", "--rules", "logging-enabled", "--accounts", ACCOUNT], code: 2, message: /--accounts, --rules cannot be combined with --apply/ },
  { name: "fix --apply: with --log-bucket-template", args: ["fix", "--apply", "$plan.json", "--yes", "--log-bucket-template", "x-{account}-{region}"], code: 2, message: /--log-bucket-template cannot be combined with --apply/ },
  { name: "fix --apply: a step in Region mars-1", args: ["fix", "--apply", "$plan-region-mars.json", "--yes"], code: 2, message: /invalid plan file at steps\.0\.region: not a Region name/ },
  { name: "fix --apply: a step on bucket ../../etc", args: ["fix", "--apply", "$plan-bucket-path.json", "--yes"], code: 2, message: /invalid plan file at steps\.0\.bucket: not a bucket name/ },
  { name: "fix --apply: a step depending on itself", args: ["fix", "--apply", "$plan-self-dep.json", "--yes"], code: 2, message: /depends on itself/ },
  { name: "fix --apply: a dependency cycle", args: ["fix", "--apply", "$plan-cycle.json", "--yes"], code: 2, message: /depends on s-two, which comes after it/ },
  { name: "fix --apply: a step outside scope.buckets", args: ["fix", "--apply", "$plan-outside-buckets.json", "--yes"], code: 2, message: /outside the plan's scope \(buckets only-this-bucket\)/ },
  { name: "fix --apply: a step outside scope.accounts", args: ["fix", "--apply", "$plan-outside-accounts.json", "--yes"], code: 2, message: /outside the plan's scope \(accounts 999999999999\)/ },
  { name: "fix: --plan-out into a missing folder", args: ["fix", "--org", "--plan-out", "$nodir/p.json"], code: 2, message: /--plan-out .*not writable/ },
  { name: "fix: bad Region", args: ["fix", "--org", "--plan-out", "$p.json", "--regions", "mars-1"], code: 2, message: /not a Region name/ },
  { name: "fix: unknown rule", args: ["fix", "--org", "--plan-out", "$p.json", "--rules", "nope"], code: 2, message: /unknown rule nope/ },
  { name: "fix: journal is a text file", args: ["fix", "--org", "--yes", "--journal", "$notes.txt"], code: 2, message: /not a well-formed s3-log-auditor journal/ },
  { name: "fix: journal is a directory", args: ["fix", "--org", "--yes", "--journal", "$dir"], code: 2, message: /is not a regular file/ },
  { name: "fix: journal is a symlink to a text file", args: ["fix", "--org", "--yes", "--journal", "$link-to-notes.jsonl"], code: 2, message: /symbolic link/ },
  { name: "fix: journal in a missing folder", args: ["fix", "--org", "--yes", "--journal", "$nodir/j.jsonl"], code: 2, message: /--journal .*not writable/ },
  { name: "fix --apply: missing plan", args: ["fix", "--apply", "$missing.json", "--yes"], code: 2, message: /cannot read plan .*ENOENT/ },
  { name: "fix --apply: plan is a directory", args: ["fix", "--apply", "$dir", "--yes"], code: 2, message: /cannot read plan .*EISDIR/ },
  { name: "fix --apply: empty plan file", args: ["fix", "--apply", "$empty.json", "--yes"], code: 2, message: /not a valid plan file/ },
  { name: "fix --apply: broken JSON", args: ["fix", "--apply", "$broken.json", "--yes"], code: 2, message: /not a valid plan file \(invalid JSON/ },
  { name: "fix --apply: an array", args: ["fix", "--apply", "$array.json", "--yes"], code: 2, message: /not an s3-log-auditor-plan file/ },
  { name: "fix --apply: null", args: ["fix", "--apply", "$null.json", "--yes"], code: 2, message: /not an s3-log-auditor-plan file/ },
  { name: "fix --apply: another kind", args: ["fix", "--apply", "$plan-other-kind.json", "--yes"], code: 2, message: /not an s3-log-auditor-plan file/ },
  { name: "fix --apply: schema version 2", args: ["fix", "--apply", "$plan-v2.json", "--yes"], code: 2, message: /plan schema version 2 is not supported/ },
  { name: "fix --apply: steps a string", args: ["fix", "--apply", "$plan-steps-string.json", "--yes"], code: 2, message: /invalid plan file at steps/ },
  { name: "fix --apply: unknown operation", args: ["fix", "--apply", "$plan-bad-operation.json", "--yes"], code: 2, message: /invalid plan file at steps\.0/ },
  { name: "fix --apply: duplicate step ids", args: ["fix", "--apply", "$plan-dup-ids.json", "--yes"], code: 2, message: /duplicate step id/ },
  { name: "fix --apply: dependency on a later step", args: ["fix", "--apply", "$plan-forward-dep.json", "--yes"], code: 2, message: /depends on step-999/ },
  { name: "fix --apply: no options", args: ["fix", "--apply", "$plan-no-options.json", "--yes"], code: 2, message: /invalid plan file at options/ },
  { name: "fix --apply: negative retention", args: ["fix", "--apply", "$plan-bad-days.json", "--yes"], code: 2, message: /invalid plan file at options\.logRetentionDays/ },
  { name: "fix --apply: account a number", args: ["fix", "--apply", "$plan-account-number.json", "--yes"], code: 2, message: /invalid plan file at steps\.0\.account/ },
  { name: "fix --apply: a snapshot as plan", args: ["fix", "--apply", "$snapshot.json", "--yes"], code: 2, message: /not an s3-log-auditor-plan file/ },
  { name: "fix --apply: a journal as plan", args: ["fix", "--apply", "$journal-v2.jsonl", "--yes"], code: 2, message: /not a valid plan file|not an s3-log-auditor-plan/ },
  { name: "fix show: no plan argument", args: ["fix", "show"], code: 2, message: /missing required argument 'plan'/ },
  { name: "fix show: two plan arguments", args: ["fix", "show", "$plan.json", "$plan.json"], code: 2, message: /too many arguments/ },
  { name: "fix show: missing plan", args: ["fix", "show", "$missing.json"], code: 2, message: /cannot read plan .*ENOENT/ },
  { name: "fix show: plan is a directory", args: ["fix", "show", "$dir"], code: 2, message: /cannot read plan .*EISDIR/ },
  { name: "fix show: empty plan file", args: ["fix", "show", "$empty.json"], code: 2, message: /not a valid plan file/ },
  { name: "fix show: broken JSON", args: ["fix", "show", "$broken.json"], code: 2, message: /not a valid plan file \(invalid JSON/ },
  { name: "fix show: another kind", args: ["fix", "show", "$plan-other-kind.json"], code: 2, message: /not an s3-log-auditor-plan file/ },
  { name: "fix show: schema version 2", args: ["fix", "show", "$plan-v2.json"], code: 2, message: /plan schema version 2 is not supported/ },
  { name: "fix show: unknown operation", args: ["fix", "show", "$plan-bad-operation.json"], code: 2, message: /invalid plan file at steps\.0/ },
  { name: "fix show: a snapshot as plan", args: ["fix", "show", "$snapshot.json"], code: 2, message: /not an s3-log-auditor-plan file/ },
  { name: "fix show --format json: invalid plan is not passed through", args: ["fix", "show", "$plan-dup-ids.json", "--format", "json"], code: 2, message: /duplicate step id/ },
  { name: "fix show: unknown format", args: ["fix", "show", "$plan.json", "--format", "yaml"], code: 2, message: /argument 'yaml' is invalid/ },
  { name: "journals: unknown format", args: ["journals", "--format", "yaml"], code: 2, message: /argument 'yaml' is invalid/ },
  { name: "journals: an argument", args: ["journals", "fix.jsonl"], code: 2, message: /too many arguments for 'journals'/ },
  { name: "journals: the state directory is a file", args: ["journals"], code: 2, message: /cannot read the journals directory .*ENOTDIR/, env: { XDG_STATE_HOME: "/dev/null" } },
  { name: "fix --yes: the journals directory cannot be made (before scanning)", args: ["fix", "--org", "--yes"], code: 2, message: /cannot create the journals directory \/dev\/null\/s3-log-auditor\/journals \(ENOTDIR\)/, env: { XDG_STATE_HOME: "/dev/null" } },
  { name: "undo: the journals directory cannot be made", args: ["undo", "$journal.jsonl"], code: 2, message: /cannot create the journals directory/, env: { XDG_STATE_HOME: "/dev/null" } },
  { name: "fix: --from-snapshot missing", args: ["fix", "--from-snapshot", "$missing.json", "--plan-out", "$p.json"], code: 2, message: /cannot read snapshot/ },
  { name: "fix: --from-snapshot broken", args: ["fix", "--from-snapshot", "$broken.json", "--plan-out", "$p.json"], code: 2, message: /not valid JSON/ },

  // ---- undo ----------------------------------------------------------------------------------------
  { name: "undo: no journal", args: ["undo"], code: 2, message: /missing required argument 'journal'/ },
  { name: "undo: missing journal", args: ["undo", "$missing.jsonl"], code: 2, message: /journal .*missing\.jsonl does not exist/ },
  { name: "undo: journal is a directory", args: ["undo", "$dir"], code: 2, message: /is not a regular file/ },
  { name: "undo: empty journal", args: ["undo", "$journal-empty.jsonl"], code: 2, message: /not an s3-log-auditor journal/ },
  { name: "undo: a text file", args: ["undo", "$notes.txt"], code: 2, message: /line 1 is not valid JSON|not an s3-log-auditor journal/ },
  { name: "undo: no header", args: ["undo", "$journal-no-header.jsonl"], code: 2, message: /no header line/ },
  { name: "undo: schema version 2", args: ["undo", "$journal-v2.jsonl"], code: 2, message: /schema version 2 is not supported/ },
  { name: "undo: garbage line", args: ["undo", "$journal-garbage.jsonl"], code: 2, message: /line 2 is not valid JSON/ },
  { name: "undo: unknown resource", args: ["undo", "$journal-bad-resource.jsonl"], code: 2, message: /line 2 is not a journal record/ },
  { name: "undo: seq a string", args: ["undo", "$journal-seq-string.jsonl"], code: 2, message: /line 2 is not a journal record/ },
  { name: "undo: another tool's journal", args: ["undo", "$journal-other-kind.jsonl"], code: 2, message: /line 1 is not a journal record/ },
  { name: "undo: a plan file", args: ["undo", "$plan.json"], code: 2, message: /not valid JSON|not a journal record|no header/ },
  { name: "undo: own journal in a missing folder", args: ["undo", "$journal.jsonl", "--journal", "$nodir/u.jsonl"], code: 2, message: /--journal .*not writable/ },
  { name: "undo: own journal is a text file", args: ["undo", "$journal.jsonl", "--journal", "$notes.txt"], code: 2, message: /not a well-formed s3-log-auditor journal/ },
  { name: "undo: unknown option", args: ["undo", "$journal.jsonl", "--nope"], code: 2, message: /unknown option '--nope'/ },
  { name: "undo: endpoint not a URL", args: ["undo", "$journal.jsonl", "--endpoint-url", "notaurl"], code: 2, message: /--endpoint-url is not a URL: "notaurl"/ },
  { name: "undo: bad role name", args: ["undo", "$journal.jsonl", "--role-name", "bad role!"], code: 2, message: /--role-name is not a valid IAM role name: "bad role!"/ },
  { name: "undo: own journal is the journal undone", args: ["undo", "$journal.jsonl", "--journal", "$journal.jsonl"], code: 2, message: /undo's own journal must be another file than the journal being undone/ },
  { name: "undo: lifecycle prior {rules: 5}", args: ["undo", "$journal-lifecycle-rules-5.jsonl"], code: 2, message: /line 2 is not a journal record \(prior: not a lifecycle state/ },
  { name: "undo: policy prior a string", args: ["undo", "$journal-policy-prior-string.jsonl"], code: 2, message: /prior: not a policy state/ },
  { name: "undo: policy text not JSON", args: ["undo", "$journal-policy-raw-not-json.jsonl"], code: 2, message: /priorRaw: not a policy document/ },
  { name: "undo: logging prior a number", args: ["undo", "$journal-logging-prior-number.jsonl"], code: 2, message: /prior: not a logging state/ },
  { name: "undo: a record on bucket ../../etc", args: ["undo", "$journal-bucket-path.jsonl"], code: 2, message: /bucket: not a bucket name/ },

  // ---- merge ---------------------------------------------------------------------------------------
  { name: "merge: no files", args: ["merge"], code: 2, message: /missing required argument 'files'/ },
  { name: "merge: missing file", args: ["merge", "$missing.json"], code: 2, message: /missing\.json/ },
  { name: "merge: broken JSON", args: ["merge", "$broken.json"], code: 2, message: /broken\.json/ },
  { name: "merge: truncated report", args: ["merge", "$report-broken.json"], code: 2, message: /report-broken\.json/ },
  { name: "merge: not a report", args: ["merge", "$array.json"], code: 2, message: /array\.json/ },
  { name: "merge: a snapshot", args: ["merge", "$snapshot.json"], code: 2, message: /snapshot\.json/ },
  { name: "merge: a directory", args: ["merge", "$dir"], code: 2, message: /EISDIR|directory|cannot read/ },
  { name: "merge: unknown format", args: ["merge", "$report.json", "--format", "pdf"], code: 2, message: /argument 'pdf' is invalid/ },
  { name: "merge: unknown --fail-on", args: ["merge", "$report.json", "--fail-on", "x"], code: 2, message: /argument 'x' is invalid/ },

  // ---- rules -----------------------------------------------------------------------------------
  { name: "rules: unknown format", args: ["rules", "--format", "yaml"], code: 2, message: /argument 'yaml' is invalid/ },
  { name: "rules: unexpected argument", args: ["rules", "extra"], code: 2, message: /too many arguments|unknown command|excess/ },
  { name: "rules: unknown option", args: ["rules", "--nope"], code: 2, message: /unknown option '--nope'/ },

  // ---- demo ------------------------------------------------------------------------------------
  { name: "demo: unknown option", args: ["demo", "--nope"], code: 2, message: /unknown option '--nope'/ },
  { name: "demo: unknown format", args: ["demo", "--format", "xml"], code: 2, message: /argument 'xml' is invalid/ },
  { name: "demo: bad account", args: ["demo", "--accounts", "1"], code: 2, message: /account ids are 12 digits/ },
  { name: "demo: unknown rule", args: ["demo", "--rules", "nope"], code: 2, message: /unknown rule nope/ },
  { name: "demo: bad Region", args: ["demo", "--regions", "mars-1"], code: 2, message: /not a Region name/ },
  { name: "demo: invalid glob", args: ["demo", "--buckets", "{x"], code: 2, message: /is not a valid glob/ },
  { name: "demo: empty Region list", args: ["demo", "--regions", ",,"], code: 2, message: /the list is empty/ },
  { name: "demo: missing baseline", args: ["demo", "--baseline", "$missing.json"], code: 2, message: /baseline/ },

  // ---- sim -------------------------------------------------------------------------------------
  { name: "sim: port not a number", args: ["sim", "--port", "x"], code: 2, message: /--port/ },
  { name: "sim: port out of range", args: ["sim", "--port", "70000"], code: 2, message: /--port/ },
  { name: "sim: missing scenario", args: ["sim", "--scenario", "$missing.yaml"], code: 2, message: /missing\.yaml/ },
  { name: "sim: broken scenario", args: ["sim", "--scenario", "$scenario-broken.yaml"], code: 2, message: /scenario-broken\.yaml/ },
  { name: "sim: scenario without accounts", args: ["sim", "--scenario", "$scenario-no-accounts.yaml"], code: 2, message: /accounts/ },
  { name: "sim: scenario with a bad Region", args: ["sim", "--scenario", "$scenario-bad-region.yaml"], code: 2, message: /Region/ },
  { name: "sim: scenario with a bad bucket name", args: ["sim", "--scenario", "$scenario-bad-bucket.yaml"], code: 2, message: /bucket name/ },
  { name: "sim: scenario with an unknown field", args: ["sim", "--scenario", "$scenario-unknown-field.yaml"], code: 2, message: /colour|unrecognized|unknown/i },
  { name: "sim: scenario with a bad fault", args: ["sim", "--scenario", "$scenario-bad-fault.yaml"], code: 2, message: /effect|faults/ },
  { name: "sim: account id 12 (a number)", args: ["sim", "--scenario", "$scenario-short-id.yaml"], code: 2, message: /accounts\[0\]\.id: expected a 12-digit account ID string/ },
  { name: "sim: account id a JSON number", args: ["sim", "--scenario", "$scenario-number-id.json"], code: 2, message: /expected a 12-digit account ID string/ },
  { name: "sim: bad --generate", args: ["sim", "--generate", "lots"], code: 2, message: /--generate/ },
  { name: "sim: --generate with --scenario", args: ["sim", "--generate", "2x2", "--scenario", "$scenario-broken.yaml"], code: 2 },
  { name: "sim: throttle above 1", args: ["sim", "--throttle", "2"], code: 2, message: /--throttle/ },
  { name: "sim: negative latency", args: ["sim", "--latency=-5"], code: 2, message: /--latency/ },

  // ---- logs ------------------------------------------------------------------------------------
  { name: "logs parse: no source", args: ["logs", "parse"], code: 2, message: /missing required argument 'SOURCE'/ },
  { name: "logs parse: missing file", args: ["logs", "parse", "$missing.log"], code: 2, message: /missing\.log/ },
  { name: "logs parse: unknown format", args: ["logs", "parse", "$notes.txt", "--format", "xml"], code: 2, message: /argument 'xml' is invalid/ },
  { name: "logs parse: bad --status", args: ["logs", "parse", "$notes.txt", "--status", "abc"], code: 2, message: /--status/ },
  { name: "logs parse: bad --since", args: ["logs", "parse", "$notes.txt", "--since", "yesterday-ish"], code: 2, message: /--since/ },
  { name: "logs parse: bad --account", args: ["logs", "parse", "s3://bucket/prefix", "--account", "12"], code: 2, message: /account/ },
  { name: "logs summarize: bad --top", args: ["logs", "summarize", "$notes.txt", "--top", "0"], code: 2, message: /--top/ },
  { name: "logs summarize: unknown format", args: ["logs", "summarize", "$notes.txt", "--format", "csv"], code: 2, message: /argument 'csv' is invalid/ },
  { name: "logs parse: empty --bucket list", args: ["logs", "parse", "$notes.txt", "--bucket", ","], code: 2, message: /--bucket .*the list is empty/ },
  { name: "logs: unknown subcommand", args: ["logs", "nope"], code: 2, message: /unknown command 'nope'/ },
];

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, cwd, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** Child processes at once: each mostly waits (start-up, I/O), so a few more than the cores. */
const CONCURRENCY = 8;

describe(`bad input: ${CASES.length} malformed invocations, one stderr line each, no stack`, () => {
  let sim: Sim;
  let stsFailing: Sim;
  let dir: string;
  let simEnv: NodeJS.ProcessEnv;
  let stsFailingEnv: NodeJS.ProcessEnv;
  let offlineEnv: NodeJS.ProcessEnv;
  const results = new Map<BadCase, Run>();

  const expand = (a: string) => (a === "$dir" ? dir : a.replace(/^\$/, `${dir}/`));

  beforeAll(async () => {
    sim = await startSimulator({ scenario: fixScenario(), port: 0 });
    dir = tempDir();
    // V8's code cache for the bundle, shared by every child of this test: less start-up work each.
    simEnv = { ...cliEnv(sim), NODE_COMPILE_CACHE: join(dir, ".compile-cache") };
    stsFailing = await startSimulator({ scenario: fixScenario(), port: 0 });
    stsFailing.setFaults({ rules: [{ effect: "error", service: "sts", operation: "GetCallerIdentity", code: "InternalError", status: 500 }] });
    stsFailingEnv = { ...cliEnv(stsFailing), NODE_COMPILE_CACHE: simEnv.NODE_COMPILE_CACHE };
    // Nothing listens on port 9 of 127.0.0.1: a case that reached AWS would fail there.
    offlineEnv = { ...simEnv, AWS_ENDPOINT_URL: "http://127.0.0.1:9", AWS_MAX_ATTEMPTS: "1" };
    const snap = join(dir, "snapshot.json");
    const scan = await runCli(["scan", "--org", "-q", "--format", "json", "--fail-on", "none", "--save-snapshot", snap], simEnv);
    expect(scan.code).toBe(0);
    const plan = join(dir, "plan.json");
    expect((await runCli(["fix", "--from-snapshot", snap, "--plan-out", plan, "-q"], simEnv)).code).toBe(0);
    const journal = join(dir, "journal.jsonl");
    expect((await runCli(["fix", "--apply", plan, "--yes", "--journal", journal, "-q"], simEnv)).code).toBe(0);
    const { readFileSync } = await import("node:fs");
    for (const [name, text] of Object.entries(fixtures(readFileSync(plan, "utf8"), readFileSync(snap, "utf8"), scan.stdout)))
      writeFileSync(join(dir, name), text);
    symlinkSync(join(dir, "notes.txt"), join(dir, "link-to-notes.jsonl"));
    mkdirSync(join(dir, "sub"));
    const limit = pLimit(CONCURRENCY);
    await Promise.all(
      CASES.map((c) =>
        limit(async () => {
          const env = { ...(c.sim === "ok" ? simEnv : c.sim === "sts-error" ? stsFailingEnv : offlineEnv), ...c.env };
          results.set(c, await run(c.args.map(expand), env, join(dir, "sub")));
        }),
      ),
    );
  }, 300_000);
  afterAll(async () => {
    await sim.close();
    await stsFailing.close();
  });

  it("has at least 100 cases, for every command", () => {
    expect(CASES.length).toBeGreaterThanOrEqual(100);
    const commands = new Set(CASES.map((c) => c.args[0]));
    for (const cmd of ["scan", "fix", "undo", "merge", "rules", "demo", "sim", "logs"]) expect(commands, cmd).toContain(cmd);
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    const r = results.get(c)!;
    const lines = r.stderr.split("\n").filter((l) => l !== "");
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(/^s3-log-auditor: /);
    if (c.message) expect(lines[0]).toMatch(c.message);
    expect(r.stderr).not.toMatch(/^\s+at .*[:(]/m);
    expect(r.code, r.stderr).toBe(c.code);
  });
});
