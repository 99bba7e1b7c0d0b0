import { describe, expect, it } from "vitest";
import { footerKeys, HELP, helpLines, keyIntent } from "../../../src/ui/state/keys.js";
import { reviewPosition } from "../../../src/ui/state/lines.js";
import { initialSessionState, sessionReducer, type SessionState } from "../../../src/ui/state/session.js";
import { sample } from "../fixtures.js";

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
