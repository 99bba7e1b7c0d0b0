/** withDemoSim: the demo never sees the user's AWS configuration, and restores it afterwards. */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { describe, expect, it } from "vitest";
import { DEMO_CREDENTIALS, withDemoSim } from "../../src/cli/demo-env.js";

describe("withDemoSim", () => {
  it("hides AWS_* settings while it runs, serves the demo organization, and restores the environment", async () => {
    const saved = { ...process.env };
    process.env.AWS_PROFILE = "production-admin";
    process.env.AWS_ACCESS_KEY_ID = "AKIAREALREALREALREAL";
    process.env.AWS_SESSION_TOKEN = "real-token";
    process.env.AWS_ENDPOINT_URL_S3 = "https://s3.example.com";
    delete process.env.AWS_REGION;
    try {
      const seen = await withDemoSim(async (env) => {
        expect(env.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
        expect(env.credentials).toBe(DEMO_CREDENTIALS);
        const snapshotOfEnv = {
          profile: process.env.AWS_PROFILE,
          key: process.env.AWS_ACCESS_KEY_ID,
          token: process.env.AWS_SESSION_TOKEN,
          s3: process.env.AWS_ENDPOINT_URL_S3,
          endpoint: process.env.AWS_ENDPOINT_URL,
        };
        // the unmodified SDK, configured only by the environment, reaches the simulator
        const sts = new STSClient({});
        const id = await sts.send(new GetCallerIdentityCommand({}));
        sts.destroy();
        return { snapshotOfEnv, account: id.Account, requests: env.sim.metrics().total };
      });
      expect(seen.snapshotOfEnv).toEqual({
        profile: undefined,
        key: DEMO_CREDENTIALS.accessKeyId,
        token: undefined,
        s3: undefined,
        endpoint: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
      });
      expect(seen.account).toBe("111111111111");
      expect(seen.requests).toBe(1);
      expect(process.env.AWS_PROFILE).toBe("production-admin");
      expect(process.env.AWS_ACCESS_KEY_ID).toBe("AKIAREALREALREALREAL");
      expect(process.env.AWS_ENDPOINT_URL_S3).toBe("https://s3.example.com");
      expect(process.env.AWS_ENDPOINT_URL).toBe(saved.AWS_ENDPOINT_URL);
      expect("AWS_REGION" in process.env).toBe(false);
    } finally {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    }
  });

  it("stops the simulator even when the work fails", async () => {
    let endpoint = "";
    await expect(
      withDemoSim(async (env) => {
        endpoint = env.endpoint;
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    await expect(fetch(endpoint)).rejects.toThrow();
  });
});
