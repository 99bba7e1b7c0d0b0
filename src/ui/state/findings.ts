/**
 * The findings browser: a tree account → Region → bucket → finding, its visible rows (after
 * collapsing and filtering), the cursor, the selection of fixes, the filter and the view (only
 * the failing buckets, or every bucket with the passing ones marked). Pure data and pure
 * functions; the findings view only renders `visibleRows` and dispatches `BrowserAction`s.
 * Where each bucket stands (passing, its delivery state) comes from the application layer.
 */
import type { BucketStanding } from "../../app/fix-session.js";
import { SEVERITIES, severityRank, type Finding, type Severity } from "../../model/finding.js";
import type { Snapshot } from "../../model/snapshot.js";

export interface FindingNode {
  kind: "finding";
  key: string;
  finding: Finding;
  /** A failing, fixable finding: its fix can be selected. */
  selectable: boolean;
}

export interface BucketNode {
  kind: "bucket";
  key: string;
  account: string;
  region: string;
  name: string;
  findings: FindingNode[];
  /** Why the bucket could not be read (its logging configuration), when it could not. */
  error?: string;
  /** Where the bucket stands (from the application layer); `passing` buckets have no findings here. */
  standing?: BucketStanding;
}

export interface RegionNode {
  kind: "region";
  key: string;
  account: string;
  region: string;
  buckets: BucketNode[];
}

export interface AccountNode {
  kind: "account";
  key: string;
  account: string;
  name?: string;
  regions: RegionNode[];
  /** Why the account could not be read at all (status `error`). */
  error?: string;
}

export type TreeNode = AccountNode | RegionNode | BucketNode | FindingNode;

export interface FindingTree {
  accounts: AccountNode[];
  /** Every finding of the tree by fingerprint. */
  findings: ReadonlyMap<string, Finding>;
  /** Where each bucket stands, by `account/bucket` (empty when the scan gave none). */
  standings: ReadonlyMap<string, BucketStanding>;
}

/** Which buckets the list shows: those with failing findings, or every bucket in scope. */
export type ListView = "failing" | "all";

/** Whether a bucket node passes (shown only in the `all` view). */
export function isPassing(b: BucketNode): boolean {
  return b.standing?.passing === true && b.findings.length === 0;
}

/** What a finding's row shows: failing findings and findings that could not be evaluated. */
export function isShown(f: Finding): boolean {
  return f.status === "fail" || f.status === "error";
}

export function isSelectable(f: Finding): boolean {
  return f.status === "fail" && f.fixable;
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

function worstOf(findings: readonly Finding[]): number {
  let w: number = SEVERITIES.length;
  for (const f of findings) w = Math.min(w, severityRank(f.severity));
  return w;
}

function readErrorText(e: { operation: string; code: string; message: string }): string {
  return `${e.operation} ${e.code}${e.message ? `: ${e.message}` : ""}`;
}

/**
 * Groups the failing (and error) findings, plus the passing buckets of `standings` (no findings);
 * worst severity first at every level (passing buckets last), then by name.
 */
export function buildTree(snapshot: Snapshot, findings: readonly Finding[], standings: readonly BucketStanding[] = []): FindingTree {
  const shown = findings.filter(isShown);
  const byKey = new Map<string, Finding>();
  const accounts = new Map<string, Map<string, Map<string, Finding[]>>>();
  const listOf = (account: string, region: string, bucket: string): Finding[] => {
    let regions = accounts.get(account);
    if (!regions) accounts.set(account, (regions = new Map<string, Map<string, Finding[]>>()));
    let buckets = regions.get(region);
    if (!buckets) regions.set(region, (buckets = new Map<string, Finding[]>()));
    let list = buckets.get(bucket);
    if (!list) buckets.set(bucket, (list = []));
    return list;
  };
  for (const f of shown) {
    byKey.set(f.fingerprint, f);
    listOf(f.account, f.region, f.bucket).push(f);
  }
  const standingOf = new Map(standings.map((b) => [`${b.account}/${b.bucket}`, b] as const));
  for (const b of standings) if (b.passing) listOf(b.account, b.region, b.bucket);
  const bucketErrors = new Map<string, string>();
  for (const b of snapshot.buckets) {
    if (b.logging.status === "error") bucketErrors.set(`${b.account}/${b.name}`, readErrorText(b.logging));
  }
  const names = new Map(snapshot.accounts.map((a) => [a.id, a.name] as const));

  const out: { node: AccountNode; worst: number }[] = [];
  for (const [account, regions] of accounts) {
    const regionNodes: { node: RegionNode; worst: number }[] = [];
    for (const [region, buckets] of regions) {
      const bucketNodes: { node: BucketNode; worst: number }[] = [];
      for (const [name, list] of buckets) {
        list.sort(
          (a, b) =>
            severityRank(a.severity) - severityRank(b.severity) ||
            (a.status === b.status ? 0 : a.status === "fail" ? -1 : 1) ||
            cmp(a.ruleId, b.ruleId),
        );
        const node: BucketNode = {
          kind: "bucket",
          key: `b:${account}/${region}/${name}`,
          account,
          region,
          name,
          findings: list.map((f) => ({ kind: "finding", key: f.fingerprint, finding: f, selectable: isSelectable(f) })),
        };
        const err = bucketErrors.get(`${account}/${name}`);
        if (err) node.error = err;
        const standing = standingOf.get(`${account}/${name}`);
        if (standing) node.standing = standing;
        bucketNodes.push({ node, worst: worstOf(list) });
      }
      bucketNodes.sort((a, b) => a.worst - b.worst || cmp(a.node.name, b.node.name));
      regionNodes.push({
        node: { kind: "region", key: `r:${account}/${region}`, account, region, buckets: bucketNodes.map((b) => b.node) },
        worst: Math.min(...bucketNodes.map((b) => b.worst)),
      });
    }
    regionNodes.sort((a, b) => a.worst - b.worst || cmp(a.node.region, b.node.region));
    const node: AccountNode = { kind: "account", key: `a:${account}`, account, regions: regionNodes.map((r) => r.node) };
    const name = names.get(account);
    if (name) node.name = name;
    out.push({ node, worst: Math.min(...regionNodes.map((r) => r.worst)) });
  }
  // Accounts that could not be read at all have no findings: show them with the reason.
  for (const a of snapshot.accounts) {
    if (a.status !== "error" || accounts.has(a.id)) continue;
    const e = snapshot.errors.find((x) => x.account === a.id);
    const node: AccountNode = {
      kind: "account",
      key: `a:${a.id}`,
      account: a.id,
      regions: [],
      error: e ? readErrorText(e) : "could not be read",
    };
    if (a.name) node.name = a.name;
    out.push({ node, worst: -1 });
  }
  out.sort((a, b) => a.worst - b.worst || cmp(a.node.account, b.node.account));
  return { accounts: out.map((a) => a.node), findings: byKey, standings: standingOf };
}

// ---------------------------------------------------------------------------------------------
// Filter

export interface ParsedFilter {
  severities: Severity[];
  rules: string[];
  text: string[];
}

/**
 * `/` filter: whitespace-separated terms, all must match. A severity name (`high`) or
 * `severity:high` / `sev:high` matches the severity; `rule:ID` a rule id substring; `error`
 * findings that could not be evaluated; anything else a case-insensitive substring of rule id,
 * account, Region, bucket or message.
 */
export function parseFilter(filter: string): ParsedFilter {
  const p: ParsedFilter = { severities: [], rules: [], text: [] };
  for (const raw of filter.toLowerCase().split(/\s+/).filter(Boolean)) {
    const m = /^(severity|sev|rule):(.*)$/.exec(raw);
    if (m && m[1] === "rule") p.rules.push(m[2] ?? "");
    else if (m) {
      const s = SEVERITIES.find((x) => x.startsWith(m[2] ?? "") && (m[2] ?? "") !== "");
      if (s) p.severities.push(s);
      else p.text.push(raw);
    } else if ((SEVERITIES as readonly string[]).includes(raw)) p.severities.push(raw as Severity);
    else p.text.push(raw);
  }
  return p;
}

/** Whether a passing bucket matches the filter: text terms only (name, account, Region, "passing", its delivery state). */
export function passingMatchesFilter(b: BucketNode, p: ParsedFilter, accountName?: string): boolean {
  if (p.severities.length > 0 || p.rules.length > 0) return false;
  const hay = `${b.account}\n${accountName ?? ""}\n${b.region}\n${b.name}\npassing\n${b.standing?.delivery?.state ?? ""}`.toLowerCase();
  return p.text.every((t) => hay.includes(t));
}

export function matchesFilter(f: Finding, p: ParsedFilter, accountName?: string): boolean {
  if (p.severities.length > 0 && !p.severities.includes(f.severity)) return false;
  for (const r of p.rules) if (!f.ruleId.includes(r)) return false;
  const hay = `${f.ruleId}\n${f.account}\n${accountName ?? ""}\n${f.region}\n${f.bucket}\n${f.message}\n${f.status === "error" ? "error" : ""}`.toLowerCase();
  for (const t of p.text) if (!hay.includes(t)) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// Visible rows

export interface Row {
  kind: TreeNode["kind"];
  key: string;
  depth: number;
  node: TreeNode;
  /** Parent row key (undefined for accounts). */
  parent?: string;
  /** The findings under this row that match the filter (for a finding row: itself). */
  findings: Finding[];
  /** Passing buckets under this row that the `all` view shows (a passing bucket's row: 1). */
  passing: number;
  collapsed: boolean;
}

export interface BrowserState {
  tree: FindingTree;
  collapsed: ReadonlySet<string>;
  /** Key of the highlighted row. */
  cursor: string | undefined;
  /** Fingerprints of the findings whose fix is selected. */
  selected: ReadonlySet<string>;
  /** The applied filter ("" = none). */
  filter: string;
  /** Non-null while the filter is being typed. */
  filterDraft: string | null;
  /** Only the failing buckets (default), or every bucket. */
  view: ListView;
}

/** What a new list keeps of the previous one (after a rescan): its view and filter. */
export type BrowserKeep = Pick<BrowserState, "view" | "filter">;

export function initialBrowserState(tree: FindingTree, keep: BrowserKeep = { view: "failing", filter: "" }): BrowserState {
  const s: BrowserState = { tree, collapsed: new Set(), cursor: undefined, selected: new Set(), filter: keep.filter, filterDraft: null, view: keep.view };
  return { ...s, cursor: visibleRows(s)[0]?.key };
}

/** The filter in effect (the draft while typing: the list narrows as you type). */
export function activeFilter(s: BrowserState): string {
  return s.filterDraft ?? s.filter;
}

/** The rows on screen, top to bottom. */
export function visibleRows(s: BrowserState): Row[] {
  const p = parseFilter(activeFilter(s));
  const filtering = p.severities.length + p.rules.length + p.text.length > 0;
  const rows: Row[] = [];
  for (const a of s.tree.accounts) {
    if (a.error) {
      const hay = `${a.account} ${a.name ?? ""} error ${a.error}`.toLowerCase();
      if (!filtering || (p.severities.length === 0 && p.rules.length === 0 && p.text.every((t) => hay.includes(t)))) {
        rows.push({ kind: "account", key: a.key, depth: 0, node: a, findings: [], passing: 0, collapsed: false });
      }
      continue;
    }
    const aRow: Row = { kind: "account", key: a.key, depth: 0, node: a, findings: [], passing: 0, collapsed: s.collapsed.has(a.key) };
    const aChildren: Row[] = [];
    for (const r of a.regions) {
      const rRow: Row = { kind: "region", key: r.key, depth: 1, node: r, parent: a.key, findings: [], passing: 0, collapsed: s.collapsed.has(r.key) };
      const rChildren: Row[] = [];
      for (const b of r.buckets) {
        if (isPassing(b)) {
          if (s.view !== "all" || (filtering && !passingMatchesFilter(b, p, a.name))) continue;
          rChildren.push({ kind: "bucket", key: b.key, depth: 2, node: b, parent: r.key, findings: [], passing: 1, collapsed: false });
          rRow.passing++;
          continue;
        }
        const matching = b.findings.filter((f) => !filtering || matchesFilter(f.finding, p, a.name));
        if (matching.length === 0) continue;
        const bRow: Row = {
          kind: "bucket",
          key: b.key,
          depth: 2,
          node: b,
          parent: r.key,
          findings: matching.map((f) => f.finding),
          passing: 0,
          collapsed: s.collapsed.has(b.key),
        };
        rChildren.push(bRow);
        if (!bRow.collapsed) {
          for (const f of matching) {
            rChildren.push({ kind: "finding", key: f.key, depth: 3, node: f, parent: b.key, findings: [f.finding], passing: 0, collapsed: false });
          }
        }
        rRow.findings.push(...bRow.findings);
      }
      if (rChildren.length === 0) continue;
      aChildren.push(rRow);
      if (!rRow.collapsed) aChildren.push(...rChildren);
      aRow.findings.push(...rRow.findings);
      aRow.passing += rRow.passing;
    }
    if (aChildren.length === 0) continue;
    rows.push(aRow);
    if (!aRow.collapsed) rows.push(...aChildren);
  }
  return rows;
}

/** Index of the cursor among `rows` (0 when it is not visible). */
export function cursorIndex(s: BrowserState, rows: readonly Row[] = visibleRows(s)): number {
  const i = rows.findIndex((r) => r.key === s.cursor);
  return i < 0 ? 0 : i;
}

export function currentRow(s: BrowserState, rows: readonly Row[] = visibleRows(s)): Row | undefined {
  return rows[cursorIndex(s, rows)];
}

/** The selected findings, in tree order. */
export function selectedFindings(s: BrowserState): Finding[] {
  const out: Finding[] = [];
  for (const a of s.tree.accounts)
    for (const r of a.regions)
      for (const b of r.buckets) for (const f of b.findings) if (s.selected.has(f.key)) out.push(f.finding);
  return out;
}

export function fixableCount(findings: readonly Finding[]): number {
  return findings.filter(isSelectable).length;
}

export function selectedCount(s: BrowserState, findings: readonly Finding[]): number {
  let n = 0;
  for (const f of findings) if (s.selected.has(f.fingerprint)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Actions

export type BrowserAction =
  | { type: "move"; delta: number }
  | { type: "move-to"; where: "first" | "last" }
  | { type: "collapse" }
  | { type: "expand" }
  | { type: "toggle" }
  | { type: "select-all" }
  | { type: "select-none" }
  | { type: "filter-open" }
  | { type: "filter-input"; text: string }
  | { type: "filter-backspace" }
  | { type: "filter-commit" }
  | { type: "filter-cancel" }
  /** Switch between the failing buckets and every bucket. */
  | { type: "view-toggle" };

function withCursorVisible(s: BrowserState): BrowserState {
  const rows = visibleRows(s);
  if (rows.some((r) => r.key === s.cursor)) return s;
  return { ...s, cursor: rows[0]?.key };
}

export function browserReducer(s: BrowserState, a: BrowserAction): BrowserState {
  switch (a.type) {
    case "move": {
      const rows = visibleRows(s);
      if (rows.length === 0) return s;
      const i = Math.max(0, Math.min(rows.length - 1, cursorIndex(s, rows) + a.delta));
      return { ...s, cursor: rows[i]?.key };
    }
    case "move-to": {
      const rows = visibleRows(s);
      return { ...s, cursor: (a.where === "first" ? rows[0] : rows[rows.length - 1])?.key };
    }
    case "collapse": {
      const rows = visibleRows(s);
      const row = currentRow(s, rows);
      if (!row) return s;
      if (row.kind !== "finding" && !row.collapsed && (row.findings.length > 0 || (row.kind !== "bucket" && row.passing > 0))) {
        return { ...s, collapsed: new Set([...s.collapsed, row.key]) };
      }
      return row.parent ? { ...s, cursor: row.parent } : s;
    }
    case "expand": {
      const rows = visibleRows(s);
      const row = currentRow(s, rows);
      if (!row || row.kind === "finding") return s;
      if (row.collapsed) {
        const collapsed = new Set(s.collapsed);
        collapsed.delete(row.key);
        return { ...s, collapsed };
      }
      const next = rows[cursorIndex(s, rows) + 1];
      return next && next.parent === row.key ? { ...s, cursor: next.key } : s;
    }
    case "toggle": {
      const row = currentRow(s);
      if (!row) return s;
      const keys = row.findings.filter(isSelectable).map((f) => f.fingerprint);
      if (keys.length === 0) return s;
      const selected = new Set(s.selected);
      const all = keys.every((k) => selected.has(k));
      for (const k of keys) {
        if (all) selected.delete(k);
        else selected.add(k);
      }
      return { ...s, selected };
    }
    case "select-all": {
      // Every fixable finding that the filter shows (all of them without a filter).
      const p = parseFilter(activeFilter(s));
      const selected = new Set(s.selected);
      for (const a of s.tree.accounts)
        for (const r of a.regions)
          for (const b of r.buckets)
            for (const f of b.findings) if (f.selectable && matchesFilter(f.finding, p, a.name)) selected.add(f.key);
      return { ...s, selected };
    }
    case "select-none":
      return { ...s, selected: new Set() };
    case "filter-open":
      return { ...s, filterDraft: s.filter };
    case "filter-input":
      return s.filterDraft === null ? s : withCursorVisible({ ...s, filterDraft: s.filterDraft + a.text });
    case "filter-backspace":
      return s.filterDraft === null ? s : withCursorVisible({ ...s, filterDraft: s.filterDraft.slice(0, -1) });
    case "filter-commit":
      return s.filterDraft === null ? s : withCursorVisible({ ...s, filter: s.filterDraft.trim(), filterDraft: null });
    case "filter-cancel":
      return withCursorVisible({ ...s, filter: "", filterDraft: null });
    case "view-toggle": {
      // The cursor stays on its row, or goes to the nearest group of it that is still shown.
      const before = visibleRows(s);
      const next: BrowserState = { ...s, view: s.view === "all" ? "failing" : "all" };
      const shown = new Set(visibleRows(next).map((r) => r.key));
      let row = currentRow(s, before);
      while (row && !shown.has(row.key)) row = before.find((r) => r.key === row!.parent);
      return row ? { ...next, cursor: row.key } : withCursorVisible(next);
    }
  }
}
