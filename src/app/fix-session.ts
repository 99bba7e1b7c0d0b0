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
import type { UndoEvent, UndoSummary } from "../model/journal.js";
import { InputError } from "../base/errors.js";
import { readJournal } from "../fix/journal.js";
import type { Snapshot } from "../model/snapshot.js";
import type { ProgressEvent } from "../progress/events.js";
import { catalogMetas, noFixReasons } from "./catalog.js";
import { openClientPool, planScanFixes, undoFixJournal, type FixAccess } from "./fix.js";
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
  /** Applies with a journal of its own per run (`journalPath`, then `-2`, `-3`… for later runs). */
  apply(plan: Plan, onEvent: (e: ApplyEvent) => void, signal: AbortSignal): Promise<ApplySummary>;
  /**
   * Undoes one run in place: the `undo` command's engine (same drift checks), on the journal the
   * run's summary names; refuses a journal that also holds other runs. Journals its own writes
   * beside it (`undoJournalPathFor`).
   */
  undo(journal: string, onEvent: (e: UndoEvent) => void, signal: AbortSignal): Promise<UndoSummary>;
  /** Where the journal of the first run goes. */
  journalPath: string;
  /**
   * The shell words of the command that undoes a run after the session (journal path → words),
   * or undefined when none can work then (the demo's simulator ends with the process).
   */
  undoCommand?: (journal: string) => string[];
  /** A line about the environment (the demo says it is simulated). */
  banner?: string;
  rules: ReadonlyMap<string, RuleMeta>;
}

export interface FixServicesOptions {
  scan: ScanOptions;
  plan: Omit<PlanFixesOptions, "now">;
  journalPath: string;
  undoCommand?: (journal: string) => string[];
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
  let runs = 0;
  const services: FixServices & { close(): void } = {
    journalPath: o.journalPath,
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
      return applyPlan(plan, { clients: (account, region) => p.s3(account, region), journalPath: runJournalPath(o.journalPath, ++runs), onEvent, signal });
    },
    async undo(journal, onEvent, signal) {
      const runsIn = readJournal(journal).headers.length;
      if (runsIn > 1) throw new InputError(`journal ${journal} holds ${runsIn} runs, not only this one: undo it with the undo command`);
      return undoFixJournal(journal, {
        access: { ...o.pool, ...(o.credentials ? { credentials: o.credentials } : {}), ...(o.region ? { region: o.region } : {}) },
        journalPath: undoJournalPathFor(journal),
        force: false,
        onEvent,
        signal,
      });
    },
    close() {
      void pool?.then((p) => p.destroy());
      pool = undefined;
    },
  };
  if (o.banner) services.banner = o.banner;
  if (o.undoCommand) services.undoCommand = o.undoCommand;
  return services;
}

/** Where the in-place undo of a run journals its own writes: beside the run's journal (`-undo`). */
export function undoJournalPathFor(journal: string): string {
  const m = /^(.*?)(\.jsonl)?$/.exec(journal)!;
  return `${m[1]}-undo${m[2] ?? ""}`;
}

/** The journal of the n-th apply of a session: the first at `base`, later ones beside it (`-2`, `-3`…). */
export function runJournalPath(base: string, n: number): string {
  if (n <= 1) return base;
  const m = /^(.*?)(\.jsonl)?$/.exec(base)!;
  return `${m[1]}-${n}${m[2] ?? ""}`;
}
