/**
 * The options of `fix` and `demo fix`: the fix flag group (--plan-out, --apply, --yes, --journal,
 * --log-bucket-template, --log-retention-days, --key-format) composed with the target and
 * delivery groups of scan (./scan.ts) into one zod schema. To give `fix` another flag group,
 * declare it on the command and spread its shape and checks in here.
 */
import { Option, type Command } from "@commander-js/extra-typings";
import { z } from "zod";
import { accessOf, type AwsAccess, type ScanOptions } from "../../app/options.js";
import { logBucketTemplateProblem } from "../../fix/log-bucket-name.js";
import { DEFAULT_PLAN_OPTIONS } from "../../model/plan.js";
import { deliveryShape } from "./delivery.js";
import { checkScan, scanOptionsOf, type ScanContext } from "./scan.js";
import { targetShape } from "./target.js";
import { fileName, flag, integer } from "./values.js";

type AnyCommand = Command<any, any, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const KEY_FORMATS = ["partitioned", "simple"] as const;

/** Declares the fix flags; `apply: false` (demo fix, always interactive) leaves out --plan-out, --apply and --yes. */
export function addFixFlags<C extends AnyCommand>(cmd: C, opts: { apply: boolean }): C {
  if (opts.apply)
    cmd
      .option("--plan-out <file>", "write the plan (JSON) and print a summary; nothing is written to AWS")
      .option("--apply <plan>", "apply a plan written by --plan-out (with --yes)")
      .option("-y, --yes", "apply without asking (required outside a terminal)");
  cmd
    .option("--journal <file>", "journal of the applied changes (default: a new file in the journals directory, see `journals`)")
    .option("--log-bucket-template <name>", "name of the account+Region log bucket", DEFAULT_PLAN_OPTIONS.logBucketTemplate)
    .option("--log-retention-days <days>", "expiration of log objects in created log buckets", String(DEFAULT_PLAN_OPTIONS.logRetentionDays))
    .addOption(new Option("--key-format <format>", "key format of the logging configurations written").choices(KEY_FORMATS).default("partitioned"));
  return cmd;
}

export interface FixCliOptions {
  planOut?: string;
  apply?: string;
  yes: boolean;
  journal?: string;
  logBucketTemplate: string;
  logRetentionDays: number;
  keyFormat: "partitioned" | "simple";
}

/** The zod shape of the fix flags. */
export const fixShape = {
  planOut: fileName.optional(),
  apply: fileName.optional(),
  yes: flag,
  journal: fileName.optional(),
  logBucketTemplate: z.string().default(DEFAULT_PLAN_OPTIONS.logBucketTemplate),
  logRetentionDays: integer(1, 36500, "a whole number of days between 1 and 36500").default(DEFAULT_PLAN_OPTIONS.logRetentionDays),
  keyFormat: z.enum(KEY_FORMATS).default("partitioned"),
};

/**
 * Flags that choose what to plan, which `--apply` cannot honour: the plan's scope and options
 * were fixed when it was written (its summary shows them). Refused rather than ignored; a
 * configuration file's scope and fix options are not used by `--apply` either.
 */
const NOT_WITH_APPLY = [
  "org",
  "accounts",
  "excludeAccounts",
  "regions",
  "buckets",
  "excludeBuckets",
  "rules",
  "skipRules",
  "fromSnapshot",
  "shard",
  "saveSnapshot",
  "checkDelivery",
  "allowEmpty",
  "logBucketTemplate",
  "logRetentionDays",
  "keyFormat",
] as const;

/** What the fix options depend on besides the flags. */
export interface FixContext extends ScanContext {
  /** Whether the command line (not a default or the configuration) gave option `key`. */
  given: (key: string) => boolean;
  /** stdin and stdout are a terminal (someone could review a plan before --apply). */
  terminal: boolean;
}

/** The typed options of `fix`: applying a written plan, or planning from a scan. */
export type FixCommandOptions = { fix: FixCliOptions; access: AwsAccess; quiet: boolean } & ({ apply: string; scan?: undefined } | { apply?: undefined; scan: ScanOptions });

/** The schema of `fix` and `demo fix`. */
export function fixCommandSchema(c: FixContext) {
  return z
    .object({ ...targetShape, ...deliveryShape, ...fixShape })
    .superRefine((v, ctx) => {
      if (v.apply !== undefined) {
        if (v.planOut !== undefined) ctx.addIssue({ code: "custom", path: ["apply"], message: "{flag} and {flag:planOut} cannot be combined (the plan is already written)" });
        const given = NOT_WITH_APPLY.filter((key) => c.given(key));
        if (given.length > 0)
          ctx.addIssue({
            code: "custom",
            path: [],
            message: `${given.map((k) => `{flag:${k}}`).join(", ")} cannot be combined with {flag:apply}: a plan is applied as written (its scope and options were fixed by {flag:planOut}); write a new plan with ${given.length > 1 ? "these flags" : "that flag"} instead`,
          });
        if (!v.yes) ctx.addIssue({ code: "custom", path: ["apply"], message: c.terminal ? "{flag} needs {flag:yes} (review the plan first with its summary)" : "{flag} needs {flag:yes} when not run in a terminal" });
        return;
      }
      checkScan(v, c, ctx);
      // --from-snapshot without --regions: the snapshot's own Regions decide (the planner checks).
      const singleRegion = v.regions ? v.regions.length === 1 : v.fromSnapshot !== undefined;
      const problem = logBucketTemplateProblem(v.logBucketTemplate, singleRegion);
      if (problem) ctx.addIssue({ code: "custom", path: ["logBucketTemplate"], message: problem });
    })
    .transform((v): FixCommandOptions => {
      const fix: FixCliOptions = { yes: v.yes, logBucketTemplate: v.logBucketTemplate, logRetentionDays: v.logRetentionDays, keyFormat: v.keyFormat };
      if (v.planOut !== undefined) fix.planOut = v.planOut;
      if (v.apply !== undefined) fix.apply = v.apply;
      if (v.journal !== undefined) fix.journal = v.journal;
      if (v.apply !== undefined) return { fix, access: accessOf(v), quiet: v.quiet, apply: v.apply };
      const scan = scanOptionsOf(v, c);
      return { fix, access: accessOf(scan.target), quiet: v.quiet, scan };
    });
}
