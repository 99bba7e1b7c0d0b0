import { describe, expect, it } from "vitest";
import {
  browserReducer,
  buildTree,
  currentRow,
  initialBrowserState,
  parseFilter,
  selectedFindings,
  visibleRows,
  type BrowserAction,
  type BrowserState,
} from "../../../src/ui/state/findings.js";
import { A, B, sample, sampleWithPassing, standing } from "../fixtures.js";

function start(): BrowserState {
  const { snapshot, findings } = sample();
  return initialBrowserState(buildTree(snapshot, findings));
}
const run = (s: BrowserState, ...actions: BrowserAction[]) => actions.reduce(browserReducer, s);
const keys = (s: BrowserState) => visibleRows(s).map((r) => r.key);
const at = (s: BrowserState) => currentRow(s)?.key;

describe("buildTree / visibleRows", () => {
  it("groups account → Region → bucket → finding, worst severity first, passes left out", () => {
    const s = start();
    expect(keys(s)).toEqual([
      `a:${B}`,
      `r:${B}/us-east-1`,
      `b:${B}/us-east-1/loop`,
      `target-not-source|${B}|loop`,
      `log-bucket-retention|${B}|loop`,
      `r:${B}/eu-west-1`,
      `b:${B}/eu-west-1/plain`,
      `delivery-permitted|${B}|plain`,
      `a:${A}`,
      `r:${A}/us-east-1`,
      `b:${A}/us-east-1/data`,
      `logging-enabled|${A}|data`,
      `b:${A}/us-east-1/denied`,
      `logging-enabled|${A}|denied`,
    ]);
    expect(at(s)).toBe(`a:${B}`);
  });

  it("counts per group and marks unreadable buckets with the reason", () => {
    const rows = visibleRows(start());
    expect(rows.find((r) => r.key === `a:${B}`)?.findings).toHaveLength(3);
    expect(rows.find((r) => r.key === `r:${A}/us-east-1`)?.findings).toHaveLength(2);
    const denied = rows.find((r) => r.key === `b:${A}/us-east-1/denied`)?.node;
    expect(denied?.kind === "bucket" && denied.error).toBe("GetBucketLogging AccessDenied: denied");
    const acct = rows.find((r) => r.key === `a:${A}`)?.node;
    expect(acct?.kind === "account" && acct.name).toBe("alpha");
  });

  it("lists an account that could not be read at all first, with the reason", () => {
    const { snapshot, findings } = sample();
    snapshot.accounts.push({ id: "333333333333", status: "error", regions: [] });
    snapshot.errors.push({ account: "333333333333", operation: "AssumeRole", code: "AccessDenied", message: "no role" });
    const rows = visibleRows(initialBrowserState(buildTree(snapshot, findings)));
    const first = rows[0]!;
    expect(first.key).toBe("a:333333333333");
    expect(first.node.kind === "account" && first.node.error).toBe("AssumeRole AccessDenied: no role");
    expect(rows).toHaveLength(15);
  });
});

describe("navigation", () => {
  it("moves with clamping at both ends, and jumps to first/last", () => {
    let s = start();
    s = run(s, { type: "move", delta: -1 });
    expect(at(s)).toBe(`a:${B}`);
    s = run(s, { type: "move", delta: 3 });
    expect(at(s)).toBe(`target-not-source|${B}|loop`);
    s = run(s, { type: "move", delta: 100 });
    expect(at(s)).toBe(`logging-enabled|${A}|denied`);
    s = run(s, { type: "move-to", where: "first" });
    expect(at(s)).toBe(`a:${B}`);
    s = run(s, { type: "move-to", where: "last" });
    expect(at(s)).toBe(`logging-enabled|${A}|denied`);
  });

  it("collapses and expands groups; ← on a finding goes to its bucket, → on an open group enters it", () => {
    let s = run(start(), { type: "move", delta: 3 }); // target-not-source
    s = run(s, { type: "collapse" });
    expect(at(s)).toBe(`b:${B}/us-east-1/loop`);
    s = run(s, { type: "collapse" });
    expect(keys(s)).not.toContain(`target-not-source|${B}|loop`);
    expect(visibleRows(s).find((r) => r.key === `b:${B}/us-east-1/loop`)?.collapsed).toBe(true);
    s = run(s, { type: "collapse" }); // already collapsed: to the Region
    expect(at(s)).toBe(`r:${B}/us-east-1`);
    s = run(s, { type: "collapse" }); // collapse the Region
    expect(keys(s).slice(0, 3)).toEqual([`a:${B}`, `r:${B}/us-east-1`, `r:${B}/eu-west-1`]);
    s = run(s, { type: "expand" });
    expect(keys(s)).toContain(`b:${B}/us-east-1/loop`);
    expect(keys(s)).not.toContain(`target-not-source|${B}|loop`); // the bucket stays collapsed
    s = run(s, { type: "expand" }); // open group: enter it
    expect(at(s)).toBe(`b:${B}/us-east-1/loop`);
    s = run(s, { type: "expand" });
    expect(keys(s)).toContain(`target-not-source|${B}|loop`);
  });
});

describe("selection", () => {
  it("space toggles one fixable finding; not on a finding without automatic fix or an error", () => {
    let s = run(start(), { type: "move", delta: 3 }, { type: "toggle" });
    expect([...s.selected]).toEqual([`target-not-source|${B}|loop`]);
    s = run(s, { type: "toggle" });
    expect(s.selected.size).toBe(0);
    s = run(s, { type: "move", delta: 4 }, { type: "toggle" }); // delivery-permitted, not fixable
    expect(at(s)).toBe(`delivery-permitted|${B}|plain`);
    expect(s.selected.size).toBe(0);
    s = run(s, { type: "move-to", where: "last" }, { type: "toggle" }); // error finding
    expect(s.selected.size).toBe(0);
  });

  it("space on a group selects every fixable finding under it, and again deselects them", () => {
    let s = run(start(), { type: "toggle" }); // account B
    expect([...s.selected].sort()).toEqual([`log-bucket-retention|${B}|loop`, `target-not-source|${B}|loop`]);
    s = run(s, { type: "toggle" });
    expect(s.selected.size).toBe(0);
    // Partly selected group: space completes the selection first.
    s = run(s, { type: "move", delta: 3 }, { type: "toggle" }, { type: "move", delta: -1 }, { type: "toggle" });
    expect(s.selected.size).toBe(2);
  });

  it("a selects every fixable finding, n none; selectedFindings keeps tree order", () => {
    let s = run(start(), { type: "select-all" });
    expect(selectedFindings(s).map((f) => `${f.ruleId}/${f.bucket}`)).toEqual([
      "target-not-source/loop",
      "log-bucket-retention/loop",
      "logging-enabled/data",
    ]);
    s = run(s, { type: "select-none" });
    expect(s.selected.size).toBe(0);
  });
});

describe("filter", () => {
  it("parses severities, rule: terms and text", () => {
    expect(parseFilter("High rule:target sev:crit loop")).toEqual({ severities: ["high", "critical"], rules: ["target"], text: ["loop"] });
  });

  it("narrows while typing, keeps on enter, clears on cancel; the cursor stays on a visible row", () => {
    let s = run(start(), { type: "move-to", where: "last" }, { type: "filter-open" });
    for (const ch of "critical") s = run(s, { type: "filter-input", text: ch });
    expect(keys(s)).toEqual([`a:${B}`, `r:${B}/us-east-1`, `b:${B}/us-east-1/loop`, `target-not-source|${B}|loop`]);
    expect(at(s)).toBe(`a:${B}`);
    s = run(s, { type: "filter-commit" });
    expect(s.filter).toBe("critical");
    expect(s.filterDraft).toBeNull();
    // a (select all) under a filter selects what the filter shows.
    s = run(s, { type: "select-all" });
    expect([...s.selected]).toEqual([`target-not-source|${B}|loop`]);
    s = run(s, { type: "filter-cancel" });
    expect(keys(s)).toHaveLength(14);
  });

  it("matches rule ids, bucket text and account names; backspace widens again", () => {
    let s = run(start(), { type: "filter-open" }, { type: "filter-input", text: "rule:retention" }, { type: "filter-commit" });
    expect(keys(s).filter((k) => k.includes("|"))).toEqual([`log-bucket-retention|${B}|loop`]);
    s = run(s, { type: "filter-open" }, { type: "filter-backspace" });
    expect(s.filterDraft).toBe("rule:retentio");
    s = run(s, { type: "filter-cancel" }, { type: "filter-open" }, { type: "filter-input", text: "alpha" });
    expect(keys(s).filter((k) => k.includes("|"))).toEqual([`logging-enabled|${A}|data`, `logging-enabled|${A}|denied`]);
    s = run(s, { type: "filter-input", text: " zzz" });
    expect(keys(s)).toEqual([]);
    expect(s.cursor).toBeUndefined();
  });
});

describe("the all-buckets view (v)", () => {
  const withPassing = () => {
    const { snapshot, findings, buckets } = sampleWithPassing();
    return initialBrowserState(buildTree(snapshot, findings, buckets));
  };

  it("lists only the failing buckets by default; v adds the passing ones after the failing ones of their Region", () => {
    const s = withPassing();
    expect(s.view).toBe("failing");
    expect(keys(s)).toEqual(keys(start()));
    const all = run(s, { type: "view-toggle" });
    expect(all.view).toBe("all");
    // The failing list, with each Region's passing buckets after its failing ones.
    const failing = keys(s);
    const media = failing.indexOf(`a:${A}`);
    expect(keys(all)).toEqual([...failing.slice(0, media), `b:${B}/eu-west-1/media`, ...failing.slice(media), `b:${A}/us-east-1/orders`, `b:${A}/us-east-1/quiet`]);
    const rows = visibleRows(all);
    const orders = rows.find((r) => r.key === `b:${A}/us-east-1/orders`)!;
    expect(orders.passing).toBe(1);
    expect(orders.findings).toEqual([]);
    expect(orders.node.kind === "bucket" && orders.node.standing?.delivery?.state).toBe("delivered");
    expect(rows.find((r) => r.key === `a:${A}`)?.passing).toBe(2);
    expect(rows.find((r) => r.key === `r:${B}/eu-west-1`)?.passing).toBe(1);
    // A failing bucket's row counts no passing bucket; its findings are unchanged.
    expect(rows.find((r) => r.key === `b:${B}/eu-west-1/plain`)).toMatchObject({ passing: 0, findings: [expect.objectContaining({ ruleId: "delivery-permitted" })] });
    expect(run(all, { type: "view-toggle" }).view).toBe("failing");
  });

  it("an account or Region with passing buckets only appears in the all view, and folds like any group", () => {
    const { snapshot, findings, buckets } = sampleWithPassing();
    buckets.push(standing("333333333333", "us-west-2", "calm"));
    const s = run(initialBrowserState(buildTree(snapshot, findings, buckets)), { type: "view-toggle" });
    expect(keys(s).slice(-3)).toEqual([`a:333333333333`, `r:333333333333/us-west-2`, `b:333333333333/us-west-2/calm`]);
    expect(keys(run(s, { type: "view-toggle" }))).not.toContain("a:333333333333");
    const folded = run(s, { type: "move-to", where: "last" }, { type: "move", delta: -1 }, { type: "collapse" });
    expect(keys(folded).slice(-2)).toEqual([`a:333333333333`, `r:333333333333/us-west-2`]);
    expect(visibleRows(folded).at(-1)?.collapsed).toBe(true);
  });

  it("the filter matches passing buckets by name, account, Region, 'passing' and their delivery state; rule and severity terms never", () => {
    const s = run(withPassing(), { type: "view-toggle" });
    const typed = (text: string) => keys(run(s, { type: "filter-open" }, { type: "filter-input", text }, { type: "filter-commit" }));
    expect(typed("delivered")).toEqual([`a:${A}`, `r:${A}/us-east-1`, `b:${A}/us-east-1/orders`]);
    expect(typed("passing").filter((k) => k.startsWith("b:"))).toEqual([`b:${B}/eu-west-1/media`, `b:${A}/us-east-1/orders`, `b:${A}/us-east-1/quiet`]);
    expect(typed("quiet")).toEqual([`a:${A}`, `r:${A}/us-east-1`, `b:${A}/us-east-1/quiet`]);
    expect(typed("rule:logging-enabled").filter((k) => k.startsWith("b:"))).toEqual([`b:${A}/us-east-1/data`, `b:${A}/us-east-1/denied`]);
    expect(typed("high").some((k) => k.endsWith("/media"))).toBe(false);
  });

  it("switching keeps the cursor on its row, or moves it to the nearest group still shown; space selects nothing on a passing row", () => {
    let s = run(withPassing(), { type: "view-toggle" });
    s = run(s, { type: "move-to", where: "last" });
    expect(at(s)).toBe(`b:${A}/us-east-1/quiet`);
    expect(run(s, { type: "toggle" }).selected.size).toBe(0);
    s = run(s, { type: "view-toggle" });
    expect(at(s)).toBe(`r:${A}/us-east-1`);
    s = run(s, { type: "move", delta: 1 }, { type: "view-toggle" });
    expect(at(s)).toBe(`b:${A}/us-east-1/data`);
  });

  it("select-all never selects anything of a passing bucket", () => {
    const s = run(withPassing(), { type: "view-toggle" }, { type: "select-all" });
    expect(selectedFindings(s).map((f) => f.bucket).sort()).toEqual(["data", "loop", "loop"]);
  });
});
