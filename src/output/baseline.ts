/**
 * Baselines: accepted exceptions for CI gates. A baseline is a list of finding fingerprints;
 * a failing finding whose fingerprint is in it becomes `muted` (reported, but it never fails
 * the gate). Errors are never muted: an unreadable bucket stays visible.
 *
 * File format (`--write-baseline FILE` writes it):
 *   { "kind": "s3-log-auditor-baseline", "version": 1, "createdAt": "…",
 *     "findings": [ { "fingerprint": "…", "ruleId": "…", "account": "…", "bucket": "…" } ] }
 * A JSON report of an earlier scan is accepted as a baseline too (its fail and muted findings).
 */
import { readFile } from "node:fs/promises";
import { writeFileAtomic } from "../base/atomic-file.js";
import { z } from "zod";
import type { Finding } from "../model/finding.js";
import { InputError } from "../base/errors.js";

export const BASELINE_KIND = "s3-log-auditor-baseline";

const BaselineEntrySchema = z.object({
  fingerprint: z.string().min(1),
  ruleId: z.string().optional(),
  account: z.string().optional(),
  bucket: z.string().optional(),
});
export type BaselineEntry = z.infer<typeof BaselineEntrySchema>;

export const BaselineFileSchema = z.object({
  kind: z.literal(BASELINE_KIND),
  version: z.literal(1),
  createdAt: z.string(),
  findings: z.array(BaselineEntrySchema),
});
export type BaselineFile = z.infer<typeof BaselineFileSchema>;

const ReportLikeSchema = z.object({
  schemaVersion: z.number(),
  findings: z.array(z.object({ fingerprint: z.string(), status: z.string() })),
});

/** Fingerprints from a baseline file or an earlier JSON report. Throws InputError on bad input. */
export function parseBaseline(text: string, file: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError(`baseline ${file} is not valid JSON`);
  }
  const asBaseline = BaselineFileSchema.safeParse(data);
  if (asBaseline.success) return new Set(asBaseline.data.findings.map((e) => e.fingerprint));
  const asReport = ReportLikeSchema.safeParse(data);
  if (asReport.success) {
    return new Set(
      asReport.data.findings.filter((f) => f.status === "fail" || f.status === "muted").map((f) => f.fingerprint),
    );
  }
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (kind === BASELINE_KIND) {
    const issue = asBaseline.error.issues[0];
    throw new InputError(`baseline ${file} is malformed${issue ? ` at ${issue.path.join(".") || "top level"}: ${issue.message}` : ""}`);
  }
  throw new InputError(`${file} is neither a baseline (--write-baseline) nor a JSON report`);
}

export async function loadBaseline(file: string): Promise<Set<string>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(`cannot read baseline ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
  return parseBaseline(text, file);
}

/** Failing findings covered by the baseline become `muted`; everything else is unchanged. */
export function applyBaseline(findings: readonly Finding[], fingerprints: ReadonlySet<string>): Finding[] {
  return findings.map((f) =>
    f.status === "fail" && fingerprints.has(f.fingerprint) ? { ...f, status: "muted" as const, mute: { source: "baseline" as const } } : f,
  );
}

/** A baseline accepting every currently failing (or already muted) finding. */
export function baselineOf(findings: readonly Finding[], createdAt: string): BaselineFile {
  const seen = new Set<string>();
  const entries: BaselineEntry[] = [];
  for (const f of findings) {
    if ((f.status !== "fail" && f.status !== "muted") || seen.has(f.fingerprint)) continue;
    seen.add(f.fingerprint);
    entries.push({ fingerprint: f.fingerprint, ruleId: f.ruleId, account: f.account, bucket: f.bucket });
  }
  entries.sort((a, b) => (a.fingerprint < b.fingerprint ? -1 : a.fingerprint > b.fingerprint ? 1 : 0));
  return { kind: BASELINE_KIND, version: 1, createdAt, findings: entries };
}

export async function writeBaseline(file: string, baseline: BaselineFile): Promise<void> {
  try {
    await writeFileAtomic(file, `${JSON.stringify(baseline, null, 2)}\n`);
  } catch (err) {
    throw new InputError(`cannot write baseline ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
}
