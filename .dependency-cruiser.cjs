/**
 * The layer rules of s3-log-auditor (README "Architecture"), checked by `npm test`.
 * Every rule is an error: a violation fails the test command.
 */
/**
 * One forbidden-dependency rule: modules matching `from` must not import modules matching `to`.
 * @param {string} name
 * @param {string} comment
 * @param {Record<string, unknown>} from
 * @param {Record<string, unknown>} to
 * @returns {Record<string, unknown>}
 */
function forbid(name, comment, from, to) {
  return { name, severity: "error", comment, from, to };
}

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    forbid("no-circular", "No circular imports: each layer builds on the ones below it only.", {}, { circular: true }),
    forbid("base-is-a-leaf", "src/base (identity, typed errors) imports nothing of ours.", { path: "^src/base/" }, { path: "^(src|rules)/", pathNot: "^src/base/" }),
    forbid("model-is-a-leaf", "src/model (plain data + zod schemas) imports only src/base.", { path: "^src/model/" }, { path: "^(src|rules)/", pathNot: "^src/(model|base)/" }),
    forbid("model-has-no-sdk-types", "Plan, journal and snapshot data are free of AWS SDK types.", { path: "^src/model/" }, { path: "@aws-sdk/" }),
    forbid("rules-use-only-the-rule-contract", "rules/ import only the engine's rule contract (define-rule & co.), rules/_lib, src/model and src/base.", { path: "^rules/" }, { path: "^src/", pathNot: "^src/(model|base)/|^src/engine/(define-rule|snapshot-index|policy-eval|delivery-key|delivery-state|cycles)\\.ts$", }),
    forbid("lower-layers-never-import-cli-ui-app", "engine, collect, fix, output, sim, logs, progress, model, base never import src/cli, src/ui or src/app.", { path: "^src/(engine|collect|fix|output|sim|logs|progress|model|base|schema)/" }, { path: "^src/(cli|ui|app)/|^src/cli\\.ts$" }),
    forbid("app-never-imports-cli-or-ui", "src/app (the application layer) serves the CLI and the UI; it imports neither.", { path: "^src/app/" }, { path: "^src/(cli|ui)/|^src/cli\\.ts$" }),
    forbid("ui-never-imports-cli-or-collect", "The UI only shows and asks: it gets its services from src/app, never from the CLI or collection.", { path: "^src/ui/" }, { path: "^src/(cli|collect)/|^src/cli\\.ts$" }),
    forbid("sim-answers-to-aws-not-to-the-scanner", "The simulator never imports the engine, the rules, the fix engine or the log tools.", { path: "^src/sim/" }, { path: "^src/(engine|fix|logs)/|^rules/" }),
    forbid("planner-knows-no-rule", "The fix engine talks to rules only through typed intents; it imports nothing from rules/, not even through another module.", { path: "^src/fix/" }, { path: "^rules/", reachable: true }),
    forbid("heavy-modules-load-on-demand", "The AWS SDK (collection, apply/undo), ink (the UI) and the simulator are loaded with import() only in the commands that use them.", { path: "^src/(cli|app)/|^src/cli\\.ts$" }, { path: "^src/(collect/(index|clients|account|accounts|scheduler|errors|normalise)|fix/(apply|undo|aws)|ui|sim|progress/index)(/|\\.tsx?$)", dependencyTypesNot: ["dynamic-import", "type-only"], }),
    forbid("not-to-test", "Product code never imports test code.", { path: "^(src|rules)/" }, { path: "^test/" }),
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
