/**
 * The HTML report: the logging map's model (link classification, condensing large
 * organizations), the page's structure and escaping, and — in a real headless Chromium driven by
 * playwright-core — the demo report: no console errors, no network, counts equal to the JSON
 * report's, working filters and sorting, a non-blank screenshot.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { PNG } from "pngjs";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RuleMeta } from "../../src/engine/define-rule.js";
import type { Finding } from "../../src/model/finding.js";
import type { BucketSnapshot } from "../../src/model/snapshot.js";
import { renderHtml } from "../../src/output/html.js";
import { BAD_KINDS, MAX_NODES, buildLoggingMap } from "../../src/output/logging-map.js";
import { buildReport, type Report } from "../../src/output/report.js";
import { runCli } from "../cli/helpers.js";
import { parseValidReport } from "../cli/report-schema.js";
import { A1, A2, bucket, finding, logsTo, noLogging, sampleReport, snapshot } from "./fixtures.js";

const meta = (id: string, subject: RuleMeta["subject"] = "source"): RuleMeta => ({
  id,
  title: `Title of ${id}`,
  severity: "high",
  rationale: `Why ${id} <matters>`,
  failsWhen: `${id} fails`,
  fix: `fix ${id}`,
  fixable: true,
  docUrl: `https://docs.aws.amazon.com/${id}`,
  subject,
  readPermissions: ["s3:GetBucketLogging"],
});
const CATALOG = [meta("delivery-permitted"), meta("logging-enabled"), meta("target-not-source")];

/** `accounts` × 4 Regions × `perGroup` buckets, each group logging into its own log bucket; a few denied links and one self-loop. */
function largeReport(accounts: number, perGroup: number): { report: Report; bad: number } {
  const buckets: BucketSnapshot[] = [];
  const findings: Finding[] = [];
  for (let a = 0; a < accounts; a++) {
    for (const region of ["us-east-1", "eu-west-1", "ap-southeast-2", "us-west-2"]) {
      const acct = String(100000000000 + a);
      const logBucket = `logs-${acct}-${region}`;
      buckets.push(bucket(acct, region, logBucket, noLogging));
      for (let i = 1; i < perGroup; i++) {
        const name = `b-${acct}-${region}-${i}`;
        if (a === 7 && i === 5) {
          buckets.push(bucket(acct, region, name, logsTo(name)));
          findings.push(finding("target-not-source", "fail", "critical", acct, region, name));
          continue;
        }
        buckets.push(bucket(acct, region, name, i % 7 === 0 ? noLogging : logsTo(logBucket)));
        if (a % 10 === 0 && i === 3) findings.push(finding("delivery-permitted", "fail", "high", acct, region, name));
      }
    }
  }
  const report = buildReport({ snapshot: snapshot(buckets), findings, ruleIds: ["delivery-permitted", "target-not-source"], includePassed: false });
  return { report, bad: findings.length };
}

describe("logging map model", () => {
  const map = buildLoggingMap(sampleReport(), CATALOG);

  it("draws every bucket of a small report and classifies links from the source's findings", () => {
    expect(map.mode).toBe("detailed");
    const edge = (s: string, t: string) => map.edges.find((e) => e.source === `b:${s}` && e.target === `b:${t}`);
    expect(edge("loop-bucket", "loop-bucket")?.kind).toBe("loop");
    expect(edge("app-data", "central-logs")?.kind).toBe("denied");
    expect(map.stats).toMatchObject({ buckets: 5, links: 2, badLinks: 2, undecidedLinks: 0 });
    const node = (b: string) => map.nodes.find((n) => n.id === `b:${b}`)!;
    expect(node("central-logs").logBucket).toBe(true);
    expect(node("app-data").logBucket).toBe(false);
    expect(node("unreadable").problem).toBe(true);
    expect(map.groups.map((g) => g.id).sort()).toEqual([`${A1}/eu-west-1`, `${A1}/us-east-1`, `${A2}/us-east-1`]);
  });

  it("marks a link undecided when a link rule could not be evaluated, cross-account targets outside the scan in their own group", () => {
    const snap = snapshot([bucket(A1, "us-east-1", "src", logsTo("elsewhere")), bucket(A1, "us-east-1", "src2", logsTo("src"))]);
    const findings = [
      finding("delivery-permitted", "error", "high", A1, "us-east-1", "src2"),
      finding("target-same-account", "fail", "high", A1, "us-east-1", "src"),
    ];
    const m = buildLoggingMap(buildReport({ snapshot: snap, findings, ruleIds: ["delivery-permitted"], includePassed: false }), CATALOG);
    expect(m.edges.map((e) => [e.source, e.target, e.kind]).sort()).toEqual([
      ["b:src", "b:elsewhere", "cross-account"],
      ["b:src2", "b:src", "undecided"],
    ]);
    expect(m.nodes.find((n) => n.id === "b:elsewhere")!.group).toBe("outside");
  });

  it("stays small at 10,000 buckets: healthy groups collapsed, every red link still drawn", () => {
    const { report, bad } = largeReport(50, 50);
    expect(report.buckets).toHaveLength(10_000);
    const big = buildLoggingMap(report, CATALOG);
    expect(big.mode).toBe("grouped");
    expect(big.nodes.length).toBeLessThanOrEqual(MAX_NODES);
    expect(big.stats.badLinks).toBe(bad);
    expect(big.edges.filter((e) => BAD_KINDS.has(e.kind)).reduce((n, e) => n + e.count, 0)).toBe(bad);
    // 50 accounts × 4 Regions; groups with a red link (5 accounts × 4 Regions denied + 4 with the loop) stay open
    expect(big.stats.collapsedGroups).toBe(200 - 24);
    const collapsed = big.nodes.filter((n) => n.kind === "group");
    expect(collapsed).toHaveLength(176);
    expect(collapsed[0]!.label).toMatch(/^50 buckets, 1 log bucket, 8 without logging: healthy$/);
  });

  it("falls back to one node per group when even the condensed map is too big", () => {
    const { report } = largeReport(20, 20);
    const m = buildLoggingMap(report, CATALOG, { detail: 10, group: 2, maxNodes: 30 });
    expect(m.mode).toBe("groups-only");
    expect(m.nodes.every((n) => n.kind === "group")).toBe(true);
    expect(m.nodes).toHaveLength(80);
    expect(m.edges.every((e) => e.source === e.target && BAD_KINDS.has(e.kind))).toBe(true);
  });
});

describe("renderHtml", () => {
  const report = sampleReport();
  let html: string;
  beforeAll(async () => {
    html = await renderHtml(
      { ...report, findings: report.findings.map((f) => (f.bucket === "loop-bucket" ? { ...f, message: "evil \u001b[31m<script>alert(1)</script>" } : f)) },
      CATALOG,
    );
  });

  it("is one self-contained document: no external resource, a CSP that forbids fetching", () => {
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:"`);
    expect(html).not.toMatch(/<(script|img|link|iframe)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/url\((?!#)/);
  });

  it("escapes AWS data and shows control characters", () => {
    expect(html).toContain("evil \\u001b[31m&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).not.toContain("<script>alert");
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/.test(html.replace(/\n/g, ""))).toBe(false);
  });

  it("has the summary, the map, the findings with why/fix/docs and the errors", () => {
    expect(html).toContain('data-count="status-fail">2<');
    expect(html).toContain("<svg");
    expect(html).toContain("Why delivery-permitted &lt;matters&gt;");
    expect(html).toContain('href="https://docs.aws.amazon.com/delivery-permitted"');
    expect(html).toContain('id="errors"');
    expect((html.match(/<tr data-rule=/g) ?? []).length).toBe(report.findings.length);
  });
});

const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const FLAGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Share of the most frequent colour and the number of distinct colours of a PNG. */
function colourStats(png: Buffer): { distinct: number; dominant: number } {
  const img = PNG.sync.read(png);
  const counts = new Map<number, number>();
  for (let i = 0; i < img.data.length; i += 4 * 7) {
    const key = (img.data[i]! << 16) | (img.data[i + 1]! << 8) | img.data[i + 2]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  return { distinct: counts.size, dominant: Math.max(...counts.values()) / total };
}

describe("the demo HTML report in headless Chromium", () => {
  const dir = mkdtempSync(join(tmpdir(), "s3la-html-"));
  const htmlFile = join(dir, "demo.html");
  let json: Report;
  let browser: Browser;

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`Chromium not found at ${CHROMIUM}: the browser test needs Debian's chromium package (apt-get install chromium; .ci/run installs it) or CHROMIUM_PATH`);
    }
    const jsonFile = join(dir, "demo.json");
    const r = await runCli(["demo", "--quiet", "--output", htmlFile, "--output", jsonFile]);
    expect(r.code, r.stderr).toBe(0);
    json = parseValidReport(readFileSync(jsonFile, "utf8"));
    browser = await chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true, chromiumSandbox: false });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the JSON report's counts, filters and sorts, logs no console error, fetches nothing", async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    const problems: string[] = [];
    const requests: string[] = [];
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
    page.on("request", (r) => requests.push(r.url()));
    await page.goto(pathToFileURL(htmlFile).href);
    await page.waitForSelector("#filters:not([hidden])");

    const count = (key: string) => page.locator(`[data-count="${key}"]`).first().textContent();
    const s = json.summary;
    for (const st of ["fail", "error", "muted", "pass"] as const) expect(Number(await count(`status-${st}`))).toBe(s.status[st]);
    for (const sev of ["critical", "high", "medium", "low", "info"] as const) expect(Number(await count(`fail-${sev}`))).toBe(s.failBySeverity[sev]);
    expect(Number(await count("accounts"))).toBe(s.accounts);
    expect(Number(await count("buckets"))).toBe(s.buckets);
    expect(Number(await count("findings-total"))).toBe(json.findings.length);
    for (const a of json.scope.accounts) {
      const fails = json.findings.filter((f) => f.account === a && f.status === "fail" && f.severity === "high").length;
      expect(Number(await count(`account-${a}-fail-high`))).toBe(fails);
    }
    const rows = page.locator("#findings-table tbody tr");
    expect(await rows.count()).toBe(json.findings.length);

    // filter by severity, then also by account; the shown count and the visible rows follow
    await page.selectOption("#filter-severity", "critical");
    const critical = json.findings.filter((f) => f.severity === "critical");
    expect(Number(await page.locator("#shown-count").textContent())).toBe(critical.length);
    expect(await page.locator("#findings-table tbody tr:visible").count()).toBe(critical.length);
    const prod = "222222222222";
    await page.selectOption("#filter-account", prod);
    expect(await page.locator("#findings-table tbody tr:visible").count()).toBe(critical.filter((f) => f.account === prod).length);
    await page.click("#filter-reset");
    // Polled through page.evaluate (run by the browser's debugger protocol): waitForFunction evaluates
    // its predicate inside the page, where the report's own Content-Security-Policy forbids eval.
    await expect
      .poll(() => page.evaluate(`document.getElementById("shown-count").textContent`), { timeout: 10_000 })
      .toBe(String(json.findings.length));
    await page.fill("#filter-text", "demo-loop-self-prod-audit");
    expect(await page.locator("#findings-table tbody tr:visible").count()).toBe(json.findings.filter((f) => f.bucket === "demo-loop-self-prod-audit").length);
    await page.fill("#filter-text", "");

    // sort by severity: the most severe first, then reversed
    await page.click('th[data-sort-key="sev-rank"] button');
    expect(await rows.first().getAttribute("data-severity")).toBe("critical");
    await page.click('th[data-sort-key="sev-rank"] button');
    expect(await rows.first().getAttribute("data-severity")).not.toBe("critical");

    // the map: red loop links, log buckets marked, clicking a bucket filters the table
    expect(await page.locator('.map-edge[data-kind="loop"]').count()).toBeGreaterThan(0);
    expect(await page.locator(".map-node.log-bucket").count()).toBeGreaterThan(0);
    const redStroke = await page.evaluate(`getComputedStyle(document.querySelector(".map-edge.bad path")).stroke`);
    expect(redStroke).toBe("rgb(207, 34, 46)");
    await page.locator('.map-node[data-buckets="demo-loop-self-prod-audit"]').click();
    expect(await page.inputValue("#filter-text")).toBe("demo-loop-self-prod-audit");

    expect(problems).toEqual([]);
    expect(requests.every((u) => u.startsWith("file://"))).toBe(true);
    await page.close();
  });

  it("reads without JavaScript: every finding listed, no dead controls", async () => {
    const ctx = await browser.newContext({ javaScriptEnabled: false });
    const page = await ctx.newPage();
    await page.goto(pathToFileURL(htmlFile).href);
    expect(await page.locator("#filters").isVisible()).toBe(false);
    expect(await page.locator("#findings-table tbody tr:visible").count()).toBe(json.findings.length);
    expect(await page.locator("svg.logging-map").isVisible()).toBe(true);
    await ctx.close();
  });

  it("renders a non-blank page (screenshot)", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(pathToFileURL(htmlFile).href);
    const shot = join(dir, "demo.png");
    await page.screenshot({ path: shot, fullPage: true });
    const stats = colourStats(readFileSync(shot));
    expect(stats.distinct).toBeGreaterThan(50);
    expect(stats.dominant).toBeLessThan(0.95);
    await page.close();
  });
});
