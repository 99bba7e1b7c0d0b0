/**
 * Key bindings: what a keypress means in the current state. Pure; the app turns an `Intent` into
 * a reducer action or an effect (plan, apply, rescan, quit).
 */
import { wrapText } from "../../output/style.js";
import { fitParts, joinParts, type Part } from "./fit.js";
import type { Phase, SessionAction, SessionState } from "./session.js";

/** The subset of ink's `Key` the bindings read. */
export interface KeyInfo {
  upArrow?: boolean;
  downArrow?: boolean;
  leftArrow?: boolean;
  rightArrow?: boolean;
  pageUp?: boolean;
  pageDown?: boolean;
  home?: boolean;
  end?: boolean;
  return?: boolean;
  escape?: boolean;
  ctrl?: boolean;
  backspace?: boolean;
  delete?: boolean;
  tab?: boolean;
  meta?: boolean;
}

export type Intent =
  | { type: "action"; action: SessionAction }
  /** Plan the selection and open the review. */
  | { type: "open-review" }
  | { type: "apply" }
  | { type: "rescan" }
  /** Undo the run in place (after the confirmation). */
  | { type: "undo" }
  /** Scan again and show the findings list (after an apply or an undo). */
  | { type: "back-to-findings" }
  /** `d`: switch the delivery check and scan again (if the application layer allows it). */
  | { type: "toggle-delivery" }
  | { type: "quit" }
  /** Ctrl-C: stop the apply after the step in flight, or quit. */
  | { type: "interrupt" }
  | { type: "none" };

const act = (action: SessionAction): Intent => ({ type: "action", action });
const browse = (action: Extract<SessionAction, { type: "browser" }>["action"]): Intent => act({ type: "browser", action });
const NONE: Intent = { type: "none" };

type ScrollType = "scroll-apply" | "scroll-rescan" | "scroll-undo";

/** ↑↓ (k j) scroll a line; with `paging`, PgDn PgUp a page. */
function scrollIntent(type: ScrollType, input: string, key: KeyInfo, paging: boolean): Intent {
  if (key.upArrow || input === "k") return act({ type, delta: -1 });
  if (key.downArrow || input === "j") return act({ type, delta: 1 });
  if (paging && key.pageDown) return act({ type, delta: PAGE });
  if (paging && key.pageUp) return act({ type, delta: -PAGE });
  return NONE;
}

/** The screens after a run: the list they scroll, and whether r (rescan) and u (undo) apply there. */
const AFTER_RUN = {
  applied: { scroll: "scroll-apply", more: true },
  rescanned: { scroll: "scroll-rescan", more: true },
  undone: { scroll: "scroll-undo", more: false },
} as const;

function afterRunIntent(phase: keyof typeof AFTER_RUN, input: string, key: KeyInfo): Intent {
  const screen = AFTER_RUN[phase];
  if (screen.more && input === "r") return { type: "rescan" };
  if (screen.more && input === "u") return act({ type: "undo-ask" });
  if (input === "b") return { type: "back-to-findings" };
  if (input === "q") return { type: "quit" };
  return scrollIntent(screen.scroll, input, key, true);
}

/** Lines a page scroll moves. */
export const PAGE = 10;

/**
 * Keys typed faster than they are read arrive as one chunk of text ("jj", "a\r"): split it into
 * one key per character (ink already splits escape sequences, backspace and Ctrl-C).
 */
export function splitKeys(input: string, key: KeyInfo): { input: string; key: KeyInfo }[] {
  const chars = [...input];
  if (chars.length <= 1 || input.startsWith("\u001b") || key.ctrl || key.meta) return [{ input, key }];
  return chars.map((c) => {
    if (c === "\r" || c === "\n") return { input: "", key: { return: true } };
    if (c === "\t") return { input: "", key: { tab: true } };
    if (c === "\u007f" || c === "\b") return { input: "", key: { backspace: true } };
    return { input: c, key: {} };
  });
}

export function keyIntent(s: SessionState, input: string, key: KeyInfo): Intent {
  if (key.ctrl && input === "c") return { type: "interrupt" };

  // Typing a filter: every printable key is text.
  if (s.phase === "findings" && s.browser?.filterDraft != null) {
    if (key.return) return browse({ type: "filter-commit" });
    if (key.escape) return browse({ type: "filter-cancel" });
    if (key.backspace || key.delete) return browse({ type: "filter-backspace" });
    if (key.upArrow) return browse({ type: "move", delta: -1 });
    if (key.downArrow) return browse({ type: "move", delta: 1 });
    if (input && !key.ctrl && !key.meta && !key.tab) return browse({ type: "filter-input", text: input });
    return { type: "none" };
  }

  if (s.help) {
    if (input === "?" || key.escape || input === "q") return act({ type: "help" });
    return { type: "none" };
  }
  if (input === "?") return act({ type: "help" });

  const up = key.upArrow || input === "k";
  const down = key.downArrow || input === "j";
  switch (s.phase) {
    case "scanning":
      return input === "q" ? { type: "quit" } : { type: "none" };
    case "scan-failed":
      return input === "q" || key.escape || key.return ? { type: "quit" } : { type: "none" };
    case "findings":
      if (up) return browse({ type: "move", delta: -1 });
      if (down) return browse({ type: "move", delta: 1 });
      if (key.home || input === "g") return browse({ type: "move-to", where: "first" });
      if (key.end || input === "G") return browse({ type: "move-to", where: "last" });
      if (key.leftArrow || input === "h") return browse({ type: "collapse" });
      if (key.rightArrow || input === "l") return browse({ type: "expand" });
      if (input === " ") return browse({ type: "toggle" });
      if (input === "a") return browse({ type: "select-all" });
      if (input === "n") return browse({ type: "select-none" });
      if (input === "/") return browse({ type: "filter-open" });
      if (input === "v") return browse({ type: "view-toggle" });
      if (input === "d") return { type: "toggle-delivery" };
      if (key.escape && s.browser?.filter) return browse({ type: "filter-cancel" });
      if (key.pageDown || input === "J") return act({ type: "scroll-detail", delta: PAGE });
      if (key.pageUp || input === "K") return act({ type: "scroll-detail", delta: -PAGE });
      if (key.return) return { type: "open-review" };
      if (input === "q") return { type: "quit" };
      return { type: "none" };
    case "review":
      if (input === "y") return { type: "apply" };
      if (key.escape) return act({ type: "back" });
      if (up) return act({ type: "scroll-review", delta: -1 });
      if (down) return act({ type: "scroll-review", delta: 1 });
      if (key.pageDown || input === " ") return act({ type: "scroll-review", delta: PAGE });
      if (key.pageUp) return act({ type: "scroll-review", delta: -PAGE });
      if (key.home || input === "g") return act({ type: "scroll-review", delta: -Infinity });
      if (key.end || input === "G") return act({ type: "scroll-review", delta: Infinity });
      if (input === "q") return { type: "quit" };
      return { type: "none" };
    case "applying":
      return scrollIntent("scroll-apply", input, key, false);
    case "applied":
    case "rescanned":
    case "undone":
      return afterRunIntent(s.phase, input, key);
    case "rescanning":
      return input === "q" ? { type: "quit" } : NONE;
    case "confirm-undo":
      if (input === "y") return { type: "undo" };
      if (key.escape || input === "n") return act({ type: "undo-cancel" });
      if (input === "q") return { type: "quit" };
      return NONE;
    case "undoing":
      return scrollIntent("scroll-undo", input, key, false);
  }
}

/** The keys of the findings list; on a narrow terminal the ones ranked lowest give way (help lists them all). */
function findingsKeys(s: SessionState): Part[] {
  return [
    { text: "↑↓ move" },
    { text: "←→ fold", drop: 2 },
    { text: "space select" },
    { text: "a all", drop: 3 },
    { text: "n none", drop: 1 },
    { text: "/ filter" },
    { text: s.browser?.view === "all" ? "v failing" : "v all" },
    { text: "d delivery" },
    { text: "enter review" },
    { text: "? help" },
    { text: "q quit" },
  ];
}

/** The footer of each screen, fitted to `max` columns. */
export function footerKeys(s: SessionState, max = Infinity): string {
  if (s.help) return "? or esc close help";
  if (s.phase === "findings" && s.browser?.filterDraft != null) return "type to filter (rule:ID, high, text) · enter keep · esc clear";
  if (s.phase === "findings") return joinParts(fitParts(findingsKeys(s), " ", max), " ");
  const footer = FOOTERS[s.phase];
  return typeof footer === "string" ? footer : footer[s.aborting ? 1 : 0];
}

/** The footer of every screen but the findings list; [running, stopping] for the screens Ctrl-C stops. */
const FOOTERS: Record<Exclude<Phase, "findings">, string | readonly [string, string]> = {
  scanning: "scanning… · q quit",
  "scan-failed": "q quit",
  review: "y apply · esc back · ↑↓ line · space PgDn PgUp page · g G top/end · q quit",
  applying: ["applying… · ctrl-c stops after the step in flight", "stopping after the step in flight…"],
  applied: "r rescan · u undo this run · b back to findings · ↑↓ scroll · q quit",
  rescanning: "rescanning… · q quit",
  rescanned: "r rescan again · u undo this run · b back to findings · ↑↓ scroll · q quit",
  "confirm-undo": "y undo the run · esc keep it",
  undoing: ["undoing… · ctrl-c stops after the restore in flight", "stopping after the restore in flight…"],
  undone: "b back to the findings (rescanned) · ↑↓ scroll · q quit",
};

/** One entry of the help screen: a heading, a key with what it does, or a note. */
export type HelpEntry = { heading: string } | { keys: string; does: string } | { note: string };

export const HELP: readonly HelpEntry[] = [
  { heading: "Findings" },
  { keys: "↑ ↓  k j", does: "move (g G / Home End: first / last row)" },
  { keys: "← →  h l", does: "collapse / expand a group (← on a finding jumps to its bucket)" },
  { keys: "space", does: "select the fix of the finding, or of every finding of the group" },
  { keys: "a  n", does: "select every fixable finding (that the filter shows) / none" },
  { keys: "/", does: "filter: rule:ID, a severity (high, sev:crit), text; esc clears" },
  { keys: "v", does: "failing buckets only / all buckets (✓ passing, delivery state)" },
  { keys: "d", does: "delivery check on / off (logs-delivered), then scan again" },
  { keys: "PgUp PgDn J K", does: "scroll the detail pane" },
  { keys: "enter", does: "review the plan of the selection" },
  { heading: "Review" },
  { keys: "y  esc", does: "apply the plan / back to the findings" },
  { keys: "↑ ↓  k j", does: "scroll a line; space PgDn PgUp a page; g G top / end" },
  { heading: "Apply" },
  { keys: "ctrl-c", does: "stop after the step in flight (the journal stays complete)" },
  { keys: "r", does: "rescan the affected buckets" },
  { keys: "u", does: "undo this run in place (asks first; undo's drift checks)" },
  { keys: "b", does: "back to the findings list, scanned again" },
  { note: "Anywhere: ? help · q quit" },
  { note: "Marks: [x] selected  [ ] fixable  [-] no automatic fix (space says why)  ! ERR could not be evaluated  ✓ passing" },
];

/** Width of the key column of the help screen. */
const KEY_COLUMN = 16;

/** The help screen as lines wrapped to `width` (a description continues under itself, never cut). */
export function helpLines(width: number): { text: string; tone: "heading" | "text" }[] {
  const out: { text: string; tone: "heading" | "text" }[] = [];
  for (const e of HELP) {
    if ("heading" in e) out.push({ text: e.heading, tone: "heading" });
    else if ("note" in e) wrapText(e.note, width - 2).forEach((t, i) => out.push({ text: i === 0 ? t : `  ${t}`, tone: "heading" }));
    else {
      const lead = `  ${e.keys}`.padEnd(KEY_COLUMN);
      wrapText(e.does, Math.max(10, width - KEY_COLUMN)).forEach((t, i) => out.push({ text: `${i === 0 ? lead : " ".repeat(KEY_COLUMN)}${t}`, tone: "text" }));
    }
  }
  return out;
}
