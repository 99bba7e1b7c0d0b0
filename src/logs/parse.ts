/**
 * Our own parser of S3 server access log lines (reference §5.3 and the quirks of §5.6). It never
 * throws on input: a line is either a typed record or a rejection reason.
 *
 * Fields are space-separated, the time is bracketed, Request-URI / Referer / User-Agent are
 * quoted — but quotes inside quoted fields are not escaped, so each quoted field closes at the
 * first quote followed by the *next* field's shape:
 *   Request-URI  closes at `"` + ` ` + (`-` or three digits: the status) + (` ` or end);
 *   Referer      closes at `"` + ` ` + (`"` or `-` + (` ` or end)): the User-Agent's start;
 *   User-Agent   closes at `"` followed by the end, or by one or two quote-free tokens and the end
 *                (old 18/19-field records), or by two quote-free tokens and a signature version
 *                (`SigV…` or `-`).
 * The requester can contain spaces (`…:user/CloudFront Origin Access Identity E2EXAMPLE`): when the
 * token in the operation's place is not an operation (`REST.` `SOAP.` `WEBSITE.` `BATCH.` `S3.`)
 * but a later token is, the requester runs up to the token before it (the request ID).
 * Fields after `sourceregion` go to `extra`; records shorter than 27 fields leave the rest null.
 *
 * The generated Athena `input.regex` (./athena-regex.ts) encodes exactly these rules; a test holds
 * the two to the same fields on every test record.
 */
import { MIN_FIELDS, type LogRecord } from "./record.js";

const SPACE = 32;
const QUOTE = 34;
const DASH = 45;
const ZERO = 48;
const NINE = 57;
const LBRACKET = 91;
const BOM = 0xfeff;

const MONTHS: Record<string, string> = {
  Jan: "01",
  Feb: "02",
  Mar: "03",
  Apr: "04",
  May: "05",
  Jun: "06",
  Jul: "07",
  Aug: "08",
  Sep: "09",
  Oct: "10",
  Nov: "11",
  Dec: "12",
};
const TIME_RE = /^(\d{2})\/([A-Z][a-z]{2})\/(\d{4}):(\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/;

let lastTimeRaw = "";
let lastTimeIso = "";

/** `06/Feb/2019:00:00:38 +0000` → `2019-02-06T00:00:38Z` (other offsets converted to UTC); undefined if malformed. */
export function logTimeToIso(raw: string): string | undefined {
  if (raw === lastTimeRaw) return lastTimeIso;
  const m = TIME_RE.exec(raw);
  if (!m) return undefined;
  const [, dd, mon, yyyy, hh, mi, ss, sign, oh, om] = m as unknown as string[];
  const mm = MONTHS[mon as string];
  if (!mm) return undefined;
  const day = Number(dd);
  const hour = Number(hh);
  const minute = Number(mi);
  const second = Number(ss);
  if (day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  let iso: string;
  if (oh === "00" && om === "00") {
    iso = `${yyyy}-${mm}-${dd}T${hh}:${mi}:${ss}Z`;
  } else {
    const offsetMs = (sign === "-" ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
    const t = Date.UTC(Number(yyyy), Number(mm) - 1, day, hour, minute, second) - offsetMs;
    iso = new Date(t).toISOString().replace(".000Z", "Z");
  }
  lastTimeRaw = raw;
  lastTimeIso = iso;
  return iso;
}

let lastSecondRaw = "";
let lastSecondIso = "";
let lastDateRaw = "";
let lastDateIso = "";

function isDigit(c: number): boolean {
  return c >= ZERO && c <= NINE;
}

/**
 * The time in s[a, e) (without brackets) as ISO-8601 UTC. Fast path for `dd/Mon/yyyy:HH:MM:SS
 * +0000` (what S3 writes), with the last second and the last day remembered; anything else goes
 * through `logTimeToIso`.
 */
function timeAt(s: string, a: number, e: number): string | undefined {
  if (e - a !== 26 || s.charCodeAt(a + 21) !== 43 || !s.startsWith("0000", a + 22)) return logTimeToIso(s.slice(a, e));
  if (lastSecondRaw !== "" && s.startsWith(lastSecondRaw, a)) return lastSecondIso;
  for (const i of [0, 1, 7, 8, 9, 10, 12, 13, 15, 16, 18, 19]) if (!isDigit(s.charCodeAt(a + i))) return undefined;
  if (s.charCodeAt(a + 2) !== 47 || s.charCodeAt(a + 6) !== 47 || s.charCodeAt(a + 11) !== 58 || s.charCodeAt(a + 14) !== 58 || s.charCodeAt(a + 17) !== 58 || s.charCodeAt(a + 20) !== SPACE) {
    return undefined;
  }
  const hour = (s.charCodeAt(a + 12) - ZERO) * 10 + s.charCodeAt(a + 13) - ZERO;
  const minute = (s.charCodeAt(a + 15) - ZERO) * 10 + s.charCodeAt(a + 16) - ZERO;
  const second = (s.charCodeAt(a + 18) - ZERO) * 10 + s.charCodeAt(a + 19) - ZERO;
  if (hour > 23 || minute > 59 || second > 60) return undefined;
  if (lastDateRaw === "" || !s.startsWith(lastDateRaw, a)) {
    const mm = MONTHS[s.slice(a + 3, a + 6)];
    const day = (s.charCodeAt(a) - ZERO) * 10 + s.charCodeAt(a + 1) - ZERO;
    if (!mm || day < 1 || day > 31) return undefined;
    lastDateRaw = s.slice(a, a + 12);
    lastDateIso = `${s.slice(a + 7, a + 11)}-${mm}-${s.slice(a, a + 2)}T`;
  }
  lastSecondRaw = s.slice(a, a + 20);
  lastSecondIso = `${lastDateIso}${s.slice(a + 12, a + 20)}Z`;
  return lastSecondIso;
}

/** True when `s[a, e)` starts like an operation: REST. SOAP. WEBSITE. BATCH. S3. */
function isOperation(s: string, a: number, e: number): boolean {
  if (e - a < 4) return false;
  switch (s.charCodeAt(a)) {
    case 82: // R
      return s.startsWith("REST.", a) && e - a > 5;
    case 83: // S
      return (s.startsWith("S3.", a) && e - a > 3) || (s.startsWith("SOAP.", a) && e - a > 5);
    case 87: // W
      return s.startsWith("WEBSITE.", a) && e - a > 8;
    case 66: // B
      return s.startsWith("BATCH.", a) && e - a > 6;
    default:
      return false;
  }
}

/** End of the token starting at `a` (the next space, or the end of the line). */
function tokenEnd(s: string, a: number): number {
  const e = s.indexOf(" ", a);
  return e < 0 ? s.length : e;
}

/** `-`, `"-"` or an empty token → null; otherwise the text. */
function value(s: string, a: number, e: number): string | null {
  if (e === a) return null;
  if (e - a === 1 && s.charCodeAt(a) === DASH) return null;
  return s.slice(a, e);
}

/** After the status-closing quote at q: ` ` + (`-` | 3 digits) + (` ` | end). */
function closesRequestUri(s: string, q: number): boolean {
  if (s.charCodeAt(q + 1) !== SPACE) return false;
  const a = q + 2;
  const c = s.charCodeAt(a);
  let e: number;
  if (c === DASH) e = a + 1;
  else {
    for (let i = a; i < a + 3; i++) {
      const d = s.charCodeAt(i);
      if (d < ZERO || d > NINE) return false;
    }
    e = a + 3;
  }
  return e === s.length || s.charCodeAt(e) === SPACE;
}

/** After the Referer-closing quote at q: ` "` or ` -` + (` ` | end). */
function closesReferrer(s: string, q: number): boolean {
  if (s.charCodeAt(q + 1) !== SPACE) return false;
  const c = s.charCodeAt(q + 2);
  if (c === QUOTE) return true;
  return c === DASH && (q + 3 === s.length || s.charCodeAt(q + 3) === SPACE);
}

/** After the User-Agent-closing quote at q: end | one or two quote-free tokens + end | two + `SigV…`/`-`. */
function closesUserAgent(s: string, q: number): boolean {
  const n = s.length;
  if (q + 1 === n) return true;
  if (s.charCodeAt(q + 1) !== SPACE) return false;
  // One search for the next quote answers "quote-free" for every token before it.
  let nextQuote = s.indexOf('"', q + 2);
  if (nextQuote < 0) nextQuote = n;
  const a1 = q + 2;
  const e1 = tokenEnd(s, a1);
  if (nextQuote < e1) return false;
  if (e1 === n) return true;
  const a2 = e1 + 1;
  const e2 = tokenEnd(s, a2);
  if (nextQuote < e2) return false;
  if (e2 === n) return true;
  const a3 = e2 + 1;
  const e3 = tokenEnd(s, a3);
  if (e3 - a3 === 1 && s.charCodeAt(a3) === DASH) return true;
  return s.startsWith("SigV", a3) && nextQuote >= e3;
}

type Closer = (s: string, q: number) => boolean;

/** Index of the closing quote of the quoted field opened at `open`, or -1. */
function closingQuote(s: string, open: number, closes: Closer): number {
  let q = s.indexOf('"', open + 1);
  while (q >= 0) {
    if (closes(s, q)) return q;
    q = s.indexOf('"', q + 1);
  }
  return -1;
}

/** What quotableEnd returns for a quoted field whose closing quote never comes. */
const UNCLOSED = -2;

/**
 * Where a field that may be quoted ends: just after its closing quote (found by `closes`) when it
 * starts with one, else at the next space. -1 when no space follows a bare field, UNCLOSED when
 * the quote is never closed.
 */
function quotableEnd(s: string, a: number, closes: Closer): number {
  if (s.charCodeAt(a) !== QUOTE) return s.indexOf(" ", a);
  const q = closingQuote(s, a, closes);
  return q < 0 ? UNCLOSED : q + 1;
}

/** The value of a field quotableEnd delimited (`a` … `e`), without its quotes. */
function quotableValue(s: string, a: number, e: number): string | null {
  return s.charCodeAt(a) === QUOTE ? value(s, a + 1, e - 1) : value(s, a, e);
}

/** An integer field: null for `-`/empty, the number, or NaN when it is not digits. */
function integer(s: string, a: number, e: number): number | null {
  if (e === a) return null;
  if (e - a === 1 && s.charCodeAt(a) === DASH) return null;
  if (e - a > 15) return NaN;
  let n = 0;
  for (let i = a; i < e; i++) {
    const c = s.charCodeAt(i);
    if (c < ZERO || c > NINE) return NaN;
    n = n * 10 + (c - ZERO);
  }
  return n;
}

/** Splits trailing text into fields: plain tokens, or quoted runs up to a quote followed by a space or the end. */
function extraFields(s: string, a: number): string[] {
  const out: string[] = [];
  const n = s.length;
  while (a < n) {
    if (s.charCodeAt(a) === QUOTE) {
      let q = s.indexOf('"', a + 1);
      while (q >= 0 && q + 1 < n && s.charCodeAt(q + 1) !== SPACE) q = s.indexOf('"', q + 1);
      if (q > a) {
        out.push(s.slice(a + 1, q));
        a = q + 2;
        continue;
      }
    }
    const e = tokenEnd(s, a);
    out.push(s.slice(a, e));
    a = e + 1;
  }
  return out;
}

const TOO_FEW = `fewer than ${MIN_FIELDS} fields`;

/** Removes a BOM, a trailing CR and trailing spaces/tabs; returns "" for a blank line. */
export function cleanLine(text: string): string {
  let start = 0;
  let end = text.length;
  if (text.charCodeAt(0) === BOM) start = 1;
  while (end > start) {
    const c = text.charCodeAt(end - 1);
    if (c !== 13 && c !== SPACE && c !== 9) break;
    end--;
  }
  return start === 0 && end === text.length ? text : text.slice(start, end);
}

/**
 * Parses one log line (already cleaned by `cleanLine`, not blank) into a record, or returns the
 * reason it cannot be parsed. Never throws.
 */
export function parseLine(s: string, source: string, line: number): LogRecord | string {
  const n = s.length;
  // 1 bucket owner, 2 bucket
  let e = s.indexOf(" ");
  if (e < 0) return TOO_FEW;
  const bucketowner = value(s, 0, e);
  let a = e + 1;
  e = s.indexOf(" ", a);
  if (e < 0) return TOO_FEW;
  const bucket_name = value(s, a, e);
  // 3 [time]
  a = e + 1;
  if (s.charCodeAt(a) !== LBRACKET) return "field 3 is not a [bracketed time]";
  e = s.indexOf("]", a);
  if (e < 0) return "the [time] is not closed";
  const requestdatetime = timeAt(s, a + 1, e);
  if (requestdatetime === undefined) return `unreadable time [${s.slice(a + 1, e)}]`;
  if (e + 1 >= n) return TOO_FEW;
  if (s.charCodeAt(e + 1) !== SPACE) return "no space after the [time]";
  // 4 remote IP
  a = e + 2;
  e = s.indexOf(" ", a);
  if (e < 0) return TOO_FEW;
  const remoteip = value(s, a, e);
  // 5 requester, 6 request ID, 7 operation (resynchronised when the requester has spaces)
  const a5 = e + 1;
  const e5 = s.indexOf(" ", a5);
  if (e5 < 0) return TOO_FEW;
  const a6 = e5 + 1;
  const e6 = s.indexOf(" ", a6);
  if (e6 < 0) return TOO_FEW;
  let a7 = e6 + 1;
  let e7 = s.indexOf(" ", a7);
  if (e7 < 0) return TOO_FEW;
  let requesterEnd = e5;
  let idStart = a6;
  let idEnd = e6;
  if (!isOperation(s, a7, e7)) {
    let prevA = a7;
    let prevE = e7;
    let ta = e7 + 1;
    while (ta < n) {
      const te = tokenEnd(s, ta);
      if (te === n) break; // the operation is followed by more fields
      if (isOperation(s, ta, te)) {
        requesterEnd = prevA - 1;
        idStart = prevA;
        idEnd = prevE;
        a7 = ta;
        e7 = te;
        break;
      }
      prevA = ta;
      prevE = te;
      ta = te + 1;
    }
  }
  const requester = value(s, a5, requesterEnd);
  const requestid = value(s, idStart, idEnd);
  const operation = value(s, a7, e7);
  // 8 key
  a = e7 + 1;
  e = s.indexOf(" ", a);
  if (e < 0) return TOO_FEW;
  const key = value(s, a, e);
  // 9 Request-URI
  a = e + 1;
  e = quotableEnd(s, a, closesRequestUri);
  if (e < 0) return e === UNCLOSED ? "the Request-URI has no closing quote before the HTTP status" : TOO_FEW;
  const request_uri = quotableValue(s, a, e);
  // 10 status, 11 error code, 12–15 numbers
  a = e + 1;
  e = s.indexOf(" ", a);
  if (e < 0) return TOO_FEW;
  const httpstatus = integer(s, a, e);
  if (Number.isNaN(httpstatus)) return `the HTTP status is not a number: ${s.slice(a, e)}`;
  a = e + 1;
  e = s.indexOf(" ", a);
  if (e < 0) return TOO_FEW;
  const errorcode = value(s, a, e);
  let bytessent: number | null = null;
  let objectsize: number | null = null;
  let totaltime: number | null = null;
  let turnaroundtime: number | null = null;
  for (let i = 0; i < 4; i++) {
    a = e + 1;
    e = s.indexOf(" ", a);
    if (e < 0) return TOO_FEW;
    const v = integer(s, a, e);
    if (Number.isNaN(v)) return `${NUMBER_NAMES[i]} is not an integer: ${s.slice(a, e)}`;
    if (i === 0) bytessent = v;
    else if (i === 1) objectsize = v;
    else if (i === 2) totaltime = v;
    else turnaroundtime = v;
  }
  // 16 Referer
  a = e + 1;
  e = quotableEnd(s, a, closesReferrer);
  if (e < 0) return e === UNCLOSED ? "the Referer has no closing quote before the User-Agent" : TOO_FEW;
  const referrer = quotableValue(s, a, e);
  // 17 User-Agent
  a = e + 1;
  if (a >= n) return TOO_FEW;
  let useragent: string | null;
  if (s.charCodeAt(a) === QUOTE) {
    const q = closingQuote(s, a, closesUserAgent);
    if (q < 0) return "cannot find the end of the User-Agent";
    useragent = value(s, a + 1, q);
    e = q + 1;
  } else {
    e = tokenEnd(s, a);
    useragent = value(s, a, e);
  }
  if (e >= n) return TOO_FEW;
  // 18 … 27, then extra
  // Fields 18 … 27 one after the other; each is null once the line has ended.
  a = e + 1;
  e = tokenEnd(s, a);
  const versionid = value(s, a, e);
  const hostid = e < n ? value(s, (a = e + 1), (e = tokenEnd(s, a))) : null;
  const sigv = e < n ? value(s, (a = e + 1), (e = tokenEnd(s, a))) : null;
  const ciphersuite = e < n ? value(s, (a = e + 1), (e = tokenEnd(s, a))) : null;
  const authtype = e < n ? value(s, (a = e + 1), (e = tokenEnd(s, a))) : null;
  const endpoint = e < n ? value(s, (a = e + 1), (e = tokenEnd(s, a))) : null;
  const tlsversion = e < n ? value(s, (a = e + 1), (e = tokenEnd(s, a))) : null;
  const accesspointarn = e < n ? value(s, (a = e + 1), (e = tokenEnd(s, a))) : null;
  const aclrequired = e < n ? value(s, (a = e + 1), (e = tokenEnd(s, a))) : null;
  const sourceregion = e < n ? value(s, (a = e + 1), (e = tokenEnd(s, a))) : null;
  const extra = e < n ? extraFields(s, e + 1) : NO_EXTRA;
  return {
    bucketowner,
    bucket_name,
    requestdatetime,
    remoteip,
    requester,
    requestid,
    operation,
    key,
    request_uri,
    httpstatus,
    errorcode,
    bytessent,
    objectsize,
    totaltime,
    turnaroundtime,
    referrer,
    useragent,
    versionid,
    hostid,
    sigv,
    ciphersuite,
    authtype,
    endpoint,
    tlsversion,
    accesspointarn,
    aclrequired,
    sourceregion,
    extra: extra === NO_EXTRA ? [] : extra,
    _line: line,
    _source: source,
  };
}

const NO_EXTRA: string[] = [];
const NUMBER_NAMES = ["bytes sent", "object size", "total time", "turn-around time"];
