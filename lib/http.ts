// Request/response plumbing shared by every route: method table, request ids, body and query parsing, logging.
import { createHash, randomUUID } from "node:crypto";
import type { z } from "zod";
import { getApp } from "./app.js";
import { corsHeaders } from "./cors.js";
import { HttpError, toErrorResponse } from "./errors.js";

export type Handler = (request: Request) => Promise<Response>;
const METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

type RouteHandlers = Partial<Record<"GET" | "POST" | "DELETE", Handler>>;

// Well under Vercel's 4.5 MB request limit: a post is a caption (≤ 2,200 characters) plus Cloudinary's upload JSON.
export const MAX_BODY_BYTES = 32 * 1024;
// Ids from the edge or the caller are echoed and logged: only a plain token, so no markup and no forged log fields.
const REQUEST_ID_PATTERN = /^[A-Za-z0-9:_.-]{1,128}$/;
// Labels that name UTF-8 (the WHATWG Encoding Standard's); JSON must be UTF-8 (RFC 8259), so any other is refused.
const UTF8_LABELS = new Set(["utf-8", "utf8"]);
// Fatal: a byte that is not UTF-8 makes the body a 400 instead of a silently stored U+FFFD.
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** `{ GET, POST }` as one export per method Vercel routes (see routeHandler). */
export function route(handlers: RouteHandlers): Record<Method, Handler> {
  const handler = routeHandler(handlers);
  return Object.fromEntries(METHODS.map((method) => [method, handler])) as Record<Method, Handler>;
}

/**
 * One handler for every method: unsupported methods get a JSON 405 with `Allow` (Vercel's own 405 is plain text),
 * and every response gets the same headers and one log line.
 */
export function routeHandler(handlers: RouteHandlers): Handler {
  const allowed = Object.keys(handlers).flatMap((method) => (method === "GET" ? ["GET", "HEAD"] : [method]));
  const allow = [...allowed, "OPTIONS"].join(", ");
  const dispatch = async (request: Request): Promise<Response> => {
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: { Allow: allow } });
    const handler = handlers[(request.method === "HEAD" ? "GET" : request.method) as keyof typeof handlers];
    if (!handler) throw new HttpError(405, "method_not_allowed", `Use ${allow}.`, { Allow: allow });
    const response = await handler(request);
    return request.method === "HEAD" ? new Response(null, response) : response;
  };
  return async (request) => {
    const started = performance.now();
    const requestId = requestIdOf(request);
    let response: Response;
    let cors: Record<string, string> = {};
    try {
      cors = corsHeaders(request, getApp().config.corsOrigins, allow);
      response = await dispatch(request);
    } catch (error) {
      response = toErrorResponse(error, requestId);
    }
    for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
    // A write's answer and an error are about one request at one moment: no cache, shared or private, may keep them.
    if (request.method === "POST" || request.method === "DELETE" || response.status >= 400) {
      response.headers.set("Cache-Control", "no-store");
    }
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("X-Request-Id", requestId);
    logRequest(request, response.status, started, requestId);
    return response;
  };
}

/** The edge's id (Vercel), or the caller's, when it is a plain token; otherwise a fresh one. */
function requestIdOf(request: Request): string {
  const given = [request.headers.get("x-vercel-id"), request.headers.get("x-request-id")].find(
    (id): id is string => id !== null && REQUEST_ID_PATTERN.test(id),
  );
  return given ?? randomUUID();
}

function logRequest(request: Request, status: number, started: number, requestId: string): void {
  const { pathname } = new URL(request.url);
  const ms = Math.round((performance.now() - started) * 10) / 10;
  console.log(JSON.stringify({ level: "info", requestId, method: request.method, path: pathname, status, ms }));
}

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return Response.json(data, { status, headers });
}

/** Reads a JSON body of bounded size and validates it; every failure is a 4xx and nothing downstream runs. */
export async function readJson<T extends z.ZodType>(request: Request, schema: T): Promise<z.infer<T>> {
  requireJsonContentType(request.headers.get("content-type") ?? "");
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > MAX_BODY_BYTES) throw bodyTooLarge();
  const text = await readText(request);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(400, "invalid_json", "The body is not valid JSON.");
  }
  return validate(schema, body);
}

/** `application/json`, with no charset or a UTF-8 one (any case, quoted or not); anything else is a 415. */
function requireJsonContentType(header: string): void {
  const [type, ...parameters] = header.split(";");
  if (type.trim().toLowerCase() !== "application/json") {
    throw new HttpError(415, "unsupported_media_type", "Send the body as application/json.");
  }
  for (const parameter of parameters) {
    const [name, ...value] = parameter.split("=");
    if (name.trim().toLowerCase() !== "charset") continue;
    const charset = value
      .join("=")
      .trim()
      .replace(/^"(.*)"$/, "$1")
      .toLowerCase();
    if (!UTF8_LABELS.has(charset)) {
      throw new HttpError(415, "unsupported_media_type", "Send the body as UTF-8 (charset=utf-8, or no charset).");
    }
  }
}

async function readText(request: Request): Promise<string> {
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw bodyTooLarge();
    chunks.push(chunk);
  }
  try {
    return STRICT_UTF8.decode(Buffer.concat(chunks));
  } catch {
    throw new HttpError(400, "invalid_json", "The body is not valid UTF-8.");
  }
}

function bodyTooLarge(): HttpError {
  return new HttpError(413, "payload_too_large", `The body must be at most ${MAX_BODY_BYTES} bytes.`);
}

export function readQuery<T extends z.ZodType>(request: Request, schema: T): z.infer<T> {
  // fromEntries defines own properties, so `?__proto__=x` cannot reach a prototype.
  return validate(schema, Object.fromEntries(new URL(request.url).searchParams));
}

function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`);
  throw new HttpError(400, "invalid_request", details.join("; "));
}

/**
 * JSON with a strong ETag over the exact body, answering 304 to a matching If-None-Match, so polling a quiet feed
 * costs a status line instead of the page.
 */
export function cachedJson(request: Request, data: unknown, cacheControl: string): Response {
  const body = JSON.stringify(data);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 32)}"`;
  const headers = { ETag: etag, "Cache-Control": cacheControl };
  const ifNoneMatch = request.headers.get("if-none-match") ?? "";
  const matches = ifNoneMatch.split(",").some((tag) => tag.trim().replace(/^W\//, "") === etag || tag.trim() === "*");
  if (matches) return new Response(null, { status: 304, headers });
  return new Response(body, { status: 200, headers: { ...headers, "Content-Type": "application/json" } });
}
