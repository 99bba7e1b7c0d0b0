/** The log key that delivery permission is evaluated for (shared by delivery-permitted and the planner). */
import type { BucketSnapshot, LoggingConfig } from "../model/snapshot.js";

const SAMPLE_TIME = "2000-01-01-00-00-00-0123456789ABCDEF";

/** A representative key of a log object of `source` under `cfg`. */
export function representativeKey(source: Pick<BucketSnapshot, "account" | "region" | "name">, cfg: LoggingConfig): string {
  if (cfg.keyFormat.type === "partitioned")
    return `${cfg.targetPrefix}${source.account}/${source.region}/${source.name}/2000/01/01/${SAMPLE_TIME}`;
  return `${cfg.targetPrefix}${SAMPLE_TIME}`;
}
