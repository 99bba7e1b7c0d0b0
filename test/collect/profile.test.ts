/**
 * `--profile P` is `AWS_PROFILE=P`: the profile's endpoint_url (also from a services section),
 * region and role settings are honoured alike, through the built CLI against the simulator; an
 * unknown profile is one line naming it and both files searched (exit 2).
 */
import { writeFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadProfile } from "../../src/collect/profile.js";
import { startSimulator, type RunningSim } from "../../src/sim/index.js";
import { expectUsageError, runCli, tempDir } from "../cli/helpers.js";

let sim: RunningSim;
const tmp = tempDir();
const config = tmp.file("config");
const credentials = tmp.file("credentials");

beforeAll(async () => {
  sim = await startSimulator({ scenario: "demo", port: 0 });
  writeFileSync(
    config,
    [
      "[profile sim]",
      "region = eu-west-1",
      `endpoint_url = ${sim.endpoint}`,
      "[profile sim-services]",
      "services = local",
      "[services local]",
      "s3 =",
      `  endpoint_url = ${sim.endpoint}`,
      "sts =",
      `  endpoint_url = ${sim.endpoint}`,
      "organizations =",
      `  endpoint_url = ${sim.endpoint}`,
      "[profile prod-role]",
      "role_arn = arn:aws:iam::222222222222:role/OrganizationAccountAccessRole",
      "source_profile = sim",
      "region = us-east-1",
      `endpoint_url = ${sim.endpoint}`,
      "",
    ].join("\n"),
  );
  writeFileSync(
    credentials,
    "[sim]\naws_access_key_id = AKIADEMOMANAGEMENT01\naws_secret_access_key = x\n[sim-services]\naws_access_key_id = AKIADEMOMANAGEMENT01\naws_secret_access_key = x\n",
  );
});
afterAll(async () => {
  await sim.close();
  tmp.cleanup();
});

/** The user's shell: only the shared config files (no keys, no endpoint, no Region in the environment). */
const env = (extra: Record<string, string> = {}) => ({
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_REGION: "",
  AWS_CONFIG_FILE: config,
  AWS_SHARED_CREDENTIALS_FILE: credentials,
  ...extra,
});

/** The parts of a JSON report that do not depend on when it ran. */
function stable(stdout: string): unknown {
  const r = JSON.parse(stdout) as { scope: unknown; summary: unknown; findings: unknown; errors: unknown };
  return { scope: r.scope, summary: r.summary, findings: r.findings, errors: r.errors };
}

describe("--profile behaves like AWS_PROFILE", () => {
  for (const [profile, account] of [
    ["sim", "111111111111"],
    ["sim-services", "111111111111"],
    ["prod-role", "222222222222"],
  ] as const) {
    it(`${profile}: same report with the flag and with the variable (caller ${account})`, async () => {
      const args = ["scan", "--format", "json", "--fail-on", "none", "--quiet"];
      const [flag, variable] = await Promise.all([
        runCli([...args, "--profile", profile], { env: env() }),
        runCli(args, { env: env({ AWS_PROFILE: profile }) }),
      ]);
      expect({ code: flag.code, stderr: flag.stderr }).toEqual({ code: 0, stderr: "" });
      expect({ code: variable.code, stderr: variable.stderr }).toEqual({ code: 0, stderr: "" });
      const report = JSON.parse(flag.stdout) as { scope: { accounts: string[] }; summary: { buckets: number } };
      expect(report.scope.accounts).toEqual([account]);
      expect(report.summary.buckets).toBeGreaterThan(0);
      expect(stable(flag.stdout)).toEqual(stable(variable.stdout));
    });
  }

  it("the flag wins over static keys in the environment, silently, as with the AWS CLI", async () => {
    const r = await runCli(["scan", "--format", "json", "--fail-on", "none", "--quiet", "--profile", "prod-role"], {
      env: env({ AWS_ACCESS_KEY_ID: "AKIADEMODEVELOPMENT1", AWS_SECRET_ACCESS_KEY: "x" }),
    });
    expect(r.stderr).toBe("");
    expect((JSON.parse(r.stdout) as { scope: { accounts: string[] } }).scope.accounts).toEqual(["222222222222"]);
  });

  it("an unknown profile: one line naming it and the files searched, exit 2 (flag and variable alike)", async () => {
    const message = `the AWS profile "nope" is not defined in ${config} or ${credentials}`;
    expectUsageError(await runCli(["scan", "--profile", "nope"], { env: env() }), message);
    expectUsageError(await runCli(["scan"], { env: env({ AWS_PROFILE: "nope" }) }), message);
    expectUsageError(await runCli(["fix", "--plan-out", tmp.file("p.json"), "--profile", "nope"], { env: env() }), message);
  });

  it("reads the profile's Region and configured S3 endpoint", async () => {
    const e = env();
    await expect(loadProfile("sim", e)).resolves.toEqual({ name: "sim", region: "eu-west-1", s3EndpointUrl: sim.endpoint });
    await expect(loadProfile("sim-services", e)).resolves.toEqual({ name: "sim-services", s3EndpointUrl: sim.endpoint });
    await expect(loadProfile("sim", { ...e, AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: "true" })).resolves.toEqual({ name: "sim", region: "eu-west-1" });
    // no profile named anywhere and no default: nothing to read, no error
    await expect(loadProfile(undefined, e)).resolves.toEqual({ name: "default" });
  });
});
