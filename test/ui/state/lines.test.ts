import { describe, expect, it } from "vitest";
import { fitSegments } from "../../../src/ui/components/styled-line.js";
import { truncate } from "../../../src/ui/state/lines.js";

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
