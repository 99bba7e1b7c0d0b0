/** The CLI words lower layers' messages: their terms become its flags, the plain text keeps plain words. */
import { describe, expect, it } from "vitest";
import { InputError, PLAIN_TERMS, describeError as describePlain, term, worded } from "../../src/base/errors.js";
import { CLI_TERMS, describeError, exitCodeOf } from "../../src/cli/errors.js";
import { parseReport } from "../../src/output/merge.js";

describe("worded errors", () => {
  it("say terms in plain words below the CLI and with flags in the CLI", () => {
    const err = new InputError(worded`x.json is a snapshot (${term("savedSnapshot")}), not a report of ${term("jsonReport")}`);
    expect(err.message).toBe("x.json is a snapshot (saved by a scan), not a report of a scan in JSON format");
    expect(describePlain(err)).toBe(err.message);
    expect(describeError(err)).toBe("x.json is a snapshot (--save-snapshot), not a report of scan --format json");
    expect(exitCodeOf(err)).toBe(2);
  });

  it("every term has CLI words, and a real lower-layer error is worded by the CLI", () => {
    expect(Object.keys(CLI_TERMS).sort()).toEqual(Object.keys(PLAIN_TERMS).sort());
    let thrown: unknown;
    try {
      parseReport("{", "r.json");
    } catch (e) {
      thrown = e;
    }
    expect((thrown as Error).message).not.toMatch(/--/);
    expect(describeError(thrown)).toBe("r.json is not valid JSON (expected a report of scan --format json)");
  });
});
