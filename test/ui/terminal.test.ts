/**
 * End to end in a real pseudo-terminal: `demo fix` (the built CLI) inside a private tmux server,
 * driven with send-keys and read with capture-pane. select all → review → apply → rescan.
 * ink draws nothing until exit when CI=true, so the program runs with CI=false.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator } from "../../src/sim/index.js";

const ROOT = join(import.meta.dirname, "..", "..");
const CLI = join(ROOT, "dist", "cli.js");
const SOCKET = `s3la-ui-${process.pid}-${Date.now()}`;
const SESSION = "fix";

function tmuxPath(): string {
  try {
    return execFileSync("sh", ["-c", "command -v tmux"], { encoding: "utf8" }).trim();
  } catch {
    return "";
  }
}

function tmux(...args: string[]): string {
  return execFileSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" });
}

function screen(target = `${SESSION}:0`): string {
  return tmux("capture-pane", "-p", "-t", target);
}

function keys(...k: string[]): void {
  tmux("send-keys", "-t", `${SESSION}:0`, ...k);
}

/** Polls the screen until `test` passes; fails with the last screen. */
async function waitForScreen(test: (s: string) => boolean, what: string, timeoutMs = 30_000, target = `${SESSION}:0`): Promise<string> {
  const until = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < until) {
    last = screen(target);
    if (test(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; screen:\n${last}`);
}

/** Widest line of a screen, in columns. */
const widest = (s: string) => Math.max(...s.split("\n").map((l) => [...l].length));

/** Keys, literal text and screen waits for one window of the tmux session. */
function pane(window: string) {
  const target = `${SESSION}:${window}`;
  return {
    target,
    send: (...k: string[]) => tmux("send-keys", "-t", target, ...k),
    type: (text: string) => tmux("send-keys", "-t", target, "-l", text),
    wait: (test: (s: string) => boolean, what: string) => waitForScreen(test, what, 30_000, target),
    /** q, then the exit status the shell printed after the program. */
    async quit(code: number, what: string): Promise<string> {
      this.send("q");
      const s = await this.wait((x) => x.includes("EXIT="), what);
      expect(s).toContain(`EXIT=${code}`);
      return s;
    },
  };
}

describe("demo fix in a real terminal (tmux)", () => {
  const dir = mkdtempSync(join(tmpdir(), "s3la-ui-tty-"));
  const journal = join(dir, "journal.jsonl");

  // A missing tool fails the tests themselves (never a skip) with a clear message.
  let setupError: Error | undefined;
  const ready = () => {
    if (setupError) throw setupError;
  };

  // A simulator of the test's own for `fix` (not the demo command) with a configuration file.
  let sim: Awaited<ReturnType<typeof startSimulator>> | undefined;

  beforeAll(async () => {
    if (!tmuxPath()) {
      setupError = new Error("tmux is required for the terminal end-to-end test (apt-get install tmux); it is not on PATH");
      return;
    }
    if (!existsSync(CLI)) {
      setupError = new Error(`${CLI} is missing: run \`npm run build\` first (npm test does)`);
      return;
    }
    const cmd = `cd ${ROOT} && env CI=false NO_COLOR=1 ${process.execPath} ${CLI} demo fix --journal ${journal}; echo "EXIT=$?"; sleep 600`;
    tmux("new-session", "-d", "-s", SESSION, "-x", "100", "-y", "30", cmd);
    // A second terminal for Ctrl-C: afterwards the tty settings must be back (echo, canonical mode).
    const ctrlC = `cd ${ROOT} && env CI=false NO_COLOR=1 ${process.execPath} ${CLI} demo fix --journal ${join(dir, "unused.jsonl")}; echo "EXIT=$?"; stty -a | tr ' ;' '\\n\\n' | grep -E -x -- '-?(icanon|echo)' | tr '\\n' ' '; echo; sleep 600`;
    tmux("new-window", "-d", "-t", SESSION, "-n", "ctrlc", ctrlC);
    // An 80×24 terminal for the keys of the findings and review screens.
    const small = `cd ${ROOT} && env CI=false NO_COLOR=1 ${process.execPath} ${CLI} demo fix --journal ${join(dir, "small.jsonl")}; echo "EXIT=$?"; sleep 600`;
    tmux("new-window", "-d", "-t", SESSION, "-n", "small", small);
    tmux("resize-window", "-t", `${SESSION}:small`, "-x", "80", "-y", "24");
    // A terminal without cursor addressing: line mode.
    const dumb = `cd ${ROOT} && env CI=false TERM=dumb ${process.execPath} ${CLI} demo fix --journal ${join(dir, "dumb.jsonl")}; echo "EXIT=$?"; sleep 600`;
    tmux("new-window", "-d", "-t", SESSION, "-n", "dumb", dumb);
    // 80×24 with the opt-in delivery check: the all-buckets list, a passing source's detail, d.
    const delivery = `cd ${ROOT} && env CI=false NO_COLOR=1 ${process.execPath} ${CLI} demo fix --check-delivery --journal ${join(dir, "delivery.jsonl")}; echo "EXIT=$?"; sleep 600`;
    tmux("new-window", "-d", "-t", SESSION, "-n", "delivery", delivery);
    tmux("resize-window", "-t", `${SESSION}:delivery`, "-x", "80", "-y", "24");
    // fix (line mode: TERM=dumb, stdin a terminal) with rules.logs-delivered.enabled in its configuration file.
    sim = await startSimulator({ scenario: "demo", port: 0 });
    const config = join(dir, "s3-log-auditor.yaml");
    writeFileSync(config, "rules:\n  logs-delivered:\n    enabled: true\n");
    const creds = "AWS_ACCESS_KEY_ID=AKIAUITESTUITEST0000 AWS_SECRET_ACCESS_KEY=ui-test-secret AWS_REGION=us-east-1 AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent";
    const configured = `cd ${dir} && env CI=false TERM=dumb ${creds} ${process.execPath} ${CLI} fix --org --endpoint-url ${sim.endpoint} --journal ${join(dir, "configured.jsonl")}; echo "EXIT=$?"; sleep 600`;
    tmux("new-window", "-d", "-t", SESSION, "-n", "configured", configured);
  });

  afterAll(async () => {
    await sim?.close();
    if (setupError) return;
    try {
      tmux("kill-server");
    } catch {
      // already gone
    }
  });

  it("select all → review → apply → rescan shows the fixed buckets passing; the journal exists", async () => {
    ready();
    let s = await waitForScreen((x) => /\d+ failing · \d+ buckets · \d+ accounts · 0 selected/.test(x), "the findings view");
    expect(s).toMatch(/^›▾ \d{12} \(\w+\) \d+ CRIT/m);
    expect(s).toContain("─ detail");

    keys("a");
    s = await waitForScreen((x) => /· [1-9]\d* selected/.test(x), "the selection");
    expect(s).toMatch(/\[x\] CRIT/);

    keys("Enter");
    s = await waitForScreen((x) => x.includes("Apply these changes? · lines 1–"), "the review");
    expect(s).toContain("y apply · esc back · ↑↓ line · space PgDn PgUp page · g G top/end · q quit");
    // The heading may wrap at 80 columns; the demo's new log buckets make it "up to" (their defaults may already be in place).
    expect(s).toMatch(/^up to \d+ AWS write\(s\) \(\d+ may already be in place\)/m);
    expect(s.replace(/\n/g, " ")).toMatch(/\(\d+ may already be in place\).* on \d+ bucket\(s\) for \d+ selected finding\(s\)/);
    expect(s).toMatch(/^ {2}account \d{12}: (up to )?\d+ write\(s\)/m);

    keys("y");
    s = await waitForScreen((x) => x.includes("Done: "), "the apply summary");
    expect(s).toMatch(/Done: [1-9]\d* applied, \d+ already applied, 0 skipped, 0 failed/);
    // Long lines are hard-wrapped (never cut): join them to read the exact command.
    const joined = s.replace(/\n/g, "");
    expect(joined).toContain(`Journal: ${journal}`);
    // The demo's simulator stops on exit: the session offers the in-place undo, never a command that cannot work.
    expect(s.replace(/\s+/g, " ")).toContain("Undo: u here, in place (the simulated organization ends with the session: no command could undo it later)");
    expect(s).not.toContain("s3-log-auditor undo");
    expect(existsSync(journal)).toBe(true);
    const records = readFileSync(journal, "utf8").trim().split("\n").map((l) => JSON.parse(l) as { type: string });
    expect(records[0]?.type).toBe("header");
    expect(records.filter((r) => r.type === "write").length).toBeGreaterThan(0);

    keys("r");
    s = await waitForScreen((x) => /\d+ of \d+ affected bucket\(s\) now passing/.test(x), "the rescan");
    const m = /(\d+) of (\d+) affected bucket\(s\) now passing/.exec(s)!;
    expect(Number(m[1])).toBeGreaterThan(0);
    expect(s).toMatch(/^✓ passing {2}demo-prod-no-logging \(\d{12}\) · fixed: logging-enabled$/m);
    expect(s).toMatch(/^✓ passing {2}demo-prod-cross-region \(\d{12}\) · fixed: delivery-permitted, target-same-region$/m);

    // u undoes the run in place (after a confirmation), with a status per journaled write.
    keys("u");
    s = await waitForScreen((x) => x.includes("Undo this run in place?"), "the undo confirmation");
    expect(s).toContain("y undo the run · esc keep it");
    keys("y");
    s = await waitForScreen((x) => x.includes("Undone: "), "the undo summary");
    expect(s).toMatch(/^✓ (restored|bucket deleted)\s+step-\d+ /m);
    expect(s).toMatch(/Undone: [1-9]\d* restored, .*0 failed/s);
    expect(existsSync(journal.replace(/\.jsonl$/, "-undo.jsonl"))).toBe(true);
    const flat = s.replace(/\n/g, " ");
    const leftWork = Number(/(\d+) bucket\(s\) kept/.exec(flat)![1]) + Number(/(\d+) not restorable/.exec(flat)?.[1] ?? 0) > 0;

    // b goes back to the findings list, scanned again.
    keys("b");
    s = await waitForScreen((x) => /\d+ failing · \d+ buckets · \d+ accounts · 0 selected/.test(x), "the findings after b");
    expect(s).toContain("─ detail");

    keys("q");
    s = await waitForScreen((x) => x.includes("EXIT="), "the exit");
    // The terminal is back to normal: the plain summary is printed; the exit status is the undo
    // command's: 1 when the undo kept something (a bucket still in use, a prior state AWS refuses).
    expect(s).toContain(`EXIT=${leftWork ? 1 : 0}`);
    const text = s.replace(/\s+/g, " ");
    expect(text).toContain(`Journal: ${journal}`);
    expect(text).toMatch(/Undone in the session: [1-9]\d* restored/);
    expect(s).not.toMatch(/s3-log-auditor undo \//);
  });

  it("at 80×24: the filter being typed is visible, help is not cut, space on a row without a fix says why, the review scrolls (g G space PgUp) and esc returns", async () => {
    ready();
    const p = pane("small");
    const { send, type, wait } = p;
    let s = await wait((x) => /\d+ failing · /.test(x), "the findings view (80×24)");
    expect(widest(s)).toBeLessThanOrEqual(80);

    send("/");
    type("rule:delivery-permitted");
    s = await wait((x) => x.includes("filter: rule:delivery-permitted▏"), "the filter text in the header");
    expect(s.split("\n")[0]).toMatch(/^fix · (.* · )?\d+ selected · delivery check: off · filter: rule:delivery-permitted▏$/);
    expect(s).toContain("type to filter (rule:ID, high, text) · enter keep · esc clear");
    send("Escape");
    await wait((x) => !x.includes("filter:"), "the filter cleared");

    send("?");
    s = await wait((x) => x.includes("Marks: "), "the help");
    expect(s).not.toContain("…");
    expect(s.replace(/\s+/g, " ")).toContain("filter: rule:ID, a severity (high, sev:crit), text; esc clears");
    expect(s.replace(/\s+/g, " ")).toContain("d delivery check on / off (logs-delivered), then scan again");
    expect(s.replace(/\s+/g, " ")).toContain("! ERR could not be evaluated");
    send("?");
    await wait((x) => x.includes("─ detail"), "the findings again");

    // An explicit Deny in the target's policy needs a person: filter to it, highlight the finding, space.
    send("/");
    type("rule:delivery-permitted eu-deny");
    send("Enter", "j", "j", "j");
    await wait((x) => /^›\s+\[-\] HIGH delivery-permitted/m.test(x), "a finding without an automatic fix highlighted");
    send("Space");
    s = await wait((x) => x.includes("cannot select: delivery-permitted: no automatic fix applies here; a person"), "the reason in the footer");
    expect(s).toMatch(/· 0 selected/);
    send("Escape");
    await wait((x) => !x.includes("filter:"), "the filter cleared");

    send("a", "Enter");
    s = await wait((x) => /Apply these changes\? · lines 1–20 of \d+ · \d+ more below/.test(x), "the review (80×24)");
    const total = Number(/of (\d+) ·/.exec(s)![1]);
    expect(s).toContain("y apply · esc back · ↑↓ line · space PgDn PgUp page · g G top/end · q quit");
    send("G");
    await wait((x) => x.includes(`lines ${total - 19}–${total} of ${total} · end`), "G: the end of the review");
    send("g");
    await wait((x) => x.includes(`lines 1–20 of ${total}`), "g: the top");
    send("Space");
    await wait((x) => x.includes(`lines 11–30 of ${total}`), "space: a page down");
    send("PPage");
    await wait((x) => x.includes(`lines 1–20 of ${total}`), "PgUp: a page up");
    send("NPage");
    await wait((x) => x.includes(`lines 11–30 of ${total}`), "PgDn: a page down");
    send("Escape");
    s = await wait((x) => x.includes("─ detail"), "esc: back to the findings");
    expect(s).toMatch(/· [1-9]\d* selected/);
    await p.quit(0, "the exit (80×24)");
  });

  it("TERM=dumb: line mode in the real terminal (no alternate screen): plan summary, y/N, the answer n applies nothing", async () => {
    ready();
    const target = `${SESSION}:dumb`;
    await waitForScreen((x) => /Apply these \d+ AWS write\(s\)\? \[y\/N\]/.test(x), "the line-mode question", 30_000, target);
    // The whole output, scrollback included (plain lines scroll; a screen would not).
    const history = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", target);
    expect(history).toMatch(/^Plan for \d+ bucket\(s\), resolving \d+ finding\(s\):$/m);
    expect(history).toMatch(/^\d+ failing finding\(s\) on \d+ bucket\(s\), \d+ with an automatic fix\.$/m);
    expect(tmux("display-message", "-p", "-t", target, "#{alternate_on}").trim()).toBe("0");
    tmux("send-keys", "-t", target, "n", "Enter");
    const done = await waitForScreen((x) => x.includes("EXIT="), "the exit (line mode)", 30_000, target);
    expect(done).toContain("Nothing applied.");
    expect(done).toContain("EXIT=0");
    expect(existsSync(join(dir, "dumb.jsonl"))).toBe(false);
  });

  it("demo fix --check-delivery at 80×24: v lists every bucket, a delivered source's detail shows its state, newest key and age; d turns the check off (rescan)", async () => {
    ready();
    const p = pane("delivery");
    const { send, type, wait } = p;
    let s = await wait((x) => /^fix · \d+ failing · .*delivery check: on \(window 48 h\)$/m.test(x), "the findings with the delivery check on");
    const failingWith = Number(/(\d+) failing/.exec(s)![1]);
    expect(s.trimEnd().split("\n").at(-1)).toContain("d delivery");
    // A failing source shows its state on its row.
    expect(s).toMatch(/· delivery none$/m);

    send("v");
    s = await wait((x) => x.includes("v failing d delivery"), "the all-buckets list");
    // Group rows count their passing buckets.
    expect(s).toMatch(/^›▾ \d{12} .*✓ \d+ passing · \d+\/\d+ selected$/m);
    send("/");
    type("demo-prod-orders");
    send("Enter", "j", "j");
    s = await wait((x) => /^›\s+demo-prod-orders ✓ passing · delivery delivered 6 h$/m.test(x), "the delivered source highlighted");
    expect(widest(s)).toBeLessThanOrEqual(80);
    expect(s.split("\n")[0]).toMatch(/^fix · .*delivery check: on \(window 48 h\) · filter: demo-prod-orders$/);
    const detail = s.slice(s.indexOf("─ detail")).replace(/\n/g, " ");
    expect(detail).toContain("✓ passes every rule evaluated, delivery delivered: nothing to fix");
    expect(detail).toMatch(/delivery: delivered · newest ?demo-prod-orders\/\d{4}-\d{2}-\d{2}-\d{2}-\d{2}-\d{2}-[0-9A-F]{16} \(6 h old\)/);
    send("Space");
    await wait((x) => x.includes("cannot select: passes every rule evaluated, delivery delivered: nothing to fix"), "why a passing row cannot be selected");

    // Escape on its own (Escape and a key at once are one Meta key to the terminal).
    send("Escape");
    await wait((x) => !x.includes("filter:"), "the filter cleared (delivery)");
    send("d");
    s = await wait((x) => /^fix · \d+ failing · .*delivery check: off$/m.test(x), "the rescanned list with the delivery check off");
    expect(Number(/(\d+) failing/.exec(s)![1])).toBeLessThan(failingWith);
    expect(s).not.toMatch(/· delivery (none|delivered|stale)/);
    await p.quit(0, "the exit (delivery)");
  });

  it("fix with rules.logs-delivered.enabled in the configuration file: the session's scan checks delivery (line mode)", async () => {
    ready();
    const p = pane("configured");
    await p.wait((x) => /Apply these \d+ AWS write\(s\)\? \[y\/N\]/.test(x), "the line-mode question (configured)");
    const history = tmux("capture-pane", "-p", "-J", "-S", "-", "-t", p.target);
    expect(history).toMatch(/^Delivery check \(window 48 h\): \d+ delivered, \d+ stale, \d+ none\.$/m);
    p.send("n", "Enter");
    const done = await p.wait((x) => x.includes("EXIT="), "the exit (configured)");
    expect(done).toContain("Nothing applied.");
    expect(done).toContain("EXIT=0");
  });

  it("Ctrl-C quits (exit 130) and leaves the terminal as it was (echo and canonical mode back on)", async () => {
    ready();
    const target = `${SESSION}:ctrlc`;
    await waitForScreen((x) => /\d+ failing · \d+ buckets/.test(x), "the findings view (ctrl-c window)", 30_000, target);
    tmux("send-keys", "-t", target, "C-c");
    const s = await waitForScreen((x) => /EXIT=\d+\n.*(icanon|echo)/.test(x), "the exit after ctrl-c", 30_000, target);
    expect(s).toContain("EXIT=130");
    expect(s).toMatch(/(^| )icanon( |$)/m);
    expect(s).toMatch(/(^| )echo( |$)/m);
    expect(s).not.toMatch(/-icanon|-echo( |$)/);
  });
});
