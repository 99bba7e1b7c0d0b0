/**
 * The syntax of the AWS names that plans, journals, configuration and flags carry: account ids,
 * Region names, bucket names. One definition, shared by the zod schemas and the CLI's checks.
 */
import picomatch from "picomatch";
import { z } from "zod";

/** A 12-digit AWS account id. */
export const ACCOUNT_ID_RE = /^\d{12}$/;

/** A Region name such as us-east-1 or ap-southeast-2 (syntax only: new Regions keep this shape). */
export const REGION_NAME_RE = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;

/**
 * A bucket name S3 can hold: today's rules are stricter, but legacy us-east-1 buckets may use
 * capitals and underscores and be up to 255 characters. Never a path (`/`), never only dots.
 */
export const BUCKET_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{1,253}[A-Za-z0-9]$/;

export const AccountIdSchema = z.string().regex(ACCOUNT_ID_RE, "an account id is 12 digits");
export const RegionNameSchema = z.string().regex(REGION_NAME_RE, "not a Region name (e.g. us-east-1)");
export const BucketNameSchema = z.string().regex(BUCKET_NAME_RE, "not a bucket name");

/**
 * Why a bucket name glob (picomatch) is unusable, or undefined: unbalanced brackets, braces or
 * parentheses (`[`, `a{b`), or a trailing lone backslash — patterns that would match nothing.
 */
export function globProblem(glob: string): string | undefined {
  if (glob === "") return "a glob cannot be empty";
  if (/(^|[^\\])(\\\\)*\\$/.test(glob)) return `"${glob}" ends with a lone backslash`;
  try {
    picomatch.makeRe(glob, { strictBrackets: true });
  } catch (err) {
    return `"${glob}" is not a valid glob (${(err as Error).message.split(" - ")[0]})`;
  }
  return undefined;
}

/** A bucket name glob (see globProblem). */
export const BucketGlobSchema = z.string().superRefine((glob, ctx) => {
  const problem = globProblem(glob);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});
