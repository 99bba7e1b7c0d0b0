/** The Node.js version check the entry point runs before loading anything else. */

/** The oldest Node.js the tool runs on (package.json `engines.node` is `>=` this; a test keeps them equal). */
export const MIN_NODE_VERSION = "22.12.0";

/** True when version `found` ("v22.3.0" or "22.3.0") is at least `required` ("22.12.0"). */
export function nodeVersionSatisfies(found: string, required: string): boolean {
  const a = found.replace(/^v/, "").split(".").map(Number);
  const b = required.split(".").map(Number);
  for (let i = 0; i < 3; i++) {
    const x = a[i] || 0;
    const y = b[i] || 0;
    if (x !== y) return x > y;
  }
  return true;
}

/** The one line printed (and exit 2) when the running Node.js is too old. */
export function nodeTooOldMessage(toolName: string, found: string, execPath: string): string {
  return `${toolName}: needs Node.js ${MIN_NODE_VERSION} or newer; this is Node.js ${found} (${execPath})`;
}
