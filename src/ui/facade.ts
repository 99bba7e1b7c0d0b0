/**
 * Entry point of the interactive fix session (`fix` in a terminal, `demo fix`).
 *
 *   openInteractiveFix({ scan, fix, raw, env? }) → exit code
 *
 * Renders the ink app on the terminal (alternate screen, raw mode restored on every exit path),
 * then prints a plain summary (journal and undo command) that stays in the scrollback.
 */
import { resolve } from "node:path";
import { createElement } from "react";
import type { AwsCredentialIdentityProvider } from "@aws-sdk/types";
import type { ClientPoolOptions } from "../collect/index.js";
import { defaultJournalPath } from "../fix/index.js";
import { InputError } from "../base/errors.js";
import { assertWritable } from "../cli/run-scan.js";
import type { ScanOptions } from "../cli/scan-options.js";
import { TOOL_NAME } from "../base/identity.js";
import { colorEnabled } from "../output/style.js";
import { createFixServices, type FixServices } from "./services.js";
import { summaryText } from "./state/apply.js";
import type { SessionState } from "./state/session.js";

export { createFixServices, type FixServices, type FixServicesOptions, type ScanOutcome, type RescanScope } from "./services.js";
export { FixApp, type FixAppProps } from "./components/app.js";

export interface InteractiveFixOptions {
  scan: ScanOptions;
  fix: {
    journal?: string;
    logBucketTemplate: string;
    logRetentionDays: number;
    keyFormat: "partitioned" | "simple";
  };
  /** The raw command-line options (credential flags for the client pool and the undo command). */
  raw: Record<string, unknown>;
  /** Explicit environment (the demo): endpoint, dummy credentials, Region. */
  env?: { endpointUrl: string; credentials: AwsCredentialIdentityProvider; region: string; banner?: string };
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

const shellQuote = (s: string) => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** `s3-log-auditor undo JOURNAL` with the credential flags the session used. */
export function undoCommandFor(journalPath: string, raw: Record<string, unknown>, endpointUrl?: string): string {
  const parts = [TOOL_NAME, "undo", shellQuote(journalPath)];
  const endpoint = endpointUrl ?? (typeof raw.endpointUrl === "string" ? raw.endpointUrl : undefined);
  if (endpoint) parts.push("--endpoint-url", shellQuote(endpoint));
  if (typeof raw.profile === "string") parts.push("--profile", shellQuote(raw.profile));
  if (typeof raw.roleName === "string" && raw.roleName !== "OrganizationAccountAccessRole") parts.push("--role-name", shellQuote(raw.roleName));
  if (typeof raw.externalId === "string") parts.push("--external-id", shellQuote(raw.externalId));
  return parts.join(" ");
}

/** The services of a session from the CLI options (exported for tests). */
export function servicesFor(o: InteractiveFixOptions, journalPath: string): FixServices & { close(): void } {
  const pool: ClientPoolOptions = {};
  const raw = o.raw;
  if (o.env) pool.endpointUrl = o.env.endpointUrl;
  else if (typeof raw.endpointUrl === "string") pool.endpointUrl = raw.endpointUrl;
  if (typeof raw.profile === "string") pool.profile = raw.profile;
  if (typeof raw.roleName === "string") pool.roleName = raw.roleName;
  if (typeof raw.externalId === "string") pool.externalId = raw.externalId;
  const scan: ScanOptions = o.env ? { ...o.scan, target: { ...o.scan.target, endpointUrl: o.env.endpointUrl } } : o.scan;
  const plan = {
    logBucketTemplate: o.fix.logBucketTemplate,
    logRetentionDays: o.fix.logRetentionDays,
    keyFormat: o.fix.keyFormat,
    ...(o.scan.rules ? { rules: o.scan.rules } : {}),
    ...(o.scan.target.bucketGlobs ? { buckets: o.scan.target.bucketGlobs } : {}),
    ...(o.scan.target.accounts ? { accounts: o.scan.target.accounts } : {}),
  };
  return createFixServices({
    scan,
    plan,
    journalPath,
    undoCommand: undoCommandFor(journalPath, raw, o.env?.endpointUrl),
    pool,
    ...(o.env ? { credentials: o.env.credentials, region: o.env.region } : {}),
    ...(o.env?.banner ? { banner: o.env.banner } : {}),
  });
}

/** Exit code of a session: 130 interrupted apply, 1 a step failed or was skipped, else 0. */
export function sessionExitCode(s: SessionState | undefined): number {
  const sum = s?.apply?.summary;
  if (s?.apply?.error) return 1;
  if (!sum) return s?.interrupted ? 130 : s?.phase === "scan-failed" ? (s.scanExitCode ?? 1) : 0;
  if (sum.aborted) return 130;
  return sum.failed + sum.skippedDrifted + sum.skippedDependent > 0 ? 1 : 0;
}

/** Opens the interactive session on the terminal; resolves with the exit code when it is quit. */
export async function openInteractiveFix(o: InteractiveFixOptions): Promise<number> {
  const stdin = o.stdin ?? process.stdin;
  const stdout = o.stdout ?? process.stdout;
  if (!stdin.isTTY || !stdout.isTTY) {
    throw new InputError("not a terminal: use --plan-out FILE to write the plan, or --apply PLAN --yes / --yes to apply");
  }
  const journalPath = resolve(o.fix.journal ?? defaultJournalPath("fix"));
  await assertWritable(journalPath, "--journal");
  const services = servicesFor(o, journalPath);
  const color = colorEnabled(stdout);
  const { render } = await import("ink");
  const { FixApp } = await import("./components/app.js");
  let final: SessionState | undefined;
  // Ctrl-C arrives as a key in raw mode (handled by the app); a SIGINT from elsewhere quits too.
  let instance: ReturnType<typeof render> | undefined;
  let signalled = false;
  const onSigint = () => {
    signalled = true;
    instance?.unmount();
  };
  process.on("SIGINT", onSigint);
  try {
    instance = render(
      createElement(FixApp, {
        services,
        color,
        onExit: (s: SessionState) => {
          final = s;
        },
      }),
      { stdin, stdout, stderr: process.stderr, exitOnCtrlC: false, patchConsole: true, interactive: true, alternateScreen: true },
    );
    await instance.waitUntilExit();
  } finally {
    process.off("SIGINT", onSigint);
    instance?.cleanup();
    if (stdin.isTTY && stdin.isRaw) stdin.setRawMode(false);
    services.close();
  }
  const sum = final?.apply?.summary;
  if (sum) {
    stdout.write(`${summaryText(sum)}\nJournal: ${journalPath}\nUndo with: ${services.undoCommand}\n`);
    if (final?.rescan) stdout.write(`Rescan: ${final.rescan.passing} of ${final.rescan.rows.length} affected bucket(s) now passing\n`);
    if (o.env) stdout.write("(demo: the simulated organization lived in this process; it and its changes are gone now)\n");
  } else if (final?.phase === "scan-failed") {
    process.stderr.write(`${TOOL_NAME}: ${final.error ?? "the scan failed"}\n`);
  }
  return signalled && !final ? 130 : sessionExitCode(final);
}
