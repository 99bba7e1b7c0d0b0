/**
 * Lookup structures over a snapshot, built once (linear time) and shared by every rule.
 * Target resolution is per account: a source can only deliver to a bucket of its own account.
 */
import {
  bucketKey,
  UNKNOWN_REGION,
  type BucketSnapshot,
  type ExternalTarget,
  type LoggingConfig,
  type Snapshot,
} from "../model/snapshot.js";

export type TargetResolution =
  /** The source logs into itself. `bucket` is the source. */
  | { kind: "self"; bucket: BucketSnapshot }
  /** The target is a bucket of the source's account (facts in `bucket.targetFacts`). */
  | { kind: "owned"; bucket: BucketSnapshot }
  /** The target is not a bucket of the source's account; see `target.state`. */
  | { kind: "external"; target: ExternalTarget }
  /** Collection has no record of the target (should not happen; treated as cannot-evaluate). */
  | { kind: "unknown"; name: string };

export class SnapshotIndex {
  readonly snapshot: Snapshot;
  /** Buckets on which rules report (inScope !== false). */
  readonly inScope: BucketSnapshot[];
  private readonly byKey = new Map<string, BucketSnapshot>();
  private readonly external = new Map<string, ExternalTarget>();
  private readonly sources = new Map<string, BucketSnapshot[]>();
  /** Buckets whose logging could not be read, by account+Region (and by account alone). */
  private readonly unreadable = new Map<string, BucketSnapshot[]>();

  constructor(snapshot: Snapshot) {
    this.snapshot = snapshot;
    this.inScope = [];
    for (const b of snapshot.buckets) {
      this.byKey.set(bucketKey(b.account, b.name), b);
      if (b.inScope !== false) this.inScope.push(b);
    }
    for (const t of snapshot.externalTargets) this.external.set(bucketKey(t.account, t.name), t);
    for (const b of snapshot.buckets) {
      if (b.logging.status === "error") {
        pushTo(this.unreadable, `${b.account}|${b.region}`, b);
        pushTo(this.unreadable, b.account, b);
      }
      const cfg = loggingOf(b);
      if (!cfg) continue;
      const k = bucketKey(b.account, cfg.targetBucket);
      const list = this.sources.get(k);
      if (list) list.push(b);
      else this.sources.set(k, [b]);
    }
  }

  get partition(): string {
    return this.snapshot.partition;
  }

  bucket(account: string, name: string): BucketSnapshot | undefined {
    return this.byKey.get(bucketKey(account, name));
  }

  /** Buckets of the same account whose logging configuration names `name` as target. */
  sourcesOf(account: string, name: string): readonly BucketSnapshot[] {
    return this.sources.get(bucketKey(account, name)) ?? [];
  }

  /** True when at least one other bucket of the account logs into this bucket. */
  isLogTarget(b: BucketSnapshot): boolean {
    return this.sourcesOf(b.account, b.name).some((s) => s.name !== b.name);
  }

  /**
   * The buckets whose logging configuration could not be read and that may log into `b`, for
   * rules about log targets: S3 accepts a target only in the source's own account and Region
   * (PutBucketLogging refuses others, reference §1.1, §3.3), so those of b's account in b's
   * Region, plus those whose Region is unknown (all of the account when b's own is unknown).
   * Returns their number and up to `max` of them, without copying the lists.
   */
  unreadableSourcesNear(b: BucketSnapshot, max = 3): { count: number; sample: BucketSnapshot[] } {
    const groups =
      b.region === UNKNOWN_REGION
        ? [this.unreadable.get(b.account)]
        : [this.unreadable.get(`${b.account}|${b.region}`), this.unreadable.get(`${b.account}|${UNKNOWN_REGION}`)];
    let count = 0;
    const sample: BucketSnapshot[] = [];
    for (const g of groups) {
      if (!g) continue;
      count += g.length;
      for (const x of g) {
        if (sample.length >= max) break;
        sample.push(x);
      }
    }
    return { count, sample };
  }

  /** Where the logs of `source` go. Only meaningful when its logging read is ok and enabled. */
  resolveTarget(source: BucketSnapshot, cfg: LoggingConfig): TargetResolution {
    if (cfg.targetBucket === source.name) return { kind: "self", bucket: source };
    const owned = this.byKey.get(bucketKey(source.account, cfg.targetBucket));
    if (owned) return { kind: "owned", bucket: owned };
    const ext = this.external.get(bucketKey(source.account, cfg.targetBucket));
    if (ext) return { kind: "external", target: ext };
    return { kind: "unknown", name: cfg.targetBucket };
  }
}

/** The enabled logging configuration of a bucket, or undefined (disabled or not readable). */
export function loggingOf(b: BucketSnapshot): LoggingConfig | undefined {
  return b.logging.status === "ok" && b.logging.value ? b.logging.value : undefined;
}

function pushTo<K, V>(m: Map<K, V[]>, k: K, v: V): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
