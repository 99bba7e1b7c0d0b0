/**
 * Control characters from AWS data never reach a terminal or a report raw (issue 10 item 4):
 * a simulated account whose policy Sids, logging prefixes and target names hold an OSC title
 * sequence (ESC ] 0 ; … BEL), a clear-screen (ESC [ 2 J) and the one-byte CSI U+009B, scanned,
 * planned and fixed through the built CLI. Human formats show them as visible `\uXXXX`; JSON
 * formats escape them and keep the exact value.
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Report } from "../../src/output/report.js";
import { startSimulator, validateScenario, type RunningSim } from "../../src/sim/index.js";
import { CONTROL_CHARS, runCli, tempDir } from "./helpers.js";

const TITLE = "\u001b]0;pwned\u0007";
const CLEAR = "\u001b[2J";
const CSI = "\u009b";
const PREFIX = `deny/${CLEAR}${CSI}2J${TITLE}`;
const DENY_SID = `Deny${TITLE}${CLEAR}${CSI}6n`;
const GONE = `gone${CLEAR}`;
/** What the escaped forms look like in human output. */
const SHOWN_TITLE = "\\u001b]0;pwned\\u0007";
const SHOWN_CSI = "\\u009b";

const ACCOUNT = "111122223333";
const scenario = validateScenario({
  name: "control-characters",
  accounts: [
    {
      id: ACCOUNT,
      name: "mgmt",
      buckets: [
        {
          name: "ctl-logs",
          region: "us-east-1",
          lifecycle: null,
          policy: {
            Version: "2012-10-17",
            Statement: [
              { Sid: `Allow${TITLE}`, Effect: "Allow", Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject", Resource: "arn:aws:s3:::ctl-logs/*" },
              { Sid: DENY_SID, Effect: "Deny", Principal: "*", Action: "s3:PutObject", Resource: "arn:aws:s3:::ctl-logs/deny/*" },
            ],
          },
        },
        { name: "ctl-app", region: "us-east-1", logging: { targetBucket: "ctl-logs", targetPrefix: PREFIX } },
        { name: "ctl-app2", region: "us-east-1", logging: { targetBucket: "ctl-logs", targetPrefix: PREFIX } },
        { name: "ctl-gone", region: "us-east-1", logging: { targetBucket: GONE, targetPrefix: "x/" } },
      ],
    },
  ],
});

let sim: RunningSim;
const tmp = tempDir();
const scan = (...args: string[]) => runCli(["scan", "--endpoint-url", sim.endpoint, "--fail-on", "none", ...args]);

/** Raw control characters other than \n (and \t, which no format here writes from AWS data). */
function expectNoRawControl(text: string, what: string): void {
  const m = CONTROL_CHARS.exec(text);
  if (m) throw new Error(`${what}: raw U+${m[0].charCodeAt(0).toString(16).padStart(4, "0")} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 20))}`);
}

beforeAll(async () => {
  sim = await startSimulator({ scenario, port: 0 });
});

afterAll(async () => {
  await sim.close();
  tmp.cleanup();
});

describe("human formats show control characters escaped", () => {
  it.each(["table", "markdown", "csv", "html"])("--format %s (piped)", async (format) => {
    const r = await scan("--format", format);
    expect(r.code).toBe(0);
    expectNoRawControl(r.stdout, `${format} stdout`);
    expectNoRawControl(r.stderr, `${format} stderr`);
    // escaped, not stripped: the sequence is still there to read (markdown doubles the backslash)
    const shown = (s: string) => (format === "markdown" ? s.replace(/\\/g, "\\\\") : s);
    expect(r.stdout).toContain(shown(SHOWN_CSI));
    if (format !== "html") expect(r.stdout).toContain(shown(SHOWN_TITLE));
  });

  it("the table names the denying statement and the prefix with their escapes", async () => {
    const r = await scan("--format", "table", "--output", tmp.file("report.txt"));
    expect(r.code).toBe(0);
    const text = readFileSync(tmp.file("report.txt"), "utf8");
    expectNoRawControl(text, "table file");
    expect(text).toContain("Deny\\u001b]0;pwned");
    expect(text).toContain("gone\\u001b[2J");
  });
});

describe("machine formats escape control characters and keep the exact value", () => {
  it("--format json: no raw control character, the same strings after parsing", async () => {
    const r = await scan("--format", "json", "--include-passed");
    expectNoRawControl(r.stdout, "json");
    const rep = JSON.parse(r.stdout) as Report;
    const app = rep.buckets.find((b) => b.name === "ctl-app");
    expect(app?.logging.targetPrefix).toBe(PREFIX);
    expect(rep.buckets.find((b) => b.name === "ctl-gone")?.logging.targetBucket).toBe(GONE);
    const deny = rep.findings.find((f) => f.ruleId === "delivery-permitted" && f.bucket === "ctl-app");
    expect(deny?.status).toBe("fail");
    expect(deny?.message).toContain(DENY_SID);
  });

  it("--format sarif: no raw control character, messages keep the value", async () => {
    const r = await scan("--format", "sarif");
    expectNoRawControl(r.stdout, "sarif");
    const log = JSON.parse(r.stdout) as { runs: { results: { message: { text: string } }[] }[] };
    expect(log.runs[0]!.results.some((x) => x.message.text.includes(DENY_SID))).toBe(true);
  });

  it("--format junit: no raw control character; the XML shows the escapes", async () => {
    const r = await scan("--format", "junit");
    expectNoRawControl(r.stdout, "junit");
    expect(r.stdout).toContain(SHOWN_CSI);
    expect(r.stdout).toContain("Deny\\u001b]0;pwned\\u0007");
  });

  it("--save-snapshot: the snapshot file holds no raw control character and the exact prefix", async () => {
    const file = tmp.file("snap.json");
    await scan("--format", "json", "--save-snapshot", file);
    const text = readFileSync(file, "utf8");
    expectNoRawControl(text.replace(/\n$/, ""), "snapshot");
    const snap = JSON.parse(text) as { buckets: { name: string; logging: { value?: { targetPrefix: string } } }[] };
    expect(snap.buckets.find((b) => b.name === "ctl-app")?.logging.value?.targetPrefix).toBe(PREFIX);
  });
});

describe("fix: plan summary, plan file and apply progress lines", () => {
  it("--plan-out: the summary shows escapes, the plan file keeps the exact values", async () => {
    const planFile = tmp.file("plan.json");
    const r = await runCli(["fix", "--endpoint-url", sim.endpoint, "--plan-out", planFile]);
    expect(r.code, r.stderr).toBe(0);
    expectNoRawControl(r.stdout, "plan summary");
    expectNoRawControl(r.stderr, "plan stderr");
    expect(r.stdout).toContain("gone\\u001b[2J");
    const text = readFileSync(planFile, "utf8");
    expectNoRawControl(text, "plan file");
    expect(text).toContain("gone\\u001b[2J"); // a JSON escape of ESC
    expect(JSON.stringify(JSON.parse(text))).toContain(JSON.stringify(GONE).slice(1, -1));
  });

  it("--yes: the apply progress lines and the summary show escapes only", async () => {
    const journal = tmp.file("fix.journal");
    const r = await runCli(["fix", "--endpoint-url", sim.endpoint, "--yes", "--journal", journal]);
    expect(r.stderr).toMatch(/^applied\s+step-/m);
    expectNoRawControl(r.stdout, "apply stdout");
    expectNoRawControl(r.stderr, "apply stderr");
    expect(r.stderr).toContain("gone\\u001b[2J");
    expectNoRawControl(readFileSync(journal, "utf8"), "journal");
  });
});
