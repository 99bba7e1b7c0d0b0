import { describe, expect, it } from "vitest";
import { fitSegments } from "../../../src/ui/components/styled-line.js";
import { detailLines, truncate } from "../../../src/ui/state/lines.js";
import type { Row } from "../../../src/ui/state/findings.js";
import type { BucketSnapshot } from "../../../src/model/snapshot.js";
import { A, bucket, snapshot } from "../fixtures.js";

describe("UI text never carries a raw control character", () => {
  it("truncate shows control characters escaped, and measures the escaped text", () => {
    expect(truncate("sid \u001b]0;x\u0007 \u009b2J", 80)).toBe("sid \\u001b]0;x\\u0007 \\u009b2J");
    expect(truncate("\u001b[2J-tail", 8)).toBe("\\u001b[…");
  });
  it("fitSegments escapes every segment", () => {
    const out = fitSegments([{ text: "a\u001b[2J", tone: "text" }, { text: "\u009bb", tone: "dim", flex: true }], 80);
    expect(out.map((s) => s.text)).toEqual(["a\\u001b[2J", "\\u009bb"]);
  });
});

describe("bucket detail with --check-delivery", () => {
  const source = (delivery: BucketSnapshot["delivery"]) =>
    bucket(A, "us-east-1", "app", {
      logging: { status: "ok", value: { targetBucket: "logs", targetPrefix: "app/", targetGrants: [], keyFormat: { type: "simple" }, keyFormatExplicit: false } },
      delivery,
    });
  const detailOf = (b: BucketSnapshot) => {
    const snap = snapshot([b]);
    const row: Row = { kind: "bucket", key: "b", depth: 2, node: { kind: "bucket", key: "b", account: A, region: "us-east-1", name: "app", findings: [] }, findings: [], collapsed: false };
    return detailLines({ snapshot: snap, row, rules: new Map(), width: 200 });
  };

  it("shows the state, the newest key and its age (a passing state too)", () => {
    const lines = detailOf(source({ status: "ok", value: { target: "logs", prefix: "app/", anyObject: true, newest: { key: "app/2025-12-31-21-00-00-ABC", lastModified: "2025-12-31T21:00:00.000Z" } } }));
    expect(lines).toContainEqual({ text: "delivery: delivered · newest app/2025-12-31-21-00-00-ABC (3 h old)", tone: "ok" });
  });
  it("shows a failed listing as error, and nothing without --check-delivery", () => {
    expect(detailOf(source({ status: "error", operation: "ListObjectsV2", code: "AccessDenied", message: "x" }))).toContainEqual({ text: "delivery: error (ListObjectsV2 AccessDenied)", tone: "error" });
    expect(detailOf(source(undefined)).some((l) => l.text.startsWith("delivery:"))).toBe(false);
  });
});
