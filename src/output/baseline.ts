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
import { InputError, term, worded } from "../base/errors.js";
import { safeJsonStringify } from "../base/text.js";

export const BASELINE_KIND = "s3-log-auditor-baseline";

const BaselineEntrySchema = z.object({
  fingerprint: z.string().min(1),
  ruleId: z.string().optional(),
  account: z.string().optional(),
  bucket: z.string().optional(),
  /** Why the finding is accepted: shown wherever it is muted. */
  reason: z.string().optional(),
  owner: z.string().optional(),
  /** Last day (YYYY-MM-DD, UTC) the entry mutes; afterwards the finding fails again. */
  expires: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "a date is YYYY-MM-DD").optional(),
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

/** Baseline entries by fingerprint (reason, owner and expiry when the file gives them). */
export type BaselineEntries = ReadonlyMap<string, Pick<BaselineEntry, "reason" | "owner" | "expires">>;

/** Entries from a baseline file or an earlier JSON report. Throws InputError on bad input. */
export function parseBaseline(text: string, file: string): Map<string, Pick<BaselineEntry, "reason" | "owner" | "expires">> {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError(`baseline ${file} is not valid JSON`);
  }
  const asBaseline = BaselineFileSchema.safeParse(data);
  if (asBaseline.success) {
    return new Map(
      asBaseline.data.findings.map((e) => {
        const info: Pick<BaselineEntry, "reason" | "owner" | "expires"> = {};
        if (e.reason !== undefined) info.reason = e.reason;
        if (e.owner !== undefined) info.owner = e.owner;
        if (e.expires !== undefined) info.expires = e.expires;
        return [e.fingerprint, info];
      }),
    );
  }
  const asReport = ReportLikeSchema.safeParse(data);
  if (asReport.success) {
    return new Map(asReport.data.findings.filter((f) => f.status === "fail" || f.status === "muted").map((f) => [f.fingerprint, {}]));
  }
  const kind = (data as { kind?: unknown } | null)?.kind;
  if (kind === BASELINE_KIND) {
    const issue = asBaseline.error.issues[0];
    throw new InputError(`baseline ${file} is malformed${issue ? ` at ${issue.path.join(".") || "top level"}: ${issue.message}` : ""}`);
  }
  throw new InputError(worded`${file} is neither a baseline (${term("writtenBaseline")}) nor a JSON report`);
}

/** Reads a baseline file (see parseBaseline). */
export async function loadBaseline(file: string): Promise<Map<string, Pick<BaselineEntry, "reason" | "owner" | "expires">>> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(`cannot read baseline ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
  return parseBaseline(text, file);
}

/**
 * Failing findings covered by an entry that has not expired (on `today`, YYYY-MM-DD) become
 * `muted`, with the entry's reason; everything else is unchanged.
 */
export function applyBaseline(findings: readonly Finding[], entries: ReadonlySet<string> | BaselineEntries, today = new Date().toISOString().slice(0, 10)): Finding[] {
  return findings.map((f) => {
    if (f.status !== "fail" || !entries.has(f.fingerprint)) return f;
    const info: Pick<BaselineEntry, "reason" | "owner" | "expires"> = entries instanceof Map ? ((entries as BaselineEntries).get(f.fingerprint) ?? {}) : {};
    if (info.expires !== undefined && info.expires < today) return f;
    return { ...f, status: "muted" as const, mute: { source: "baseline" as const, ...info } };
  });
}

/** Baseline entries past their expiry day on `today`: they no longer mute. */
export function expiredBaselineEntries(entries: BaselineEntries, today = new Date().toISOString().slice(0, 10)): string[] {
  return [...entries].filter(([, e]) => e.expires !== undefined && e.expires < today).map(([fp]) => fp);
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
    await writeFileAtomic(file, `${safeJsonStringify(baseline, 2)}\n`);
  } catch (err) {
    throw new InputError(`cannot write baseline ${file}: ${(err as NodeJS.ErrnoException).code ?? "error"}`);
  }
}
