/**
 * `demo fix`: the interactive fix session on the built-in simulated organization (in-process on
 * loopback, dummy credentials; see ../demo-env.ts). Registered on the `demo` command.
 */
import type { Command } from "@commander-js/extra-typings";
import { catalogMetas } from "../../app/catalog.js";
import { withDemoSim } from "../demo-env.js";
import { runInteractiveFix } from "../interactive.js";
import { addFixFlags, fixCommandSchema } from "../options/fix.js";
import { flagNames, parseOptions } from "../options/parse.js";
import { addTargetFlags } from "../options/target.js";

/** Adds `demo fix` to the `demo` command. */
export function registerDemoFix(demo: Command): void {
  const cmd = demo.command("fix").description("browse the demo organization's findings, pick fixes, see the diffs, apply, rescan (interactive)");
  addFixFlags(cmd, { apply: false });
  addTargetFlags(cmd, { credentials: false, fromSnapshot: false });
  cmd.action(async () => {
    const raw = { ...(cmd.opts() as Record<string, unknown>) };
    if (raw.org === undefined && raw.accounts === undefined) raw.org = true;
    const { scan, fix } = parseOptions(fixCommandSchema({ catalog: catalogMetas(), given: () => false, terminal: true }), raw, flagNames(cmd as never));
    if (!scan) return; // not reached: demo fix has no --apply
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
