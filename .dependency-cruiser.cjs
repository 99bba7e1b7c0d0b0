/**
 * The layer rules of s3-log-auditor (README "Architecture"), checked by `npm test`.
 * Every rule is an error: a violation fails the test command.
 */
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No circular imports: each layer builds on the ones below it only.",
      from: {},
      to: { circular: true },
    },
    {
      name: "base-is-a-leaf",
      severity: "error",
      comment: "src/base (identity, typed errors) imports nothing of ours.",
      from: { path: "^src/base/" },
      to: { path: "^(src|rules)/", pathNot: "^src/base/" },
    },
    {
      name: "model-is-a-leaf",
      severity: "error",
      comment: "src/model (plain data + zod schemas) imports only src/base.",
      from: { path: "^src/model/" },
      to: { path: "^(src|rules)/", pathNot: "^src/(model|base)/" },
    },
    {
      name: "model-has-no-sdk-types",
      severity: "error",
      comment: "Plan, journal and snapshot data are free of AWS SDK types.",
      from: { path: "^src/model/" },
      to: { path: "@aws-sdk/" },
    },
    {
      name: "rules-use-only-the-rule-contract",
      severity: "error",
      comment: "rules/ import only the engine's rule contract (define-rule & co.), rules/_lib, src/model and src/base.",
      from: { path: "^rules/" },
      to: {
        path: "^src/",
        pathNot: "^src/(model|base)/|^src/engine/(define-rule|snapshot-index|policy-eval|delivery-key|cycles)\\.ts$",
      },
    },
    {
      name: "lower-layers-never-import-cli-ui-app",
      severity: "error",
      comment: "engine, collect, fix, output, sim, logs, progress, model, base never import src/cli, src/ui or src/app.",
      from: { path: "^src/(engine|collect|fix|output|sim|logs|progress|model|base|schema)/" },
      to: { path: "^src/(cli|ui|app)/|^src/cli\\.ts$" },
    },
    {
      name: "app-never-imports-cli-or-ui",
      severity: "error",
      comment: "src/app (the application layer) serves the CLI and the UI; it imports neither.",
      from: { path: "^src/app/" },
      to: { path: "^src/(cli|ui)/|^src/cli\\.ts$" },
    },
    {
      name: "ui-never-imports-cli-or-collect",
      severity: "error",
      comment: "The UI only shows and asks: it gets its services from src/app, never from the CLI or collection.",
      from: { path: "^src/ui/" },
      to: { path: "^src/(cli|collect)/|^src/cli\\.ts$" },
    },
    {
      name: "sim-answers-to-aws-not-to-the-scanner",
      severity: "error",
      comment: "The simulator never imports the engine, the rules, the fix engine or the log tools.",
      from: { path: "^src/sim/" },
      to: { path: "^src/(engine|fix|logs)/|^rules/" },
    },
    {
      name: "planner-knows-no-rule",
      severity: "error",
      comment: "The fix engine talks to rules only through typed intents; it imports nothing from rules/.",
      from: { path: "^src/fix/" },
      to: { path: "^rules/" },
    },
    {
      name: "heavy-modules-load-on-demand",
      severity: "error",
      comment:
        "The AWS SDK (collection, apply/undo), ink (the UI) and the simulator are loaded with import() only in the commands that use them.",
      from: { path: "^src/(cli|app)/|^src/cli\\.ts$" },
      to: {
        path: "^src/(collect/(index|clients|account|accounts|scheduler|errors|normalise)|fix/(apply|undo|aws)|ui|sim|progress/index)(/|\\.tsx?$)",
        dependencyTypesNot: ["dynamic-import", "type-only"],
      },
    },
    {
      name: "not-to-test",
      severity: "error",
      comment: "Product code never imports test code.",
      from: { path: "^(src|rules)/" },
      to: { path: "^test/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(dist|node_modules)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
  },
};
