/** The progress lines of `fix` (apply) and `undo` on stderr: one shape for both. */

/** LABEL, padded to one column, then SUBJECT and, when given, `: DETAIL`. */
export function stepLine(label: string, subject: string, detail?: string): string {
  return `${label.padEnd(17)}${subject}${detail === undefined ? "" : `: ${detail}`}`;
}

/** The detail of a failed AWS call: `CODE: message`. */
export function errorDetail(error: { code: string; message: string }): string {
  return `${error.code}: ${error.message}`;
}
