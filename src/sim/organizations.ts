/** Simulated AWS Organizations (JSON 1.1): DescribeOrganization, ListAccounts, DescribeAccount. */
import { SimError } from "./errors.js";
import type { SimAccount, SimIdentity, SimState } from "./state.js";
import type { SimResponse } from "./s3/wire.js";

export const ORG_TARGET_PREFIX = "AWSOrganizationsV20161128.";
const JSON_HEADERS = { "content-type": "application/x-amz-json-1.1" };

function reply(body: unknown): SimResponse {
  return { status: 200, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

function notInUse(): SimError {
  return new SimError("AWSOrganizationsNotInUseException", 400, "Your account is not a member of an organization.");
}

function accessDenied(): SimError {
  return new SimError("AccessDeniedException", 400, "You don't have permissions to access this resource.");
}

function invalidInput(reason: string, message: string): SimError {
  return new SimError("InvalidInputException", 400, message, { Reason: reason });
}

/** `Status` (being retired) from the newer `State`. */
function legacyStatus(state: SimAccount["state"]): string {
  switch (state) {
    case "SUSPENDED":
    case "CLOSED":
      return "SUSPENDED";
    case "PENDING_CLOSURE":
      return "PENDING_CLOSURE";
    default:
      return "ACTIVE";
  }
}

/** Handles Organizations actions. */
export class OrganizationsHandler {
  constructor(private readonly state: SimState) {}

  handle(action: string, input: Record<string, unknown>, identity: SimIdentity | undefined): SimResponse {
    if (!identity) throw new SimError("MissingAuthenticationTokenException", 400, "Missing Authentication Token");
    const org = this.state.organization;
    const caller = this.state.accounts.get(identity.account);
    if (!org || !caller || !caller.inOrganization) throw notInUse();
    const mgmtArn = `arn:aws:organizations::${org.managementAccount}:account/${org.id}/${org.managementAccount}`;
    const privileged = identity.account === org.managementAccount || org.delegatedAdministrators.has(identity.account);
    switch (action) {
      case "DescribeOrganization": {
        const mgmt = this.state.accounts.get(org.managementAccount);
        return reply({
          Organization: {
            Id: org.id,
            Arn: `arn:aws:organizations::${org.managementAccount}:organization/${org.id}`,
            FeatureSet: org.featureSet,
            MasterAccountArn: mgmtArn,
            MasterAccountId: org.managementAccount,
            MasterAccountEmail: mgmt?.email ?? "",
            AvailablePolicyTypes: [{ Type: "SERVICE_CONTROL_POLICY", Status: "ENABLED" }],
          },
        });
      }
      case "ListAccounts":
        if (!privileged) throw accessDenied();
        return this.listAccounts(input);
      case "DescribeAccount": {
        if (!privileged) throw accessDenied();
        const id = input.AccountId;
        const acct = typeof id === "string" ? this.state.accounts.get(id) : undefined;
        if (!acct || !acct.inOrganization) throw new SimError("AccountNotFoundException", 400, "You specified an account that doesn't exist.");
        return reply({ Account: this.accountJson(acct) });
      }
      default:
        throw new SimError("UnknownOperationException", 400, `Unknown operation ${action}`);
    }
  }

  private memberList(): SimAccount[] {
    const out: SimAccount[] = [];
    for (const a of this.state.accounts.values()) if (a.inOrganization) out.push(a);
    return out;
  }

  private accountJson(a: SimAccount): Record<string, unknown> {
    const org = this.state.organization;
    return {
      Id: a.id,
      Arn: `arn:aws:organizations::${org?.managementAccount}:account/${org?.id}/${a.id}`,
      Email: a.email,
      Name: a.name,
      Status: legacyStatus(a.state),
      State: a.state,
      JoinedMethod: a.joinedMethod,
      JoinedTimestamp: a.joinedTimestamp.getTime() / 1000,
    };
  }

  private listAccounts(input: Record<string, unknown>): SimResponse {
    let max = 20;
    if (input.MaxResults !== undefined) {
      const m = input.MaxResults;
      if (typeof m !== "number" || !Number.isInteger(m) || m < 1 || m > 20) {
        throw invalidInput("INVALID_INPUT", "1 validation error detected: Value at 'maxResults' failed to satisfy constraint: Member must have value between 1 and 20");
      }
      max = m;
    }
    let start = 0;
    if (input.NextToken !== undefined && input.NextToken !== null) {
      const t = input.NextToken;
      const m = typeof t === "string" ? /^sim-(\d+)$/.exec(Buffer.from(t, "base64url").toString("utf8")) : null;
      if (!m) throw invalidInput("INVALID_PAGINATION_TOKEN", "You specified an invalid value for nextToken. You must get the value from the response to a previous call to the API.");
      start = Number(m[1]);
    }
    const all = this.memberList();
    const page = all.slice(start, start + max).map((a) => this.accountJson(a));
    const next = start + max < all.length ? Buffer.from(`sim-${start + max}`).toString("base64url") : undefined;
    return reply(next ? { Accounts: page, NextToken: next } : { Accounts: page });
  }
}

/** JSON 1.1 error body. */
export function orgErrorBody(err: SimError): string {
  return JSON.stringify({ __type: err.code, Message: err.message, ...err.extra });
}
