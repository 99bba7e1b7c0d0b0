import { describe, expect, it } from "vitest";
import { escapeControl, escapeStrings, hasControl, safeJsonStringify } from "../../src/base/text.js";

const NASTY = "a\u001b]0;t\u0007b\u001b[2Jc\u009bd\u007fe\u0000f\tg\nh\u202ei\u2028j";

describe("escapeControl", () => {
  it("shows C0, DEL, C1, bidi and line separators as \\uXXXX", () => {
    expect(escapeControl(NASTY)).toBe("a\\u001b]0;t\\u0007b\\u001b[2Jc\\u009bd\\u007fe\\u0000f\\u0009g\\u000ah\\u202ei\\u2028j");
    expect(hasControl(escapeControl(NASTY))).toBe(false);
  });
  it("keeps the characters a format allows raw", () => {
    expect(escapeControl("a\tb\nc\u001b", "\t")).toBe("a\tb\\u000ac\\u001b");
  });
  it("returns clean text unchanged (same string)", () => {
    const s = "plain text — ünïcödé ✓";
    expect(escapeControl(s)).toBe(s);
  });
});

describe("safeJsonStringify", () => {
  it("never writes a raw control character and keeps the value", () => {
    const v = { k: NASTY, list: [NASTY], n: 1 };
    const text = safeJsonStringify(v, 2);
    // eslint-disable-next-line no-control-regex
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e]/.test(text)).toBe(false);
    expect(JSON.parse(text)).toEqual(v);
  });
  it("equals JSON.stringify when there is nothing to escape", () => {
    const v = { a: [1, "x"], b: null };
    expect(safeJsonStringify(v, 2)).toBe(JSON.stringify(v, null, 2));
  });
});

describe("escapeStrings", () => {
  it("escapes every string and key, and shares what is clean", () => {
    const clean = { x: ["ok"] };
    const v = { msg: "a\u001bb", clean, [`k\u009b`]: 1, arr: ["\u0007", 2, null] };
    const out = escapeStrings(v);
    expect(out).toEqual({ msg: "a\\u001bb", clean, "k\\u009b": 1, arr: ["\\u0007", 2, null] });
    expect(out.clean).toBe(clean);
    expect(v.msg).toBe("a\u001bb"); // the input is not modified
    const same = { a: "fine", b: [1, 2] };
    expect(escapeStrings(same)).toBe(same);
  });
});
