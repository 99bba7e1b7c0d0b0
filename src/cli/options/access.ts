/**
 * The access flag group — how AWS is reached: --role-name, --external-id, --profile,
 * --endpoint-url (scan, demo's subcommands, fix, undo, logs). Declared on commander and validated
 * by zod here, once.
 */
import type { Command } from "@commander-js/extra-typings";
import { z } from "zod";
import { accessOf } from "../../app/options.js";
import { DEFAULT_ROLE_NAME } from "../../collect/target-syntax.js";
import { endpointUrl, roleName } from "./values.js";

type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Declares --role-name (help `roleHelp`), --external-id, --profile, --endpoint-url. */
export function addAccessFlags<C extends AnyCommand>(cmd: C, roleHelp: string): C {
  cmd
    .option("--role-name <name>", roleHelp, DEFAULT_ROLE_NAME)
    .option("--external-id <id>", "external id for AssumeRole")
    .option("--profile <name>", "AWS shared-config profile for the starting credentials")
    .option("--endpoint-url <url>", "send every AWS call to this endpoint (path-style S3)");
  return cmd;
}

/** The zod shape of the access flags. */
export const accessShape = {
  roleName: roleName.optional(),
  externalId: z.string().optional(),
  profile: z.string().optional(),
  endpointUrl: endpointUrl.optional(),
};

/** The access flags alone (undo). */
export const accessSchema = z.object(accessShape).transform(accessOf);
