/**
 * What the interactive session may do, as one interface: scan (the CLI's `runScan`), plan
 * (`planFixes`), apply (`applyPlan` with the CLI's client pool). The app only calls these; the
 * engine decides everything.
 */
import type { AwsCredentialIdentityProvider } from "@aws-sdk/types";
import { ClientPool, type ClientPoolOptions } from "../collect/index.js";
import type { RuleMeta } from "../engine/define-rule.js";
import { applyPlan, planFixes, type ApplyEvent, type ApplySummary, type Plan, type PlanFixesOptions } from "../fix/index.js";
import type { Finding } from "../model/finding.js";
import type { Snapshot } from "../model/snapshot.js";
import type { ProgressEvent } from "../progress/events.js";
import { catalogMetas } from "../cli/catalog.js";
import { runScan } from "../cli/run-scan.js";
import type { ScanOptions } from "../cli/scan-options.js";

export interface ScanOutcome {
  snapshot: Snapshot;
  findings: Finding[];
}

/** Restrict a rescan to these accounts and bucket names. */
export interface RescanScope {
  accounts: string[];
  buckets: string[];
}

export interface FixServices {
  /** The full scan (no scope) or a rescan of the affected buckets. */
  scan(scope: RescanScope | undefined, onProgress: (e: ProgressEvent) => void, signal: AbortSignal): Promise<ScanOutcome>;
  /** Pure: the engine's plan for these findings. */
  plan(snapshot: Snapshot, findings: readonly Finding[]): Plan;
  apply(plan: Plan, onEvent: (e: ApplyEvent) => void, signal: AbortSignal): Promise<ApplySummary>;
  /** Where the journal goes. */
  journalPath: string;
  /** The exact command that undoes the run. */
  undoCommand: string;
  /** A line about the environment (the demo says it is simulated). */
  banner?: string;
  rules: ReadonlyMap<string, RuleMeta>;
}

export interface FixServicesOptions {
  scan: ScanOptions;
  plan: Omit<PlanFixesOptions, "now" | "intentsFor">;
  journalPath: string;
  undoCommand: string;
  banner?: string;
  /** Client pool options for apply (the same credentials/endpoint the scan uses). */
  pool: ClientPoolOptions;
  /** Explicit credentials and Region (the demo). */
  credentials?: AwsCredentialIdentityProvider;
  region?: string;
}

export function createFixServices(o: FixServicesOptions): FixServices & { close(): void } {
  let pool: ClientPool | undefined;
  const clients = () => {
    pool ??= new ClientPool({
      ...o.pool,
      ...(o.credentials ? { credentials: o.credentials } : {}),
      ...(o.region ? { region: o.region } : {}),
    });
    return pool;
  };
  const rules = new Map(catalogMetas().map((m) => [m.id, m] as const));
  const services: FixServices & { close(): void } = {
    journalPath: o.journalPath,
    undoCommand: o.undoCommand,
    rules,
    async scan(scope, onProgress, signal) {
      let opts: ScanOptions = { ...o.scan, quiet: true };
      delete opts.saveSnapshot;
      delete opts.writeBaseline;
      if (scope) {
        // A rescan reads the live state of the affected buckets only.
        opts = { ...opts, target: { ...opts.target, org: false, accounts: scope.accounts, bucketGlobs: scope.buckets } };
        delete opts.fromSnapshot;
        delete opts.target.shard;
      }
      const r = await runScan(opts, {
        progress: "none",
        onProgress,
        signal,
        ...(o.credentials ? { credentials: o.credentials } : {}),
        ...(o.region ? { region: o.region } : {}),
      });
      return { snapshot: r.snapshot, findings: r.findings };
    },
    plan(snapshot, findings) {
      return planFixes(snapshot, findings, o.plan);
    },
    apply(plan, onEvent, signal) {
      const pool = clients();
      return applyPlan(plan, { clients: (account, region) => pool.s3(account, region), journalPath: o.journalPath, onEvent, signal });
    },
    close() {
      pool?.destroy();
      pool = undefined;
    },
  };
  if (o.banner) services.banner = o.banner;
  return services;
}
