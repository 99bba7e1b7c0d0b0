/** Simulated AWS STS (query protocol, XML replies): GetCallerIdentity and AssumeRole. */
import { SimError } from "./errors.js";
import type { SimIdentity, SimState } from "./state.js";
import { STS_NS, esc } from "./xml.js";
import type { SimResponse } from "./s3/wire.js";

const ROLE_ARN_RE = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]{1,64})$/;
const SESSION_RE = /^[\w+=,.@-]{2,64}$/;

function validation(message: string): SimError {
  return new SimError("ValidationError", 400, message);
}

function xmlReply(action: string, result: string, requestId: string): SimResponse {
  return {
    status: 200,
    headers: { "content-type": "text/xml" },
    body: `<${action}Response xmlns="${STS_NS}">\n  <${action}Result>${result}</${action}Result>\n  <ResponseMetadata>\n    <RequestId>${requestId}</RequestId>\n  </ResponseMetadata>\n</${action}Response>\n`,
  };
}

/** Handles STS actions. */
export class StsHandler {
  constructor(private readonly state: SimState) {}

  handle(action: string, params: URLSearchParams, identity: SimIdentity | undefined, requestId: string, now: number): SimResponse {
    if (!identity) throw new SimError("MissingAuthenticationToken", 403, "Request is missing Authentication Token");
    switch (action) {
      case "GetCallerIdentity":
        return xmlReply(
          action,
          `\n    <Arn>${esc(identity.arn)}</Arn>\n    <UserId>${esc(identity.userId)}</UserId>\n    <Account>${identity.account}</Account>\n  `,
          requestId,
        );
      case "AssumeRole":
        return this.assumeRole(params, identity, requestId, now);
      default:
        throw new SimError("InvalidAction", 400, `Could not find operation ${action} for version 2011-06-15`);
    }
  }

  private assumeRole(params: URLSearchParams, identity: SimIdentity, requestId: string, now: number): SimResponse {
    const roleArn = params.get("RoleArn");
    const session = params.get("RoleSessionName");
    if (!roleArn) throw validation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null");
    if (roleArn.length < 20) throw validation(`1 validation error detected: Value '${roleArn}' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20`);
    if (!session) throw validation("1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null");
    if (!SESSION_RE.test(session)) {
      throw validation(`1 validation error detected: Value '${session}' at 'roleSessionName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]*`);
    }
    const durRaw = params.get("DurationSeconds");
    const duration = durRaw === null ? 3600 : Number(durRaw);
    if (!Number.isInteger(duration) || duration < 900) {
      throw validation(`1 validation error detected: Value '${durRaw}' at 'durationSeconds' failed to satisfy constraint: Member must have value greater than or equal to 900`);
    }
    if (duration > 43200) {
      throw validation(`1 validation error detected: Value '${durRaw}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200`);
    }
    const denied = () =>
      new SimError("AccessDenied", 403, `User: ${identity.arn} is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`);
    const m = ROLE_ARN_RE.exec(roleArn);
    if (!m) throw denied();
    const account = this.state.accounts.get(m[1] as string);
    const role = account?.roles.get(m[2] as string);
    if (!account || !role || role.arn !== roleArn) throw denied();
    if (account.state === "SUSPENDED" || account.state === "CLOSED" || account.state === "PENDING_CLOSURE") throw denied();
    if (!role.trustedAccounts.includes("*") && !role.trustedAccounts.includes(identity.account)) throw denied();
    if (role.externalId !== undefined && params.get("ExternalId") !== role.externalId) throw denied();
    if (identity.assumed && duration > 3600) {
      throw validation("The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.");
    }
    if (duration > role.maxSessionDuration) throw validation("The requested DurationSeconds exceeds the MaxSessionDuration set for this role.");
    const creds = this.state.issueCredentials(role, account.id, session, duration, now);
    const exp = (creds.expiration as Date).toISOString().replace(/\.\d{3}Z$/, "Z");
    return xmlReply(
      "AssumeRole",
      `\n    <AssumedRoleUser>\n      <AssumedRoleId>${esc(creds.userId)}</AssumedRoleId>\n      <Arn>${esc(creds.arn)}</Arn>\n    </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>${creds.accessKeyId}</AccessKeyId>\n      <SecretAccessKey>${esc(creds.secretAccessKey ?? "")}</SecretAccessKey>\n      <SessionToken>${esc(creds.sessionToken ?? "")}</SessionToken>\n      <Expiration>${exp}</Expiration>\n    </Credentials>\n  `,
      requestId,
    );
  }
}

/** The STS error document (query protocol). */
export function stsErrorBody(err: SimError, requestId: string): string {
  const type = err.status >= 500 ? "Receiver" : "Sender";
  return `<ErrorResponse xmlns="${STS_NS}">\n  <Error>\n    <Type>${type}</Type>\n    <Code>${esc(err.code)}</Code>\n    <Message>${esc(err.message)}</Message>\n  </Error>\n  <RequestId>${requestId}</RequestId>\n</ErrorResponse>\n`;
}
