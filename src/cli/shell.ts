/**
 * The commands the CLI prints for the user to run next (undo, apply): every argument quoted for a
 * POSIX shell, and never a secret (no URL userinfo, the external id as "$EXTERNAL_ID").
 */
import type { AwsAccess } from "../app/options.js";
import { TOOL_NAME } from "../base/identity.js";
import { DEFAULT_ROLE_NAME } from "../collect/target-syntax.js";

/** One word for a POSIX shell: unchanged when plain, else single-quoted. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The URL without its userinfo (`user:password@`), or the text unchanged when it is not one. */
export function withoutUserinfo(url: string): string {
  try {
    const u = new URL(url);
    if (u.username === "" && u.password === "") return url;
    u.username = "";
    u.password = "";
    return u.toString();
  } catch {
    return url;
  }
}

/** The access flags to repeat in a printed command (a default role name is left out). */
export function accessFlags(access: AwsAccess): string[] {
  const parts: string[] = [];
  if (access.endpointUrl !== undefined) parts.push("--endpoint-url", shellQuote(withoutUserinfo(access.endpointUrl)));
  if (access.profile !== undefined) parts.push("--profile", shellQuote(access.profile));
  if (access.roleName !== undefined && access.roleName !== DEFAULT_ROLE_NAME) parts.push("--role-name", shellQuote(access.roleName));
  // Never printed: the user sets EXTERNAL_ID (as in the README's examples).
  if (access.externalId !== undefined) parts.push("--external-id", '"$EXTERNAL_ID"');
  return parts;
}

/** The shell words (each quoted) of `s3-log-auditor undo JOURNAL` with the access flags of the run. */
export function undoCommandWords(journalPath: string, access: AwsAccess): string[] {
  return [TOOL_NAME, "undo", shellQuote(journalPath), ...accessFlags(access)];
}

/** `s3-log-auditor undo JOURNAL` with the access flags of the run. */
export function undoCommand(journalPath: string, access: AwsAccess): string {
  return undoCommandWords(journalPath, access).join(" ");
}

/** `s3-log-auditor fix --apply PLAN --yes` with the access flags of the run. */
export function applyCommand(planPath: string, access: AwsAccess): string {
  return [TOOL_NAME, "fix", "--apply", shellQuote(planPath), "--yes", ...accessFlags(access)].join(" ");
}
