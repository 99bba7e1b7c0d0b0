/** Hints name what the user can run: the checkout's npm scripts only when one of them started the run. */
import { describe, expect, it } from "vitest";
import { commandHint, packageRoot, packagedFile, REPORT_SCHEMA_FILE } from "../../src/cli/install-paths.js";
import { ROOT } from "./helpers.js";

describe("commandHint", () => {
  const demo = { npm_package_name: "s3-log-auditor", npm_lifecycle_event: "demo" };
  it("follows `npm run demo` / `npm start` of this checkout", () => {
    expect(commandHint("demo fix", demo)).toBe("npm run demo -- fix");
    expect(commandHint("demo", demo)).toBe("npm run demo");
    expect(commandHint("rules", demo)).toBe("npm start -- rules");
    expect(commandHint("rules", { ...demo, npm_lifecycle_event: "start" })).toBe("npm start -- rules");
  });
  it("names the installed command otherwise (also inside another project's npm script or a test run)", () => {
    expect(commandHint("demo fix", {})).toBe("s3-log-auditor demo fix");
    expect(commandHint("demo fix", { npm_package_name: "my-infra", npm_lifecycle_event: "demo" })).toBe("s3-log-auditor demo fix");
    expect(commandHint("rules", { ...demo, npm_lifecycle_event: "test" })).toBe("s3-log-auditor rules");
  });
});

describe("packaged files", () => {
  it("finds the package root and the shipped JSON Schema", () => {
    expect(packageRoot()).toBe(ROOT);
    expect(packagedFile(REPORT_SCHEMA_FILE)).toBe(`${ROOT}/${REPORT_SCHEMA_FILE}`);
    expect(packagedFile("no/such/file.json")).toBeUndefined();
    expect(packageRoot("/")).toBeUndefined();
  });
});
