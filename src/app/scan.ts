/**
 * The scan, as a reusable function: options → { snapshot, findings, report, exitCode }.
 * `scan`, `demo`, `fix` and the UI all run exactly this. It never writes the report itself
 * (the CLI's `emitReport` does); it does write the snapshot and the baseline when asked.
 */
import { sliceSnapshot } from "./snapshot-slice.js";
import { EmptySelectionError } from "../base/errors.js";
import type { AwsCredentialIdentityProvider } from "@aws-sdk/types";
import type { CollectOptions, EarlierSource } from "../collect/index.js";
import { evaluateSnapshotCounted, selectRules } from "../engine/evaluate.js";
import type { Rule } from "../engine/define-rule.js";
import type { Finding, Severity } from "../model/finding.js";
import { applyExceptions, utcDay } from "../config/exceptions.js";
import { bucketKey, type Snapshot } from "../model/snapshot.js";
import { applyBaseline, baselineOf, expiredBaselineEntries, loadBaseline, writeBaseline } from "../output/baseline.js";
import { exitCodeFor } from "../output/exit-code.js";
import { buildReport, type Report, type ReportExceptions } from "../output/report.js";
import type { ProgressEvent } from "../progress/events.js";
import type { ScanOptions } from "./options.js";
import { loadSnapshot, saveSnapshot } from "./snapshots.js";

export type ProgressMode = "auto" | "tty" | "plain" | "none";

export interface ScanIO {
  /** Where progress goes (default process.stderr). */
  stderr?: NodeJS.WriteStream;
  /** Progress display; `none` when --quiet (default auto: live on a terminal, plain lines otherwise). */
  progress?: ProgressMode;
  /** Extra progress listener (the UI). */
  onProgress?: (e: ProgressEvent) => void;
  signal?: AbortSignal;
  /** Explicit caller credentials (the demo's dummy keys); default: the SDK chain / --profile. */
  credentials?: AwsCredentialIdentityProvider;
  /** Default Region for global calls. */
  region?: string;
}

export interface ScanResult {
  snapshot: Snapshot;
  /**
   * The results of the evaluated rules after baseline muting: fail, error and muted; pass results
   * only with --include-passed (otherwise counted in the report summary).
   */
  findings: Finding[];
  report: Report;
  exitCode: number;
  /** The rules that were evaluated. */
  rules: Rule[];
}

/** What an earlier snapshot knew about each source: its canary and logging configuration. */
async function earlierSources(file: string): Promise<Map<string, EarlierSource>> {
  const earlier = await loadSnapshot(file);
  const out = new Map<string, EarlierSource>();
  for (const b of earlier.buckets) {
    if (!b.canary) continue;
    out.set(bucketKey(b.account, b.name), { canary: b.canary, logging: b.logging.status === "ok" ? b.logging.value : null });
  }
  return out;
}

/** The scan target's settings collection takes as they are (when set). */
const TARGET_TO_COLLECT = ["accounts", "excludeAccounts", "regions", "bucketGlobs", "excludeBucketGlobs", "roleName", "profile", "concurrency", "perAccountConcurrency", "shard", "endpointUrl"] as const;
/** The caller's settings collection takes as they are (when set). */
const IO_TO_COLLECT = ["credentials", "region", "signal"] as const;

function collectOptions(opts: ScanOptions, io: ScanIO, onProgress: ((e: ProgressEvent) => void) | undefined, earlier?: Map<string, EarlierSource>): CollectOptions {
  const t = opts.target;
  const c: CollectOptions = { org: t.org };
  if (opts.delivery) c.delivery = { windowHours: opts.delivery.windowHours, ...(earlier ? { earlier } : {}) };
  for (const k of TARGET_TO_COLLECT) if (t[k]) Object.assign(c, { [k]: t[k] });
  if (t.externalId !== undefined) c.externalId = t.externalId;
  for (const k of IO_TO_COLLECT) if (io[k]) Object.assign(c, { [k]: io[k] });
  if (onProgress) c.onProgress = onProgress;
  return c;
}

/** Findings with the configuration's severity overrides applied. */
function overrideSeverities(findings: Finding[], overrides: Record<string, Severity> | undefined): Finding[] {
  if (!overrides || Object.keys(overrides).length === 0) return findings;
  return findings.map((f) => (overrides[f.ruleId] && overrides[f.ruleId] !== f.severity ? { ...f, severity: overrides[f.ruleId]! } : f));
}

/**
 * Throws EmptySelectionError when a selection (Regions, bucket globs) was given and the complete
 * scan found no bucket in it. An incomplete scan (errors) is left to its own exit code.
 */
function checkSelection(snapshot: Snapshot, t: ScanOptions["target"]): void {
  const parts = [
    t.regions ? `Regions ${t.regions.join(", ")}` : undefined,
    t.bucketGlobs ? `buckets ${t.bucketGlobs.join(", ")}` : undefined,
    t.excludeBucketGlobs ? `excluding buckets ${t.excludeBucketGlobs.join(", ")}` : undefined,
  ].filter((p): p is string => p !== undefined);
  if (parts.length === 0 || snapshot.errors.length > 0) return;
  if (snapshot.buckets.some((b) => b.inScope !== false)) return;
  throw new EmptySelectionError(`no bucket matches the selection (${parts.join("; ")})`);
}

/** Collects (or loads) the snapshot, evaluates the rules, applies the baseline, builds the report. */
export async function runScan(opts: ScanOptions, io: ScanIO = {}): Promise<ScanResult> {
  const ruleIds = opts.delivery && !opts.rules ? [...selectRules().map((r) => r.meta.id), "logs-delivered"] : opts.rules;
  const rules = selectRules(ruleIds);
  const earlier = opts.delivery?.sinceSnapshot ? await earlierSources(opts.delivery.sinceSnapshot) : undefined;
  const muted = opts.baseline ? await loadBaseline(opts.baseline) : undefined;

  let snapshot: Snapshot;
  if (opts.fromSnapshot) {
    const t = opts.target;
    snapshot = sliceSnapshot(await loadSnapshot(opts.fromSnapshot), {
      ...(t.accounts ? { accounts: t.accounts } : {}),
      ...(t.excludeAccounts ? { excludeAccounts: t.excludeAccounts } : {}),
      ...(t.regions ? { regions: t.regions } : {}),
      ...(t.bucketGlobs ? { bucketGlobs: t.bucketGlobs } : {}),
    });
  } else {
    // Loaded on demand: --from-snapshot never needs the AWS SDK or the progress display.
    const [{ collectSnapshot }, { createProgressReporter }] = await Promise.all([
      import("../collect/index.js"),
      import("../progress/index.js"),
    ]);
    const mode: ProgressMode = opts.quiet ? "none" : (io.progress ?? "auto");
    const reporter = mode === "none" ? undefined : createProgressReporter({ stream: io.stderr ?? process.stderr, mode });
    const listeners = [reporter?.onProgress, io.onProgress].filter((l): l is (e: ProgressEvent) => void => l !== undefined);
    const onProgress =
      listeners.length === 0
        ? undefined
        : listeners.length === 1
          ? listeners[0]
          : (e: ProgressEvent) => {
              for (const l of listeners) l(e);
            };
    try {
      snapshot = await collectSnapshot(collectOptions(opts, io, onProgress, earlier));
    } catch (err) {
      await reporter?.stop({ failed: true });
      throw err;
    }
    await reporter?.stop();
  }
  if (!opts.allowEmpty) checkSelection(snapshot, opts.target);
  if (opts.saveSnapshot) await saveSnapshot(opts.saveSnapshot, snapshot);

  const evaluation = evaluateSnapshotCounted(
    snapshot,
    {
      ...(ruleIds ? { rules: ruleIds } : {}),
      ...(opts.ruleOptions ? { ruleOptions: opts.ruleOptions } : {}),
    },
    opts.includePassed,
  );
  let findings = overrideSeverities(evaluation.findings, opts.severityOverrides);
  let exceptions: ReportExceptions | undefined;
  if (opts.exceptions && opts.exceptions.length > 0) {
    const outcome = applyExceptions(findings, opts.exceptions, utcDay());
    findings = outcome.findings;
    exceptions = { expired: outcome.expired, unused: outcome.unused };
  }
  if (muted) {
    findings = applyBaseline(findings, muted);
    const expired = expiredBaselineEntries(muted);
    if (expired.length > 0 && !opts.quiet) {
      (io.stderr ?? process.stderr).write(`s3-log-auditor: ${expired.length} baseline entr${expired.length === 1 ? "y" : "ies"} expired and no longer mute: ${expired.join(", ")}\n`);
    }
  }
  if (opts.writeBaseline) {
    const baseline = baselineOf(findings, new Date().toISOString());
    await writeBaseline(opts.writeBaseline, baseline);
    findings = applyBaseline(findings, new Set(baseline.findings.map((e) => e.fingerprint)));
  }

  const report = buildReport({
    snapshot,
    findings,
    droppedPasses: evaluation.droppedPasses,
    ruleIds: rules.map((r) => r.meta.id),
    includePassed: opts.includePassed,
    ...(opts.target.shard ? { shard: opts.target.shard } : {}),
    ...(exceptions ? { exceptions } : {}),
  });
  const exitCode = exitCodeFor(report, { failOn: opts.failOn, allowPartial: opts.allowPartial });
  if (opts.listSeverities) {
    const keep = new Set(opts.listSeverities);
    report.findings = report.findings.filter((f) => keep.has(f.severity));
  }
  return { snapshot, findings, report, exitCode, rules };
}
