/** The account+Region log bucket's name: the template, its placeholders and S3's naming rules. */
import { InputError } from "../base/errors.js";

/** Why a bucket name is not a valid general purpose bucket name, or undefined when valid. */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return `must be 3 to 63 characters long (is ${name.length})`;
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name))
    return "may contain only lower-case letters, digits, dots and hyphens, and must begin and end with a letter or digit";
  if (name.includes("..")) return "must not contain two adjacent dots";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name)) return "must not be formatted as an IP address";
  if (name.startsWith("xn--") || name.startsWith("sthree-")) return "must not start with xn-- or sthree-";
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return "must not end with a reserved suffix";
  return undefined;
}

/** The log bucket name for an account+Region from the template. */
export function logBucketName(template: string, account: string, region: string): string {
  return template.replaceAll("{account}", account).replaceAll("{region}", region);
}

/**
 * Why a log bucket name template is unusable, or undefined: an unknown placeholder, an invalid
 * sample name, or a template that gives two accounts (no `{account}`) or two Regions (no
 * `{region}`, unless `singleRegion`: exactly one Region is in scope) the same bucket name.
 */
export function logBucketTemplateProblem(template: string, singleRegion = false): string | undefined {
  const unknown = template.match(/\{(?!account\}|region\})[^}]*\}/);
  if (unknown) return `unknown placeholder ${unknown[0]} (use {account} and {region})`;
  if (!template.includes("{account}")) return "has no {account} placeholder: every account would get the same bucket name";
  if (!singleRegion && !template.includes("{region}"))
    return "has no {region} placeholder: every Region would get the same bucket name (leave it out only when exactly one Region is in scope)";
  const sample = logBucketName(template, "111122223333", "ap-southeast-2");
  const problem = bucketNameProblem(sample);
  if (problem) return `"${sample}" is not a valid bucket name: it ${problem}`;
  return undefined;
}

/** Throws an InputError when the log bucket name template is unusable (see logBucketTemplateProblem). */
export function checkLogBucketTemplate(template: string, singleRegion = false): void {
  const problem = logBucketTemplateProblem(template, singleRegion);
  if (problem) throw new InputError(`log bucket name template: ${problem}`);
}
