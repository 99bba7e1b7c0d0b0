#!/usr/bin/env node
/**
 * Entry point of the `s3-log-auditor` command (bundled to dist/cli.js). It only checks the Node.js
 * version and then loads the program: every static import is evaluated before a module's own code,
 * so the check lives in a module that imports nothing but three leaf files.
 */
import { TOOL_NAME } from "./base/identity.js";
import { MIN_NODE_VERSION, nodeTooOldMessage, nodeVersionSatisfies } from "./base/node-version.js";
import { guardStdio } from "./cli/stdio.js";

guardStdio(); // a closed stdout/stderr (`| head`) never crashes a run, nor stops an apply midway

if (nodeVersionSatisfies(process.version, MIN_NODE_VERSION)) {
  const { main } = await import("./cli/main.js");
  await main();
} else {
  process.stderr.write(`${nodeTooOldMessage(TOOL_NAME, process.version, process.execPath)}\n`);
  process.exitCode = 2;
}
