/**
 * Exit codes of `scan`, `merge` and `demo` (spec §2):
 *   0  complete, no failing finding at or above the threshold that the baseline does not cover
 *   1  failing findings at or above the threshold
 *   2  bad usage or configuration (thrown as InputError, never computed here)
 *   3  incomplete: something could not be read; `--allow-partial` turns this into 0/1
 */
import { SEVERITIES, severityRank, type Severity } from "../model/finding.js";
import type { Report } from "./report.js";

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
export const EXIT_INCOMPLETE = 3;

export type FailOn = Severity | "none";
export const FAIL_ON_VALUES: readonly FailOn[] = [...SEVERITIES, "none"];
export const DEFAULT_FAIL_ON: FailOn = "low";

/** Number of failing (unmuted) findings at or above `failOn`. */
export function failingAtOrAbove(report: Pick<Report, "summary">, failOn: FailOn): number {
  if (failOn === "none") return 0;
  const limit = severityRank(failOn);
  let n = 0;
  for (const s of SEVERITIES) if (severityRank(s) <= limit) n += report.summary.failBySeverity[s];
  return n;
}

export function exitCodeFor(report: Pick<Report, "summary">, opts: { failOn: FailOn; allowPartial: boolean }): number {
  if (!report.summary.complete && !opts.allowPartial) return EXIT_INCOMPLETE;
  return failingAtOrAbove(report, opts.failOn) > 0 ? EXIT_FINDINGS : EXIT_OK;
}
