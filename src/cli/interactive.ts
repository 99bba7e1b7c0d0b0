/**
 * Opens the interactive fix session (`fix` in a terminal, `demo fix`): checks the journal path, builds the session's services from the application layer, and hands them to
 * the UI (src/ui/, loaded only now: ink is not needed otherwise).
 */
import { resolve } from "node:path";
import type { AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { createFixServices } from "../app/fix-session.js";
import { planOptionsFor } from "../app/fix.js";
import { accessOf, type ScanOptions } from "../app/options.js";
import { journalPathFor } from "../fix/journal-dir.js";
import type { PlanOptions } from "../model/plan.js";
import { undoCommandWords } from "./shell.js";
import { assertWritable } from "./writable.js";

export interface InteractiveFixRequest {
  scan: ScanOptions;
  fix: PlanOptions & { journal?: string };
  /** Explicit environment (the demo): endpoint, dummy credentials, Region. */
  env?: { endpointUrl: string; credentials: AwsCredentialIdentityProvider; region: string; banner?: string };
}

/** Runs the session on this terminal; resolves with its exit code. */
export async function runInteractiveFix(o: InteractiveFixRequest): Promise<number> {
  const journalPath = resolve(journalPathFor("fix", o.fix.journal));
  await assertWritable(journalPath, "--journal");
  const scan: ScanOptions = o.env ? { ...o.scan, target: { ...o.scan.target, endpointUrl: o.env.endpointUrl } } : o.scan;
  const access = accessOf(scan.target);
  const services = createFixServices({
    scan,
    plan: planOptionsFor(o.scan, o.fix),
    journalPath,
    // The demo's simulator ends with the process: no command could undo its run afterwards.
    ...(o.env ? {} : { undoCommand: (journal: string) => undoCommandWords(journal, access) }),
    pool: access,
    ...(o.env ? { credentials: o.env.credentials, region: o.env.region } : {}),
    ...(o.env?.banner ? { banner: o.env.banner } : {}),
  });
  const ui = await import("../ui/facade.js");
  // A terminal that cannot draw a screen (TERM=dumb, not a terminal) gets the line mode.
  const open = ui.canDrawScreen(process.stdin, process.stdout) ? ui.openInteractiveFix : ui.openLineFix;
  return open({ services, demo: o.env !== undefined });
}
