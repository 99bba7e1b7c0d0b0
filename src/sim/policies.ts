/**
 * Bucket policy statements the built-in organizations (the demo, the generated ones) give their
 * log buckets: plain IAM JSON, as a user would write it from the AWS documentation.
 */

const LOG_SERVICE = "logging.s3.amazonaws.com";

/** The usual statement denying every request to `bucket` that does not use TLS. */
export function denyInsecureTransport(bucket: string): Record<string, unknown> {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [`arn:aws:s3:::${bucket}`, `arn:aws:s3:::${bucket}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

/**
 * The AWS-recommended statement letting the logging service write into `bucket` for sources of
 * `account`; with `sourceArns`, only for those sources (one ARN is written as a string, several
 * as a list), without them for any source of the account.
 */
export function loggingStatement(bucket: string, account: string, sourceArns?: string[]): Record<string, unknown> {
  return {
    Sid: "S3ServerAccessLogsPolicy",
    Effect: "Allow",
    Principal: { Service: LOG_SERVICE },
    Action: "s3:PutObject",
    Resource: `arn:aws:s3:::${bucket}/*`,
    Condition: {
      ...(sourceArns ? { ArnLike: { "aws:SourceArn": sourceArns.length === 1 ? sourceArns[0] : sourceArns } } : {}),
      StringEquals: { "aws:SourceAccount": account },
    },
  };
}
