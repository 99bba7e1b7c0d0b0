/**
 * The demo environment: the simulator's `demo` scenario in-process on a free loopback port, with
 * dummy credentials. Nothing of the user's own AWS configuration is used: AWS_* variables that
 * could select real credentials, profiles, config files or endpoints are hidden while `fn` runs
 * and restored afterwards. `demo` uses it for the scan; `demo fix` and the UI reuse it.
 */
import type { AwsCredentialIdentity } from "@aws-sdk/types";
import type { startSimulator } from "../sim/server.js";

export const DEMO_REGION = "us-east-1";

/** Dummy keys: the simulator maps any unknown key to the organization's management account. */
export const DEMO_CREDENTIALS: AwsCredentialIdentity = Object.freeze({
  accessKeyId: "AKIADEMODEMODEMODEMO",
  secretAccessKey: "demo-secret-access-key-not-a-real-secret",
});

export type DemoSimulator = Awaited<ReturnType<typeof startSimulator>>;

export interface DemoEnv {
  /** http://127.0.0.1:PORT */
  endpoint: string;
  credentials: AwsCredentialIdentity;
  region: string;
  sim: DemoSimulator;
}

/** Environment variables that could make the SDK use real credentials or a real endpoint. */
const HIDDEN_ENV = [
  "AWS_PROFILE",
  "AWS_DEFAULT_PROFILE",
  "AWS_ACCESS_KEY_ID",
  "AWS_SECRET_ACCESS_KEY",
  "AWS_SESSION_TOKEN",
  "AWS_SECURITY_TOKEN",
  "AWS_CREDENTIAL_EXPIRATION",
  "AWS_ROLE_ARN",
  "AWS_ROLE_SESSION_NAME",
  "AWS_WEB_IDENTITY_TOKEN_FILE",
  "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
  "AWS_CONTAINER_CREDENTIALS_FULL_URI",
  "AWS_CONTAINER_AUTHORIZATION_TOKEN",
  "AWS_CONFIG_FILE",
  "AWS_SHARED_CREDENTIALS_FILE",
  "AWS_REGION",
  "AWS_DEFAULT_REGION",
  "AWS_ENDPOINT_URL",
  "AWS_ENDPOINT_URL_S3",
  "AWS_ENDPOINT_URL_STS",
  "AWS_ENDPOINT_URL_ORGANIZATIONS",
  "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
  "AWS_EC2_METADATA_DISABLED",
];

/** Runs `fn` with `env` applied to process.env, restoring every variable afterwards. */
async function withEnv<T>(env: Record<string, string | undefined>, fn: () => Promise<T>): Promise<T> {
  const saved = new Map<string, string | undefined>();
  for (const [k, v] of Object.entries(env)) {
    saved.set(k, process.env[k]);
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return await fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

export interface DemoSimOptions {
  /** Extra latency per request (ms), e.g. to make progress visible. */
  latencyMs?: number;
}

/** Starts the demo simulator, runs `fn` against it with dummy credentials, always stops it. */
export async function withDemoSim<T>(fn: (env: DemoEnv) => Promise<T>, opts: DemoSimOptions = {}): Promise<T> {
  // Loaded here: the simulator's modules are needed only by the demo commands.
  const { startSimulator } = await import("../sim/server.js");
  const sim = await startSimulator({ scenario: "demo", port: 0, ...(opts.latencyMs ? { latencyMs: opts.latencyMs } : {}) });
  try {
    const env: Record<string, string | undefined> = Object.fromEntries(HIDDEN_ENV.map((k) => [k, undefined]));
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: DEMO_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: DEMO_CREDENTIALS.secretAccessKey,
      AWS_REGION: DEMO_REGION,
      AWS_ENDPOINT_URL: sim.endpoint,
      // Point the shared config files at nothing so no profile of the user is ever read.
      AWS_CONFIG_FILE: "/nonexistent/s3-log-auditor-demo/config",
      AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/s3-log-auditor-demo/credentials",
      AWS_EC2_METADATA_DISABLED: "true",
    });
    return await withEnv(env, () => fn({ endpoint: sim.endpoint, credentials: DEMO_CREDENTIALS, region: DEMO_REGION, sim }));
  } finally {
    await sim.close();
  }
}
