/** `s3-log-auditor sim` as its own process (built CLI), seen by raw HTTP clients. */
import { execFile, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { XMLValidator } from "fast-xml-parser";

const CLI = new URL("../../dist/cli.js", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "sim-cli-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const AUTH = (key: string, region: string, service: string) =>
  `AWS4-HMAC-SHA256 Credential=${key}/20260101/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000`;

function run(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

function curl(args: string[]): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("curl", ["-s", ...args], { timeout: 10_000 }, (err, stdout) => resolve(err ? undefined : stdout));
  });
}

describe("sim command", () => {
  it("prints the endpoint first, serves well-formed XML/JSON to raw clients, prints metrics on SIGTERM", async () => {
    expect(existsSync(CLI)).toBe(true);
    const child = spawn(process.execPath, [CLI, "sim", "--scenario", "demo", "--port", "0"], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.setEncoding("utf8");
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on("data", (d: string) => {
        out += d;
        if (out.includes("\n")) resolve(out.split("\n")[0] as string);
      });
      child.once("exit", (code) => reject(new Error(`sim exited early (${code})`)));
    });
    try {
      expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const url = firstLine;

      const logging = await fetch(`${url}/demo-prod-web-assets?logging`, { headers: { authorization: AUTH("AKIADEMOPRODUCTION01", "us-east-1", "s3") } });
      expect(logging.status).toBe(200);
      const xml = await logging.text();
      expect(XMLValidator.validate(xml)).toBe(true);
      expect(xml).toContain("<TargetBucket>demo-logs-222222222222-us-east-1</TargetBucket>");
      expect(logging.headers.get("x-amz-request-id")).toBeTruthy();

      const missing = await fetch(`${url}/demo-no-such-bucket?policy`, { headers: { authorization: AUTH("AKIADEMOPRODUCTION01", "us-east-1", "s3") } });
      expect(missing.status).toBe(404);
      const errXml = await missing.text();
      expect(XMLValidator.validate(errXml)).toBe(true);
      expect(errXml).toMatch(/<Error><Code>NoSuchBucket<\/Code><Message>[^<]+<\/Message><BucketName>demo-no-such-bucket<\/BucketName><RequestId>[^<]+<\/RequestId>/);

      const redirect = await fetch(`${url}/demo-prod-web-assets?logging`, { headers: { authorization: AUTH("AKIADEMOPRODUCTION01", "eu-west-1", "s3") }, redirect: "manual" });
      expect(redirect.status).toBe(301);
      expect(redirect.headers.get("x-amz-bucket-region")).toBe("us-east-1");
      expect(XMLValidator.validate(await redirect.text())).toBe(true);

      const stsRes = await fetch(url, {
        method: "POST",
        headers: { authorization: AUTH("anything", "us-east-1", "sts"), "content-type": "application/x-www-form-urlencoded" },
        body: "Action=GetCallerIdentity&Version=2011-06-15",
      });
      const stsXml = await stsRes.text();
      expect(XMLValidator.validate(stsXml)).toBe(true);
      expect(stsXml).toContain('<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">');
      expect(stsXml).toContain("<Account>111111111111</Account>");
      expect(stsXml).toMatch(/<ResponseMetadata>\s*<RequestId>[^<]+<\/RequestId>/);

      const orgRes = await fetch(url, {
        method: "POST",
        headers: { authorization: AUTH("AKIADEMOPRODUCTION01", "us-east-1", "organizations"), "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSOrganizationsV20161128.ListAccounts" },
        body: "{}",
      });
      expect(orgRes.status).toBe(400);
      expect(await orgRes.json()).toEqual({ __type: "AccessDeniedException", Message: "You don't have permissions to access this resource." });

      const viaCurl = await curl(["-H", `Authorization: ${AUTH("AKIADEMOPRODUCTION01", "us-east-1", "s3")}`, `${url}/?max-buckets=2`]);
      if (viaCurl !== undefined) {
        expect(XMLValidator.validate(viaCurl)).toBe(true);
        expect(viaCurl.match(/<BucketRegion>/g)).toHaveLength(2);
        expect(viaCurl).toContain("<ContinuationToken>");
      }

      const metrics = (await (await fetch(`${url}/_sim/metrics`)).json()) as { total: number };
      expect(metrics.total).toBe(viaCurl === undefined ? 5 : 6);
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
    }
    const last = out.trim().split("\n").pop() as string;
    const printed = JSON.parse(last) as { metrics: { total: number; byOperation: Record<string, number> } };
    expect(printed.metrics.byOperation.GetBucketLogging).toBe(2);
  });

  it("bad flags and bad scenario files: one-line error, exit 2", async () => {
    const badFlag = await run(["sim", "--throttle", "lots"]);
    expect(badFlag.code).toBe(2);
    expect(badFlag.stderr.trim().split("\n")).toHaveLength(1);
    expect(badFlag.stderr).toContain("--throttle");
    const file = join(dir, "bad.yaml");
    writeFileSync(file, "accounts:\n  - id: '123456789012'\n    name: a\n    buckets:\n      - name: ok-bucket\n        region: nowhere\n");
    const badFile = await run(["sim", "--scenario", file]);
    expect(badFile.code).toBe(2);
    expect(badFile.stderr.trim()).toBe(`s3-log-auditor: scenario.accounts[0].buckets[0].region: expected a Region name (in ${file})`);
    expect(badFile.stdout).toBe("");
  });
});
