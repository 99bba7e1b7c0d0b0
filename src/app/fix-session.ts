/**
 * What the interactive fix session may do, as one interface the UI receives: scan (`runScan`),
 * plan (`planFixes`), apply (`applyPlan` with a client pool kept for the session). The UI only
 * calls these; the engine decides everything — also where each bucket stands (failing or
 * passing, its delivery state with the opt-in delivery check) and whether that check can be
 * switched.
 */
import type { ClientPool } from "../collect/index.js";
import type { RuleMeta } from "../engine/define-rule.js";
import { DEFAULT_DELIVERY_WINDOW_HOURS, DELIVERY_RULE_ID, type DeliveryState, type DeliveryView } from "../engine/delivery-state.js";
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
import { runScan, type ScanResult } from "./scan.js";

/** Where one bucket of the scan stands: every bucket in scope has one, passing ones included. */
export interface BucketStanding {
  account: string;
  region: string;
  bucket: string;
  /** No failing finding and none that could not be evaluated: nothing to fix here. */
  passing: boolean;
  /** Why a passing bucket has nothing to select (one short line). */
  noFix?: string;
  /** With the delivery check on, for a logging source: its delivery state (the engine's view). */
  delivery?: DeliveryView;
  /** With the delivery check on: what logs-delivered said when it did not pass (the state and its likely cause, or the failed read). */
  deliveryMessage?: string;
}

export interface ScanOutcome {
  snapshot: Snapshot;
  findings: Finding[];
  /** Why each shown finding without a selectable fix has none (`noFixReason`), by fingerprint. */
  noFix: ReadonlyMap<string, string>;
  /** Every bucket in scope, failing or passing, in the snapshot's order. */
  buckets: BucketStanding[];
}

/** The opt-in delivery check (rule logs-delivered) as the session starts with it. */
export interface DeliveryCheck {
  /** On at the start: --check-delivery, or rules.logs-delivered.enabled in the configuration. */
  on: boolean;
  /** The delivery window (hours) used whenever the check is on. */
  windowHours: number;
  /** The earlier snapshot whose canaries a check looks for (--since-snapshot). */
  sinceSnapshot?: string;
}

/** Restrict a rescan to these accounts and bucket names. */
export interface RescanScope {
  accounts: string[];
  buckets: string[];
}

export interface FixServices {
  /**
   * The full scan (no scope) or a rescan of the affected buckets; `checkDelivery` switches the
   * opt-in delivery check for this scan (default: as the session started, `delivery.on`).
   */
  scan(scope: RescanScope | undefined, onProgress: (e: ProgressEvent) => void, signal: AbortSignal, checkDelivery?: boolean): Promise<ScanOutcome>;
  /** The delivery check as the session starts with it. */
  delivery: DeliveryCheck;
  /** Why the delivery check cannot be switched to `on` (undefined: it can). */
  deliveryProblem(on: boolean): string | undefined;
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
  const delivery = deliveryCheckOf(o.scan);
  let runs = 0;
  const services: FixServices & { close(): void } = {
    journalPath: o.journalPath,
    rules,
    delivery,
    deliveryProblem: (on) => deliveryProblem(o.scan, on),
    async scan(scope, onProgress, signal, checkDelivery = delivery.on) {
      const problem = deliveryProblem(o.scan, checkDelivery);
      if (problem) throw new InputError(problem);
      let opts: ScanOptions = withDeliveryCheck({ ...o.scan, quiet: true }, checkDelivery, delivery);
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
      return { snapshot: r.snapshot, findings: r.findings, noFix: noFixReasons(r.findings), buckets: bucketStandings(r) };
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

/** The delivery check the scan options start with (the window defaults as for `scan`). */
export function deliveryCheckOf(scan: Pick<ScanOptions, "delivery">): DeliveryCheck {
  const d = scan.delivery;
  const c: DeliveryCheck = { on: d !== undefined, windowHours: d?.windowHours ?? DEFAULT_DELIVERY_WINDOW_HOURS };
  if (d?.sinceSnapshot !== undefined) c.sinceSnapshot = d.sinceSnapshot;
  return c;
}

/** Why the scan cannot run with the delivery check `on`/off: off when it is the only rule chosen. */
export function deliveryProblem(scan: Pick<ScanOptions, "rules">, on: boolean): string | undefined {
  if (on || !scan.rules || scan.rules.some((id) => id !== DELIVERY_RULE_ID)) return undefined;
  return `the delivery check cannot be turned off: ${DELIVERY_RULE_ID} is the only rule chosen, nothing would be evaluated`;
}

/** The scan options with the delivery check on (window and canary as the session started) or off. */
export function withDeliveryCheck(scan: ScanOptions, on: boolean, check: DeliveryCheck = deliveryCheckOf(scan)): ScanOptions {
  const out: ScanOptions = { ...scan };
  delete out.delivery;
  if (on) {
    out.delivery = { windowHours: check.windowHours, ...(check.sinceSnapshot !== undefined ? { sinceSnapshot: check.sinceSnapshot } : {}) };
    if (out.rules && !out.rules.includes(DELIVERY_RULE_ID)) out.rules = [...out.rules, DELIVERY_RULE_ID];
  } else if (out.rules) out.rules = out.rules.filter((id) => id !== DELIVERY_RULE_ID);
  return out;
}

/** Every bucket in scope with where it stands (failing, or passing and why nothing is selectable), and its delivery. */
export function bucketStandings(r: Pick<ScanResult, "report" | "findings">): BucketStanding[] {
  const failing = new Set<string>();
  const deliveryMessages = new Map<string, string>();
  for (const f of r.findings) {
    const key = `${f.account}/${f.bucket}`;
    if (f.status === "fail" || f.status === "error") failing.add(key);
    if (f.ruleId === DELIVERY_RULE_ID && f.status !== "pass") deliveryMessages.set(key, f.message);
  }
  return r.report.buckets.map((b) => {
    const key = `${b.account}/${b.name}`;
    const s: BucketStanding = { account: b.account, region: b.region, bucket: b.name, passing: !failing.has(key) };
    if (b.delivery) s.delivery = b.delivery;
    const message = deliveryMessages.get(key);
    if (message !== undefined) s.deliveryMessage = message;
    if (s.passing) s.noFix = `passes every rule evaluated${b.delivery ? `, delivery ${b.delivery.state}` : ""}: nothing to fix`;
    return s;
  });
}

/** The order delivery states are counted in (passing first). */
const DELIVERY_ORDER: readonly DeliveryState[] = ["proven", "delivered", "pending", "stale", "none", "error"];

/** How many logging sources are in each delivery state (states with none left out), e.g. for a summary line. */
export function deliveryCounts(buckets: readonly BucketStanding[]): { state: DeliveryState; count: number }[] {
  const n = new Map<DeliveryState, number>();
  for (const b of buckets) if (b.delivery) n.set(b.delivery.state, (n.get(b.delivery.state) ?? 0) + 1);
  return DELIVERY_ORDER.filter((s) => n.has(s)).map((state) => ({ state, count: n.get(state)! }));
}
