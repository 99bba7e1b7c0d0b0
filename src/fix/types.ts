/**
 * The fix engine's own inputs: planner options and the options of apply and undo (which carry
 * the S3 client provider). The plan and journal data they produce are plain data in
 * src/model/plan.ts and src/model/journal.ts.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { IntentSource } from "../engine/define-rule.js";
import type { SnapshotIndex } from "../engine/snapshot-index.js";
import type { ApplyEvent } from "../model/plan.js";
import type { PlanOptions, PlanScope } from "../model/plan.js";
import type { UndoEvent } from "../model/journal.js";

/** Input of `planFixes` besides snapshot and findings. */
export interface PlanFixesOptions extends Partial<PlanOptions>, PlanScope {
  /** Creation time to record (default now). */
  now?: Date;
}

/** Input of `planFixes` besides snapshot and findings: the options, and what the rules want. */
export interface PlanFixesInput extends PlanFixesOptions {
  /** The rules' typed intents (the engine's `intentSource` over the same snapshot). */
  intents: IntentSource;
  /** The snapshot's index, when the caller has one already. */
  index?: SnapshotIndex;
}

/** Gives the S3 client for an account+Region (the application layer wires the collector's ClientPool). */
export type S3ClientProvider = (account: string, region: string) => Promise<S3Client>;

export interface ApplyOptions {
  clients: S3ClientProvider;
  journalPath: string;
  onEvent?: (e: ApplyEvent) => void;
  signal?: AbortSignal;
  /** Steps of different buckets run concurrently up to this bound (default 4). */
  concurrency?: number;
  /** Only these step ids (the UI's selection); default all. */
  stepIds?: readonly string[];
}

export interface UndoOptions {
  clients: S3ClientProvider;
  /** Where undo writes its own journal. */
  journalPath: string;
  /** Restore even resources that changed since the fix. */
  force?: boolean;
  onEvent?: (e: UndoEvent) => void;
  signal?: AbortSignal;
}
