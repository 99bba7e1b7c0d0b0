import { describe, expect, it } from "vitest";
import { footerKeys, HELP, helpLines, keyIntent } from "../../../src/ui/state/keys.js";
import { reviewPosition } from "../../../src/ui/state/lines.js";
import { initialSessionState, sessionReducer, type SessionState } from "../../../src/ui/state/session.js";
import { sample, sampleWithPassing } from "../fixtures.js";

function scanned(): SessionState {
  const { snapshot, findings } = sample();
  return sessionReducer(initialSessionState, { type: "scan-done", snapshot, findings });
}

describe("help screen", () => {
  it.each([80, 60, 40])("at %i columns no line is cut: every description is there, word for word", (width) => {
    const lines = helpLines(width);
    for (const l of lines) expect([...l.text].length).toBeLessThanOrEqual(width);
    const text = lines.map((l) => l.text.trim()).join(" ").replace(/\s+/g, " ");
    for (const e of HELP) {
      const words = "does" in e ? e.does : "note" in e ? e.note : e.heading;
      expect(text).toContain(words.replace(/\s+/g, " "));
    }
  });

  it("fits the body of an 80×24 terminal (21 lines)", () => {
    expect(helpLines(80).length).toBeLessThanOrEqual(21);
  });
});

describe("review keys", () => {
  const review = { ...scanned(), phase: "review" as const };
  it("g G Home End jump, space PgDn PgUp page, j k line, esc back", () => {
    expect(keyIntent(review, "g", {})).toEqual({ type: "action", action: { type: "scroll-review", delta: -Infinity } });
    expect(keyIntent(review, "", { home: true })).toEqual({ type: "action", action: { type: "scroll-review", delta: -Infinity } });
    expect(keyIntent(review, "G", {})).toEqual({ type: "action", action: { type: "scroll-review", delta: Infinity } });
    expect(keyIntent(review, "", { end: true })).toEqual({ type: "action", action: { type: "scroll-review", delta: Infinity } });
    expect(keyIntent(review, " ", {})).toEqual({ type: "action", action: { type: "scroll-review", delta: 10 } });
    expect(keyIntent(review, "", { pageDown: true })).toEqual({ type: "action", action: { type: "scroll-review", delta: 10 } });
    expect(keyIntent(review, "", { pageUp: true })).toEqual({ type: "action", action: { type: "scroll-review", delta: -10 } });
    expect(keyIntent(review, "j", {})).toEqual({ type: "action", action: { type: "scroll-review", delta: 1 } });
    expect(keyIntent(review, "", { escape: true })).toEqual({ type: "action", action: { type: "back" } });
  });

  it("G scrolls to the last full window, g back to the top", () => {
    let s = sessionReducer(review, { type: "scroll-review", delta: Infinity, max: 37 });
    expect(s.reviewScroll).toBe(37);
    s = sessionReducer(s, { type: "scroll-review", delta: -Infinity, max: 37 });
    expect(s.reviewScroll).toBe(0);
  });

  it("the review's last line says where the window is; the footer lists the keys: they never repeat each other", () => {
    expect(reviewPosition(0, 20, 100)).toBe("Apply these changes? · lines 1–20 of 100 · 80 more below");
    expect(reviewPosition(80, 20, 100)).toBe("Apply these changes? · lines 81–100 of 100 · end");
    expect(reviewPosition(0, 20, 5)).toBe("Apply these changes?");
    const footer = footerKeys(review);
    expect(footer).toBe("y apply · esc back · ↑↓ line · space PgDn PgUp page · g G top/end · q quit");
    for (const part of footer.split(" · ")) expect(reviewPosition(0, 20, 100)).not.toContain(part);
  });
});

describe("findings keys: v (all buckets) and d (delivery check)", () => {
  const list = () => {
    const { snapshot, findings, buckets } = sampleWithPassing();
    return sessionReducer(initialSessionState, { type: "scan-done", snapshot, findings, buckets });
  };

  it("v switches the list, d asks the app to switch the delivery check; while typing a filter both are text", () => {
    expect(keyIntent(list(), "v", {})).toEqual({ type: "action", action: { type: "browser", action: { type: "view-toggle" } } });
    expect(keyIntent(list(), "d", {})).toEqual({ type: "toggle-delivery" });
    const typing = sessionReducer(list(), { type: "browser", action: { type: "filter-open" } });
    expect(keyIntent(typing, "d", {})).toEqual({ type: "action", action: { type: "browser", action: { type: "filter-input", text: "d" } } });
    expect(keyIntent({ ...list(), phase: "applied" }, "d", {})).toEqual({ type: "none" });
  });

  it("the footer names both keys, says where v leads, and fits 80 columns by leaving out keys that help lists", () => {
    const s = list();
    expect(footerKeys(s)).toBe("↑↓ move ←→ fold space select a all n none / filter v all d delivery enter review ? help q quit");
    const narrow = footerKeys(s, 80);
    expect([...narrow].length).toBeLessThanOrEqual(80);
    expect(narrow).toBe("↑↓ move space select a all / filter v all d delivery enter review ? help q quit");
    const all = sessionReducer(s, { type: "browser", action: { type: "view-toggle" } });
    expect(footerKeys(all, 80)).toBe("↑↓ move space select / filter v failing d delivery enter review ? help q quit");
    const help = helpLines(80).map((l) => l.text).join("\n");
    expect(help).toMatch(/^ {2}v {13}failing buckets only \/ all buckets/m);
    expect(help).toMatch(/^ {2}d {13}delivery check on \/ off \(logs-delivered\), then scan again$/m);
  });

  it("after a run: r u b q and the scrolls per screen (table-driven), none of r u after the undo", () => {
    const after = (phase: SessionState["phase"]) => ({ ...list(), phase });
    expect(keyIntent(after("applied"), "r", {})).toEqual({ type: "rescan" });
    expect(keyIntent(after("rescanned"), "u", {})).toEqual({ type: "action", action: { type: "undo-ask" } });
    expect(keyIntent(after("undone"), "r", {})).toEqual({ type: "none" });
    expect(keyIntent(after("undone"), "u", {})).toEqual({ type: "none" });
    expect(keyIntent(after("undone"), "b", {})).toEqual({ type: "back-to-findings" });
    expect(keyIntent(after("rescanned"), "", { pageDown: true })).toEqual({ type: "action", action: { type: "scroll-rescan", delta: 10 } });
    expect(keyIntent(after("undone"), "k", {})).toEqual({ type: "action", action: { type: "scroll-undo", delta: -1 } });
    expect(keyIntent(after("applying"), "", { pageDown: true })).toEqual({ type: "none" });
    expect(keyIntent(after("applying"), "j", {})).toEqual({ type: "action", action: { type: "scroll-apply", delta: 1 } });
  });
});
