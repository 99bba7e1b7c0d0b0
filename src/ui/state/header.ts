/**
 * The header line of the fix session: what phase it is in and, on the findings screen, the counts,
 * the selection and the filter. Pure. When the line is wider than the terminal, the least useful
 * parts go first (accounts, buckets, the banner, the failing count); the filter being typed is
 * never cut away: a long one shows its end (where the cursor is) after an ellipsis.
 */
import { escapeControl } from "../../base/text.js";
import type { SessionState } from "./session.js";

/** One part of the header; `drop`: order of removal when space is short (lower goes first). */
interface Part {
  text: string;
  drop?: number;
}

const SEP = " · ";
const width = (s: string) => [...s].length;
const joined = (parts: readonly Part[]) => parts.map((p) => p.text).join(SEP);

/** The header parts of a state (`banner`: the environment line, e.g. "demo (simulated)"). */
function headerParts(s: SessionState, banner: string | undefined): Part[] {
  const base: Part[] = [{ text: "fix" }, ...(banner ? [{ text: banner, drop: 3 }] : [])];
  switch (s.phase) {
    case "scanning":
    case "scan-failed":
      return base;
    case "findings": {
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
      if (b?.filterDraft != null) parts.push({ text: `filter: ${escapeControl(b.filterDraft)}▏` });
      else if (b?.filter) parts.push({ text: `filter: ${escapeControl(b.filter)}` });
      return parts;
    }
    case "review":
      return [...base, { text: "review the plan" }];
    case "applying":
      return [...base, { text: "applying" }];
    case "applied":
      return [...base, { text: "applied" }];
    case "rescanning":
    case "rescanned":
      return [...base, { text: "rescan of the affected buckets" }];
    case "confirm-undo":
      return [...base, { text: "undo this run?" }];
    case "undoing":
      return [...base, { text: "undoing the run" }];
    case "undone":
      return [...base, { text: "undone" }];
  }
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
  let parts = headerParts(s, banner);
  while (width(joined(parts)) > max) {
    let victim = -1;
    parts.forEach((p, i) => {
      if (p.drop !== undefined && (victim < 0 || p.drop < parts[victim]!.drop!)) victim = i;
    });
    if (victim < 0) break;
    parts = parts.filter((_, i) => i !== victim);
  }
  if (width(joined(parts)) > max && parts.length > 0) parts = keepTail(parts, max);
  return joined(parts);
}
