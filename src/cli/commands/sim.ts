import type { Command } from "@commander-js/extra-typings";
/** Placeholder replaced by the simulator work (issue 2). */
export function registerSim(_program: Command): void {}
