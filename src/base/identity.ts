/** The tool's name and version, reported in JSON output, snapshots, plans and journals. */
export const TOOL_NAME = "s3-log-auditor";
export const TOOL_VERSION = "0.1.0";
/**
 * The package's homepage (package.json `homepage`), used as SARIF `informationUri`; undefined
 * while package.json has none (a test keeps the two equal, so no URL is ever invented).
 */
export const TOOL_HOMEPAGE: string | undefined = undefined;
