/**
 * Lays out the logging map (./logging-map.ts) with ELK's layered algorithm (elkjs, loaded only
 * here, so only `--format html` pays for it) and draws it as one inline SVG: groups per account
 * and Region, buckets as boxes (log buckets with a thick border, problem buckets in red), links as
 * arrows — red for loops and cross-Region, cross-account, denied or blocked delivery, dashed amber
 * when undecided. Every element has a <title> tooltip, so the map needs no JavaScript.
 */
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api.js";
import { BAD_KINDS, LINK_KIND_TEXT, type LinkKind, type LoggingMap, type MapEdge, type MapGroup, type MapNode } from "./logging-map.js";
import { escapeControl } from "../base/text.js";

const CHAR_W = 7.3;
const NODE_H = 30;
const MAX_LABEL = 40;

/** Escapes text for SVG/HTML content and attributes; control characters become visible `\uXXXX`. */
export function markupEscape(s: string): string {
  return escapeControl(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

function shorten(s: string): string {
  return s.length > MAX_LABEL ? `${s.slice(0, MAX_LABEL - 1)}…` : s;
}

const textWidth = (s: string) => Math.ceil(s.length * CHAR_W) + 20;

const KIND_LABEL: Record<LinkKind, string> = {
  loop: "loop",
  denied: "denied",
  blocked: "blocked",
  "cross-account": "cross-account",
  "cross-region": "cross-Region",
  undecided: "undecided",
  ok: "",
};

function edgeLabel(kind: LinkKind, count: number): string {
  const k = KIND_LABEL[kind];
  return count > 1 ? `${k}${k ? " " : ""}×${count}` : k;
}

const GROUP_NODE_H = 52;

/** The collapsed groups, one leaf box each (group label over its summary), for ELK's box packing. */
function collapsedGraph(map: LoggingMap, boxed: ReadonlySet<string>): ElkNode {
  const labels = new Map(map.groups.map((g) => [g.id, g.label]));
  const children = map.nodes
    .filter((n) => boxed.has(n.id))
    .map((n): ElkNode => ({ id: n.id, width: groupLeafWidth(labels.get(n.group) ?? "", n), height: GROUP_NODE_H }));
  return { id: "collapsed", layoutOptions: { "elk.algorithm": "box", "elk.spacing.nodeNode": "12", "elk.padding": "[top=12,left=12,bottom=12,right=12]", "elk.aspectRatio": "2.5" }, children };
}

/** Expanded groups as compound nodes with their buckets and every link, for ELK's layered algorithm. */
function linkedGraph(map: LoggingMap, boxed: ReadonlySet<string>): ElkNode {
  const children = map.groups
    .filter((g) => !map.nodes.some((n) => n.group === g.id && boxed.has(n.id)))
    .map((g): ElkNode => {
      const members = map.nodes.filter((n) => n.group === g.id);
      const only = members.length === 1 && members[0]!.kind === "group" ? members[0]! : undefined;
      if (only) return { id: only.id, width: groupLeafWidth(g.label, only), height: GROUP_NODE_H };
      return {
        id: `group:${g.id}`,
        layoutOptions: {
          "elk.padding": "[top=32,left=12,bottom=12,right=12]",
          "elk.nodeSize.constraints": "MINIMUM_SIZE",
          "elk.nodeSize.minimum": `(${textWidth(g.label)}, 60)`,
        },
        children: members.map((n) => ({ id: n.id, width: textWidth(shorten(n.label)), height: NODE_H })),
      };
    });
  const edges: ElkExtendedEdge[] = map.edges.map((e) => {
    const label = edgeLabel(e.kind, e.count);
    return {
      id: e.id,
      sources: [e.source],
      targets: [e.target],
      ...(label ? { labels: [{ text: label, width: Math.ceil(label.length * 6.5) + 8, height: 14 }] } : {}),
    };
  });
  return {
    id: "root",
    layoutOptions: {
      "elk.algorithm": "layered",
      "elk.direction": "RIGHT",
      "elk.hierarchyHandling": "INCLUDE_CHILDREN",
      "elk.json.edgeCoords": "ROOT",
      "elk.json.shapeCoords": "ROOT",
      "elk.spacing.nodeNode": "14",
      "elk.layered.spacing.nodeNodeBetweenLayers": "40",
      "elk.spacing.componentComponent": "24",
      "elk.edgeLabels.placement": "CENTER",
    },
    children,
    edges,
  };
}

function nodeClass(n: MapNode): string {
  return ["map-node", `node-${n.kind}`, n.logBucket ? "log-bucket" : "", n.problem ? "problem" : ""].filter(Boolean).join(" ");
}

function edgeClass(kind: LinkKind): string {
  return `map-edge kind-${kind}${BAD_KINDS.has(kind) ? " bad" : ""}`;
}

function marker(kind: "ok" | "bad" | "undecided"): string {
  return `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" class="arrow-${kind}"/></marker>`;
}

function groupLeafWidth(label: string, node: MapNode): number {
  return Math.max(textWidth(label), textWidth(shorten(node.label)));
}

/** Collapsed groups without links: packed by ELK's box algorithm, not drawn through the layered layout. */
function boxedNodes(map: LoggingMap): Set<string> {
  const linked = new Set<string>();
  for (const e of map.edges) linked.add(e.source).add(e.target);
  return new Set(map.nodes.filter((n) => n.kind === "group" && !linked.has(n.id)).map((n) => n.id));
}

/** A collapsed group drawn as one box: the group's label over its summary. */
function groupLeaf(g: ElkNode, node: MapNode, group: MapGroup, dy: number): string {
  const x = g.x ?? 0;
  const y = (g.y ?? 0) + dy;
  return (
    `<g class="map-group collapsed ${nodeClass(node)}" data-group="${markupEscape(group.id)}" data-buckets="" tabindex="0"><title>${markupEscape(node.title)}</title>` +
    `<rect x="${x}" y="${y}" width="${g.width}" height="${g.height}" rx="6"/>` +
    `<text x="${x + 10}" y="${y + 20}" class="group-label">${markupEscape(group.label)}</text>` +
    `<text x="${x + 10}" y="${y + 40}">${markupEscape(shorten(node.label))}</text></g>`
  );
}

function groupBox(g: ElkNode, group: MapGroup): string {
  return (
    `<g class="map-group" data-group="${markupEscape(group.id)}"><title>${markupEscape(group.label)}</title>` +
    `<rect x="${g.x}" y="${g.y}" width="${g.width}" height="${g.height}" rx="6"/>` +
    `<text x="${(g.x ?? 0) + 10}" y="${(g.y ?? 0) + 20}" class="group-label">${markupEscape(group.label)}</text></g>`
  );
}

function edgeMarkup(e: ElkExtendedEdge, edge: MapEdge): string {
  const arrow = BAD_KINDS.has(edge.kind) ? "bad" : edge.kind === "undecided" ? "undecided" : "ok";
  const paths = (e.sections ?? []).map((s) => {
    const pts = [s.startPoint, ...(s.bendPoints ?? []), s.endPoint];
    return `<path d="${pts.map((p, i) => `${i === 0 ? "M" : "L"}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(" ")}" marker-end="url(#arrow-${arrow})"/>`;
  });
  const labels = (e.labels ?? []).map(
    (l) => `<text x="${((l.x ?? 0) + (l.width ?? 0) / 2).toFixed(1)}" y="${((l.y ?? 0) + 11).toFixed(1)}" class="edge-label">${markupEscape(l.text ?? "")}</text>`,
  );
  const title = `${edge.title}${edge.count > 1 ? ` (${edge.count} links)` : ""}`;
  return `<g class="${edgeClass(edge.kind)}" data-kind="${edge.kind}"><title>${markupEscape(title)}</title>${paths.join("")}${labels.join("")}</g>`;
}

function nodeMarkup(n: ElkNode, node: MapNode): string {
  return (
    `<g class="${nodeClass(node)}" data-buckets="${markupEscape(node.buckets.join(" "))}" tabindex="0"><title>${markupEscape(node.title)}${node.logBucket ? " — log bucket" : ""}</title>` +
    `<rect x="${n.x}" y="${n.y}" width="${n.width}" height="${n.height}" rx="4"/>` +
    `<text x="${(n.x ?? 0) + 10}" y="${(n.y ?? 0) + 19}">${markupEscape(shorten(node.label))}</text></g>`
  );
}

/**
 * The SVG markup of the map (`<svg>` element only): the linked part laid out by ELK layered, the
 * collapsed healthy groups packed by ELK box below it.
 */
export async function renderMapSvg(map: LoggingMap): Promise<string> {
  // elkjs is CommonJS: its constructor is both module.exports and module.exports.default.
  const ELK = (await import("elkjs/lib/elk.bundled.js")).default.default;
  const elk = new ELK();
  const boxed = boxedNodes(map);
  const linked: ElkNode = await elk.layout(linkedGraph(map, boxed));
  const packed: ElkNode = boxed.size > 0 ? await elk.layout(collapsedGraph(map, boxed)) : { id: "collapsed", width: 0, height: 0 };
  const byId = new Map(map.nodes.map((n) => [n.id, n]));
  const edgeById = new Map(map.edges.map((e) => [e.id, e]));
  const groupById = new Map(map.groups.map((g) => [`group:${g.id}`, g]));
  const dy = Math.ceil(linked.height ?? 0);
  const W = Math.ceil(Math.max(linked.width ?? 0, packed.width ?? 0)) + 2;
  const H = dy + Math.ceil(packed.height ?? 0) + 2;
  const boxes: string[] = [];
  const leaves: string[] = [];
  const nodes: string[] = [];
  for (const g of linked.children ?? []) {
    const leaf = byId.get(g.id);
    if (leaf) leaves.push(groupLeaf(g, leaf, groupById.get(`group:${leaf.group}`)!, 0));
    else boxes.push(groupBox(g, groupById.get(g.id)!));
    for (const n of g.children ?? []) nodes.push(nodeMarkup(n, byId.get(n.id)!));
  }
  for (const g of packed.children ?? []) {
    const leaf = byId.get(g.id)!;
    leaves.push(groupLeaf(g, leaf, groupById.get(`group:${leaf.group}`)!, dy));
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" class="logging-map" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" role="img" aria-labelledby="map-svg-title">`,
    `<title id="map-svg-title">Logging map: ${map.stats.links} links, ${map.stats.badLinks} in red, ${map.stats.undecidedLinks} undecided</title>`,
    `<defs>${marker("ok")}${marker("bad")}${marker("undecided")}</defs>`,
    ...boxes,
    ...(linked.edges ?? []).map((e) => edgeMarkup(e, edgeById.get(e.id)!)),
    ...leaves,
    ...nodes,
    "</svg>",
  ].join("\n");
}

/** Legend entries: class name → meaning (the HTML shows them next to the map). */
export function mapLegend(): { kind: LinkKind; text: string }[] {
  return (Object.keys(LINK_KIND_TEXT) as LinkKind[]).map((kind) => ({ kind, text: LINK_KIND_TEXT[kind] }));
}
