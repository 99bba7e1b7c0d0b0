/** Raw wire-format details that SDK parsing hides: error documents, HEAD bodies, headers, odd requests. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { XMLValidator } from "fast-xml-parser";
import { CreateBucketCommand, GetBucketAclCommand, GetBucketLoggingCommand } from "@aws-sdk/client-s3";
import { startSimulator, type RunningSim } from "../../src/sim/index.js";
import { creds, failure, s3, PROD_KEY } from "./helpers.js";

let sim: RunningSim;
beforeAll(async () => {
  sim = await startSimulator({ scenario: "demo" });
});
afterAll(async () => {
  await sim.close();
});

const auth = (key: string, region: string, service: string) => ({
  authorization: `AWS4-HMAC-SHA256 Credential=${key}/20260101/${region}/${service}/aws4_request, SignedHeaders=host, Signature=00`,
});
const prod = (region = "us-east-1") => auth(PROD_KEY, region, "s3");

describe("S3 wire format", () => {
  it("error documents carry Code, Message, extra elements, RequestId and HostId; headers carry the request ID", async () => {
    const res = await fetch(`${sim.endpoint}/demo-prod-web-assets?policy`, { headers: prod() });
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/xml");
    const body = await res.text();
    expect(XMLValidator.validate(body)).toBe(true);
    const id = res.headers.get("x-amz-request-id");
    expect(id).toMatch(/^[A-Z0-9]{16}$/);
    expect(body).toBe(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucketPolicy</Code><Message>The bucket policy does not exist</Message><BucketName>demo-prod-web-assets</BucketName><RequestId>${id}</RequestId><HostId>${res.headers.get("x-amz-id-2")}</HostId></Error>`,
    );
  });

  it("HEAD errors have no body but keep x-amz-bucket-region", async () => {
    for (const [bucket, region, status, hdr] of [
      ["demo-prod-web-assets", "eu-west-1", 301, "us-east-1"],
      ["demo-logs-333333333333-us-east-1", "us-east-1", 403, "us-east-1"],
      ["demo-nothing-here", "us-east-1", 404, null],
    ] as const) {
      const res = await fetch(`${sim.endpoint}/${bucket}`, { method: "HEAD", headers: prod(region), redirect: "manual" });
      expect(res.status).toBe(status);
      expect(res.headers.get("x-amz-bucket-region")).toBe(hdr);
      expect(await res.text()).toBe("");
    }
  });

  it("the wrong Region's 301 body names the endpoint and bucket", async () => {
    const res = await fetch(`${sim.endpoint}/demo-prod-eu-customers?logging`, { headers: prod("us-east-1"), redirect: "manual" });
    const body = await res.text();
    expect(body).toContain("<Code>PermanentRedirect</Code>");
    expect(body).toContain("<Endpoint>s3.eu-west-1.amazonaws.com</Endpoint><Bucket>demo-prod-eu-customers</Bucket>");
  });

  it("wrongRegionError: AuthorizationHeaderMalformed makes wrong-Region requests 400 with <Region>", async () => {
    const alt = await startSimulator({ scenario: { wrongRegionError: "AuthorizationHeaderMalformed", accounts: [{ id: "123456789012", name: "a", buckets: [{ name: "alt-eu", region: "eu-west-1" }] }] } });
    try {
      const e = await failure(s3(alt, "us-east-1", creds("AKIAANY")).send(new GetBucketLoggingCommand({ Bucket: "alt-eu" })));
      expect([e.name, e.$metadata?.httpStatusCode, e.Region]).toEqual(["AuthorizationHeaderMalformed", 400, "eu-west-1"]);
      expect(e.message).toBe("The authorization header is malformed; the region 'us-east-1' is wrong; expecting 'eu-west-1'");
      const head = await fetch(`${alt.endpoint}/alt-eu`, { method: "HEAD", headers: auth("AKIAANY", "us-east-1", "s3") });
      expect([head.status, head.headers.get("x-amz-bucket-region"), await head.text()]).toEqual([400, "eu-west-1", ""]);
    } finally {
      await alt.close();
    }
  });

  it("a method a subresource does not support is 405; an unsupported subresource is 501", async () => {
    const del = await fetch(`${sim.endpoint}/demo-prod-web-assets?acl`, { method: "DELETE", headers: prod() });
    expect(del.status).toBe(405);
    expect(await del.text()).toContain("<Code>MethodNotAllowed</Code>");
    const tagging = await fetch(`${sim.endpoint}/demo-prod-web-assets?tagging`, { headers: prod() });
    expect(tagging.status).toBe(501);
    expect(await tagging.text()).toContain("<Code>NotImplemented</Code>");
  });

  it("unsigned requests are anonymous (AccessDenied); presigned-style query credentials identify the caller", async () => {
    const anon = await fetch(`${sim.endpoint}/demo-prod-web-assets?logging`);
    expect(anon.status).toBe(403);
    expect(await anon.text()).toContain("<Code>AccessDenied</Code>");
    const cred = encodeURIComponent(`${PROD_KEY}/20260101/us-east-1/s3/aws4_request`);
    const pre = await fetch(`${sim.endpoint}/demo-prod-web-assets?logging&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${cred}`);
    expect(pre.status).toBe(200);
    expect(sim.metrics().byAccount.anonymous).toEqual({ GetBucketLogging: 1 });
  });

  it("re-creating your own bucket in us-east-1 answers 200 (AWS legacy) and resets its ACL", async () => {
    const c = s3(sim, "us-east-1", creds(PROD_KEY));
    await c.send(new CreateBucketCommand({ Bucket: "wire-acl-bucket", ObjectOwnership: "ObjectWriter", ACL: "log-delivery-write" as never }));
    expect((await c.send(new GetBucketAclCommand({ Bucket: "wire-acl-bucket" }))).Grants).toHaveLength(3);
    await c.send(new CreateBucketCommand({ Bucket: "wire-acl-bucket" }));
    expect((await c.send(new GetBucketAclCommand({ Bucket: "wire-acl-bucket" }))).Grants?.map((g) => g.Permission)).toEqual(["FULL_CONTROL"]);
    await c.send(new CreateBucketCommand({ Bucket: "demo-prod-orders" }));
    expect(sim.state.buckets.get("demo-prod-orders")?.objects.size).toBe(2);
  });
});

describe("STS and Organizations wire format", () => {
  it("STS errors are ErrorResponse documents in the STS namespace", async () => {
    const res = await fetch(sim.endpoint, {
      method: "POST",
      headers: { ...auth("AKIAANY", "us-east-1", "sts"), "content-type": "application/x-www-form-urlencoded" },
      body: "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FNoSuchRole&RoleSessionName=raw",
    });
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(XMLValidator.validate(body)).toBe(true);
    expect(body).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/">\s*<Error>\s*<Type>Sender<\/Type>\s*<Code>AccessDenied<\/Code>\s*<Message>User: arn:aws:iam::111111111111:root is not authorized to perform: sts:AssumeRole on resource: arn:aws:iam::222222222222:role\/NoSuchRole<\/Message>\s*<\/Error>\s*<RequestId>[^<]+<\/RequestId>\s*<\/ErrorResponse>\s*$/,
    );
  });

  it("Organizations errors are JSON with __type and the x-amzn-errortype header", async () => {
    const res = await fetch(sim.endpoint, {
      method: "POST",
      headers: { ...auth("AKIAANY", "us-east-1", "organizations"), "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSOrganizationsV20161128.CreateAccount" },
      body: "{}",
    });
    expect(res.status).toBe(400);
    expect(res.headers.get("x-amzn-errortype")).toBe("UnknownOperationException");
    expect(((await res.json()) as { __type: string }).__type).toBe("UnknownOperationException");
    const list = await fetch(sim.endpoint, {
      method: "POST",
      headers: { ...auth("AKIAANY", "us-east-1", "organizations"), "content-type": "application/x-amz-json-1.1", "x-amz-target": "AWSOrganizationsV20161128.ListAccounts" },
      body: JSON.stringify({ MaxResults: 1 }),
    });
    const page = (await list.json()) as { Accounts: { JoinedTimestamp: unknown }[]; NextToken: string };
    expect(typeof page.Accounts[0]?.JoinedTimestamp).toBe("number");
    expect(page.NextToken).toBeTruthy();
  });

  it("internal endpoints: health, unknown paths", async () => {
    expect(await (await fetch(`${sim.endpoint}/_sim/health`)).text()).toBe("ok");
    expect((await fetch(`${sim.endpoint}/_sim/nothing`)).status).toBe(404);
  });
});
