/**
 * Generate large, realistic organizations in memory (benchmarks, scale tests):
 * per account and Region one hardened central log bucket; most buckets log into it with a
 * per-source prefix (half partitioned), some have logging disabled, a few loop into themselves
 * or into each other, and a few point at a missing or cross-Region target.
 */
import { InputError } from "../base/errors.js";
import { mulberry32 } from "./faults.js";
import { loggingStatement } from "./policies.js";
import { REGION_RE, type AccountSpec, type BucketSpec, type Scenario } from "./scenario.js";
import type { HistorySpec } from "./logging/history.js";

export interface GenerateOptions {
  /** Number of accounts, the management account included (>= 1). */
  accounts: number;
  /** Source buckets per account, besides its central log buckets. */
  bucketsPerAccount: number;
  /** Regions buckets are spread over (default us-east-1, eu-west-1, ap-southeast-2). */
  regions?: string[];
  seed?: number;
  /** How many of the last member accounts are SUSPENDED (default 0). */
  suspendedAccounts?: number;
  /**
   * Give the sources that log into a central log bucket past deliveries (benchmarks of
   * --check-delivery): about 75 % delivered within the last hours, 15 % stale (3–5 days ago),
   * 10 % none. Drawn from its own generator: the organization itself is the same either way.
   */
  logHistory?: boolean;
}

export const GENERATED_MANAGEMENT_ACCOUNT = "100000000000";

/** The account ID of generated account `i` (0 = management). */
export function generatedAccountId(i: number): string {
  return i === 0 ? GENERATED_MANAGEMENT_ACCOUNT : String(200000000000 + i);
}

export function generateScenario(opts: GenerateOptions): Scenario {
  const { accounts, bucketsPerAccount } = opts;
  if (!Number.isInteger(accounts) || accounts < 1 || accounts > 10000) throw new InputError("generate: accounts must be an integer between 1 and 10000");
  if (!Number.isInteger(bucketsPerAccount) || bucketsPerAccount < 0 || bucketsPerAccount > 100000) {
    throw new InputError("generate: bucketsPerAccount must be an integer between 0 and 100000");
  }
  const regions = opts.regions?.length ? opts.regions : ["us-east-1", "eu-west-1", "ap-southeast-2"];
  for (const r of regions) if (!REGION_RE.test(r)) throw new InputError(`generate: ${r}: expected a Region name`);
  const rand = mulberry32(opts.seed ?? 42);
  const suspended = Math.min(opts.suspendedAccounts ?? 0, Math.max(0, accounts - 1));
  const pick = <T>(arr: readonly T[]): T => arr[Math.floor(rand() * arr.length)] as T;

  const history: HistorySpec[] = [];
  const past = mulberry32((opts.seed ?? 42) ^ 0x5eed);
  const out: AccountSpec[] = [];
  for (let i = 0; i < accounts; i++) {
    const id = generatedAccountId(i);
    const buckets: BucketSpec[] = [];
    const central = (region: string) => `gen-logs-${id}-${region}`;
    const usedRegions = new Set<string>();
    const names: string[] = [];
    const regionOf: string[] = [];
    for (let j = 0; j < bucketsPerAccount; j++) {
      const region = regions[j % regions.length] as string;
      names.push(`gen-${id}-${String(j).padStart(5, "0")}`);
      regionOf.push(region);
      usedRegions.add(region);
    }
    const forced = new Map<number, NonNullable<BucketSpec["logging"]>>();
    for (let j = 0; j < bucketsPerAccount; j++) {
      const name = names[j] as string;
      const region = regionOf[j] as string;
      const r = rand();
      let logging: BucketSpec["logging"] = forced.get(j) ?? null;
      const partnerIndex = j + regions.length; // same Region (Regions are assigned round-robin)
      if (forced.has(j)) {
        // second half of a two-bucket loop
      } else if (r < 0.8) {
        logging = rand() < 0.5
          ? { targetBucket: central(region), targetPrefix: `${name}/`, keyFormat: "partitioned", partitionDateSource: pick(["EventTime", "DeliveryTime"] as const) }
          : { targetBucket: central(region), targetPrefix: `${name}/` };
      } else if (r < 0.92) {
        logging = null;
      } else if (r < 0.94) {
        logging = { targetBucket: name, targetPrefix: "self/" };
      } else if (r < 0.96 && partnerIndex < bucketsPerAccount && !forced.has(partnerIndex)) {
        const partner = names[partnerIndex] as string;
        logging = { targetBucket: partner, targetPrefix: `${name}/` };
        forced.set(partnerIndex, { targetBucket: name, targetPrefix: `${partner}/` });
      } else if (r < 0.97) {
        logging = { targetBucket: `gen-deleted-${id}-${j}`, targetPrefix: `${name}/` };
      } else if (r < 0.98 && regions.length > 1) {
        const other = regions[(regions.indexOf(region) + 1) % regions.length] as string;
        usedRegions.add(other);
        logging = { targetBucket: central(other), targetPrefix: `${name}/` };
      } else {
        logging = { targetBucket: central(region), targetPrefix: "" };
      }
      buckets.push({ name, region, creationDate: "2024-05-01T00:00:00Z", logging });
      if (opts.logHistory && logging && logging.targetBucket === central(region)) {
        const r = past();
        if (r < 0.75) history.push({ source: name, hoursAgo: [1 + past() * 6, 12, 30], records: 2 });
        else if (r < 0.9) history.push({ source: name, hoursAgo: [72 + past() * 48, 150], records: 2 });
      }
    }
    for (const region of usedRegions) {
      const lb = central(region);
      buckets.push({
        name: lb,
        region,
        creationDate: "2024-01-01T00:00:00Z",
        ownership: "BucketOwnerEnforced",
        publicAccessBlock: true,
        lifecycle: [{ ID: "expire-access-logs", Status: "Enabled", Filter: { Prefix: "" }, Expiration: { Days: 365 } }],
        policy: { Version: "2012-10-17", Statement: [loggingStatement(lb, id, [`arn:aws:s3:::gen-${id}-*`])] },
      });
    }
    out.push({
      id,
      name: i === 0 ? "management" : `member-${String(i).padStart(4, "0")}`,
      state: i >= accounts - suspended && i > 0 ? "SUSPENDED" : "ACTIVE",
      roles: [{ name: "OrganizationAccountAccessRole" }],
      buckets,
    });
  }
  return {
    name: `generated-${accounts}x${bucketsPerAccount}`,
    organization: { id: "o-generated0001", managementAccount: GENERATED_MANAGEMENT_ACCOUNT },
    accounts: out,
    ...(history.length > 0 ? { logHistory: history } : {}),
  };
}
