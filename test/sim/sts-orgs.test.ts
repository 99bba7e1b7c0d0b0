/** STS (query/XML) and Organizations (JSON 1.1) through the real SDK clients. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AssumeRoleCommand, GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { DescribeAccountCommand, DescribeOrganizationCommand, ListAccountsCommand, paginateListAccounts } from "@aws-sdk/client-organizations";
import { GetBucketLoggingCommand, ListBucketsCommand } from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import { startSimulator, type RunningSim, type Scenario } from "../../src/sim/index.js";
import { creds, failure, orgs, s3, sts } from "./helpers.js";

const M = "100000000001";
const P = "200000000002";
const X = "300000000003";
const KEY_M = "AKIAMANAGEMENT000001";
const KEY_P = "AKIAPRODUCTION000001";
const KEY_X = "AKIAOUTSIDER00000001";

function scenario(): Scenario {
  const members = Array.from({ length: 6 }, (_, i) => ({
    id: String(400000000000 + i),
    name: `member-${i}`,
    state: i === 1 ? ("SUSPENDED" as const) : i === 4 ? ("CLOSED" as const) : ("ACTIVE" as const),
    roles: [{ name: "OrganizationAccountAccessRole" }],
  }));
  return {
    organization: { id: "o-stsorgtest01", managementAccount: M },
    accounts: [
      { id: M, name: "management", accessKeys: [{ id: KEY_M, user: "admin" }] },
      {
        id: P,
        name: "production",
        accessKeys: [KEY_P],
        roles: [
          { name: "OrganizationAccountAccessRole" },
          { name: "AuditRole", externalId: "s3-log-auditor-ext", trustedAccounts: [M, P], maxSessionDuration: 7200 },
        ],
        buckets: [{ name: "prod-bucket", region: "us-east-1", logging: { targetBucket: "prod-bucket", targetPrefix: "x/" } }],
      },
      { id: X, name: "outsider", inOrganization: false, accessKeys: [KEY_X], roles: [{ name: "OrganizationAccountAccessRole", trustedAccounts: ["*"] }] },
      ...members,
    ],
  };
}

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSimulator({ scenario: scenario() });
});
afterAll(async () => {
  await sim.close();
});

const roleArn = (acct: string, name = "OrganizationAccountAccessRole") => `arn:aws:iam::${acct}:role/${name}`;

describe("STS GetCallerIdentity", () => {
  it("maps listed keys to their account and any other key to the management account", async () => {
    const m = await sts(sim, creds(KEY_M)).send(new GetCallerIdentityCommand({}));
    expect(m).toMatchObject({ Account: M, Arn: `arn:aws:iam::${M}:user/admin` });
    expect(m.UserId).toMatch(/^AIDA/);
    expect((await sts(sim, creds(KEY_P)).send(new GetCallerIdentityCommand({}))).Account).toBe(P);
    const anyKey = await sts(sim, creds("AKIAANYTHINGATALL999"), "eu-west-1").send(new GetCallerIdentityCommand({}));
    expect(anyKey).toMatchObject({ Account: M, Arn: `arn:aws:iam::${M}:root` });
  });
});

describe("STS AssumeRole", () => {
  it("returns credentials of the role's account that then act in that account", async () => {
    const res = await sts(sim).send(new AssumeRoleCommand({ RoleArn: roleArn(P), RoleSessionName: "audit-session", DurationSeconds: 900 }));
    const c = res.Credentials!;
    expect(c.AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(c.SecretAccessKey).toBeTruthy();
    expect(c.SessionToken).toBeTruthy();
    const ttl = (c.Expiration as Date).getTime() - Date.now();
    expect(ttl).toBeGreaterThan(890_000);
    expect(ttl).toBeLessThanOrEqual(900_000);
    expect(res.AssumedRoleUser?.Arn).toBe(`arn:aws:sts::${P}:assumed-role/OrganizationAccountAccessRole/audit-session`);
    expect(res.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z0-9]+:audit-session$/);
    const assumed = { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! };
    const who = await sts(sim, assumed).send(new GetCallerIdentityCommand({}));
    expect(who.Account).toBe(P);
    expect(who.Arn).toBe(res.AssumedRoleUser?.Arn);
    const buckets = await s3(sim, "us-east-1", assumed).send(new ListBucketsCommand({ MaxBuckets: 10 }));
    expect(buckets.Buckets?.map((b) => b.Name)).toEqual(["prod-bucket"]);
  });

  it("denies a role the scenario does not define, an untrusted caller, a wrong ExternalId, a suspended account", async () => {
    const cases: [string, Promise<unknown>][] = [
      ["missing role", sts(sim).send(new AssumeRoleCommand({ RoleArn: roleArn(P, "NoSuchRole"), RoleSessionName: "s1" }))],
      ["unknown account", sts(sim).send(new AssumeRoleCommand({ RoleArn: roleArn("999999999999"), RoleSessionName: "s1" }))],
      ["untrusted caller", sts(sim, creds(KEY_P)).send(new AssumeRoleCommand({ RoleArn: roleArn("400000000000"), RoleSessionName: "s1" }))],
      ["missing external id", sts(sim).send(new AssumeRoleCommand({ RoleArn: roleArn(P, "AuditRole"), RoleSessionName: "s1" }))],
      ["wrong external id", sts(sim).send(new AssumeRoleCommand({ RoleArn: roleArn(P, "AuditRole"), RoleSessionName: "s1", ExternalId: "nope" }))],
      ["suspended account", sts(sim).send(new AssumeRoleCommand({ RoleArn: roleArn("400000000001"), RoleSessionName: "s1" }))],
    ];
    for (const [label, p] of cases) {
      const e = await failure(p);
      expect(`${label}: ${e.name}`).toBe(`${label}: AccessDenied`);
      expect(e.$metadata?.httpStatusCode).toBe(403);
      expect(e.message).toContain("is not authorized to perform: sts:AssumeRole");
    }
  });

  it("honours ExternalId, trust lists, DurationSeconds limits and role chaining", async () => {
    const ok = await sts(sim, creds(KEY_P)).send(new AssumeRoleCommand({ RoleArn: roleArn(P, "AuditRole"), RoleSessionName: "self", ExternalId: "s3-log-auditor-ext", DurationSeconds: 7200 }));
    expect(ok.Credentials?.AccessKeyId).toBeTruthy();
    const tooLong = await failure(sts(sim).send(new AssumeRoleCommand({ RoleArn: roleArn(P), RoleSessionName: "long", DurationSeconds: 7200 })));
    expect(tooLong.name).toBe("ValidationError");
    const tooShort = await failure(sts(sim).send(new AssumeRoleCommand({ RoleArn: roleArn(P), RoleSessionName: "short", DurationSeconds: 60 })));
    expect(tooShort.name).toBe("ValidationError");
    const c = ok.Credentials!;
    const chained = await failure(
      sts(sim, { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).send(
        new AssumeRoleCommand({ RoleArn: roleArn(P, "AuditRole"), RoleSessionName: "chain", ExternalId: "s3-log-auditor-ext", DurationSeconds: 7200 }),
      ),
    );
    expect(chained.name).toBe("ValidationError");
    expect(chained.message).toContain("role chaining");
  });

  it("expired AssumeRole credentials are refused", async () => {
    const res = await sts(sim).send(new AssumeRoleCommand({ RoleArn: roleArn(P), RoleSessionName: "expiring" }));
    const c = res.Credentials!;
    sim.state.keys.get(c.AccessKeyId!)!.expiration = new Date(Date.now() - 1000);
    const e = await failure(s3(sim, "us-east-1", { accessKeyId: c.AccessKeyId!, secretAccessKey: c.SecretAccessKey!, sessionToken: c.SessionToken! }).send(new ListBucketsCommand({})));
    expect(e.name).toBe("ExpiredToken");
  });

  it("fromTemporaryCredentials assumes the role and the S3 client acts in the member account", async () => {
    const provider = fromTemporaryCredentials({
      masterCredentials: creds(KEY_M),
      params: { RoleArn: roleArn(P), RoleSessionName: "s3-log-auditor", DurationSeconds: 3600 },
      clientConfig: { region: "us-east-1", endpoint: sim.endpoint },
    });
    sim.resetMetrics();
    const client = s3(sim, "us-east-1", provider);
    const lg = await client.send(new GetBucketLoggingCommand({ Bucket: "prod-bucket" }));
    expect(lg.LoggingEnabled?.TargetBucket).toBe("prod-bucket");
    const m = sim.metrics();
    expect(m.byAccount[M]).toEqual({ AssumeRole: 1 });
    expect(m.byAccount[P]).toEqual({ GetBucketLogging: 1 });
  });
});

describe("Organizations", () => {
  it("DescribeOrganization from any member; NotInUse outside the organization", async () => {
    const o = await orgs(sim, creds(KEY_P)).send(new DescribeOrganizationCommand({}));
    expect(o.Organization).toMatchObject({ Id: "o-stsorgtest01", MasterAccountId: M, FeatureSet: "ALL", Arn: `arn:aws:organizations::${M}:organization/o-stsorgtest01` });
    const e = await failure(orgs(sim, creds(KEY_X)).send(new DescribeOrganizationCommand({})));
    expect(e.name).toBe("AWSOrganizationsNotInUseException");
    expect(e.$metadata?.httpStatusCode).toBe(400);
  });

  it("ListAccounts paginates with small MaxResults and returns Status and State", async () => {
    const all: { Id?: string; Status?: string; State?: string; JoinedTimestamp?: Date }[] = [];
    let pages = 0;
    for await (const page of paginateListAccounts({ client: orgs(sim), pageSize: 3 }, {})) {
      expect(page.Accounts!.length).toBeLessThanOrEqual(3);
      all.push(...page.Accounts!);
      pages++;
    }
    expect(pages).toBe(3);
    expect(all.map((a) => a.Id)).toEqual([M, P, "400000000000", "400000000001", "400000000002", "400000000003", "400000000004", "400000000005"]);
    const suspended = all.find((a) => a.Id === "400000000001");
    expect(suspended).toMatchObject({ Status: "SUSPENDED", State: "SUSPENDED" });
    expect(all.find((a) => a.Id === "400000000004")).toMatchObject({ Status: "SUSPENDED", State: "CLOSED" });
    expect(all[0]?.JoinedTimestamp).toBeInstanceOf(Date);
    const bad = await failure(orgs(sim).send(new ListAccountsCommand({ MaxResults: 50 })));
    expect(bad.name).toBe("InvalidInputException");
    const badToken = await failure(orgs(sim).send(new ListAccountsCommand({ NextToken: "garbage" })));
    expect(badToken.name).toBe("InvalidInputException");
  });

  it("ListAccounts only from the management account; DescribeAccount too", async () => {
    const e = await failure(orgs(sim, creds(KEY_P)).send(new ListAccountsCommand({})));
    expect(e.name).toBe("AccessDeniedException");
    const d = await orgs(sim).send(new DescribeAccountCommand({ AccountId: P }));
    expect(d.Account).toMatchObject({ Id: P, Name: "production", State: "ACTIVE" });
  });

  it("a scenario without an organization answers AWSOrganizationsNotInUseException", async () => {
    const solo = await startSimulator({ scenario: { accounts: [{ id: "123123123123", name: "solo" }] } });
    try {
      const e = await failure(orgs(solo).send(new ListAccountsCommand({})));
      expect(e.name).toBe("AWSOrganizationsNotInUseException");
      expect((await sts(solo).send(new GetCallerIdentityCommand({}))).Account).toBe("123123123123");
    } finally {
      await solo.close();
    }
  });
});
