/**
 * The Athena `input.regex` for server access logs: the same rules as our parser (./parse.ts),
 * written as one Java/JavaScript regular expression with exactly 27 capture groups (one per
 * column, as RegexSerDe requires):
 *   - fields 19–27 in nested optional groups, so a 26- or 18-field record keeps the fields it has
 *     (AWS's flat optional group drops hostid…aclrequired of a 26-field record);
 *   - a trailing `.*$`, so records with fields added after `sourceregion` still match;
 *   - the requester may contain spaces (resynchronised on the operation token);
 *   - quoted fields close at the quote followed by the next field's shape, so an unescaped quote
 *     inside a Request-URI or User-Agent does not turn the row into NULLs.
 * Quoted fields are captured with their quotes (as AWS's regex does); the typed view strips them.
 */

const TOKEN = "[^ ]*";
const OPERATION = String.raw`(?:REST\.|SOAP\.|WEBSITE\.|BATCH\.|S3\.)[^ ]+`;

/** A quoted field closing at the first quote followed by `after`, or a plain token. */
function quoted(after: string): string {
  return `("(?:[^"]|"(?!${after}))*"(?=${after})|(?!")${TOKEN})`;
}

const REQUESTER = `(${TOKEN}(?= ${TOKEN} ${OPERATION} )|${TOKEN}(?: ${TOKEN})+?(?= ${TOKEN} ${OPERATION} )|${TOKEN})`;
const REQUEST_URI = quoted(" (?:-|[0-9]{3})(?: |$)");
const REFERRER = quoted(' (?:"|-(?: |$))');
const USER_AGENT = quoted(`(?:$| [^ "]*$| [^ "]* [^ "]*$| [^ "]* [^ "]* (?:-|SigV[^ "]*)(?: |$))`);

function nestedTail(count: number): string {
  let tail = "";
  for (let i = 0; i < count; i++) tail = `(?: (${TOKEN})${tail})?`;
  return tail;
}

/** The regex as Java/JavaScript source (not yet escaped for a SQL string literal). */
export const LOG_LINE_REGEX_SOURCE = [
  `^(${TOKEN}) (${TOKEN}) \\[([^\\]]*)\\] (${TOKEN}) ${REQUESTER} (${TOKEN}) (${TOKEN}) (${TOKEN}) ${REQUEST_URI} (-|[0-9]*)`,
  ` (${TOKEN}) (${TOKEN}) (${TOKEN}) (${TOKEN}) (${TOKEN}) ${REFERRER} ${USER_AGENT} (${TOKEN})`,
  nestedTail(9),
  ".*$",
].join("");

/** The regex inside a single-quoted Hive/Athena string literal (backslashes and quotes escaped). */
export function regexSqlLiteral(source: string = LOG_LINE_REGEX_SOURCE): string {
  return `'${source.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/** Reads back a single-quoted Hive string literal (the inverse of `regexSqlLiteral`). */
export function unquoteSqlLiteral(literal: string): string {
  const inner = literal.replace(/^'/, "").replace(/'$/, "");
  return inner.replace(/\\(.)/g, "$1");
}

/**
 * The `input.regex` of AWS's current documentation (reference §5.4), as a JavaScript RegExp
 * source: used by the benchmark as the reference and by tests to show what it gets wrong.
 */
export const AWS_DOC_REGEX_SOURCE =
  String.raw`([^ ]*) ([^ ]*) \[(.*?)\] ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ("[^"]*"|-) (-|[0-9]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ("[^"]*"|-) ([^ ]*)(?: ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*) ([^ ]*))?.*$`;
