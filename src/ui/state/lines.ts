/**
 * The text of the detail pane, the review and the apply screens as plain lines with a tone
 * (the components colour by tone, or not at all with NO_COLOR). Pure: snapshot, findings, plan in;
 * lines out. Diffs come from the engine (`stepDiff`), descriptions from `describeStep`.
 */
import { escapeControl } from "../../base/text.js";
import type { RuleMeta } from "../../engine/define-rule.js";
import { deliveryCounts, type BucketStanding } from "../../app/fix-session.js";
import { PASSING_DELIVERY_STATES, deliveryText, type DeliveryView } from "../../engine/delivery-state.js";
import { describeStep, diffTone, planCounts, stepDiffLines, writesText } from "../../fix/describe.js";
import type { Plan, PlanStep } from "../../model/plan.js";
import { SEVERITIES, type Finding } from "../../model/finding.js";
import type { BucketSnapshot, LoggingConfig, Read, Snapshot, TargetFacts } from "../../model/snapshot.js";
import { wrapText } from "../../output/style.js";
import type { ApplyState, StepStatus } from "./apply.js";
import type { Line, Tone } from "./tone.js";
import type { Row } from "./findings.js";
import type { RescanResult } from "./session.js";
import { writesPerAccount } from "./session.js";

export type { Line, Tone } from "./tone.js";

const line = (text: string, tone: Tone = "text"): Line => ({ text, tone });

function wrapped(text: string, width: number, tone: Tone = "text", indent = ""): Line[] {
  return wrapText(text, Math.max(10, width - indent.length)).map((t) => line(indent + t, tone));
}

export const SEVERITY_BADGE: Record<string, string> = { critical: "CRIT", high: "HIGH", medium: "MED ", low: "LOW ", info: "INFO" };

export function loggingText(c: LoggingConfig | null): string {
  if (!c) return "off";
  const fmt = c.keyFormat.type === "partitioned" ? `partitioned (${c.keyFormat.partitionDateSource})` : "simple";
  const grants = c.targetGrants.length > 0 ? `, ${c.targetGrants.length} target grant(s)` : "";
  return `s3://${c.targetBucket}/${c.targetPrefix} · key format ${fmt}${grants}`;
}

function readText<T>(r: Read<T>, show: (v: T) => string): string {
  if (r.status === "ok") return show(r.value);
  if (r.status === "absent") return "none";
  return `unreadable (${r.operation} ${r.code})`;
}

function policyStatements(text: string): string {
  try {
    const doc = JSON.parse(text) as { Statement?: unknown };
    const n = Array.isArray(doc.Statement) ? doc.Statement.length : doc.Statement ? 1 : 0;
    return `${n} statement(s)`;
  } catch {
    return "present (not valid JSON)";
  }
}

/** The facts of a log target, as `name: fact · fact · ...` (wrapped by the caller). */
export function targetFactText(name: string, f: TargetFacts): string {
  const facts = [
    `encryption ${readText(f.encryption, (e) => e.algorithm + (e.kmsKeyId ? ` (${e.kmsKeyId})` : ""))}`,
    `ownership ${readText(f.ownership, (o) => o)}`,
    `ACL ${readText(f.acl, (a) => `${a.grants.length} grant(s)`)}`,
    `object lock ${readText(f.objectLock, (o) => (o.enabled ? (o.defaultRetention ? `default retention ${o.defaultRetention.mode ?? ""} ${o.defaultRetention.days ? `${o.defaultRetention.days} days` : o.defaultRetention.years ? `${o.defaultRetention.years} years` : ""}`.trim() : "enabled, no default retention") : "off"))}`,
    `payer ${readText(f.requestPayment, (p) => (p === "Requester" ? "Requester" : "bucket owner"))}`,
    `block public access ${readText(f.publicAccessBlock, (p) => `${[p.blockPublicAcls, p.ignorePublicAcls, p.blockPublicPolicy, p.restrictPublicBuckets].filter(Boolean).length}/4`)}`,
    `policy ${readText(f.policy, policyStatements)}`,
    `lifecycle ${readText(f.lifecycle, (l) => `${l.length} rule(s)`)}`,
  ];
  return `${name}: ${facts.join(" · ")}`;
}

function findBucket(snapshot: Snapshot, account: string, name: string): BucketSnapshot | undefined {
  return snapshot.buckets.find((b) => b.account === account && b.name === name);
}

/** Lines of one step: its description, then its diff (or why it is manual). */
export function stepLines(step: PlanStep, width: number, indent = "  "): Line[] {
  const out: Line[] = [];
  out.push(...wrapped(`${step.id} ${describeStep(step)}`, width, step.manual ? "warn" : "heading"));
  if (step.dependsOn.length > 0) out.push(line(`${indent}after ${step.dependsOn.join(", ")}`, "dim"));
  if (step.manual) {
    out.push(...wrapped(`manual: ${step.manual.reason}${step.manual.statement ? ` (statement ${step.manual.statement})` : ""}`, width, "warn", indent));
    out.push(...wrapped("This step is not applied automatically: make the change yourself, then rescan.", width, "dim", indent));
    return out;
  }
  for (const d of stepDiffLines(step)) out.push(line(`${indent}${d}`, diffTone(d)));
  return out;
}

export interface DetailInput {
  snapshot: Snapshot;
  row: Row;
  rules: ReadonlyMap<string, RuleMeta>;
  /** The engine's plan for the highlighted finding alone (finding rows that are fixable). */
  plan?: Plan;
  width: number;
  accountName?: string;
  /** Where each bucket stands (the tree's `standings`): its delivery state when the check ran. */
  standings?: ReadonlyMap<string, BucketStanding>;
  /** The delivery check is on (else a logging source's detail says how to turn it on). */
  deliveryCheck?: boolean;
}

/** The detail pane for the highlighted row. */
export function detailLines(d: DetailInput): Line[] {
  const { snapshot, row, width } = d;
  const out: Line[] = [];
  const node = row.node;
  if (node.kind === "account") {
    out.push(line(`account ${node.account}${node.name ? ` (${node.name})` : ""}`, "heading"));
    if (node.error) out.push(...wrapped(`could not be read: ${node.error}`, width, "error"));
    else out.push(...groupCounts(row, width), ...groupDelivery(d, node.account));
    return out;
  }
  if (node.kind === "region") {
    out.push(line(`account ${node.account} · Region ${node.region}`, "heading"));
    out.push(...groupCounts(row, width), ...groupDelivery(d, node.account, node.region));
    return out;
  }
  if (node.kind === "bucket") {
    out.push(line(`bucket ${node.name}`, "heading"));
    out.push(line(`account ${node.account}${d.accountName ? ` (${d.accountName})` : ""} · Region ${node.region}`, "dim"));
    if (node.error) out.push(...wrapped(`could not be read: ${node.error}`, width, "error"));
    if (row.passing > 0 && node.standing?.noFix) out.push(...wrapped(`✓ ${node.standing.noFix}`, width, "ok"));
    else out.push(...groupCounts(row, width));
    const b = findBucket(snapshot, node.account, node.name);
    if (b) out.push(...loggingLines(b, width), ...deliveryLines(b, node.standing, d.deliveryCheck === true, width));
    return out;
  }
  const f = node.finding;
  const meta = d.rules.get(f.ruleId);
  out.push(line(`${f.severity.toUpperCase()} ${f.ruleId}${meta ? ` — ${meta.title}` : ""}`, f.status === "error" ? "error" : f.severity));
  out.push(line(`bucket ${f.bucket}`, "heading"));
  out.push(line(`account ${f.account}${d.accountName ? ` (${d.accountName})` : ""} · Region ${f.region}`, "dim"));
  if (f.status === "error") out.push(...wrapped(`could not be evaluated: ${f.message}`, width, "error"));
  else out.push(...wrapped(f.message, width));
  if (meta) out.push(...wrapped(`Why: ${meta.rationale}`, width, "dim"));
  if (f.status === "fail" && meta) {
    if (f.fixable && d.plan) {
      const manual = planCounts(d.plan.steps).manual;
      out.push(...wrapped(`Fix: ${meta.fix} (${writesText(d.plan.steps)}${manual > 0 ? `, ${manual} manual` : ""}; the diffs are below)`, width, "ok"));
    } else if (!f.fixable) out.push(...wrapped(`No automatic fix: ${meta.fix}`, width, "warn"));
  }
  const b = findBucket(snapshot, f.account, f.bucket);
  if (b) out.push(...loggingLines(b, width), ...deliveryLines(b, d.standings?.get(`${f.account}/${f.bucket}`), d.deliveryCheck === true, width));
  // The facts of the bucket the rule looked at: the log target (source rules) or the bucket itself.
  const factsOf =
    meta?.subject === "log-target" ? f.bucket : b?.logging.status === "ok" && b.logging.value ? b.logging.value.targetBucket : undefined;
  if (factsOf) {
    const t = findBucket(snapshot, f.account, factsOf);
    const ext = snapshot.externalTargets.find((x) => x.account === f.account && x.name === factsOf);
    if (t?.targetFacts) out.push(...wrapped(targetFactText(factsOf === f.bucket ? "this bucket" : `target ${factsOf}`, t.targetFacts), width, "dim"));
    else if (t && factsOf !== f.bucket) out.push(line(`target ${factsOf}: ${t.region} (same account)`, "dim"));
    else if (ext) out.push(line(`target ${factsOf}: ${ext.state === "missing" ? "does not exist" : ext.state === "foreign" ? `owned by another account${ext.region ? `, ${ext.region}` : ""}` : `unreadable${ext.error ? ` (${ext.error.operation} ${ext.error.code})` : ""}`}`, "dim"));
  }
  out.push(line(""));
  if (f.status !== "fail") return out;
  if (!f.fixable) return out;
  if (!d.plan) return out;
  const steps = d.plan.steps;
  const manual = planCounts(steps).manual;
  out.push(line(`Proposed change: ${writesText(steps)}${manual > 0 ? `, ${manual} manual step(s)` : ""}`, "heading"));
  if (steps.length === 0) out.push(line("  nothing to write (already in the intended state)", "dim"));
  for (const s of steps) out.push(...stepLines(s, width));
  return out;
}

/** With the delivery check on: how many logging sources of the account (or Region) are in each state. */
function groupDelivery(d: DetailInput, account: string, region?: string): Line[] {
  if (!d.deliveryCheck || !d.standings) return [];
  const mine = [...d.standings.values()].filter((b) => b.account === account && (region === undefined || b.region === region));
  const counts = deliveryCounts(mine);
  if (counts.length === 0) return [line("delivery: no logging source here", "dim")];
  return wrapped(`delivery: ${counts.map((c) => `${c.count} ${c.state}`).join(", ")}`, d.width);
}

function groupCounts(row: Row, width: number): Line[] {
  const findings = row.findings;
  const bySev = new Map<string, number>();
  let errors = 0;
  let fixable = 0;
  for (const f of findings) {
    if (f.status === "error") errors++;
    else bySev.set(f.severity, (bySev.get(f.severity) ?? 0) + 1);
    if (f.status === "fail" && f.fixable) fixable++;
  }
  const parts = SEVERITIES.filter((s) => bySev.has(s)).map((s) => `${bySev.get(s)} ${s}`);
  if (errors > 0) parts.push(`${errors} not evaluable`);
  const passing = row.passing > 0 ? ` · ${row.passing} bucket(s) passing` : "";
  return wrapped(`${findings.length} finding(s): ${parts.join(", ") || "none"} · ${fixable} fixable${passing}`, width);
}

/** The tone of a delivery state: passing ok, stale/none high, error error. */
export function deliveryTone(v: DeliveryView): Tone {
  return v.state === "error" ? "error" : PASSING_DELIVERY_STATES.includes(v.state) ? "ok" : "high";
}

/** A delivery state in a few columns for a list row: `delivered 3 h`, `stale 4 d`, `none`, `error`. */
export function deliveryLabel(v: DeliveryView): string {
  return v.newestAge && v.state !== "error" ? `${v.state} ${v.newestAge}` : v.state;
}

/**
 * A logging source's delivery as the application layer judged it (the delivery check on): the
 * state with the newest key and its age, the canary, and when it did not pass logs-delivered's
 * own words (the likely cause, or the failed read). With the check off, how to turn it on.
 */
function deliveryLines(b: BucketSnapshot, standing: BucketStanding | undefined, checked: boolean, width: number): Line[] {
  const v = standing?.delivery;
  if (!v) {
    const source = b.logging.status === "ok" && b.logging.value !== null;
    return source && !checked ? [line("delivery: not checked (d checks that its log objects arrive)", "dim")] : [];
  }
  const out = wrapped(`delivery: ${escapeControl(deliveryText(v))}`, width, deliveryTone(v));
  if (standing.deliveryMessage) out.push(...wrapped(`logs-delivered: ${standing.deliveryMessage}`, width, deliveryTone(v), "  "));
  return out;
}

function loggingLines(b: BucketSnapshot, width: number): Line[] {
  if (b.logging.status === "error") return wrapped(`logging now: unreadable (${b.logging.operation} ${b.logging.code})`, width, "error");
  if (b.logging.status === "absent") return [line(`logging now: off (${b.logging.code})`)];
  return wrapped(`logging now: ${loggingText(b.logging.value)}`, width);
}

// ---------------------------------------------------------------------------------------------
// Review

export function reviewLines(plan: Plan, planned: readonly Finding[], width: number): Line[] {
  const out: Line[] = [];
  const buckets = new Set(plan.steps.map((s) => `${s.account}/${s.bucket}`)).size;
  const manual = planCounts(plan.steps).manual;
  out.push(
    ...wrapped(
      `${writesText(plan.steps)}${manual > 0 ? ` and ${manual} manual step(s)` : ""} on ${buckets} bucket(s) for ${planned.length} selected finding(s)`,
      width,
      "heading",
    ),
  );
  for (const a of writesPerAccount(plan)) {
    const mine = plan.steps.filter((s) => s.account === a.account);
    out.push(line(`  account ${a.account}: ${writesText(mine).replace(/AWS write/, "write")}${a.manual > 0 ? `, ${a.manual} manual` : ""}`));
  }
  if (plan.steps.length === 0) out.push(line("Nothing to write: the selected findings need no change the engine can make.", "warn"));
  out.push(line(""));
  for (const s of plan.steps) {
    out.push(...stepLines(s, width));
    out.push(line(""));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Apply and rescan

export const STATUS_MARK: Record<StepStatus, { mark: string; label: string; tone: Tone }> = {
  pending: { mark: "·", label: "pending", tone: "dim" },
  running: { mark: "…", label: "running", tone: "heading" },
  verifying: { mark: "…", label: "verifying", tone: "heading" },
  applied: { mark: "✓", label: "applied", tone: "ok" },
  "already-applied": { mark: "=", label: "already applied", tone: "ok" },
  "skipped-drifted": { mark: "~", label: "skipped (drift)", tone: "warn" },
  "skipped-dependent": { mark: "–", label: "skipped", tone: "warn" },
  failed: { mark: "✗", label: "failed", tone: "error" },
  "verify-failed": { mark: "✗", label: "verify failed", tone: "error" },
  manual: { mark: "!", label: "manual", tone: "warn" },
  "not-run": { mark: "-", label: "not run", tone: "dim" },
};

/** `describeStep` without the account and Region (the apply list is narrow). */
export function shortDescription(step: PlanStep): string {
  const d = describeStep(step);
  const where = `${step.account} ${step.region} `;
  return d.replace(where, "");
}

export function applyLines(plan: Plan, apply: ApplyState): Line[] {
  return plan.steps.map((s) => {
    const p = apply.steps[s.id] ?? { status: "pending" as const };
    const m = STATUS_MARK[p.status];
    return line(`${m.mark} ${m.label.padEnd(15)} ${s.id} ${shortDescription(s)}${p.detail ? ` — ${p.detail}` : ""}`, m.tone);
  });
}

export function rescanLines(r: RescanResult): Line[] {
  const out: Line[] = [line(`${r.passing} of ${r.rows.length} affected bucket(s) now passing`, r.passing === r.rows.length ? "ok" : "warn")];
  for (const row of r.rows) {
    const fixed = row.fixed.length > 0 ? ` · fixed: ${[...new Set(row.fixed)].join(", ")}` : "";
    if (row.remaining.length === 0) out.push(line(`✓ passing  ${row.bucket} (${row.account})${fixed}`, "ok"));
    else {
      const rest = row.remaining.map((f) => `${f.ruleId}${f.status === "error" ? " (error)" : ""}`).join(", ");
      out.push(line(`✗ failing  ${row.bucket} (${row.account})${fixed} · still: ${rest}`, "warn"));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Layout helpers

/**
 * Cuts `s` to `width` columns with an ellipsis (one column per code point). Every line of the UI
 * passes here: control characters from AWS data are shown escaped, never sent to the terminal.
 */
export function truncate(raw: string, width: number): string {
  if (width <= 0) return "";
  const s = escapeControl(raw);
  const chars = [...s];
  if (chars.length <= width) return s;
  return `${chars.slice(0, Math.max(0, width - 1)).join("")}…`;
}

/** First visible index of a list of `total` rows in a window of `height` rows, keeping `index` visible (centred). */
export function windowStart(total: number, index: number, height: number): number {
  if (total <= height) return 0;
  const start = index - Math.floor(height / 2);
  return Math.max(0, Math.min(total - height, start));
}

/** Hard-wraps `s` at `width` columns without changing a character (commands stay exact). */
export function hardWrap(s: string, width: number): string[] {
  const chars = [...s];
  if (width <= 0 || chars.length <= width) return [s];
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(""));
  return out;
}

/**
 * The last line of the review: the question and where the window is (the footer below it lists
 * the keys, so the two never say the same thing).
 */
export function reviewPosition(offset: number, height: number, total: number): string {
  if (total <= height) return "Apply these changes?";
  const last = Math.min(total, offset + height);
  const below = total - last;
  return `Apply these changes? · lines ${offset + 1}–${last} of ${total}${below > 0 ? ` · ${below} more below` : " · end"}`;
}

/**
 * A shell command on as many lines as it needs, broken only between words (a flag stays with its
 * value when both fit on a line), each line but the last ending in ` \` so that it pastes as one command. A word longer
 * than the line is never split: it gets a line of its own (the terminal may fold it, but no
 * newline is ever put inside a path or URL).
 */
export function wrapShellWords(words: readonly string[], width: number, indent = "    "): string[] {
  const groups: string[] = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    const next = words[i + 1];
    if (w.startsWith("-") && next !== undefined && !next.startsWith("-") && [...`${indent}${w} ${next} \\`].length <= width) {
      groups.push(`${w} ${next}`);
      i++;
    } else groups.push(w);
  }
  const lines: string[] = [];
  let cur = "";
  for (const g of groups) {
    const lead = lines.length === 0 && cur === "" ? "" : indent;
    const candidate = cur === "" ? `${lead}${g}` : `${cur} ${g}`;
    // Room for the trailing " \" unless this could be the last group.
    if (cur !== "" && [...candidate].length + 2 > width) {
      lines.push(`${cur} \\`);
      cur = `${indent}${g}`;
    } else cur = candidate;
  }
  if (cur !== "") lines.push(cur);
  return lines;
}

/** Clamps a scroll offset so that the window stays filled. */
export function clampOffset(offset: number, total: number, height: number): number {
  return Math.max(0, Math.min(offset, Math.max(0, total - height)));
}
