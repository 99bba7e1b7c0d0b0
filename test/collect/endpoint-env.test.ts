import { afterEach, beforeAll, afterAll, describe, expect, it } from "vitest";
import { collectSnapshot } from "../../src/collect/index.js";
import { DEMO_ACCOUNTS } from "../../src/sim/index.js";
import { CREDS, sim, type RunningSim } from "./helpers.js";

const KEYS = ["AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL_STS", "AWS_ENDPOINT_URL_ORGANIZATIONS"] as const;
let s: RunningSim;
const saved: Record<string, string | undefined> = {};

beforeAll(async () => {
  s = await sim("demo");
  for (const k of KEYS) saved[k] = process.env[k];
});
afterEach(() => {
  for (const k of KEYS) {
    if (saved[k] === undefined) delete process.env[k];
    else process.env[k] = saved[k];
  }
});
afterAll(async () => {
  await s.close();
});

describe("collect: endpoint from the environment", () => {
  it("AWS_ENDPOINT_URL points S3, STS and Organizations at the endpoint (path-style S3)", async () => {
    process.env.AWS_ENDPOINT_URL = s.endpoint;
    s.resetMetrics();
    const snap = await collectSnapshot({ credentials: CREDS, org: true });
    expect(snap.scope.accounts).toEqual([DEMO_ACCOUNTS.management, DEMO_ACCOUNTS.production, DEMO_ACCOUNTS.development, DEMO_ACCOUNTS.analytics]);
    expect(snap.errors).toEqual([]);
    expect(s.metrics().byOperation.ListAccounts).toBeGreaterThan(0);
  });

  it("per-service AWS_ENDPOINT_URL_S3 / _STS / _ORGANIZATIONS work the same", async () => {
    process.env.AWS_ENDPOINT_URL_S3 = s.endpoint;
    process.env.AWS_ENDPOINT_URL_STS = s.endpoint;
    process.env.AWS_ENDPOINT_URL_ORGANIZATIONS = s.endpoint;
    const snap = await collectSnapshot({ credentials: CREDS, accounts: [DEMO_ACCOUNTS.production] });
    expect(snap.buckets.length).toBeGreaterThan(10);
    expect(snap.errors).toEqual([]);
  });
});
