/** The tool's name and version, reported in JSON output, snapshots, plans and journals. */
export const TOOL_NAME = "s3-log-auditor";
export const TOOL_VERSION = "0.1.0";
