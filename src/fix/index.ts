/**
 * Public API of the fix engine (the CLI and the interactive UI use only this module):
 *   planFixes(snapshot, findings, {intents, ...options}) → Plan      (pure; intents: the engine's intentSource)
 *   applyPlan(plan, {clients, journalPath, onEvent, signal, concurrency, stepIds}) → ApplySummary
 *   undoJournal(journalPath, {clients, journalPath, force, onEvent, signal})       → UndoSummary
 *   describeStep(step) → one line;  stepDiff(step) → unified diff;  summarizePlan(plan) → text
 *   stepKind/planCounts/planCountLine → what a plan will do;  planView(plan) → `fix show`
 *   parsePlan(text, source) / serializePlan(plan)  — the plan file
 */
export * from "./types.js";
export * from "../model/plan.js";
export * from "../model/journal.js";
export { planFixes, logBucketName, bucketNameProblem, checkLogBucketTemplate, logBucketTemplateProblem } from "./plan.js";
export { applyPlan } from "./apply.js";
export { undoJournal } from "./undo.js";
export { describeStep, stepDiff, summarizePlan, planCountLine, planCounts, stepKind, planView } from "./describe.js";
export { parsePlan, serializePlan } from "./plan-file.js";
export { readJournal } from "./journal.js";
export { defaultJournalPath, journalsDir } from "./journal-dir.js";
export { DELIVERY_SID, RETENTION_RULE_ID, POLICY_SIZE_LIMIT } from "./merge.js";
