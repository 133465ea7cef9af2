// The wrapper every route goes through: the app resolved once and handed to the handler, the method table, CORS,
// request ids, cache safety for writes and errors, one log line.
import { randomUUID } from "node:crypto";
import { HttpError } from "../errors.js";
import { log, logs } from "../log.js";
import { corsHeaders } from "./cors.js";
import { toErrorResponse } from "./error-response.js";

export type Handler = (request: Request) => Promise<Response>;
const METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

/** What the edge needs of an app (the composition root is the caller's; this module never imports it). */
export interface EdgeApp {
  config: { corsOrigins: string[] };
}
/** What the edge knows of a request beyond the request itself: the id its answer and log line carry. */
export interface RequestContext {
  requestId: string;
  /** The headers the edge adds to every answer to this request: CORS, nosniff and the request id. */
  headers: Record<string, string>;
}
export type AppHandler<A> = (request: Request, app: A, context: RequestContext) => Promise<Response>;
export type RouteHandlers<A> = Partial<Record<"GET" | "POST" | "DELETE", AppHandler<A>>>;

// Ids from the edge or the caller are echoed and logged: only a plain token, so no markup and no forged log fields.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9:_.-]{1,128}$/;

/** `route(getApp, { GET, POST })` as one export per method Vercel routes (see routeHandler). */
export function route<A extends EdgeApp>(appOf: () => A, handlers: RouteHandlers<A>): Record<Method, Handler> {
  const handler = routeHandler(appOf, handlers);
  return Object.fromEntries(METHODS.map((method) => [method, handler])) as Record<Method, Handler>;
}

/**
 * One handler for every method: the app is resolved once per request (a bad configuration is answered, not thrown)
 * and passed to the handler; unsupported methods get a JSON 405 with `Allow` (Vercel's own 405 is plain text), and
 * every response gets the same headers and one log line.
 */
export function routeHandler<A extends EdgeApp>(appOf: () => A, handlers: RouteHandlers<A>): Handler {
  const allowed = Object.keys(handlers).flatMap((method) => (method === "GET" ? ["GET", "HEAD"] : [method]));
  const allow = [...allowed, "OPTIONS"].join(", ");
  const dispatch = async (request: Request, app: A, context: RequestContext): Promise<Response> => {
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: { Allow: allow } });
    const handler = handlers[(request.method === "HEAD" ? "GET" : request.method) as keyof typeof handlers];
    if (!handler) throw new HttpError("method_not_allowed", `Use ${allow}.`, { Allow: allow });
    const response = await handler(request, app, context);
    return request.method === "HEAD" ? new Response(null, response) : response;
  };
  return async (request) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    let response: Response;
    let headers = edgeHeaders({}, requestId);
    try {
      const app = appOf();
      headers = edgeHeaders(corsHeaders(request, app.config.corsOrigins, allow), requestId);
      response = await dispatch(request, app, { requestId, headers });
    } catch (error) {
      response = toErrorResponse(error, requestId);
    }
    // A write's answer and an error are about one request at one moment: no cache, shared or private, may keep them.
    const noStore = request.method === "POST" || request.method === "DELETE" || response.status >= 400;
    if (noStore || !dressed.has(response)) {
      for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
      if (noStore) response.headers.set("Cache-Control", "no-store");
    }
    logRequest(request, response.status, started, requestId);
    return response;
  };
}

/** CORS (a new object, added to here), then what every answer carries. */
function edgeHeaders(cors: Record<string, string>, requestId: string): Record<string, string> {
  cors["X-Content-Type-Options"] = "nosniff";
  cors["X-Request-Id"] = requestId;
  return cors;
}

// Answers built with their request's edge headers already (edgeResponse), which the edge need not set again: setting
// a header turns a response's plain header object into a Headers, which cost a page a tenth of its CPU on Node.
const dressed = new WeakSet<Response>();

/**
 * A response with `init.headers` (a new object, which the edge's own for this request are added to); for GET answers
 * (a write's or error's get more).
 */
export function edgeResponse(
  context: RequestContext,
  body: string | null,
  init: { status: number; headers: Record<string, string> },
): Response {
  const response = new Response(body, { status: init.status, headers: Object.assign(init.headers, context.headers) });
  dressed.add(response);
  return response;
}

/** The edge's id (Vercel), or the caller's, when it is a plain token; otherwise a fresh one. */
function requestIdOf(request: Request): string {
  const given = [request.headers.get("x-vercel-id"), request.headers.get("x-request-id")].find(
    (id): id is string => id !== null && REQUEST_ID_PATTERN.test(id),
  );
  return given ?? randomUUID();
}

/**
 * A line per write and per refused request; a successful read is a debug line. Reads are nearly every request, the
 * platform's own request log (Vercel's, a host's access log) already has their path, status and time, and writing
 * the line cost a page a sixth of its CPU (npm run bench, origin CPU).
 */
function logRequest(request: Request, status: number, started: number, requestId: string): void {
  const read = request.method === "GET" || request.method === "HEAD" || request.method === "OPTIONS";
  const level = read && status < 400 ? "debug" : "info";
  if (!logs(level)) return;
  const { pathname } = new URL(request.url);
  const ms = Math.round((performance.now() - started) * 10) / 10;
  log[level]("request", { requestId, method: request.method, path: pathname, status, ms });
}
