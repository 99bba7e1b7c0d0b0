/**
 * The header line of the fix session: what phase it is in and, on the findings screen, the counts,
 * the selection, the list's view, whether the delivery check is on (with its window; also while
 * scanning) and the filter. Pure. When the line is wider than the terminal, the least useful
 * parts go first (accounts, buckets, the banner, the view, the failing count, ERR, the delivery
 * check); the filter being typed is never cut away: a long one shows its end (where the cursor
 * is) after an ellipsis.
 */
import { escapeControl } from "../../base/text.js";
import { columns as width, fitParts, joinParts, type Part } from "./fit.js";
import type { Phase, SessionState } from "./session.js";

const SEP = " · ";
const joined = (parts: readonly Part[]) => joinParts(parts, SEP);

/** What the header says in the phases after the findings list. */
const PHASE_TITLE: Partial<Record<Phase, string>> = {
  review: "review the plan",
  applying: "applying",
  applied: "applied",
  rescanning: "rescan of the affected buckets",
  rescanned: "rescan of the affected buckets",
  "confirm-undo": "undo this run?",
  undoing: "undoing the run",
  undone: "undone",
};

/** `delivery check: on (window 48 h)` or `delivery check: off`. */
export function deliveryCheckText(d: SessionState["delivery"]): string {
  return d.on ? `delivery check: on (window ${d.windowHours} h)` : "delivery check: off";
}

/** The header parts of a state (`banner`: the environment line, e.g. "demo (simulated)"). */
function headerParts(s: SessionState, banner: string | undefined): Part[] {
  const base: Part[] = [{ text: "fix" }, ...(banner ? [{ text: banner, drop: 3 }] : [])];
  const delivery: Part = { text: deliveryCheckText(s.delivery), drop: 5.5 };
  if (s.phase === "scanning") return [...base, delivery];
  if (s.phase !== "findings") {
    const title = PHASE_TITLE[s.phase];
    return title ? [...base, { text: title }] : base;
  }
  const shown = s.findings.filter((f) => f.status === "fail");
  const errs = s.findings.filter((f) => f.status === "error").length;
  const buckets = new Set(shown.map((f) => `${f.account}/${f.bucket}`)).size;
  const accounts = s.snapshot?.accounts.length ?? 0;
  const sel = s.browser?.selected.size ?? 0;
  const parts: Part[] = [
    ...base,
    { text: `${shown.length} failing`, drop: 4 },
    { text: `${buckets} buckets`, drop: 2 },
    { text: `${accounts} accounts`, drop: 1 },
  ];
  if (errs > 0) parts.push({ text: `${errs} ERR`, drop: 5 });
  parts.push({ text: `${sel} selected`, drop: 6 });
  const b = s.browser;
  if (b?.view === "all") parts.push({ text: "all buckets", drop: 3.5 });
  parts.push(delivery);
  if (b?.filterDraft != null) parts.push({ text: `filter: ${escapeControl(b.filterDraft)}▏` });
  else if (b?.filter) parts.push({ text: `filter: ${escapeControl(b.filter)}` });
  return parts;
}

/** Shortens the last part from its start ("…end") so that the line fits `max` columns. */
function keepTail(parts: Part[], max: number): Part[] {
  const last = parts[parts.length - 1]!;
  const head = joined(parts.slice(0, -1));
  const room = max - width(head) - (parts.length > 1 ? SEP.length : 0);
  const label = /^filter: /.exec(last.text)?.[0] ?? "";
  const body = [...last.text.slice(label.length)];
  const keep = Math.max(1, room - label.length - 1);
  return [...parts.slice(0, -1), { text: `${label}…${body.slice(body.length - keep).join("")}` }];
}

/** The header line, fitted to `max` columns (escaped: control characters never reach the terminal). */
export function headerText(s: SessionState, banner: string | undefined, max = Infinity): string {
  let parts = fitParts(headerParts(s, banner), SEP, max);
  if (width(joined(parts)) > max && parts.length > 0) parts = keepTail(parts, max);
  return joined(parts);
}
