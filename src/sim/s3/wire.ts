/**
 * The S3 wire basics shared by every simulated S3 API: the parsed request, the response value,
 * XML success answers, request-body parsing and small encodings.
 */
import type { IncomingHttpHeaders } from "node:http";
import { SimError, malformedXml } from "../errors.js";
import type { SimBucket, SimIdentity, SimState } from "../state.js";
import { XML_DECL, XmlSyntaxError, parseXml } from "../xml.js";

/** One parsed S3 REST request. */
export interface S3Request {
  method: string;
  op: string;
  bucket: string | undefined;
  key: string | undefined;
  query: Map<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
  identity: SimIdentity | undefined;
  /** Region of the SigV4 credential scope. */
  region: string;
}

/** One answer of the simulator (any service). */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** Content type of XML answers. */
export const XML_HEADERS = { "content-type": "application/xml" };

/** A 200 answer, with an XML body when given. */
export function ok(body?: string, headers?: Record<string, string>): SimResponse {
  if (body === undefined) return { status: 200, ...(headers ? { headers } : {}) };
  return { status: 200, headers: { ...XML_HEADERS, ...headers }, body: XML_DECL + body };
}
/** A 204 answer. */
export const NO_CONTENT: SimResponse = { status: 204 };

/** The request body as parsed XML; MissingRequestBodyError / MalformedXML as S3 answers. */
export function parseBody(req: S3Request): Record<string, unknown> {
  const s = req.body.toString("utf8");
  if (s.trim() === "") throw new SimError("MissingRequestBodyError", 400, "Request Body is empty");
  try {
    return parseXml(s);
  } catch (err) {
    if (err instanceof XmlSyntaxError) throw malformedXml();
    throw err;
  }
}

/** An XML boolean as S3 reads it. */
export function parseBool(v: string | undefined): boolean {
  return v === "true" || v === "TRUE" || v === "True";
}

/** base64url of a string (continuation tokens). */
export function b64(s: string): string {
  return Buffer.from(s, "utf8").toString("base64url");
}
/** Inverse of b64; undefined when not decodable. */
export function unb64(s: string): string | undefined {
  try {
    const out = Buffer.from(s, "base64url").toString("utf8");
    return out;
  } catch {
    return undefined;
  }
}

/** ISO-8601 time with the milliseconds zeroed, as S3 lists creation dates. */
export function isoSeconds(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, ".000Z");
}

/** What an S3 API handler may use besides the request: the state and the simulator clock. */
export interface S3Context {
  readonly state: SimState;
  /** Canonical user ID of an account ("" when unknown). */
  canonicalOf(account: string): string;
  /** The simulator clock's current time. */
  now(): Date;
}

/** An S3 API on an existing bucket that the caller may access (routing has checked both). */
export type BucketApi = (ctx: S3Context, req: S3Request, bucket: SimBucket) => SimResponse;
