/**
 * `--format html`: one self-contained page (no network: a Content-Security-Policy forbids every
 * fetch; styles and the small script are inline) that reads fully without JavaScript and is
 * better with it. Sections: summary by status, severity and account; the logging map (an SVG
 * laid out at report time, see ./map-svg.ts); the findings table (each row with why, the fix and
 * the AWS documentation link; with JavaScript: sortable and filterable by rule, severity,
 * account, status and text); the read errors.
 */
import type { RuleMeta } from "../engine/define-rule.js";
import { SEVERITIES, severityRank, type Finding, type Severity } from "../model/finding.js";
import { buildLoggingMap, type LoggingMap } from "./logging-map.js";
import { mapLegend, markupEscape as esc, renderMapSvg } from "./map-svg.js";
import { muteJustification } from "./mute.js";
import type { Report } from "./report.js";
import { summaryLine } from "./summary.js";

const STATUSES = ["fail", "error", "muted", "pass"] as const;

function countCell(key: string, n: number): string {
  return `<td class="num" data-count="${esc(key)}">${n}</td>`;
}

function summarySection(report: Report): string {
  const s = report.summary;
  const statusRows = STATUSES.map((st) => `<tr><th scope="row"><span class="status status-${st}">${st}</span></th>${countCell(`status-${st}`, s.status[st])}</tr>`).join("");
  const sevRows = SEVERITIES.map((sev) => `<tr><th scope="row"><span class="sev sev-${sev}">${sev}</span></th>${countCell(`fail-${sev}`, s.failBySeverity[sev])}</tr>`).join("");
  return `<section id="summary" aria-labelledby="summary-h">
<h2 id="summary-h">Summary</h2>
<p class="lead" data-summary-line>${esc(summaryLine(report))}</p>
<div class="cards">
<table class="compact"><caption>Results by status</caption><tbody>${statusRows}</tbody></table>
<table class="compact"><caption>Failing findings by severity</caption><tbody>${sevRows}</tbody></table>
<table class="compact"><caption>Scope</caption><tbody>
<tr><th scope="row">accounts</th>${countCell("accounts", s.accounts)}</tr>
<tr><th scope="row">buckets</th>${countCell("buckets", s.buckets)}</tr>
<tr><th scope="row">read errors</th>${countCell("errors", report.errors.length)}</tr>
<tr><th scope="row">complete</th><td data-count="complete">${s.complete ? "yes" : "no"}</td></tr>
</tbody></table>
</div>
${accountTable(report)}
</section>`;
}

function accountTable(report: Report): string {
  const names = report.scope.accountNames ?? {};
  const rows = report.scope.accounts.map((a) => {
    const mine = report.findings.filter((f) => f.account === a);
    const fails = (sev: Severity) => mine.filter((f) => f.status === "fail" && f.severity === sev).length;
    const buckets = report.buckets.filter((b) => b.account === a).length;
    const errors = mine.filter((f) => f.status === "error").length;
    const muted = mine.filter((f) => f.status === "muted").length;
    return (
      `<tr data-account="${esc(a)}"><th scope="row"><code>${esc(a)}</code>${names[a] ? ` ${esc(names[a])}` : ""}</th>` +
      countCell(`account-${a}-buckets`, buckets) +
      SEVERITIES.map((sev) => countCell(`account-${a}-fail-${sev}`, fails(sev))).join("") +
      countCell(`account-${a}-error`, errors) +
      countCell(`account-${a}-muted`, muted) +
      `</tr>`
    );
  });
  return `<div class="scroll-box"><table id="by-account"><caption>By account</caption>
<thead><tr><th scope="col">account</th><th scope="col">buckets</th>${SEVERITIES.map((s) => `<th scope="col">${s}</th>`).join("")}<th scope="col">error</th><th scope="col">muted</th></tr></thead>
<tbody>${rows.join("\n")}</tbody></table></div>`;
}

function mapSection(map: LoggingMap, svg: string): string {
  const st = map.stats;
  const mode =
    map.mode === "detailed"
      ? "Every bucket is shown."
      : map.mode === "grouped"
        ? `${st.collapsedGroups} healthy account/Region group${st.collapsedGroups === 1 ? " is" : "s are"} collapsed into one box each; buckets of the other groups are grouped by target and kind.`
        : "Too many buckets to draw one by one: one box per account/Region group, links aggregated between groups.";
  const legend = mapLegend()
    .map((l) => `<li><svg width="34" height="10" aria-hidden="true"><line x1="0" y1="5" x2="34" y2="5" class="legend-line kind-${l.kind}"/></svg> ${esc(l.text)}</li>`)
    .join("");
  return `<section id="map" aria-labelledby="map-h">
<h2 id="map-h">Logging map</h2>
<p><span data-count="map-links">${st.links}</span> logging links, <span data-count="map-bad-links">${st.badLinks}</span> in red, <span data-count="map-undecided-links">${st.undecidedLinks}</span> undecided. ${esc(mode)} Sources point at their log targets; log buckets have a thick border, buckets with a problem of their own are red. Hover for details${"; click a bucket to filter the findings"}.</p>
<ul class="legend">${legend}<li><span class="legend-box log-bucket"></span> log bucket</li><li><span class="legend-box problem"></span> problem bucket</li></ul>
<div class="map-scroll">${svg}</div>
</section>`;
}

function findingRow(f: Finding, meta: RuleMeta | undefined, names: Record<string, string>): string {
  const why = meta ? `<p><strong>Why:</strong> ${esc(meta.rationale)}</p><p><strong>Fix:</strong> ${esc(meta.fix)}${f.fixable ? " (automatic: <code>s3-log-auditor fix</code>)" : ""}</p><p><a href="${esc(meta.docUrl)}" rel="noreferrer">AWS documentation</a></p>` : "";
  const name = names[f.account];
  const muted = f.status === "muted" ? `<p class="mute"><strong>Muted:</strong> ${esc(muteJustification(f))}</p>` : "";
  return (
    `<tr data-rule="${esc(f.ruleId)}" data-severity="${f.severity}" data-sev-rank="${severityRank(f.severity)}" data-account="${esc(f.account)}" data-status="${f.status}" data-bucket="${esc(f.bucket)}">` +
    `<td><span class="sev sev-${f.severity}">${f.severity}</span></td>` +
    `<td><span class="status status-${f.status}">${f.status}</span></td>` +
    `<td><code>${esc(f.ruleId)}</code></td>` +
    `<td><code>${esc(f.account)}</code>${name ? `<br><small>${esc(name)}</small>` : ""}</td>` +
    `<td>${esc(f.region)}</td>` +
    `<td><code>${esc(f.bucket)}</code></td>` +
    `<td>${esc(f.message)}<details><summary>why, fix, docs</summary>${muted}${why}</details></td>` +
    `</tr>`
  );
}

function options(values: readonly string[], labels: Record<string, string> = {}): string {
  return values.map((v) => `<option value="${esc(v)}">${esc(labels[v] ?? v)}</option>`).join("");
}

function findingsSection(report: Report, catalog: readonly RuleMeta[]): string {
  const metas = new Map(catalog.map((m) => [m.id, m]));
  const names = report.scope.accountNames ?? {};
  const rules = [...new Set(report.findings.map((f) => f.ruleId))].sort();
  const accounts = [...new Set(report.findings.map((f) => f.account))].sort();
  const accountLabels = Object.fromEntries(accounts.map((a) => [a, names[a] ? `${a} (${names[a]})` : a]));
  const statuses = STATUSES.filter((st) => report.findings.some((f) => f.status === st));
  const head = [
    ["severity", "sev-rank"],
    ["status", "status"],
    ["rule", "rule"],
    ["account", "account"],
    ["region", "region"],
    ["bucket", "bucket"],
    ["message", ""],
  ]
    .map(([label, key]) => `<th scope="col"${key ? ` data-sort-key="${key}"` : ""}>${label}</th>`)
    .join("");
  return `<section id="findings" aria-labelledby="findings-h">
<h2 id="findings-h">Findings</h2>
<form id="filters" class="filters" hidden>
<label>rule <select id="filter-rule"><option value="">all</option>${options(rules)}</select></label>
<label>severity <select id="filter-severity"><option value="">all</option>${options(SEVERITIES)}</select></label>
<label>account <select id="filter-account"><option value="">all</option>${options(accounts, accountLabels)}</select></label>
<label>status <select id="filter-status"><option value="">all</option>${options(statuses)}</select></label>
<label>text <input id="filter-text" type="search" placeholder="bucket, message…"></label>
<button type="reset" id="filter-reset">clear</button>
</form>
<p><span id="shown-count" data-count="findings-shown">${report.findings.length}</span> of <span data-count="findings-total">${report.findings.length}</span> findings shown.</p>
<table id="findings-table"><thead><tr>${head}</tr></thead>
<tbody>
${report.findings.map((f) => findingRow(f, metas.get(f.ruleId), names)).join("\n")}
</tbody></table>
</section>`;
}

function exceptionsSection(report: Report): string {
  const ex = report.exceptions;
  if (!ex) return "";
  const row = (e: NonNullable<Report["exceptions"]>["expired"][number]) =>
    `<tr><td>#${e.index + 1}</td><td><code>${esc(e.rule ?? "any rule")}</code></td><td><code>${esc(e.account ?? "any account")}</code></td><td><code>${esc(e.bucket ?? "*")}</code></td><td>${esc(e.reason)}</td><td>${esc(e.owner)}</td><td>${esc(e.expires ?? "")}</td></tr>`;
  const table = (id: string, title: string, note: string, list: readonly NonNullable<Report["exceptions"]>["expired"][number][]) =>
    `<h3 id="${id}">${title} (<span data-count="${id}">${list.length}</span>)</h3><p>${note}</p>` +
    (list.length ? `<table><thead><tr><th>#</th><th>rule</th><th>account</th><th>bucket</th><th>reason</th><th>owner</th><th>expires</th></tr></thead><tbody>${list.map(row).join("")}</tbody></table>` : "");
  return `<section id="exceptions" aria-labelledby="exceptions-h"><h2 id="exceptions-h">Exceptions</h2>
${table("exceptions-expired", "Expired", "Past their expiry day: they no longer mute, their findings count again.", ex.expired)}
${table("exceptions-unused", "Unused", "Active but matching no finding: stale configuration.", ex.unused)}</section>`;
}

function errorsSection(report: Report): string {
  if (report.errors.length === 0) return `<section id="errors" aria-labelledby="errors-h"><h2 id="errors-h">Read errors</h2><p>None: every account, Region and bucket in scope could be read.</p></section>`;
  const rows = report.errors
    .map((e) => `<tr><td><code>${esc(e.account)}</code></td><td>${esc(e.region ?? "")}</td><td><code>${esc(e.bucket ?? "")}</code></td><td>${esc(e.operation)}</td><td>${esc(e.code)}</td><td>${esc(e.message)}</td></tr>`)
    .join("\n");
  return `<section id="errors" aria-labelledby="errors-h"><h2 id="errors-h">Read errors (<span data-count="errors-listed">${report.errors.length}</span>)</h2>
<p>These reads failed, so the scan is incomplete: the findings of these buckets are <code>error</code>, never a pass.</p>
<table><thead><tr><th>account</th><th>Region</th><th>bucket</th><th>operation</th><th>code</th><th>message</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

const STYLE = `
:root{--fg:#1b1f24;--muted:#57606a;--bg:#fff;--line:#d0d7de;--red:#cf222e;--amber:#bf8700;--ok:#8c959f;--crit:#82071e;--high:#cf222e;--med:#bf8700;--low:#0969da;--info:#57606a}
*{box-sizing:border-box}[hidden]{display:none!important}body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg);margin:0;padding:0 24px 48px}
header{border-bottom:1px solid var(--line);padding:16px 0 8px;margin-bottom:8px}h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px}
.lead{font-weight:600}code{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}small{color:var(--muted)}
table{border-collapse:collapse;margin:8px 0}th,td{border:1px solid var(--line);padding:4px 8px;text-align:left;vertical-align:top}thead th{background:#f6f8fa}
td.num{text-align:right;font-variant-numeric:tabular-nums}caption{text-align:left;font-weight:600;padding:4px 0}
.scroll-box{max-height:420px;overflow:auto;display:inline-block}.cards{display:flex;gap:24px;flex-wrap:wrap}.compact th{font-weight:normal}
.sev,.status{display:inline-block;padding:0 6px;border-radius:10px;font-size:12px;font-weight:600;color:#fff}
.sev-critical{background:var(--crit)}.sev-high{background:var(--high)}.sev-medium{background:var(--med)}.sev-low{background:var(--low)}.sev-info{background:var(--info)}
.status-fail{background:var(--red)}.status-error{background:var(--amber)}.status-muted{background:var(--ok)}.status-pass{background:#1a7f37}
#findings-table{width:100%}#findings-table details{margin-top:4px;color:var(--muted)}#findings-table details p{margin:4px 0}
th[data-sort-key] button{all:unset;cursor:pointer;font-weight:600}th[aria-sort=ascending] button::after{content:" ▲"}th[aria-sort=descending] button::after{content:" ▼"}
.filters{display:flex;gap:12px;flex-wrap:wrap;align-items:end;margin:8px 0}.filters label{display:flex;flex-direction:column;font-size:12px;color:var(--muted)}
.map-scroll{overflow:auto;max-height:80vh;border:1px solid var(--line);border-radius:6px;background:#fbfcfd}
.logging-map{font:12px ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.map-group rect{fill:#f6f8fa;stroke:var(--line)}.map-group.collapsed rect{fill:#eef7ee;stroke:#9bd3a8}.group-label{font:600 12px system-ui,sans-serif;fill:var(--muted)}
.map-node rect{fill:#fff;stroke:#6e7781;stroke-width:1}.map-node text{fill:var(--fg)}.map-node.log-bucket rect{stroke:#0550ae;stroke-width:3}
.map-node.problem rect{stroke:var(--red);fill:#ffebe9}.map-node.node-aggregate rect{stroke-dasharray:4 2}.map-node.node-group rect{fill:#eef7ee;stroke:#4ac26b}
.map-node{cursor:pointer}.map-node:focus rect,.map-node:hover rect{filter:drop-shadow(0 0 2px #0969da)}
.map-edge path{fill:none;stroke:var(--ok);stroke-width:1.5}.map-edge.bad path{stroke:var(--red);stroke-width:2.5}.map-edge.kind-undecided path{stroke:var(--amber);stroke-dasharray:5 3;stroke-width:2}
.edge-label{font:600 11px system-ui,sans-serif;fill:var(--red);text-anchor:middle;paint-order:stroke;stroke:#fff;stroke-width:3px}.kind-ok .edge-label{fill:var(--muted)}.kind-undecided .edge-label{fill:var(--amber)}
.arrow-ok{fill:var(--ok)}.arrow-bad{fill:var(--red)}.arrow-undecided{fill:var(--amber)}
.legend{list-style:none;padding:0;display:flex;flex-wrap:wrap;gap:4px 18px;font-size:12px}.legend-line{stroke:var(--ok);stroke-width:2}
.legend-line.kind-loop,.legend-line.kind-denied,.legend-line.kind-blocked,.legend-line.kind-cross-account,.legend-line.kind-cross-region{stroke:var(--red);stroke-width:3}.legend-line.kind-undecided{stroke:var(--amber);stroke-dasharray:5 3}
.legend-box{display:inline-block;width:18px;height:10px;border:1px solid #6e7781;vertical-align:middle}.legend-box.log-bucket{border:3px solid #0550ae}.legend-box.problem{border-color:var(--red);background:#ffebe9}
footer{margin-top:32px;color:var(--muted);font-size:12px}
`;

/** Progressive enhancement: filters, sorting, map → table filter. Plain DOM, no dependencies. */
const SCRIPT = `
(function () {
  "use strict";
  var table = document.getElementById("findings-table");
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  var form = document.getElementById("filters");
  var f = {
    rule: document.getElementById("filter-rule"),
    severity: document.getElementById("filter-severity"),
    account: document.getElementById("filter-account"),
    status: document.getElementById("filter-status"),
    text: document.getElementById("filter-text")
  };
  var shown = document.getElementById("shown-count");
  form.hidden = false;
  function apply() {
    var q = f.text.value.trim().toLowerCase();
    var n = 0;
    rows.forEach(function (r) {
      var ok = (!f.rule.value || r.dataset.rule === f.rule.value) &&
        (!f.severity.value || r.dataset.severity === f.severity.value) &&
        (!f.account.value || r.dataset.account === f.account.value) &&
        (!f.status.value || r.dataset.status === f.status.value) &&
        (!q || r.textContent.toLowerCase().indexOf(q) !== -1);
      r.hidden = !ok;
      if (ok) n++;
    });
    shown.textContent = String(n);
  }
  ["rule", "severity", "account", "status"].forEach(function (k) { f[k].addEventListener("change", apply); });
  f.text.addEventListener("input", apply);
  form.addEventListener("reset", function () { setTimeout(apply, 0); });
  form.addEventListener("submit", function (e) { e.preventDefault(); });
  Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
    var key = th.dataset.sortKey;
    if (!key) return;
    var b = document.createElement("button");
    b.type = "button";
    b.textContent = th.textContent;
    th.textContent = "";
    th.appendChild(b);
    b.addEventListener("click", function () {
      var dir = th.getAttribute("aria-sort") === "ascending" ? -1 : 1;
      Array.prototype.forEach.call(table.tHead.rows[0].cells, function (c) { c.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      var attr = key.replace(/-([a-z])/g, function (_, c) { return c.toUpperCase(); });
      rows.sort(function (x, y) {
        var a = x.dataset[attr] || "", c = y.dataset[attr] || "";
        return (a < c ? -1 : a > c ? 1 : 0) * dir;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".map-node"), function (node) {
    function pick() {
      var names = (node.getAttribute("data-buckets") || "").split(" ").filter(Boolean);
      if (names.length !== 1) return;
      f.text.value = names[0];
      apply();
      document.getElementById("findings").scrollIntoView();
    }
    node.addEventListener("click", pick);
    node.addEventListener("keydown", function (e) { if (e.key === "Enter") pick(); });
  });
})();
`;

/** The HTML page of a report; lays out the logging map (loads elkjs). */
export async function renderHtml(report: Report, catalog: readonly RuleMeta[]): Promise<string> {
  const map = buildLoggingMap(report, catalog);
  const svg = await renderMapSvg(map);
  const scope = `${report.scope.accounts.length} account${report.scope.accounts.length === 1 ? "" : "s"}, Regions ${report.scope.regions.join(", ") || "none"}${report.scope.shard ? `, shard ${report.scope.shard.index}/${report.scope.shard.count}` : ""}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<meta name="generator" content="${esc(`${report.tool.name} ${report.tool.version}`)}">
<title>S3 server access logging report</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<h1>S3 server access logging report</h1>
<p>${esc(report.tool.name)} ${esc(report.tool.version)} · ${esc(report.startedAt)} → ${esc(report.finishedAt)} · ${esc(scope)}</p>
</header>
<main>
${summarySection(report)}
${mapSection(map, svg)}
${findingsSection(report, catalog)}
${exceptionsSection(report)}
${errorsSection(report)}
</main>
<footer>Generated by ${esc(report.tool.name)} ${esc(report.tool.version)}. The JSON report (<code>--format json</code>) has the same findings in machine-readable form.</footer>
<script>${SCRIPT}</script>
</body>
</html>
`;
}
