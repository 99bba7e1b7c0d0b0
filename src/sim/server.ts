/**
 * The loopback HTTP server of the simulated organization: classifies each request (S3 REST,
 * STS query, Organizations JSON 1.1), resolves the caller from the SigV4 credential scope,
 * counts it, applies faults and dispatches. Logs nothing per request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { InputError } from "../base/errors.js";
import { demoScenario } from "./demo.js";
import { SimError } from "./errors.js";
import { FaultEngine, type FaultOutcome, type Service } from "./faults.js";
import { ORG_TARGET_PREFIX, OrganizationsHandler, orgErrorBody } from "./organizations.js";
import { S3Handler, s3Operation } from "./s3/routing.js";
import type { SimResponse } from "./s3/wire.js";
import { validateFaults, validateScenario, type FaultSpec, type Scenario } from "./scenario.js";
import { SimState, type SimIdentity } from "./state.js";
import { StsHandler, stsErrorBody } from "./sts.js";
import { SimClock } from "./clock.js";
import { LogDelivery, type DeliverySettings, type DeliveryStats } from "./logging/delivery.js";
import { accessLogRecord } from "./logging/request-record.js";
import { writeHistory } from "./logging/history.js";
import { XML_DECL, esc } from "./xml.js";

export interface SimOptions {
  /** A scenario object or "demo" (default). */
  scenario?: Scenario | "demo";
  /** Port on 127.0.0.1; 0 (default) picks a free port. */
  port?: number;
  /** Added to every request (overrides the scenario's faults.latencyMs). */
  latencyMs?: number;
  /** 0..1 fraction of requests answered with throttling errors (overrides the scenario's). */
  throttleRate?: number;
  /** Seed of all fault randomness (overrides the scenario's faults.seed). */
  seed?: number;
  /** Log delivery delay after a batch closes, ms (overrides the scenario's logDelivery.delayMs). */
  logDelayMs?: number;
  /** Log batching interval, ms (overrides the scenario's logDelivery.intervalMs). */
  logIntervalMs?: number;
}

export interface SimMetrics {
  total: number;
  byOperation: Record<string, number>;
  byAccount: Record<string, Record<string, number>>;
}

export interface RunningSim {
  endpoint: string;
  port: number;
  scenario: Scenario;
  metrics(): SimMetrics;
  resetMetrics(): void;
  setFaults(faults: FaultSpec): void;
  state: SimState;
  /** The simulator clock (tests advance it instead of sleeping). */
  clock: SimClock;
  /** Advance the clock by `ms` and run a delivery round; returns the log objects written. */
  advanceClock(ms: number): number;
  /** Run a delivery round now; returns the log objects written. */
  deliverLogs(): number;
  /**
   * Advance the clock until every request received so far is due for delivery (as if the
   * configured delay and batching interval had passed), and deliver. Returns how far the clock
   * moved and the log objects written. Deliveries that this round's own writes cause (a target
   * that logs) are left for later, as on AWS.
   */
  settleDeliveries(): { advancedMs: number; objects: number };
  /** Change log delivery timing and faults. */
  setLogDelivery(settings: DeliverySettings): void;
  /** Log delivery counters. */
  deliveryStats(): DeliveryStats;
  close(): Promise<void>;
}

const EMPTY = Buffer.alloc(0);

function json(res: ServerResponse, status: number, value: unknown): void {
  const body = JSON.stringify(value);
  res.writeHead(status, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
  res.end(body);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let first: Buffer | undefined;
    let chunks: Buffer[] | undefined;
    req.on("data", (c: Buffer) => {
      if (!first) first = c;
      else (chunks ??= [first]).push(c);
    });
    req.on("end", () => resolve(chunks ? Buffer.concat(chunks) : (first ?? EMPTY)));
    req.on("error", reject);
  });
}

function safeDecode(s: string): string {
  if (!s.includes("%") && !s.includes("+")) return s;
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function parseQuery(qs: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!qs) return out;
  for (const part of qs.split("&")) {
    if (!part) continue;
    const eq = part.indexOf("=");
    if (eq < 0) out.set(safeDecode(part), "");
    else out.set(safeDecode(part.slice(0, eq)), safeDecode(part.slice(eq + 1)));
  }
  return out;
}

interface Scope {
  accessKeyId?: string;
  region?: string;
  service?: string;
}

/** Access key, Region and service from `Credential=AKID/DATE/REGION/SERVICE/aws4_request`. */
export function parseCredentialScope(authorization: string | undefined, query: Map<string, string>): Scope {
  let cred: string | undefined;
  if (authorization) {
    const i = authorization.indexOf("Credential=");
    if (i >= 0) {
      const end = authorization.indexOf(",", i);
      cred = authorization.slice(i + 11, end < 0 ? undefined : end).trim();
    }
  } else {
    cred = query.get("X-Amz-Credential");
  }
  if (!cred) return {};
  const parts = cred.split("/");
  const out: Scope = {};
  if (parts[0]) out.accessKeyId = parts[0];
  if (parts[2]) out.region = parts[2];
  if (parts[3]) out.service = parts[3];
  return out;
}

let requestCounter = 0;
function nextRequestId(): string {
  requestCounter = (requestCounter + 1) % 0x7fffffff;
  return `SIM${requestCounter.toString(16).toUpperCase().padStart(13, "0")}`;
}

/** Start the simulated organization on 127.0.0.1. */
export async function startSimulator(opts: SimOptions = {}): Promise<RunningSim> {
  const scenario = validateScenario(opts.scenario === undefined || opts.scenario === "demo" ? demoScenario() : opts.scenario);
  const state = new SimState(scenario, { validated: true });
  const clock = new SimClock();
  writeHistory(state, scenario.logHistory ?? [], clock.now(), scenario.faults?.seed ?? 1);
  const s3 = new S3Handler(state, () => clock.date());
  const delivery = new LogDelivery(state, clock, {
    ...scenario.logDelivery,
    ...(opts.logDelayMs !== undefined ? { delayMs: opts.logDelayMs } : {}),
    ...(opts.logIntervalMs !== undefined ? { intervalMs: opts.logIntervalMs } : {}),
  });
  const advanceClock = (ms: number): number => {
    clock.advance(ms);
    return delivery.deliver();
  };
  const sts = new StsHandler(state);
  const orgs = new OrganizationsHandler(state);

  const baseFaults: FaultSpec = { ...(scenario.faults ?? {}) };
  if (opts.latencyMs !== undefined) baseFaults.latencyMs = opts.latencyMs;
  if (opts.throttleRate !== undefined) baseFaults.throttleRate = opts.throttleRate;
  if (opts.seed !== undefined) baseFaults.seed = opts.seed;
  let faults = new FaultEngine(validateFaults(baseFaults, "options"), opts.seed ?? 1);

  let metrics: SimMetrics = { total: 0, byOperation: {}, byAccount: {} };
  const count = (account: string, op: string) => {
    metrics.total++;
    metrics.byOperation[op] = (metrics.byOperation[op] ?? 0) + 1;
    const per = (metrics.byAccount[account] ??= {});
    per[op] = (per[op] ?? 0) + 1;
  };
  const snapshot = (): SimMetrics => ({
    total: metrics.total,
    byOperation: { ...metrics.byOperation },
    byAccount: Object.fromEntries(Object.entries(metrics.byAccount).map(([k, v]) => [k, { ...v }])),
  });

  const send = (res: ServerResponse, r: SimResponse, common: Record<string, string>, head: boolean) => {
    if (res.destroyed || res.headersSent) return;
    const headers: Record<string, string> = { ...common, ...r.headers };
    if (r.body !== undefined && !head) {
      headers["content-length"] = String(typeof r.body === "string" ? Buffer.byteLength(r.body) : r.body.length);
      res.writeHead(r.status, headers);
      res.end(r.body);
    } else {
      if (!head || headers["content-length"] === undefined) headers["content-length"] = "0";
      res.writeHead(r.status, headers);
      res.end();
    }
  };

  const errorResponse = (service: Service, err: SimError, requestId: string, head: boolean): SimResponse => {
    if (service === "s3") {
      let extra = "";
      for (const [k, v] of Object.entries(err.extra)) extra += `<${k}>${esc(v)}</${k}>`;
      const body = head
        ? undefined
        : `${XML_DECL}<Error><Code>${esc(err.code)}</Code><Message>${esc(err.message)}</Message>${extra}<RequestId>${requestId}</RequestId><HostId>${Buffer.from(requestId).toString("base64")}</HostId></Error>`;
      return { status: err.status, headers: { "content-type": "application/xml", ...err.headers }, ...(body ? { body } : {}) };
    }
    if (service === "sts") return { status: err.status, headers: { "content-type": "text/xml", ...err.headers }, body: stsErrorBody(err, requestId) };
    return { status: err.status, headers: { "content-type": "application/x-amz-json-1.1", "x-amzn-errortype": err.code, ...err.headers }, body: orgErrorBody(err) };
  };

  const faultError = (service: Service, outcome: FaultOutcome, ident: SimIdentity | undefined, op: string, bucket: string | undefined): SimError => {
    switch (outcome.kind) {
      case "throttle":
        if (service === "s3") return new SimError("SlowDown", 503, "Please reduce your request rate.");
        if (service === "sts") return new SimError("Throttling", 400, "Rate exceeded");
        return new SimError("TooManyRequestsException", 400, "AWS Organizations can't complete your request because another request is already in progress. Try again later.");
      case "deny": {
        if (service === "s3") {
          const b = bucket ? state.buckets.get(bucket) : undefined;
          return new SimError("AccessDenied", 403, op === "HeadBucket" ? "Forbidden" : "Access Denied", {}, b ? { "x-amz-bucket-region": b.region } : {});
        }
        const who = ident?.arn ?? "anonymous";
        if (service === "sts") return new SimError("AccessDenied", 403, `User: ${who} is not authorized to perform: sts:${op}`);
        return new SimError("AccessDeniedException", 400, "You don't have permissions to access this resource.");
      }
      case "error":
      default: {
        const o = outcome as Extract<FaultOutcome, { kind: "error" }>;
        const defaults: Record<Service, [string, number, string]> = {
          s3: ["InternalError", 500, "We encountered an internal error. Please try again."],
          sts: ["InternalFailure", 500, "The request processing has failed because of an unknown error, exception or failure."],
          organizations: ["ServiceException", 500, "AWS Organizations can't complete your request because it encountered an internal error. Try again later."],
        };
        const [code, status, message] = defaults[service];
        return new SimError(o.code ?? code, o.status ?? status, o.message ?? message);
      }
    }
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = req.url ?? "/";
    const qi = url.indexOf("?");
    const rawPath = qi < 0 ? url : url.slice(0, qi);
    const method = req.method ?? "GET";
    if (rawPath.startsWith("/_sim/")) {
      await readBody(req);
      if (rawPath === "/_sim/metrics" && method === "GET") {
        const body = JSON.stringify(snapshot());
        res.writeHead(200, { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) });
        res.end(body);
      } else if (rawPath === "/_sim/metrics/reset" && method === "POST") {
        metrics = { total: 0, byOperation: {}, byAccount: {} };
        res.writeHead(204);
        res.end();
      } else if (rawPath === "/_sim/clock" && method === "GET") {
        json(res, 200, { now: clock.date().toISOString(), offsetMs: clock.offset() });
      } else if (rawPath === "/_sim/clock/advance" && method === "POST") {
        const ms = Number(parseQuery(qi < 0 ? "" : url.slice(qi + 1)).get("ms"));
        if (!Number.isFinite(ms) || ms < 0) json(res, 400, { error: "expected ?ms=N (a non-negative number of milliseconds)" });
        else json(res, 200, { now: (advanceClock(ms), clock.date().toISOString()), delivery: delivery.counters() });
      } else if (rawPath === "/_sim/deliveries") {
        if (method === "POST") delivery.deliver();
        json(res, 200, delivery.counters());
      } else if (rawPath === "/_sim/health") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("ok");
      } else {
        res.writeHead(404, { "content-type": "text/plain" });
        res.end("not found");
      }
      return;
    }
    const body = await readBody(req);
    const receivedAt = clock.now();
    const startedMs = performance.now();
    delivery.deliver();
    const query = parseQuery(qi < 0 ? "" : url.slice(qi + 1));
    const scope = parseCredentialScope(req.headers.authorization, query);
    const target = req.headers["x-amz-target"];
    const contentType = req.headers["content-type"] ?? "";
    let service: Service;
    if (typeof target === "string") service = "organizations";
    else if (scope.service === "sts" || (method === "POST" && rawPath === "/" && contentType.includes("x-www-form-urlencoded"))) service = "sts";
    else if (scope.service === "organizations") service = "organizations";
    else service = "s3";

    let bucket: string | undefined;
    let key: string | undefined;
    let op: string;
    let stsParams: URLSearchParams | undefined;
    let orgInput: Record<string, unknown>;
    if (service === "s3") {
      if (rawPath.length > 1) {
        const rest = rawPath.slice(1);
        const slash = rest.indexOf("/");
        bucket = safeDecode(slash < 0 ? rest : rest.slice(0, slash));
        const k = slash < 0 ? "" : rest.slice(slash + 1);
        key = k === "" ? undefined : safeDecode(k);
      }
      op = s3Operation(method, bucket, key, query);
    } else if (service === "sts") {
      stsParams = new URLSearchParams(method === "POST" ? body.toString("utf8") : url.slice(qi + 1));
      op = stsParams.get("Action") ?? "Unknown";
    } else {
      op = typeof target === "string" && target.startsWith(ORG_TARGET_PREFIX) ? target.slice(ORG_TARGET_PREFIX.length) : "Unknown";
    }

    const ident = state.identityFor(scope.accessKeyId);
    const account = ident?.account ?? "anonymous";
    count(account, op);
    const requestId = nextRequestId();
    const common: Record<string, string> =
      service === "s3"
        ? { "x-amz-request-id": requestId, "x-amz-id-2": Buffer.from(requestId).toString("base64"), server: "AmazonS3" }
        : { "x-amzn-requestid": requestId };
    const head = method === "HEAD";
    // The bucket and its logging configuration as they were when the request arrived.
    const loggedBucket = service === "s3" && bucket !== undefined ? state.buckets.get(bucket) : undefined;
    const logged = loggedBucket ? { bucket: loggedBucket, logging: loggedBucket.logging } : undefined;
    let answered: { response: SimResponse; errorCode: string | undefined } | undefined;

    try {
      const decision = faults.decide({ service, operation: op, account, bucket: bucket ?? "" });
      if (decision.latencyMs > 0) {
        await new Promise((r) => setTimeout(r, decision.latencyMs));
        if (res.destroyed) return;
      }
      if (decision.outcome) {
        if (decision.outcome.kind === "drop") {
          req.socket.destroy();
          return;
        }
        throw faultError(service, decision.outcome, ident, op, bucket);
      }
      const now = clock.now();
      if (ident?.expiration && ident.expiration.getTime() <= now) {
        if (service === "s3") throw new SimError("ExpiredToken", 400, "The provided token has expired.");
        throw new SimError("ExpiredTokenException", 400, "The security token included in the request is expired");
      }
      let r: SimResponse;
      if (service === "s3") {
        r = s3.handle({ method, op, bucket, key, query, headers: req.headers, body, identity: ident, region: scope.region ?? "us-east-1" });
      } else if (service === "sts") {
        r = sts.handle(op, stsParams as URLSearchParams, ident, requestId, now);
      } else {
        if (op === "Unknown") throw new SimError("UnknownOperationException", 400, "Unknown operation");
        try {
          const text = body.toString("utf8").trim();
          orgInput = text ? (JSON.parse(text) as Record<string, unknown>) : {};
        } catch {
          throw new SimError("SerializationException", 400, "Malformed JSON body");
        }
        r = orgs.handle(op, orgInput, ident);
      }
      send(res, r, common, head);
      answered = { response: r, errorCode: undefined };
    } catch (err) {
      const e = err instanceof SimError ? err : new SimError("InternalError", 500, "We encountered an internal error. Please try again.");
      if (res.headersSent || res.destroyed) return;
      const r = errorResponse(service, e, requestId, head);
      send(res, r, common, head);
      answered = { response: r, errorCode: e.code };
    }
    if (logged?.logging && answered) {
      const record = accessLogRecord({
        req,
        op,
        bucket: logged.bucket,
        key,
        identity: ident,
        signingRegion: scope.region,
        requestId,
        hostId: common["x-amz-id-2"] as string,
        response: answered.response,
        errorCode: answered.errorCode,
        head,
        receivedAt,
        elapsedMs: performance.now() - startedMs,
        ownerCanonicalId: state.accounts.get(logged.bucket.account)?.canonicalId ?? "-",
      });
      if (record) delivery.record(logged.bucket, logged.logging, record);
    }
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent && !res.destroyed) {
        res.writeHead(500);
        res.end();
      }
    });
  });
  server.maxHeadersCount = 200;

  const port = await new Promise<number>((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException) => {
      reject(err.code === "EADDRINUSE" ? new InputError(`port ${opts.port ?? 0} on 127.0.0.1 is already in use`) : err);
    };
    server.once("error", onError);
    server.listen(opts.port ?? 0, "127.0.0.1", () => {
      server.off("error", onError);
      resolve((server.address() as AddressInfo).port);
    });
  });

  let closed: Promise<void> | undefined;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    port,
    scenario,
    metrics: snapshot,
    resetMetrics: () => {
      metrics = { total: 0, byOperation: {}, byAccount: {} };
    },
    setFaults: (spec: FaultSpec) => {
      faults = new FaultEngine(validateFaults(spec), opts.seed ?? 1);
    },
    state,
    clock,
    advanceClock,
    deliverLogs: () => delivery.deliver(),
    settleDeliveries: () => {
      const advancedMs = delivery.msUntilSettled();
      return { advancedMs, objects: advanceClock(advancedMs) };
    },
    setLogDelivery: (settings: DeliverySettings) => delivery.configure(settings),
    deliveryStats: () => delivery.counters(),
    close: () => {
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closed;
    },
  };
}
