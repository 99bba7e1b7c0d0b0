/** Shared helpers for simulator tests: SDK clients pointed at a running simulator. */
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import type { BucketSpec, RunningSim, Scenario } from "../../src/sim/index.js";

export const MGMT_KEY = "AKIADEMOMANAGEMENT01";
export const PROD_KEY = "AKIADEMOPRODUCTION01";
export const DEV_KEY = "AKIADEMODEVELOPMENT1";

export interface Creds {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** A scenario of one account, its access key `key` acting as IAM user `user`, holding `buckets`. */
export function oneAccount(id: string, key: string, buckets: BucketSpec[], more: { name?: string; user?: string } = {}): Scenario {
  return { accounts: [{ id, name: more.name ?? "alpha", accessKeys: [{ id: key, user: more.user ?? "auditor" }], buckets }] };
}

export function creds(accessKeyId: string): Creds {
  return { accessKeyId, secretAccessKey: "sim-secret" };
}

export function s3(sim: RunningSim, region: string, c: Creds | (() => Promise<Creds>) = creds(PROD_KEY), extra: Record<string, unknown> = {}): S3Client {
  return new S3Client({ region, endpoint: sim.endpoint, forcePathStyle: true, credentials: c, maxAttempts: 1, ...extra });
}

export function sts(sim: RunningSim, c: Creds = creds(MGMT_KEY), region = "us-east-1"): STSClient {
  return new STSClient({ region, endpoint: sim.endpoint, credentials: c, maxAttempts: 1 });
}

export function orgs(sim: RunningSim, c: Creds = creds(MGMT_KEY)): OrganizationsClient {
  return new OrganizationsClient({ region: "us-east-1", endpoint: sim.endpoint, credentials: c, maxAttempts: 1 });
}

/** The error a promise rejects with (fails the test if it resolves). */
export async function failure(p: Promise<unknown>): Promise<Error & { $metadata?: { httpStatusCode?: number }; $response?: { headers: Record<string, string> } } & Record<string, unknown>> {
  try {
    await p;
  } catch (err) {
    return err as never;
  }
  throw new Error("expected the call to fail, but it succeeded");
}
