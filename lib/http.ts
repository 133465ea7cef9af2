// Request/response plumbing shared by every route: method table, request ids, body and query parsing, logging.
import { createHash, randomUUID } from "node:crypto";
import type { z } from "zod";
import { getApp } from "./app.js";
import { corsHeaders } from "./cors.js";
import { HttpError, toErrorResponse } from "./errors.js";

export type Handler = (request: Request) => Promise<Response>;
const METHODS = ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE"] as const;
type Method = (typeof METHODS)[number];

// Well under Vercel's 4.5 MB request limit: a post is a caption (≤ 2,200 characters) plus Cloudinary's upload JSON.
export const MAX_BODY_BYTES = 32 * 1024;

/**
 * Turns `{ GET, POST }` into a handler for every method Vercel routes, so unsupported methods get a JSON 405 with
 * `Allow` (Vercel's own 405 is plain text), and every response gets the same headers and one log line.
 */
export function route(handlers: Partial<Record<"GET" | "POST" | "DELETE", Handler>>): Record<Method, Handler> {
  const allowed = Object.keys(handlers).flatMap((method) => (method === "GET" ? ["GET", "HEAD"] : [method]));
  const allow = [...allowed, "OPTIONS"].join(", ");
  const dispatch = async (request: Request): Promise<Response> => {
    if (request.method === "OPTIONS") return new Response(null, { status: 204, headers: { Allow: allow } });
    const handler = handlers[(request.method === "HEAD" ? "GET" : request.method) as keyof typeof handlers];
    if (!handler) throw new HttpError(405, "method_not_allowed", `Use ${allow}.`, { Allow: allow });
    const response = await handler(request);
    return request.method === "HEAD" ? new Response(null, response) : response;
  };
  const wrapped: Handler = async (request) => {
    const started = performance.now();
    const requestId = request.headers.get("x-vercel-id") ?? randomUUID();
    let response: Response;
    let cors: Record<string, string> = {};
    try {
      cors = corsHeaders(request, getApp().config.corsOrigins, allow);
      response = await dispatch(request);
    } catch (error) {
      response = toErrorResponse(error, requestId);
    }
    for (const [name, value] of Object.entries(cors)) response.headers.set(name, value);
    response.headers.set("X-Content-Type-Options", "nosniff");
    response.headers.set("X-Request-Id", requestId);
    logRequest(request, response.status, started, requestId);
    return response;
  };
  return Object.fromEntries(METHODS.map((method) => [method, wrapped])) as Record<Method, Handler>;
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
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/json\s*(;|$)/i.test(type)) {
    throw new HttpError(415, "unsupported_media_type", "Send the body as application/json.");
  }
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

async function readText(request: Request): Promise<string> {
  if (!request.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of request.body as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > MAX_BODY_BYTES) throw bodyTooLarge();
    chunks.push(chunk);
  }
  return new TextDecoder().decode(Buffer.concat(chunks));
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
