/**
 * @fileoverview The rule catalog: a flat map from rule id to rule, sorted by id.
 * Every `rules/<id>.ts` file (except this one and `_lib/`) must be listed here; a test checks it.
 */
import type { Rule } from "../src/engine/define-rule.js";
import deliveryPermitted from "./delivery-permitted.js";
import logBucketNotPublic from "./log-bucket-not-public.js";
import logBucketRetention from "./log-bucket-retention.js";
import loggingEnabled from "./logging-enabled.js";
import logsDelivered from "./logs-delivered.js";
import noLoggingCycle from "./no-logging-cycle.js";
import targetEncryptionSupported from "./target-encryption-supported.js";
import targetExists from "./target-exists.js";
import targetGrantsCompatible from "./target-grants-compatible.js";
import targetNoObjectLockRetention from "./target-no-object-lock-retention.js";
import targetNotRequesterPays from "./target-not-requester-pays.js";
import targetNotSource from "./target-not-source.js";
import targetPrefixStructured from "./target-prefix-structured.js";
import targetPrefixUnique from "./target-prefix-unique.js";
import targetSameAccount from "./target-same-account.js";
import targetSameRegion from "./target-same-region.js";

/** id → rule, in id order. */
export const RULES: Readonly<Record<string, Rule>> = Object.freeze({
  "delivery-permitted": deliveryPermitted,
  "log-bucket-not-public": logBucketNotPublic,
  "log-bucket-retention": logBucketRetention,
  "logging-enabled": loggingEnabled,
  "logs-delivered": logsDelivered,
  "no-logging-cycle": noLoggingCycle,
  "target-encryption-supported": targetEncryptionSupported,
  "target-exists": targetExists,
  "target-grants-compatible": targetGrantsCompatible,
  "target-no-object-lock-retention": targetNoObjectLockRetention,
  "target-not-requester-pays": targetNotRequesterPays,
  "target-not-source": targetNotSource,
  "target-prefix-structured": targetPrefixStructured,
  "target-prefix-unique": targetPrefixUnique,
  "target-same-account": targetSameAccount,
  "target-same-region": targetSameRegion,
});

/** Every rule of the catalog, sorted by id. */
export function allRules(): Rule[] {
  return Object.values(RULES);
}

/** The rule with this id, or undefined. */
export function ruleById(id: string): Rule | undefined {
  return Object.prototype.hasOwnProperty.call(RULES, id) ? RULES[id] : undefined;
}
