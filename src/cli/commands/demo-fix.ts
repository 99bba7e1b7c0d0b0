/**
 * `demo fix`: the interactive fix session on the built-in simulated organization (in-process on
 * loopback, dummy credentials; see ../demo-env.ts). Registered on the `demo` command.
 */
import { Option, type Command } from "@commander-js/extra-typings";
import { catalogMetas } from "../../app/catalog.js";
import { withDemoSim } from "../demo-env.js";
import { runInteractiveFix } from "../interactive.js";
import { addTargetOptions, parseScanOptions } from "../scan-options.js";
import { parseFixOptions } from "./fix.js";

/** Adds `demo fix` to the `demo` command. */
export function registerDemoFix(demo: Command): void {
  const cmd = demo
    .command("fix")
    .description("browse the demo organization's findings, pick fixes, see the diffs, apply, rescan (interactive)")
    .option("--journal <file>", "journal of the applied changes (default: a new file in the journals directory, see `journals`)")
    .option("--log-bucket-template <name>", "name of the account+Region log bucket", "s3-access-logs-{account}-{region}")
    .option("--log-retention-days <days>", "expiration of log objects in created log buckets", "365")
    .addOption(new Option("--key-format <format>", "key format of the logging configurations written").choices(["partitioned", "simple"]).default("partitioned"));
  addTargetOptions(cmd, { credentials: false, fromSnapshot: false });
  cmd.action(async () => {
    const raw = { ...(cmd.opts() as Record<string, unknown>) };
    if (raw.org === undefined && raw.accounts === undefined) raw.org = true;
    const scan = parseScanOptions(raw, catalogMetas());
    const fix = parseFixOptions(raw);
    process.exitCode = await withDemoSim((env) =>
      runInteractiveFix({
        scan,
        fix,
        env: {
          endpointUrl: env.endpoint,
          credentials: () => Promise.resolve(env.credentials),
          region: env.region,
          banner: "demo (simulated)",
        },
      }),
    );
  });
}
