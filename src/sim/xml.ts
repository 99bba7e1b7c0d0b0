/** XML helpers for the simulator: escaping, parsing request bodies, generic JSON<->XML for lifecycle rules. */
import { XMLParser } from "fast-xml-parser";

export const S3_NS = "http://s3.amazonaws.com/doc/2006-03-01/";
export const STS_NS = "https://sts.amazonaws.com/doc/2011-06-15/";
export const XML_DECL = '<?xml version="1.0" encoding="UTF-8"?>\n';
export const XSI = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"';

const ESC_RE = /[&<>"']/;
/** Escape text for XML element content or attribute values. */
export function esc(s: string): string {
  if (!ESC_RE.test(s)) return s;
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&apos;");
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  processEntities: true,
  isArray: (name) => ARRAY_TAGS.has(name),
});
const ARRAY_TAGS = new Set(["Grant", "Rule", "Transition", "NoncurrentVersionTransition", "Tag"]);

export class XmlSyntaxError extends Error {}

/** Parse a request body. Throws XmlSyntaxError for malformed XML. */
export function parseXml(text: string): Record<string, unknown> {
  try {
    const out: unknown = parser.parse(text, true);
    return (out ?? {}) as Record<string, unknown>;
  } catch (err) {
    throw new XmlSyntaxError((err as Error).message);
  }
}

/** Child element as object ("" for an empty element becomes {}). */
export function child(node: unknown, name: string): Record<string, unknown> | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const v = (node as Record<string, unknown>)[name];
  if (v === undefined) return undefined;
  if (v === "" || v === null) return {};
  if (typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  return undefined;
}

/** Text of a child element, or undefined. */
export function text(node: unknown, name: string): string | undefined {
  if (typeof node !== "object" || node === null) return undefined;
  const v = (node as Record<string, unknown>)[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === "string") return v;
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (typeof v === "object" && "#text" in (v)) return String((v as Record<string, unknown>)["#text"]);
  if (typeof v === "object" && Object.keys(v).length === 0) return "";
  return undefined;
}

/** Array of child elements (for tags listed in ARRAY_TAGS). */
export function children(node: unknown, name: string): Record<string, unknown>[] {
  if (typeof node !== "object" || node === null) return [];
  const v = (node as Record<string, unknown>)[name];
  if (v === undefined || v === null) return [];
  const arr = Array.isArray(v) ? v : [v];
  return arr.map((x) => (typeof x === "object" && x !== null ? (x as Record<string, unknown>) : {}));
}

/* ---- lifecycle rules: AWS JSON shape <-> XML ---- */

/** JSON list member name → repeated XML element name. */
const LIST_TO_ELEMENT: Record<string, string> = {
  Rules: "Rule",
  Transitions: "Transition",
  NoncurrentVersionTransitions: "NoncurrentVersionTransition",
  Tags: "Tag",
};
const ELEMENT_TO_LIST: Record<string, string> = Object.fromEntries(Object.entries(LIST_TO_ELEMENT).map(([k, v]) => [v, k]));
const NUMERIC = new Set(["Days", "NoncurrentDays", "NewerNoncurrentVersions", "DaysAfterInitiation", "ObjectSizeGreaterThan", "ObjectSizeLessThan"]);
const BOOLEAN = new Set(["ExpiredObjectDeleteMarker"]);
/** Elements that are structures even when empty. */
const STRUCTS = new Set(["Filter", "And", "Expiration", "NoncurrentVersionExpiration", "AbortIncompleteMultipartUpload", "Tag"]);

/** Serialise an AWS-JSON-shaped value as XML elements. */
export function jsonToXml(value: Record<string, unknown>): string {
  let out = "";
  for (const [k, v] of Object.entries(value)) {
    if (v === undefined || v === null) continue;
    if (Array.isArray(v)) {
      const el = LIST_TO_ELEMENT[k] ?? k;
      for (const item of v) out += typeof item === "object" && item !== null ? `<${el}>${jsonToXml(item as Record<string, unknown>)}</${el}>` : `<${el}>${esc(String(item))}</${el}>`;
    } else if (v instanceof Date) {
      out += `<${k}>${v.toISOString()}</${k}>`;
    } else if (typeof v === "object") {
      out += `<${k}>${jsonToXml(v as Record<string, unknown>)}</${k}>`;
    } else {
      out += `<${k}>${esc(typeof v === "string" ? v : typeof v === "number" || typeof v === "boolean" || typeof v === "bigint" ? String(v) : "")}</${k}>`;
    }
  }
  return out;
}

/** Convert a parsed XML element into the AWS JSON shape. */
export function xmlToJson(node: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k.startsWith("@_")) continue;
    const listName = ELEMENT_TO_LIST[k];
    if (listName) {
      const arr = Array.isArray(v) ? v : [v];
      out[listName] = arr.map((x) => (typeof x === "object" && x !== null ? xmlToJson(x as Record<string, unknown>) : {}));
    } else if (typeof v === "object" && v !== null) {
      out[k] = xmlToJson(v as Record<string, unknown>);
    } else if (v === "" && STRUCTS.has(k)) {
      out[k] = {};
    } else if (typeof v === "string" && NUMERIC.has(k) && /^-?\d+$/.test(v)) {
      out[k] = Number(v);
    } else if (typeof v === "string" && BOOLEAN.has(k)) {
      out[k] = v === "true";
    } else {
      out[k] = v;
    }
  }
  return out;
}
