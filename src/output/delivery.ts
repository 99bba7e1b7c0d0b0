/**
 * The delivery states of a report (--check-delivery) for the formats that list results: SARIF
 * and JUnit. Failing and undecided states are findings already; passing states (delivered,
 * proven, pending) are listed only with --include-passed, so the rest are added here as `pass`
 * results of logs-delivered whose message is the state, the newest key and its age.
 */
import { DELIVERY_RULE_ID, PASSING_DELIVERY_STATES, deliveryText } from "../engine/delivery-state.js";
import { compareFindings, fingerprint, type Finding, type Severity } from "../model/finding.js";
import type { RuleMeta } from "../engine/define-rule.js";
import type { Report } from "./report.js";

/** The report's findings plus a `pass` result for each passing delivery state not already listed. */
export function findingsWithDelivery(report: Report, catalog: readonly Pick<RuleMeta, "id" | "severity">[]): Finding[] {
  const severity: Severity = catalog.find((m) => m.id === DELIVERY_RULE_ID)?.severity ?? "high";
  const listed = new Set(report.findings.filter((f) => f.ruleId === DELIVERY_RULE_ID).map((f) => f.fingerprint));
  const added: Finding[] = [];
  for (const b of report.buckets) {
    const v = b.delivery;
    if (!v || !PASSING_DELIVERY_STATES.includes(v.state)) continue;
    const id = fingerprint(DELIVERY_RULE_ID, b.account, b.name);
    if (listed.has(id)) continue;
    const { state, ...facts } = v;
    added.push({
      ruleId: DELIVERY_RULE_ID,
      status: "pass",
      severity,
      account: b.account,
      region: b.region,
      bucket: b.name,
      message: deliveryText(v),
      fixable: false,
      fingerprint: id,
      details: { delivery: state, ...facts },
    });
  }
  return added.length === 0 ? report.findings : [...report.findings, ...added].sort(compareFindings);
}
