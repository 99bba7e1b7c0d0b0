/**
 * Names the CLI prints for things a user can reach: the command as they ran it (`npm run demo --`
 * in a checkout, `s3-log-auditor` when installed) and files inside the installed package.
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { TOOL_NAME } from "../base/identity.js";

/** Where the report's JSON Schema is inside the package (package.json "files" ships it). */
export const REPORT_SCHEMA_FILE = "src/schema/report-v1.schema.json";

/** The folder of the s3-log-auditor package this code runs from (dist/… or src/… inside it), if found. */
export function packageRoot(from: string = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const manifest = join(dir, "package.json");
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, "utf8")) as { name?: unknown }).name === TOOL_NAME) return dir;
      } catch {
        // not ours: keep looking upwards
      }
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/** Absolute path of a file shipped in the package (e.g. the report's JSON Schema), when it exists. */
export function packagedFile(relative: string): string | undefined {
  const root = packageRoot();
  const file = root === undefined ? undefined : join(root, relative);
  return file !== undefined && existsSync(file) ? file : undefined;
}

/** True when this run was started by an npm script of the s3-log-auditor checkout itself (`npm run demo`, `npm start`). */
function inOwnCheckoutScript(env: NodeJS.ProcessEnv): boolean {
  return env.npm_package_name === TOOL_NAME && (env.npm_lifecycle_event === "demo" || env.npm_lifecycle_event === "start");
}

/**
 * How to run `s3-log-auditor ARGS` the way the user started this run: through the checkout's npm
 * scripts (`npm run demo -- fix`, `npm start -- rules`) when they used one, else the command itself.
 */
export function commandHint(args: string, env: NodeJS.ProcessEnv = process.env): string {
  if (!inOwnCheckoutScript(env)) return `${TOOL_NAME} ${args}`;
  const demo = /^demo(?: (.*))?$/.exec(args);
  if (demo) return demo[1] ? `npm run demo -- ${demo[1]}` : "npm run demo";
  return `npm start -- ${args}`;
}
