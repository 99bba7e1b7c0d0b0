/**
 * Public API of the simulated AWS organization (S3, STS, Organizations on 127.0.0.1).
 * Other modules import exactly these names.
 */
export { startSimulator } from "./server.js";
export type { SimOptions, RunningSim, SimMetrics } from "./server.js";
export { loadScenarioFile, parseScenarioText, validateScenario, validateFaults, ScenarioSchema, FaultSpecSchema } from "./scenario.js";
export type { Scenario, AccountSpec, BucketSpec, RoleSpec, LoggingSpec, GrantSpec, FaultSpec, FaultRule } from "./scenario.js";
export { demoScenario, DEMO_ACCOUNTS } from "./demo.js";
export { generateScenario, generatedAccountId, GENERATED_MANAGEMENT_ACCOUNT } from "./generate.js";
export type { GenerateOptions } from "./generate.js";
export { SimState } from "./state.js";
export type { SimBucket, SimAccount, SimRole, SimIdentity, SimGrant, SimLogging, SimObject } from "./state.js";
