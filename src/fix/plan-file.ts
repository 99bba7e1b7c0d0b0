/** The plan file: versioned JSON; loading validates it fully (one-line error, exit 2). */
import { InputError } from "../base/errors.js";
import { safeJsonStringify } from "../base/text.js";
import { PLAN_KIND, PLAN_SCHEMA_VERSION, PlanSchema, type Plan } from "../model/plan.js";

/** The plan file's JSON text. */
export function serializePlan(plan: Plan): string {
  return `${safeJsonStringify(plan, 2)}\n`;
}

/** Parses and validates a plan file's text; throws InputError (one line) when invalid. */
export function parsePlan(text: string, source = "plan"): Plan {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${source}: not a valid plan file (invalid JSON: ${(err as Error).message.split("\n")[0]})`);
  }
  const head = (json ?? {}) as { kind?: unknown; schemaVersion?: unknown };
  if (typeof json !== "object" || json === null || head.kind !== PLAN_KIND)
    throw new InputError(`${source}: not an ${PLAN_KIND} file (kind is ${JSON.stringify(head.kind ?? null)})`);
  if (head.schemaVersion !== PLAN_SCHEMA_VERSION)
    throw new InputError(
      `${source}: plan schema version ${JSON.stringify(head.schemaVersion ?? null)} is not supported (expected ${PLAN_SCHEMA_VERSION}); re-create the plan with this version`,
    );
  const parsed = PlanSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue ? issue.path.join(".") || "(root)" : "(root)";
    throw new InputError(`${source}: invalid plan file at ${where}: ${issue?.message ?? "invalid"}`);
  }
  const plan = parsed.data;
  const seen = new Set<string>();
  for (const s of plan.steps) {
    if (seen.has(s.id)) throw new InputError(`${source}: invalid plan file: duplicate step id ${s.id}`);
    for (const d of s.dependsOn)
      if (!seen.has(d)) throw new InputError(`${source}: invalid plan file: step ${s.id} depends on ${d}, which does not come before it`);
    seen.add(s.id);
  }
  return plan;
}
