/**
 * The fix session for a terminal that cannot draw a screen (TERM=dumb, no cursor addressing, or
 * not a terminal at all): plain lines, no escape sequences. It scans, prints the plan for every
 * fixable finding (the plan summary of `fix --plan-out`), asks y/N on one line, applies with one
 * line per step, and prints the result (journal, how to undo). In the demo, whose simulator ends
 * with the command, it then offers the in-place undo. A closed stdin answers no.
 */
import { createInterface } from "node:readline";
import { deliveryCounts, type BucketStanding, type FixServices } from "../app/fix-session.js";
import { InputError, describeError } from "../base/errors.js";
import { escapeControl } from "../base/text.js";
import { describeUndoSummary, summarizePlan } from "../fix/describe.js";
import type { Finding } from "../model/finding.js";
import type { ApplyEvent, Plan } from "../model/plan.js";
import type { UndoEvent } from "../model/journal.js";
import { STATUS_MARK, shortDescription } from "./state/lines.js";
import { demoUndoNote, exitSummary } from "./state/pinned.js";
import { initialSessionState, type SessionState } from "./state/session.js";
import { UNDO_MARK } from "./state/undo.js";
import { applyEventReducer, initialApplyState } from "./state/apply.js";

export interface LineFixOptions {
  services: FixServices & { close(): void };
  demo: boolean;
  stdin?: NodeJS.ReadableStream;
  stdout?: NodeJS.WritableStream & { columns?: number };
  /** Prompts and progress (default stderr, so that stdout keeps only the plan and the result). */
  stderr?: NodeJS.WritableStream;
}

/** Answers read line by line from `input` (one reader for the session: no typed-ahead line is lost). */
function lineReader(input: NodeJS.ReadableStream): { next(): Promise<string | undefined>; close(): void } {
  const rl = createInterface({ input, terminal: false });
  const lines: string[] = [];
  const waiting: ((l: string | undefined) => void)[] = [];
  let closed = false;
  rl.on("line", (l) => {
    const w = waiting.shift();
    if (w) w(l);
    else lines.push(l);
  });
  rl.on("close", () => {
    closed = true;
    for (const w of waiting.splice(0)) w(undefined);
  });
  return {
    next: () => (lines.length > 0 ? Promise.resolve(lines.shift()) : closed ? Promise.resolve(undefined) : new Promise((r) => waiting.push(r))),
    close: () => rl.close(),
  };
}

/** Ends the prompt line: a terminal echoed the answer itself; a pipe's answer (or its end) is shown. */
function echo(o: LineFixOptions, answer: string | undefined): void {
  const input = (o.stdin ?? process.stdin) as { isTTY?: boolean };
  if (!input.isTTY) (o.stderr ?? process.stderr).write(`${answer === undefined ? "(no answer: stdin is closed)" : escapeControl(answer)}\n`);
}

/** y / yes (any case) is yes; anything else, an empty line or a closed stdin is no. */
export function isYes(answer: string | undefined): boolean {
  return answer !== undefined && /^\s*y(es)?\s*$/i.test(answer);
}

function applyLine(e: ApplyEvent): string | undefined {
  if (e.type === "started" || e.type === "verified") return undefined;
  const m = STATUS_MARK[e.type === "failed" ? "failed" : e.type];
  const why = "reason" in e ? ` — ${e.reason}` : e.type === "failed" ? ` — ${e.error.code}: ${e.error.message}` : "";
  return escapeControl(`${m.mark} ${m.label.padEnd(15)} ${e.step.id} ${shortDescription(e.step)}${why}`);
}

function undoLine(e: UndoEvent): string | undefined {
  if (e.type === "started") return undefined;
  const m = UNDO_MARK[e.type];
  return escapeControl(`${m.mark} ${m.label.padEnd(17)} ${e.record.stepId} ${e.record.bucket}: ${e.record.resource}`);
}

/** `Delivery check (window 48 h): 6 delivered, 4 stale, 12 none.`: the logging sources per delivery state. */
export function deliverySummary(buckets: readonly BucketStanding[], windowHours: number): string {
  const counts = deliveryCounts(buckets).map((c) => `${c.count} ${c.state}`);
  return `Delivery check (window ${windowHours} h): ${counts.length > 0 ? counts.join(", ") : "no logging source"}.`;
}

/** Runs the line-mode session; resolves with the session's final state (for the exit code). */
export async function runLineFix(o: LineFixOptions): Promise<SessionState> {
  const out = o.stdout ?? process.stdout;
  const err = o.stderr ?? process.stderr;
  const input = o.stdin ?? process.stdin;
  const width = out.columns || 80;
  const { services } = o;
  let state: SessionState = { ...initialSessionState };
  err.write(`Scanning${services.banner ? ` (${services.banner})` : ""}…\n`);
  let scanned;
  try {
    scanned = await services.scan(undefined, () => {}, new AbortController().signal);
  } catch (e) {
    if (e instanceof InputError) throw e;
    return { ...state, phase: "scan-failed", error: describeError(e), scanExitCode: (e as { exitCode?: number }).exitCode ?? 1 };
  }
  const failing = scanned.findings.filter((f) => f.status === "fail");
  const fixable = failing.filter((f) => f.fixable);
  const buckets = new Set(failing.map((f) => `${f.account}/${f.bucket}`)).size;
  out.write(`${failing.length} failing finding(s) on ${buckets} bucket(s), ${fixable.length} with an automatic fix.\n`);
  if (services.delivery.on) out.write(`${deliverySummary(scanned.buckets, services.delivery.windowHours)}\n`);
  state = { ...state, phase: "findings", snapshot: scanned.snapshot, findings: scanned.findings };
  if (fixable.length === 0) return state;
  const plan = services.plan(scanned.snapshot, fixable);
  out.write(`${summarizePlan(plan)}\n`);
  const writes = plan.steps.filter((s) => !s.manual).length;
  if (writes === 0) return state;
  const answers = lineReader(input);
  // Ctrl-C stops the apply (or undo) after the step in flight: the journal stays complete.
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.on("SIGINT", onSigint);
  try {
    return await applyAndReport(o, { state, plan, fixable, writes, answers, width, signal: stop.signal });
  } finally {
    process.off("SIGINT", onSigint);
    answers.close();
  }
}

interface ApplyContext {
  state: SessionState;
  plan: Plan;
  fixable: Finding[];
  /** Automatic steps of the plan. */
  writes: number;
  answers: ReturnType<typeof lineReader>;
  width: number;
  signal: AbortSignal;
}

/** Asks, applies with a line per step, prints the result; in the demo offers the in-place undo. */
async function applyAndReport(o: LineFixOptions, c: ApplyContext): Promise<SessionState> {
  const out = o.stdout ?? process.stdout;
  const err = o.stderr ?? process.stderr;
  const { services } = o;
  const { plan, fixable, writes, answers, width, signal } = c;
  let state = c.state;
  err.write(`Apply these ${writes} AWS write(s)? [y/N] `);
  const answer = await answers.next();
  echo(o, answer);
  if (!isYes(answer)) {
    err.write("Nothing applied.\n");
    return state;
  }
  state = { ...state, phase: "applying", plan, planned: fixable, apply: initialApplyState(plan) };
  const summary = await services.apply(
    plan,
    (e) => {
      state = { ...state, apply: applyEventReducer(state.apply!, e) };
      const line = applyLine(e);
      if (line) err.write(`${line}\n`);
    },
    signal,
  );
  state = { ...state, phase: "applied", apply: { ...state.apply!, summary } };
  if (o.demo && summary.writes > 0) {
    out.write(exitSummary({ ...state, phase: "applied" }, services, false, width));
    err.write("Undo this run now, while the simulated organization still runs? [y/N] ");
    const again = await answers.next();
    echo(o, again);
    if (isYes(again)) {
      const undone = await services.undo(
        summary.journalPath,
        (e) => {
          const line = undoLine(e);
          if (line) err.write(`${line}\n`);
        },
        signal,
      );
      state = { ...state, phase: "undone", undo: { rows: [], summary: undone } };
      out.write(`Undone: ${describeUndoSummary(undone)}\nUndo journal: ${undone.journalPath}\n`);
    } else out.write(`${demoUndoNote(width, "the question above was the way to undo it").join("\n")}\n`);
    out.write("(demo: the simulated organization lived in this process; it and its changes are gone now)\n");
    return state;
  }
  out.write(exitSummary(state, services, o.demo, width));
  return state;
}
