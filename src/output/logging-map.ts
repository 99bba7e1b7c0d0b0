/**
 * The logging topology of a report as a graph for the HTML map: sources → log targets, grouped by
 * account and Region. Links are classified from the findings of the source bucket (a loop, a
 * cross-Region or cross-account target, denied or otherwise blocked delivery, or undecided when a
 * link rule could not be evaluated). Pure data; ./map-svg.ts lays it out and draws it.
 *
 * Size: small reports show every bucket. Larger ones collapse each healthy account/Region group
 * into one node and aggregate the buckets of the other groups by (target, kind); when even that
 * is too many nodes, the map shows one node per group with aggregated links between groups.
 */
import type { RuleMeta } from "../engine/define-rule.js";
import { severityRank, type Finding } from "../model/finding.js";
import type { Report, ReportBucket } from "./report.js";

export const LINK_KINDS = ["loop", "denied", "blocked", "cross-account", "cross-region", "undecided", "ok"] as const;
/** Most serious first; a link with several problems is drawn as the first of them. */
export type LinkKind = (typeof LINK_KINDS)[number];

/** What each kind means, for the legend and tooltips. */
export const LINK_KIND_TEXT: Record<LinkKind, string> = {
  loop: "logging loop (logs into itself or a cycle)",
  denied: "delivery denied by the target's policy",
  blocked: "delivery blocked (target missing, SSE-KMS, Object Lock, Requester Pays, grants…)",
  "cross-account": "target in another account",
  "cross-region": "target in another Region",
  undecided: "could not be evaluated (read error)",
  ok: "healthy",
};

/** Link kinds drawn in red. */
export const BAD_KINDS: ReadonlySet<LinkKind> = new Set(["loop", "denied", "blocked", "cross-account", "cross-region"]);

/** Rules whose failure on a source describes its link. Other failing high/critical source rules count as "blocked". */
const RULE_KIND: Record<string, LinkKind> = {
  "target-not-source": "loop",
  "no-logging-cycle": "loop",
  "delivery-permitted": "denied",
  "target-same-account": "cross-account",
  "target-same-region": "cross-region",
  "target-exists": "blocked",
  "target-encryption-supported": "blocked",
  "target-no-object-lock-retention": "blocked",
  "target-not-requester-pays": "blocked",
  "target-grants-compatible": "blocked",
};

/** Reports up to this many buckets show every bucket as a node. */
export const DETAIL_LIMIT = 150;
/** In an expanded group of a large report, at most this many individual source nodes. */
export const GROUP_DETAIL_LIMIT = 25;
/** Above this many nodes the map falls back to one node per account/Region group. */
export const MAX_NODES = 600;

export interface MapGroup {
  id: string;
  /** Account id, or "" for targets outside the scanned accounts. */
  account: string;
  region: string;
  label: string;
  /** Healthy group shown as a single node. */
  collapsed: boolean;
}

export interface MapNode {
  id: string;
  group: string;
  label: string;
  /** bucket: one bucket; aggregate: several buckets of a group; group: a collapsed group. */
  kind: "bucket" | "aggregate" | "group";
  /** Receives logs (a log target). */
  logBucket: boolean;
  /** A failing high/critical finding on the bucket itself (public log bucket, …) or an unreadable configuration. */
  problem: boolean;
  /** Bucket names this node stands for (click → filter the findings table); empty for groups. */
  buckets: string[];
  count: number;
  /** Tooltip text. */
  title: string;
}

export interface MapEdge {
  id: string;
  source: string;
  target: string;
  kind: LinkKind;
  /** Number of source → target links this edge stands for. */
  count: number;
  title: string;
}

export interface LoggingMap {
  mode: "detailed" | "grouped" | "groups-only";
  groups: MapGroup[];
  nodes: MapNode[];
  edges: MapEdge[];
  stats: { buckets: number; links: number; badLinks: number; undecidedLinks: number; collapsedGroups: number };
}

interface Link {
  source: ReportBucket;
  target: string;
  kind: LinkKind;
  reasons: string[];
}

const OUTSIDE = "outside";

function groupId(account: string, region: string): string {
  return `${account}/${region}`;
}

function kindOfFinding(f: Finding, subjects: Map<string, RuleMeta["subject"]>): LinkKind | undefined {
  const known = RULE_KIND[f.ruleId];
  const k = known ?? (subjects.get(f.ruleId) === "source" && severityRank(f.severity) <= severityRank("high") ? "blocked" : undefined);
  if (!k) return undefined;
  return f.status === "error" ? "undecided" : k;
}

function worst(kinds: Iterable<LinkKind>): LinkKind {
  let best: LinkKind = "ok";
  for (const k of kinds) if (LINK_KINDS.indexOf(k) < LINK_KINDS.indexOf(best)) best = k;
  return best;
}

function linksOf(report: Report, catalog: readonly RuleMeta[]): Link[] {
  const subjects = new Map(catalog.map((m) => [m.id, m.subject]));
  const byBucket = new Map<string, Finding[]>();
  for (const f of report.findings) {
    if (f.status !== "fail" && f.status !== "error") continue;
    const key = `${f.account}/${f.bucket}`;
    const list = byBucket.get(key);
    if (list) list.push(f);
    else byBucket.set(key, [f]);
  }
  const links: Link[] = [];
  for (const b of report.buckets) {
    if (b.logging.enabled !== true || !b.logging.targetBucket) continue;
    const kinds: LinkKind[] = [];
    const reasons: string[] = [];
    for (const f of byBucket.get(`${b.account}/${b.name}`) ?? []) {
      const k = kindOfFinding(f, subjects);
      if (!k) continue;
      kinds.push(k);
      reasons.push(`${f.ruleId}: ${f.message}`);
    }
    links.push({ source: b, target: b.logging.targetBucket, kind: worst(kinds), reasons });
  }
  return links;
}

/** Buckets with a failing high/critical finding of a log-target rule, or whose logging could not be read. */
function problemBuckets(report: Report, catalog: readonly RuleMeta[]): Set<string> {
  const subjects = new Map(catalog.map((m) => [m.id, m.subject]));
  const out = new Set<string>();
  for (const f of report.findings) {
    if (f.status === "fail" && subjects.get(f.ruleId) === "log-target" && severityRank(f.severity) <= severityRank("high")) out.add(f.bucket);
  }
  for (const b of report.buckets) if (b.logging.enabled === null) out.add(b.name);
  return out;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

class MapBuilder {
  readonly nodes = new Map<string, MapNode>();
  readonly edges = new Map<string, MapEdge>();

  node(n: MapNode): MapNode {
    const have = this.nodes.get(n.id);
    if (have) return have;
    this.nodes.set(n.id, n);
    return n;
  }

  edge(source: string, target: string, kind: LinkKind, title: string): void {
    const id = `${source}->${target}:${kind}`;
    const have = this.edges.get(id);
    if (have) {
      have.count++;
      return;
    }
    this.edges.set(id, { id, source, target, kind, count: 1, title });
  }
}

/** Builds the map of a report (see the module comment for how large reports are condensed). */
export function buildLoggingMap(report: Report, catalog: readonly RuleMeta[], limits = { detail: DETAIL_LIMIT, group: GROUP_DETAIL_LIMIT, maxNodes: MAX_NODES }): LoggingMap {
  const byName = new Map(report.buckets.map((b) => [b.name, b]));
  const links = linksOf(report, catalog);
  const problems = problemBuckets(report, catalog);
  const targets = new Set(links.map((l) => l.target));
  const names = report.scope.accountNames ?? {};
  const groupOf = (bucket: string) => {
    const b = byName.get(bucket);
    return b ? groupId(b.account, b.region) : OUTSIDE;
  };

  const groups = new Map<string, MapGroup>();
  const addGroup = (id: string) => {
    if (groups.has(id)) return;
    if (id === OUTSIDE) groups.set(id, { id, account: "", region: "", label: "outside the scanned accounts", collapsed: false });
    else {
      const [account, region] = id.split("/") as [string, string];
      const name = names[account];
      groups.set(id, { id, account, region, label: `${account}${name ? ` (${name})` : ""} · ${region}`, collapsed: false });
    }
  };
  for (const b of report.buckets) addGroup(groupId(b.account, b.region));
  for (const t of targets) addGroup(groupOf(t));

  const unhealthy = new Set<string>();
  for (const l of links) {
    if (l.kind === "ok") continue;
    unhealthy.add(groupOf(l.source.name));
    unhealthy.add(groupOf(l.target));
  }
  for (const p of problems) unhealthy.add(groupOf(p));
  unhealthy.add(OUTSIDE);

  const stats = {
    buckets: report.buckets.length,
    links: links.length,
    badLinks: links.filter((l) => BAD_KINDS.has(l.kind)).length,
    undecidedLinks: links.filter((l) => l.kind === "undecided").length,
    collapsedGroups: 0,
  };

  const detailed = report.buckets.length <= limits.detail;
  const m = detailed ? detailedMap(report, links, problems, targets, groupOf) : groupedMap(report, links, problems, targets, groupOf, unhealthy, groups, limits.group);
  let mode: LoggingMap["mode"] = detailed ? "detailed" : "grouped";
  let built = m;
  if (!detailed && m.nodes.size > limits.maxNodes) {
    mode = "groups-only";
    built = groupsOnlyMap(report, links, problems, groupOf, groups);
  }
  const usedGroups = new Set([...built.nodes.values()].map((n) => n.group));
  const groupList = [...groups.values()].filter((g) => usedGroups.has(g.id));
  stats.collapsedGroups = groupList.filter((g) => g.collapsed).length;
  return { mode, groups: groupList, nodes: [...built.nodes.values()], edges: [...built.edges.values()], stats };
}

function bucketNode(name: string, group: string, logBucket: boolean, problem: boolean, extra: string): MapNode {
  return { id: `b:${name}`, group, label: name, kind: "bucket", logBucket, problem, buckets: [name], count: 1, title: `${name}${extra}` };
}

function linkTitle(l: Link): string {
  return `${l.source.name} → ${l.target}: ${LINK_KIND_TEXT[l.kind]}${l.reasons.length ? `\n${l.reasons.join("\n")}` : ""}`;
}

function detailedMap(report: Report, links: Link[], problems: Set<string>, targets: Set<string>, groupOf: (b: string) => string): MapBuilder {
  const mb = new MapBuilder();
  for (const b of report.buckets) {
    const note = b.logging.enabled === null ? " (logging configuration unreadable)" : b.logging.enabled === false ? " (no server access logging)" : "";
    mb.node(bucketNode(b.name, groupId(b.account, b.region), targets.has(b.name), problems.has(b.name), note));
  }
  for (const l of links) {
    mb.node(bucketNode(l.target, groupOf(l.target), true, problems.has(l.target), groupOf(l.target) === OUTSIDE ? " (not in the scanned accounts)" : ""));
    mb.edge(`b:${l.source.name}`, `b:${l.target}`, l.kind, linkTitle(l));
  }
  return mb;
}

function groupedMap(
  report: Report,
  links: Link[],
  problems: Set<string>,
  targets: Set<string>,
  groupOf: (b: string) => string,
  unhealthy: Set<string>,
  groups: Map<string, MapGroup>,
  groupLimit: number,
): MapBuilder {
  const mb = new MapBuilder();
  const perGroup = new Map<string, ReportBucket[]>();
  for (const b of report.buckets) {
    const g = groupId(b.account, b.region);
    const list = perGroup.get(g);
    if (list) list.push(b);
    else perGroup.set(g, [b]);
  }
  for (const [g, buckets] of perGroup) {
    if (unhealthy.has(g)) continue;
    groups.get(g)!.collapsed = true;
    const logBuckets = buckets.filter((b) => targets.has(b.name)).length;
    const unlogged = buckets.filter((b) => b.logging.enabled === false).length;
    const label = `${plural(buckets.length, "bucket")}, ${plural(logBuckets, "log bucket")}${unlogged ? `, ${unlogged} without logging` : ""}: healthy`;
    mb.node({ id: `g:${g}`, group: g, label, kind: "group", logBucket: logBuckets > 0, problem: false, buckets: [], count: buckets.length, title: `${groups.get(g)!.label}: ${label} (collapsed)` });
  }
  // Expanded groups: log targets and problem buckets individually; other buckets aggregated.
  const linksByGroup = new Map<string, Link[]>();
  for (const l of links) {
    const g = groupOf(l.source.name);
    if (!unhealthy.has(g)) continue;
    const list = linksByGroup.get(g);
    if (list) list.push(l);
    else linksByGroup.set(g, [l]);
  }
  const targetNode = (t: string) => mb.node(bucketNode(t, groupOf(t), true, problems.has(t), groupOf(t) === OUTSIDE ? " (not in the scanned accounts)" : "")).id;
  for (const g of unhealthy) {
    const gl = linksByGroup.get(g) ?? [];
    const individual = gl.filter((l) => l.kind !== "ok").length <= groupLimit;
    for (const l of gl) {
      const t = targetNode(l.target);
      if (individual && (l.kind !== "ok" || targets.has(l.source.name))) {
        const s = targets.has(l.source.name) ? targetNode(l.source.name) : mb.node(bucketNode(l.source.name, g, false, problems.has(l.source.name), "")).id;
        mb.edge(s, t, l.kind, linkTitle(l));
        continue;
      }
      if (targets.has(l.source.name)) {
        mb.edge(targetNode(l.source.name), t, l.kind, linkTitle(l));
        continue;
      }
      const id = `a:${g}:${l.target}:${l.kind}`;
      const n = mb.node({ id, group: g, label: "", kind: "aggregate", logBucket: false, problem: false, buckets: [], count: 0, title: "" });
      n.count++;
      n.buckets.push(l.source.name);
      n.label = `${plural(n.count, "bucket")}`;
      n.title = `${plural(n.count, "bucket")} → ${l.target}: ${LINK_KIND_TEXT[l.kind]}`;
      mb.edge(id, t, l.kind, `→ ${l.target}: ${LINK_KIND_TEXT[l.kind]}`);
    }
    const rest = (perGroup.get(g) ?? []).filter((b) => b.logging.enabled !== true && !targets.has(b.name));
    const unreadable = rest.filter((b) => b.logging.enabled === null);
    const unlogged = rest.filter((b) => b.logging.enabled === false);
    if (unreadable.length > 0 && unreadable.length <= groupLimit) {
      for (const b of unreadable) mb.node(bucketNode(b.name, g, false, true, " (logging configuration unreadable)"));
    } else if (unreadable.length > 0) {
      mb.node({ id: `u:${g}`, group: g, label: `${unreadable.length} unreadable`, kind: "aggregate", logBucket: false, problem: true, buckets: unreadable.map((b) => b.name), count: unreadable.length, title: `${unreadable.length} buckets whose logging configuration could not be read` });
    }
    if (unlogged.length > 0) {
      mb.node({ id: `n:${g}`, group: g, label: `${unlogged.length} without logging`, kind: "aggregate", logBucket: false, problem: false, buckets: unlogged.map((b) => b.name), count: unlogged.length, title: `${unlogged.length} buckets with no server access logging` });
    }
  }
  return mb;
}

function groupsOnlyMap(report: Report, links: Link[], problems: Set<string>, groupOf: (b: string) => string, groups: Map<string, MapGroup>): MapBuilder {
  const mb = new MapBuilder();
  const counts = new Map<string, { buckets: number; problems: number; logBuckets: Set<string> }>();
  const touch = (g: string) => {
    let c = counts.get(g);
    if (!c) counts.set(g, (c = { buckets: 0, problems: 0, logBuckets: new Set() }));
    return c;
  };
  for (const b of report.buckets) {
    const c = touch(groupId(b.account, b.region));
    c.buckets++;
    if (problems.has(b.name)) c.problems++;
  }
  for (const l of links) touch(groupOf(l.target)).logBuckets.add(l.target);
  for (const [g, c] of counts) {
    const group = groups.get(g)!;
    group.collapsed = true;
    const label = `${plural(c.buckets, "bucket")}, ${plural(c.logBuckets.size, "log bucket")}${c.problems ? `, ${c.problems} with problems` : ""}`;
    mb.node({ id: `g:${g}`, group: g, label, kind: "group", logBucket: c.logBuckets.size > 0, problem: c.problems > 0, buckets: [], count: c.buckets, title: `${group.label}: ${label}` });
  }
  for (const l of links) {
    const s = `g:${groupOf(l.source.name)}`;
    const t = `g:${groupOf(l.target)}`;
    if (l.kind === "ok" && s === t) continue;
    mb.edge(s, t, l.kind, "");
  }
  for (const e of mb.edges.values()) e.title = LINK_KIND_TEXT[e.kind];
  return mb;
}
