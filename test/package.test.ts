/**
 * The published package: `npm pack` of a checkout without dist/ builds and ships the bundle, the
 * tarball installs (from the npm cache that `npm ci` filled, no network) and its command runs on
 * the Node that runs the tests, from a folder outside the checkout.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRules } from "../rules/index.js";
import { ROOT, cleanEnv, tempDir } from "./cli/helpers.js";

const tmp = tempDir();
afterAll(() => tmp.cleanup());

interface Manifest {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  bin: Record<string, string>;
  [k: string]: unknown;
}
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Manifest;

/** The environment for npm: the test's Node first on PATH, none of the outer `npm test`'s npm_* settings. */
function npmEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(cleanEnv())) if (!/^npm_/i.test(k) || /^npm_config_cache$/i.test(k)) env[k] = v;
  env.PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ""}`;
  return env;
}

function run(cmd: string, args: string[], cwd: string): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, env: npmEnv(), encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

let tarball: string;
let files: string[];
let bin: string;

beforeAll(() => {
  // A fresh checkout: the tracked sources without dist/ (node_modules is shared, as after `npm ci`).
  const clone = join(tmp.dir, "clone");
  mkdirSync(clone);
  for (const f of ["package.json", "package-lock.json", ".npmrc", "LICENSE", "README.md", "tsconfig.json", "src", "rules", ".ci"]) {
    cpSync(join(ROOT, f), join(clone, f), { recursive: true });
  }
  symlinkSync(join(ROOT, "node_modules"), join(clone, "node_modules"));
  const packed = run("npm", ["pack", "--json", "--pack-destination", tmp.dir], clone);
  if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
  const info = JSON.parse(packed.stdout.slice(packed.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  tarball = join(tmp.dir, info[0]!.filename);
  files = info[0]!.files.map((f) => f.path);

  // Install it the way npm installs a dependency, with the lock file's exact versions so that
  // every tarball comes from the cache (`--offline`): a project that depends on the tarball.
  const prefix = join(tmp.dir, "prefix");
  mkdirSync(prefix);
  const lock = JSON.parse(readFileSync(join(ROOT, "package-lock.json"), "utf8")) as { packages: Record<string, { dev?: boolean }> };
  const spec = `file:${tarball}`;
  const packages: Record<string, unknown> = {
    "": { name: "pack-test", dependencies: { [pkg.name]: spec } },
    [`node_modules/${pkg.name}`]: { version: pkg.version, resolved: spec, license: pkg.license, dependencies: pkg.dependencies, bin: pkg.bin, engines: pkg.engines },
  };
  for (const [path, entry] of Object.entries(lock.packages)) if (path !== "" && entry.dev !== true) packages[path] = entry;
  writeFileSync(join(prefix, "package.json"), JSON.stringify({ name: "pack-test", private: true, dependencies: { [pkg.name]: spec } }));
  writeFileSync(join(prefix, "package-lock.json"), JSON.stringify({ name: "pack-test", lockfileVersion: 3, requires: true, packages }));
  const installed = run("npm", ["ci", "--offline", "--no-audit", "--no-fund", "--loglevel=error"], prefix);
  if (installed.status !== 0) throw new Error(`npm ci --offline of the tarball failed: ${installed.stderr}`);
  bin = join(prefix, "node_modules", ".bin", "s3-log-auditor");
});

describe("npm pack", () => {
  it("ships the built bundle, the JSON Schema, README and LICENSE, and no sources or tests", () => {
    expect(files).toContain("dist/cli.js");
    expect(files.some((f) => f.startsWith("dist/chunks/"))).toBe(true);
    expect(files).toEqual(expect.arrayContaining(["package.json", "README.md", "LICENSE", "src/schema/report-v1.schema.json"]));
    expect(files.filter((f) => /\.tsx?$/.test(f) || f.startsWith("test/") || f.startsWith("rules/"))).toEqual([]);
    expect(readFileSync(join(ROOT, "LICENSE"), "utf8")).toMatch(new RegExp(`^${pkg.license as string} License`));
  });
});

describe("the installed command", () => {
  const runBin = (...args: string[]) => run(bin, args, tmp.dir);

  it("is linked and reports the package version", () => {
    expect(existsSync(bin)).toBe(true);
    const r = runBin("--version");
    expect(r).toEqual({ status: 0, stdout: `${pkg.version}\n`, stderr: "" });
  });

  it("lists the rules", () => {
    const r = runBin("rules");
    expect(r.status).toBe(0);
    for (const rule of allRules()) expect(r.stdout).toContain(rule.meta.id);
  });

  it("runs the demo and points only at things an installed user can reach", () => {
    const r = runBin("demo", "--format", "json");
    expect(r.status).toBe(0);
    const report = JSON.parse(r.stdout) as { summary: { accounts: number; complete: boolean } };
    expect(report.summary).toMatchObject({ accounts: 4, complete: true });
    expect(r.stderr).not.toMatch(/Warning|\(node:\d+\)/);
    expect(r.stderr).not.toMatch(/npm run|npm start/);
    const schema = /JSON Schema: (\S+)\)/.exec(r.stderr)?.[1];
    expect(schema).toBeDefined();
    expect(schema!.startsWith(ROOT)).toBe(false);
    expect(JSON.parse(readFileSync(schema!, "utf8")).$id).toMatch(/report-v1\.schema\.json$/);
    expect(r.stderr).toContain("s3-log-auditor demo fix");
  });

  it("has no dependency outside package.json's dependencies", () => {
    const modules = readdirSync(join(tmp.dir, "prefix", "node_modules"));
    for (const dev of ["vitest", "typescript", "esbuild", "tsx"]) expect(modules).not.toContain(dev);
    expect(execFileSync(process.execPath, [join(tmp.dir, "prefix", "node_modules", pkg.name, "dist", "cli.js"), "--version"], { encoding: "utf8" })).toBe(`${pkg.version}\n`);
  });
});
