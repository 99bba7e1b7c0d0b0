/**
 * What the interactive fix session may do, as one interface the UI receives: scan (`runScan`),
 * plan (`planFixes`), apply (`applyPlan` with a client pool kept for the session). The UI only
 * calls these; the engine decides everything.
 */
import type { ClientPool } from "../collect/index.js";
import type { RuleMeta } from "../engine/define-rule.js";
import type { PlanFixesOptions } from "../fix/types.js";
import type { Finding } from "../model/finding.js";
import type { ApplyEvent, ApplySummary, Plan } from "../model/plan.js";
import type { Snapshot } from "../model/snapshot.js";
import type { ProgressEvent } from "../progress/events.js";
import { catalogMetas, noFixReasons } from "./catalog.js";
import { openClientPool, planScanFixes, type FixAccess } from "./fix.js";
import type { ScanOptions } from "./options.js";
import { runScan } from "./scan.js";

export interface ScanOutcome {
  snapshot: Snapshot;
  findings: Finding[];
  /** Why each shown finding without a selectable fix has none (`noFixReason`), by fingerprint. */
  noFix: ReadonlyMap<string, string>;
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
  plan: Omit<PlanFixesOptions, "now">;
  journalPath: string;
  undoCommand: string;
  banner?: string;
  /** AWS access for apply (the same credentials/endpoint the scan uses). */
  pool: FixAccess;
  /** Explicit credentials and Region (the demo). */
  credentials?: FixAccess["credentials"];
  region?: string;
}

/** The services of one interactive session; `close()` releases the client pool. */
export function createFixServices(o: FixServicesOptions): FixServices & { close(): void } {
  let pool: Promise<ClientPool> | undefined;
  const clients = () => {
    pool ??= openClientPool({
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
      return { snapshot: r.snapshot, findings: r.findings, noFix: noFixReasons(r.findings) };
    },
    plan(snapshot, findings) {
      return planScanFixes(snapshot, findings, o.plan);
    },
    async apply(plan, onEvent, signal) {
      const [{ applyPlan }, p] = await Promise.all([import("../fix/apply.js"), clients()]);
      return applyPlan(plan, { clients: (account, region) => p.s3(account, region), journalPath: o.journalPath, onEvent, signal });
    },
    close() {
      void pool?.then((p) => p.destroy());
      pool = undefined;
    },
  };
  if (o.banner) services.banner = o.banner;
  return services;
}
