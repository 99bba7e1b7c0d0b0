/**
 * `--profile P` behaves exactly like `AWS_PROFILE=P`: the SDK reads a profile's credentials, role
 * settings (role_arn, source_profile, credential_source), endpoint_url and services sections
 * only through AWS_PROFILE, so the flag sets it for the whole run before any client exists.
 */

/** Makes `profile` the run's AWS profile, as the AWS CLI's `--profile` does. */
export function useProfileFlag(profile: string, env: NodeJS.ProcessEnv = process.env): void {
  env.AWS_PROFILE = profile;
  // The named profile's credentials win over static keys in the environment, as with the AWS CLI
  // (the SDK would pick the profile too, after printing a warning about two credential sources).
  delete env.AWS_ACCESS_KEY_ID;
  delete env.AWS_SECRET_ACCESS_KEY;
  delete env.AWS_SESSION_TOKEN;
}
