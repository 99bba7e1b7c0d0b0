/**
 * An AWS error answer. The server renders it in the wire format of the service that was called.
 * Deliberately not an Error subclass: "not configured" answers are frequent and a stack trace per
 * request would be wasted work.
 */
export class SimError {
  readonly name: string;
  constructor(
    readonly code: string,
    readonly status: number,
    readonly message: string,
    /** Extra elements (S3 XML) or members (Organizations JSON) of the error body. */
    readonly extra: Readonly<Record<string, string>> = {},
    /** Extra response headers (e.g. x-amz-bucket-region). */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    this.name = code;
  }
}

export const MALFORMED_XML_MESSAGE = "The XML you provided was not well-formed or did not validate against our published schema";

export function malformedXml(): SimError {
  return new SimError("MalformedXML", 400, MALFORMED_XML_MESSAGE);
}

export function s3AccessDenied(headers: Record<string, string> = {}): SimError {
  return new SimError("AccessDenied", 403, "Access Denied", {}, headers);
}

export function noSuchBucket(bucket: string): SimError {
  return new SimError("NoSuchBucket", 404, "The specified bucket does not exist", { BucketName: bucket });
}
