/** A small organization for the fix tests: every kind of fixable finding, two accounts, two Regions. */
import type { AccountSpec, BucketSpec, RoleSpec, Scenario } from "../../src/sim/scenario.js";

export const MGMT = "111111111111";
export const MEMBER = "222222222222";

const role = [{ name: "OrganizationAccountAccessRole" }];

export const LOGS_POLICY = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::team-logs", "arn:aws:s3:::team-logs/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
    {
      Sid: "ReadersRead",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${MGMT}:role/readers` },
      Action: ["s3:GetObject", "s3:ListBucket"],
      Resource: ["arn:aws:s3:::team-logs", "arn:aws:s3:::team-logs/*"],
    },
  ],
};

/**
 * An organization `name` (ID `orgId`) managed by MGMT ("Management"), which holds `buckets`; with
 * `roles` for the management account and `members`, the other accounts.
 */
export function managedBy(name: string, orgId: string, buckets: BucketSpec[], more: { roles?: RoleSpec[]; members?: AccountSpec[] } = {}): Scenario {
  return {
    name,
    organization: { id: orgId, managementAccount: MGMT },
    accounts: [{ id: MGMT, name: "Management", ...(more.roles ? { roles: more.roles } : {}), buckets }, ...(more.members ?? [])],
  };
}

export function fixScenario(): Scenario {
  return managedBy(
    "fix-tests",
    "o-fixtests000",
    [
      { name: "app-data", region: "us-east-1" },
      { name: "self-logger", region: "us-east-1", logging: { targetBucket: "self-logger", targetPrefix: "own/" } },
      {
        name: "team-logs",
        region: "us-east-1",
        policy: LOGS_POLICY,
        publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: false, blockPublicPolicy: true, restrictPublicBuckets: true },
        lifecycle: [{ ID: "tidy-tmp", Status: "Enabled", Filter: { Prefix: "tmp/" }, Expiration: { Days: 7 } }],
      },
      { name: "web-front", region: "us-east-1", logging: { targetBucket: "team-logs", targetPrefix: "" } },
      { name: "eu-reports", region: "eu-west-1" },
    ],
    {
      roles: role,
      members: [
        {
          id: MEMBER,
          name: "Member",
          roles: role,
          buckets: [
            { name: "member-a", region: "us-east-1", logging: { targetBucket: "member-b", targetPrefix: "a/" } },
            { name: "member-b", region: "us-east-1", logging: { targetBucket: "member-a", targetPrefix: "b/" } },
          ],
        },
      ],
    },
  );
}
