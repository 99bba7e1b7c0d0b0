import { describe, expect, it } from "vitest";
import { headerText } from "../../../src/ui/state/header.js";
import { initialSessionState, sessionReducer, sessionStart, type SessionAction, type SessionState } from "../../../src/ui/state/session.js";
import { sample, sampleWithPassing } from "../fixtures.js";

const run = (s: SessionState, ...actions: SessionAction[]) => actions.reduce(sessionReducer, s);
const typing = (text: string) => {
  const { snapshot, findings } = sample();
  const s = run(initialSessionState, { type: "scan-done", snapshot, findings }, { type: "browser", action: { type: "filter-open" } });
  return run(s, ...[...text].map((c): SessionAction => ({ type: "browser", action: { type: "filter-input", text: c } })));
};
const cols = (s: string) => [...s].length;

describe("session header", () => {
  it("shows every count when there is room", () => {
    const { snapshot, findings } = sample();
    const s = run(initialSessionState, { type: "scan-done", snapshot, findings });
    expect(headerText(s, "demo (simulated)", 200)).toBe("fix · demo (simulated) · 4 failing · 3 buckets · 2 accounts · 1 ERR · 0 selected · delivery check: off");
  });

  it("says whether the delivery check is on, with its window, while scanning and on the list; the all view says so", () => {
    const { snapshot, findings, buckets } = sampleWithPassing();
    const start = sessionStart({ on: true, windowHours: 48 });
    expect(headerText(start, "demo (simulated)", 80)).toBe("fix · demo (simulated) · delivery check: on (window 48 h)");
    let s = run(start, { type: "scan-done", snapshot, findings, buckets });
    expect(headerText(s, "demo (simulated)", 200)).toBe("fix · demo (simulated) · 4 failing · 3 buckets · 2 accounts · 1 ERR · 0 selected · delivery check: on (window 48 h)");
    s = run(s, { type: "browser", action: { type: "view-toggle" } });
    expect(headerText(s, "demo (simulated)", 90)).toBe("fix · 4 failing · 1 ERR · 0 selected · all buckets · delivery check: on (window 48 h)");
    // At 80 columns the delivery check outlasts the view's name (the footer's "v failing" tells the view).
    const h = headerText(s, "demo (simulated)", 80);
    expect(cols(h)).toBeLessThanOrEqual(80);
    expect(h).toBe("fix · 4 failing · 1 ERR · 0 selected · delivery check: on (window 48 h)");
    s = run(s, { type: "delivery-toggle" });
    expect(headerText(s, "demo (simulated)", 80)).toBe("fix · demo (simulated) · delivery check: off");
    expect(headerText(run(sessionStart({ on: true, windowHours: 1.5 })), undefined)).toBe("fix · delivery check: on (window 1.5 h)");
  });

  it("at 80 columns the filter being typed stays visible: counts give way first", () => {
    const s = typing("rule:target-not-source high");
    const h = headerText(s, "demo (simulated)", 80);
    expect(cols(h)).toBeLessThanOrEqual(80);
    expect(h).toContain("filter: rule:target-not-source high▏");
    expect(h).toContain("0 selected");
    expect(h).not.toContain("accounts");
  });

  it("a filter longer than the line shows its end (where the cursor is), after an ellipsis", () => {
    const s = typing(`${"x".repeat(100)}TAIL`);
    for (const w of [40, 80]) {
      const h = headerText(s, "demo (simulated)", w);
      expect(cols(h)).toBe(w);
      expect(h).toMatch(/filter: …x*TAIL▏$/);
    }
  });

  it("an applied filter is shown without the typing cursor; control characters are escaped", () => {
    let s = typing("a\u001b[2Jb");
    s = run(s, { type: "browser", action: { type: "filter-commit" } });
    const h = headerText(s, undefined, 80);
    expect(h.toLowerCase()).toContain("filter: a\\u001b[2jb");
    expect(h).not.toContain("\u001b");
    expect(h).not.toContain("▏");
  });
});
