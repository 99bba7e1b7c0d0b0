/**
 * A realistic server access log file of a given size for the benchmark: a mix of operations,
 * principals (IAM users and roles, canonical ids, anonymous, CloudFront OAI with spaces),
 * statuses, keys, user agents and record lengths (18 … 27 fields and a few future fields), with
 * the quirks of reference §5.6 at their usual rarity and a few broken lines. Deterministic.
 */
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { mulberry32 } from "../../src/sim/faults.js";
import { OAI, OWNER, line, type LineParts } from "../logs/lines.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const OPS: [string, string, string][] = [
  ["REST.GET.OBJECT", "GET", "200"],
  ["REST.GET.OBJECT", "GET", "200"],
  ["REST.GET.OBJECT", "GET", "304"],
  ["REST.PUT.OBJECT", "PUT", "200"],
  ["REST.HEAD.OBJECT", "HEAD", "200"],
  ["REST.GET.BUCKET", "GET", "200"],
  ["REST.DELETE.OBJECT", "DELETE", "204"],
  ["REST.GET.OBJECT", "GET", "403"],
  ["REST.GET.OBJECT", "GET", "404"],
  ["REST.COPY.OBJECT_GET", "PUT", "200"],
];
const AGENTS = [
  '"aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64 prompt/off command/s3.cp"',
  '"aws-sdk-java/2.25.0 Linux/5.10 OpenJDK_64-Bit_Server_VM/17.0.9 Java/17.0.9 vendor/Amazon.com_Inc. md/io#sync"',
  '"Boto3/1.35.0 md/Botocore#1.35.0 ua/2.0 os/linux#5.10 md/arch#x86_64 lang/python#3.12.3"',
  '"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36"',
  '"S3Console/0.4, aws-internal/3 aws-sdk-java/1.12.750"',
];

/** Writes about `bytes` bytes of log lines to `file`; returns the line count. */
export async function generateLogFile(file: string, bytes: number, seed = 1): Promise<{ lines: number; bytes: number }> {
  const rnd = mulberry32(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const out = createWriteStream(file);
  const users = Array.from({ length: 40 }, (_, i) => `arn:aws:iam::111122223333:user/user-${i}`);
  const roles = Array.from({ length: 10 }, (_, i) => `arn:aws:sts::111122223333:assumed-role/app-${i}/i-0abc${i}def`);
  const ips = Array.from({ length: 300 }, (_, i) => `198.51.${Math.floor(i / 250)}.${i % 250}`);
  let written = 0;
  let lines = 0;
  let t = Date.UTC(2026, 10, 1);
  let buf = "";
  while (written < bytes) {
    t += Math.floor(rnd() * 400);
    const d = new Date(t);
    const p2 = (n: number) => (n < 10 ? `0${n}` : String(n));
    const time = `${p2(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} +0000`;
    const [op, method, status] = pick(OPS);
    const r = rnd();
    const requester = r < 0.05 ? "-" : r < 0.06 ? OAI : r < 0.1 ? OWNER : r < 0.6 ? pick(users) : pick(roles);
    const key = `data/${Math.floor(rnd() * 1000)}/part-${Math.floor(rnd() * 100000)}.parquet`;
    const q = rnd();
    const parts: Partial<LineParts> = {
      bucket: `app-bucket-${Math.floor(rnd() * 5)}`,
      time,
      ip: pick(ips),
      requester,
      requestId: Math.floor(rnd() * 0xffffffff).toString(16).toUpperCase().padStart(16, "0"),
      operation: op,
      key,
      uri: q < 0.002 ? `"${method} /app/${key}?x="y" HTTP/1.1"` : `"${method} /app/${key} HTTP/1.1"`,
      status,
      error: status === "403" ? "AccessDenied" : status === "404" ? "NoSuchKey" : "-",
      bytes: method === "GET" && status === "200" ? String(Math.floor(rnd() * 5_000_000)) : "-",
      size: String(Math.floor(rnd() * 5_000_000)),
      total: String(Math.floor(rnd() * 300)),
      turnaround: String(Math.floor(rnd() * 50)),
      agent: q > 0.998 ? '"curl/8.5.0 ""' : pick(AGENTS),
      sigv: requester === "-" ? "-" : q < 0.01 ? "SigV2" : "SigV4",
      tls: q < 0.02 ? "TLSv1.1" : "TLSv1.2",
    };
    const f = rnd();
    const fields = f < 0.05 ? 18 : f < 0.15 ? 26 : 27;
    let text = line(parts, fields, f > 0.999 ? ["future-1"] : []);
    if (f > 0.9999) text = text.slice(0, 120); // a broken (truncated) line
    buf += `${text}\n`;
    lines++;
    if (buf.length >= 1 << 22) {
      written += Buffer.byteLength(buf);
      if (!out.write(buf)) await once(out, "drain");
      buf = "";
    }
  }
  written += Buffer.byteLength(buf);
  out.end(buf);
  await once(out, "finish");
  return { lines, bytes: written };
}
