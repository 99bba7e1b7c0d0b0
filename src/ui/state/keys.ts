/**
 * Key bindings: what a keypress means in the current state. Pure; the app turns an `Intent` into
 * a reducer action or an effect (plan, apply, rescan, quit).
 */
import { wrapText } from "../../output/style.js";
import type { SessionAction, SessionState } from "./session.js";

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
  | { type: "quit" }
  /** Ctrl-C: stop the apply after the step in flight, or quit. */
  | { type: "interrupt" }
  | { type: "none" };

const act = (action: SessionAction): Intent => ({ type: "action", action });
const browse = (action: Extract<SessionAction, { type: "browser" }>["action"]): Intent => act({ type: "browser", action });

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
      if (up) return act({ type: "scroll-apply", delta: -1 });
      if (down) return act({ type: "scroll-apply", delta: 1 });
      return { type: "none" };
    case "applied":
      if (input === "r") return { type: "rescan" };
      if (input === "u") return act({ type: "undo-ask" });
      if (input === "b") return { type: "back-to-findings" };
      if (input === "q") return { type: "quit" };
      if (up) return act({ type: "scroll-apply", delta: -1 });
      if (down) return act({ type: "scroll-apply", delta: 1 });
      if (key.pageDown) return act({ type: "scroll-apply", delta: PAGE });
      if (key.pageUp) return act({ type: "scroll-apply", delta: -PAGE });
      return { type: "none" };
    case "rescanning":
      return input === "q" ? { type: "quit" } : { type: "none" };
    case "rescanned":
      if (input === "r") return { type: "rescan" };
      if (input === "u") return act({ type: "undo-ask" });
      if (input === "b") return { type: "back-to-findings" };
      if (input === "q") return { type: "quit" };
      if (up) return act({ type: "scroll-rescan", delta: -1 });
      if (down) return act({ type: "scroll-rescan", delta: 1 });
      if (key.pageDown) return act({ type: "scroll-rescan", delta: PAGE });
      if (key.pageUp) return act({ type: "scroll-rescan", delta: -PAGE });
      return { type: "none" };
    case "confirm-undo":
      if (input === "y") return { type: "undo" };
      if (key.escape || input === "n") return act({ type: "undo-cancel" });
      if (input === "q") return { type: "quit" };
      return { type: "none" };
    case "undoing":
      if (up) return act({ type: "scroll-undo", delta: -1 });
      if (down) return act({ type: "scroll-undo", delta: 1 });
      return { type: "none" };
    case "undone":
      if (input === "b") return { type: "back-to-findings" };
      if (input === "q") return { type: "quit" };
      if (up) return act({ type: "scroll-undo", delta: -1 });
      if (down) return act({ type: "scroll-undo", delta: 1 });
      if (key.pageDown) return act({ type: "scroll-undo", delta: PAGE });
      if (key.pageUp) return act({ type: "scroll-undo", delta: -PAGE });
      return { type: "none" };
  }
}

/** The footer of each screen. */
export function footerKeys(s: SessionState): string {
  if (s.help) return "? or esc close help";
  if (s.phase === "findings" && s.browser?.filterDraft != null) return "type to filter (rule:ID, high, text) · enter keep · esc clear";
  switch (s.phase) {
    case "scanning":
      return "scanning… · q quit";
    case "scan-failed":
      return "q quit";
    case "findings":
      return "↑↓ move ←→ fold space select a all n none / filter enter review ? help q quit";
    case "review":
      return "y apply · esc back · ↑↓ line · space PgDn PgUp page · g G top/end · q quit";
    case "applying":
      return s.aborting ? "stopping after the step in flight…" : "applying… · ctrl-c stops after the step in flight";
    case "applied":
      return "r rescan · u undo this run · b back to findings · ↑↓ scroll · q quit";
    case "rescanning":
      return "rescanning… · q quit";
    case "rescanned":
      return "r rescan again · u undo this run · b back to findings · ↑↓ scroll · q quit";
    case "confirm-undo":
      return "y undo the run · esc keep it";
    case "undoing":
      return s.aborting ? "stopping after the restore in flight…" : "undoing… · ctrl-c stops after the restore in flight";
    case "undone":
      return "b back to the findings (rescanned) · ↑↓ scroll · q quit";
  }
}

/** One entry of the help screen: a heading, a key with what it does, or a note. */
export type HelpEntry = { heading: string } | { keys: string; does: string } | { note: string };

export const HELP: readonly HelpEntry[] = [
  { heading: "Findings" },
  { keys: "↑ ↓  k j", does: "move (g G / Home End: first / last row)" },
  { keys: "← →  h l", does: "collapse / expand a group (← on a finding jumps to its bucket)" },
  { keys: "space", does: "select the fix of the finding, or of every finding of the group" },
  { keys: "a  n", does: "select every fixable finding (that the filter shows) / none" },
  { keys: "/", does: "filter: rule:ID, a severity (high, sev:crit) or any text; esc clears" },
  { keys: "PgUp PgDn J K", does: "scroll the detail pane" },
  { keys: "enter", does: "review the plan of the selection" },
  { heading: "Review" },
  { keys: "y  esc", does: "apply the plan / back to the findings" },
  { keys: "↑ ↓  k j", does: "scroll a line; space PgDn PgUp a page; g G top / end" },
  { heading: "Apply" },
  { keys: "ctrl-c", does: "stop after the step in flight (the journal stays complete)" },
  { keys: "r", does: "rescan the affected buckets" },
  { keys: "u", does: "undo this run in place (asks first; the same drift checks as the undo command)" },
  { keys: "b", does: "back to the findings list, scanned again" },
  { note: "Anywhere: ? help · q quit" },
  { note: "Marks: [x] selected  [ ] fixable  [-] no automatic fix (space says why)  ! ERR could not be evaluated" },
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
