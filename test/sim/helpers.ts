/** Shared helpers for simulator tests: small organizations, a simulator per file, SDK clients pointed at it. */
import { afterAll, beforeAll } from "vitest";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import { OrganizationsClient } from "@aws-sdk/client-organizations";
import { startSimulator, type AccountSpec, type BucketSpec, type RunningSim, type Scenario } from "../../src/sim/index.js";

export const MGMT_KEY = "AKIADEMOMANAGEMENT01";
export const PROD_KEY = "AKIADEMOPRODUCTION01";
export const DEV_KEY = "AKIADEMODEVELOPMENT1";

/** Account alpha (access key KEY_A) manages the small test organizations; beta (KEY_B) is a member. */
export const A = "123456789012";
export const B = "210987654321";
export const KEY_A = "AKIATESTACCOUNTA0001";
export const KEY_B = "AKIATESTACCOUNTB0001";

/**
 * A small organization (o-testorg0001 unless `organization` says otherwise) managed by alpha,
 * which holds `buckets`; `members` are its other accounts.
 */
export function alphaOrganization(
  buckets: BucketSpec[],
  members: AccountSpec[] = [],
  organization: Partial<Omit<NonNullable<Scenario["organization"]>, "managementAccount">> = {},
): Scenario {
  return {
    organization: { id: "o-testorg0001", managementAccount: A, ...organization },
    accounts: [{ id: A, name: "alpha", accessKeys: [KEY_A], buckets }, ...members],
  };
}

/** What a test file gets from simulatorForFile (each a function: the simulator starts before the tests). */
export interface FileSimulator {
  /** The running simulator. */
  sim: () => RunningSim;
  /** Alpha's S3 client in us-east-1, one for the file. */
  east: () => S3Client;
  /** Alpha's S3 client in eu-west-1, one for the file. */
  eu: () => S3Client;
}

/** Starts one simulator on `scenario` before the file's tests and closes it after them. */
export function simulatorForFile(scenario: () => Scenario): FileSimulator {
  let running: RunningSim | undefined;
  const clients = new Map<string, S3Client>();
  beforeAll(async () => {
    running = await startSimulator({ scenario: scenario() });
  });
  afterAll(async () => {
    await running?.close();
  });
  const sim = (): RunningSim => {
    if (!running) throw new Error("the simulator runs only while the file's tests run");
    return running;
  };
  const alphaIn = (region: string) => (): S3Client => {
    let c = clients.get(region);
    if (!c) clients.set(region, (c = s3(sim(), region, creds(KEY_A))));
    return c;
  };
  return { sim, east: alphaIn("us-east-1"), eu: alphaIn("eu-west-1") };
}

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
