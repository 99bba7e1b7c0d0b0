/**
 * The AWS shared-config profile in effect, read the way the AWS CLI and SDKs read it: the named
 * profile (or `AWS_PROFILE`, else `default`) from `AWS_CONFIG_FILE` (~/.aws/config) and
 * `AWS_SHARED_CREDENTIALS_FILE` (~/.aws/credentials). The SDK itself resolves the profile's
 * credentials and role settings; the tool reads only what it decides on itself: the Region for
 * its first calls and whether S3 goes to a configured endpoint (then path-style).
 */
import { homedir } from "node:os";
import { join } from "node:path";
import { loadSharedConfigFiles } from "@smithy/core/config";
import { InputError } from "../base/errors.js";

export interface ProfileSettings {
  name: string;
  region?: string;
  /** `endpoint_url` of the profile or of its `services` section for S3 (configured endpoints). */
  s3EndpointUrl?: string;
}

/** The two files the SDK reads profiles from, as it resolves them. */
export function sharedConfigPaths(env: NodeJS.ProcessEnv = process.env): { config: string; credentials: string } {
  const home = env.HOME || env.USERPROFILE || homedir();
  const expand = (p: string) => (p.startsWith("~/") ? join(home, p.slice(2)) : p);
  return {
    config: expand(env.AWS_CONFIG_FILE || join(home, ".aws", "config")),
    credentials: expand(env.AWS_SHARED_CREDENTIALS_FILE || join(home, ".aws", "credentials")),
  };
}

/**
 * The settings of profile `name` (`undefined`: AWS_PROFILE, else "default"). A profile named
 * explicitly (argument or AWS_PROFILE) that neither file defines is an InputError naming both
 * files; a missing `default` is no error (credentials may come from elsewhere).
 */
export async function loadProfile(name: string | undefined, env: NodeJS.ProcessEnv = process.env): Promise<ProfileSettings> {
  const explicit = name ?? (env.AWS_PROFILE || undefined);
  const profile = explicit ?? "default";
  const paths = sharedConfigPaths(env);
  const files = await loadSharedConfigFiles({ filepath: paths.credentials, configFilepath: paths.config, ignoreCache: true });
  const config = files.configFile[profile];
  const credentials = files.credentialsFile[profile];
  if (explicit !== undefined && config === undefined && credentials === undefined) {
    throw new InputError(`the AWS profile "${explicit}" is not defined in ${paths.config} or ${paths.credentials}`);
  }
  const settings: ProfileSettings = { name: profile };
  const region = config?.region ?? credentials?.region;
  if (region) settings.region = region;
  const services = config?.services ? files.configFile[`services.${config.services}`] : undefined;
  const endpoint = services?.["s3.endpoint_url"] ?? config?.endpoint_url;
  if (endpoint && (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS ?? "").toLowerCase() !== "true") settings.s3EndpointUrl = endpoint;
  return settings;
}
