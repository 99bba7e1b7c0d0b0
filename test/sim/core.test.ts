import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GetBucketLocationCommand, GetBucketLoggingCommand, GetBucketPolicyCommand, HeadBucketCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { DescribeOrganizationCommand, ListAccountsCommand } from "@aws-sdk/client-organizations";
import { startSimulator, type RunningSim } from "../../src/sim/index.js";
import { creds, failure, orgs, s3, sts, PROD_KEY } from "./helpers.js";

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSimulator();
});
afterAll(async () => {
  await sim.close();
});

describe("simulator core (demo scenario)", () => {
  it("binds to 127.0.0.1 on a free port", () => {
    expect(sim.endpoint).toBe(`http://127.0.0.1:${sim.port}`);
    expect(sim.port).toBeGreaterThan(0);
  });

  it("serves S3 reads of the caller's account", async () => {
    const c = s3(sim, "us-east-1", creds(PROD_KEY));
    const lb = await c.send(new ListBucketsCommand({ MaxBuckets: 5 }));
    expect(lb.Buckets).toHaveLength(5);
    expect(lb.Buckets?.[0]?.BucketRegion).toBeDefined();
    expect(lb.ContinuationToken).toBeTruthy();
    const lg = await c.send(new GetBucketLoggingCommand({ Bucket: "demo-prod-web-assets" }));
    expect(lg.LoggingEnabled).toEqual({
      TargetBucket: "demo-logs-222222222222-us-east-1",
      TargetPrefix: "demo-prod-web-assets/",
      TargetObjectKeyFormat: { PartitionedPrefix: { PartitionDateSource: "EventTime" } },
    });
    const loc = await c.send(new GetBucketLocationCommand({ Bucket: "demo-prod-web-assets" }));
    expect(loc.LocationConstraint).toBeUndefined();
    const hb = await c.send(new HeadBucketCommand({ Bucket: "demo-prod-web-assets" }));
    expect(hb.BucketRegion).toBe("us-east-1");
    const e = await failure(c.send(new GetBucketPolicyCommand({ Bucket: "demo-prod-web-assets" })));
    expect(e.name).toBe("NoSuchBucketPolicy");
    expect(e.$metadata?.httpStatusCode).toBe(404);
  });

  it("redirects a request signed for the wrong Region", async () => {
    const e = await failure(s3(sim, "eu-west-1").send(new GetBucketLoggingCommand({ Bucket: "demo-prod-web-assets" })));
    expect(e.name).toBe("PermanentRedirect");
    expect(e.$metadata?.httpStatusCode).toBe(301);
    expect(e.$response?.headers["x-amz-bucket-region"]).toBe("us-east-1");
  });

  it("speaks STS and Organizations", async () => {
    const id = await sts(sim).send(new GetCallerIdentityCommand({}));
    expect(id.Account).toBe("111111111111");
    const ar = await sts(sim).send(new AssumeRoleCommand({ RoleArn: "arn:aws:iam::222222222222:role/OrganizationAccountAccessRole", RoleSessionName: "core-test" }));
    expect(ar.AssumedRoleUser?.Arn).toBe("arn:aws:sts::222222222222:assumed-role/OrganizationAccountAccessRole/core-test");
    expect(ar.Credentials?.AccessKeyId).toMatch(/^ASIA/);
    const acc = await orgs(sim).send(new ListAccountsCommand({ MaxResults: 2 }));
    expect(acc.Accounts).toHaveLength(2);
    expect(acc.NextToken).toBeTruthy();
    const o = await orgs(sim).send(new DescribeOrganizationCommand({}));
    expect(o.Organization?.MasterAccountId).toBe("111111111111");
  });
});
