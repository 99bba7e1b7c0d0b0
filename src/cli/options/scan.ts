/**
 * The options of `scan` and `demo`: one zod schema composed of the target, delivery, report and
 * listing flag groups, turning commander's values (with the configuration file's under them) into
 * the application's ScanOptions and where the report goes. `fix` composes the same groups
 * (./fix.ts).
 */
import { z } from "zod";
import type { ScanOptions } from "../../app/options.js";
import type { Config } from "../../config/schema.js";
import type { Severity } from "../../model/finding.js";
import { DEFAULT_FAIL_ON, type FailOn } from "../../output/exit-code.js";
import type { ReportFormat } from "../../output/format.js";
import { configSeverities } from "../config-options.js";
import { ruleOptionsOf } from "../rule-option-flags.js";
import { checkDelivery, deliveryOf, deliveryShape } from "./delivery.js";
import { flag } from "./values.js";
import { gateShape, listingShape, outputShape, reportOutputOf, type ReportOutputOptions } from "./report.js";
import { checkRuleIds, checkTarget, ruleIdsOf, scanTargetOf, targetShape, type RuleChoice } from "./target.js";

/** What a scan's options depend on besides the flags: the catalog and the configuration file. */
export interface ScanContext extends RuleChoice {
  /** The configuration file (its severity overrides and exceptions). */
  config?: Config;
}

const scanFlags = z.object({ ...targetShape, ...deliveryShape });
type ScanFlagValues = z.output<typeof scanFlags> & {
  failOn?: FailOn;
  allowPartial?: boolean;
  includePassed?: boolean;
  severity?: Severity[] | undefined;
  baseline?: string | undefined;
  writeBaseline?: string | undefined;
};

/** Cross-flag rules of the target and delivery flags (scan, demo, fix). */
export function checkScan(v: z.output<typeof scanFlags>, c: ScanContext, ctx: z.RefinementCtx): void {
  checkTarget(v, ctx);
  checkDelivery(v, ctx);
  checkRuleIds(v, c, ctx);
}

/** The application's ScanOptions of parsed values (flags without a value take their defaults). */
export function scanOptionsOf(v: ScanFlagValues, c: ScanContext): ScanOptions {
  const opts: ScanOptions = {
    target: scanTargetOf(v),
    ruleOptions: ruleOptionsOf(v),
    includePassed: v.includePassed === true,
    failOn: v.failOn ?? DEFAULT_FAIL_ON,
    allowPartial: v.allowPartial === true,
    quiet: v.quiet,
  };
  if (v.allowEmpty) opts.allowEmpty = true;
  const rules = ruleIdsOf(v, c);
  if (rules) opts.rules = rules;
  const delivery = deliveryOf(v);
  if (delivery) {
    opts.delivery = delivery;
    if (opts.rules && !opts.rules.includes("logs-delivered")) opts.rules = [...opts.rules, "logs-delivered"];
  }
  if (v.severity) opts.listSeverities = v.severity;
  if (v.fromSnapshot !== undefined) opts.fromSnapshot = v.fromSnapshot;
  if (v.saveSnapshot !== undefined) opts.saveSnapshot = v.saveSnapshot;
  if (v.baseline !== undefined) opts.baseline = v.baseline;
  if (v.writeBaseline !== undefined) opts.writeBaseline = v.writeBaseline;
  const severities = configSeverities(c.config ?? {});
  if (Object.keys(severities).length > 0) opts.severityOverrides = severities;
  if (c.config?.exceptions && c.config.exceptions.length > 0) opts.exceptions = c.config.exceptions;
  return opts;
}

/** The typed options of `scan` and `demo`. */
export interface ScanCommandOptions {
  scan: ScanOptions;
  report: ReportOutputOptions;
  /** `scan --print-config`: print the effective configuration and exit. */
  printConfig: boolean;
  /** `demo --canary-round-trip` (the flag is declared by the demo): scan twice around the simulated delivery delay. */
  canaryRoundTrip: boolean;
}

/** The schema of `scan` / `demo`; `stdoutFormat` is the report's format on stdout when no flag chooses one. */
export function scanCommandSchema(c: ScanContext, stdoutFormat: ReportFormat) {
  return scanFlags
    .extend({ ...gateShape, ...listingShape, ...outputShape, printConfig: flag, canaryRoundTrip: flag })
    .superRefine((v, ctx) => {
      checkScan(v, c, ctx);
      if (v.canaryRoundTrip && !v.checkDelivery) ctx.addIssue({ code: "custom", path: ["canaryRoundTrip"], message: "{flag} needs {flag:checkDelivery}" });
      if (v.canaryRoundTrip && v.sinceSnapshot !== undefined)
        ctx.addIssue({ code: "custom", path: ["canaryRoundTrip"], message: "{flag} makes its own earlier snapshot: leave out {flag:sinceSnapshot}" });
    })
    .transform(
      (v, ctx): ScanCommandOptions => ({ scan: scanOptionsOf(v, c), report: reportOutputOf(v, stdoutFormat, ctx), printConfig: v.printConfig, canaryRoundTrip: v.canaryRoundTrip }),
    );
}

/** The target and delivery flags alone, into ScanOptions (`logs athena`'s scan). */
export function scanTargetSchema(c: ScanContext) {
  return scanFlags.superRefine((v, ctx) => checkScan(v, c, ctx)).transform((v) => scanOptionsOf(v, c));
}
