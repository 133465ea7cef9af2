// JSON in and out at the HTTP edge: bounded, strictly decoded and validated bodies and queries.
import { z } from "zod";
import { HttpError } from "../errors.js";

// Well under Vercel's 4.5 MB request limit: a post is a caption (≤ 2,200 characters) plus Cloudinary's upload JSON.
export const MAX_BODY_BYTES = 32 * 1024;
// Labels that name UTF-8 (the WHATWG Encoding Standard's); JSON must be UTF-8 (RFC 8259), so any other is refused.
const UTF8_LABELS = new Set(["utf-8", "utf8"]);
// Fatal: a byte that is not UTF-8 makes the body a 400 instead of a silently stored U+FFFD.
const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

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
    throw new HttpError("invalid_json");
  }
  return validate(schema, body, "body");
}

/** `application/json`, with no charset or a UTF-8 one (any case, quoted or not); anything else is a 415. */
function requireJsonContentType(header: string): void {
  const [type, ...parameters] = header.split(";");
  if (type.trim().toLowerCase() !== "application/json") {
    throw new HttpError("unsupported_media_type");
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
      throw new HttpError("unsupported_media_type", "Send the body as UTF-8 (charset=utf-8, or no charset).");
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
    throw new HttpError("invalid_json", "The body is not valid UTF-8.");
  }
}

function bodyTooLarge(): HttpError {
  return new HttpError("payload_too_large", `The body must be at most ${MAX_BODY_BYTES} bytes.`);
}

/** The query validated against `schema` (a strict one refuses unknown parameters); a repeated one it reads is a 400. */
export function readQuery<T extends z.ZodType>(request: Request, schema: T): z.infer<T> {
  const params = new URL(request.url).searchParams;
  // Parsing keeps one value per name, so `?limit=5&limit=5` would be an unvalidated variant of the same URL.
  const repeated = [...params.keys()].find(
    (name, index, names) => names.indexOf(name) !== index && readsParameter(schema, name),
  );
  if (repeated !== undefined) throw new HttpError("invalid_request", `${repeated}: given more than once`);
  // fromEntries defines own properties, so `?__proto__=x` cannot reach a prototype.
  return validate(schema, Object.fromEntries(params), "query");
}

/**
 * Every name, for a strict schema (or one that keeps unknown names); only its own for a loose object schema, which
 * drops the others unread: they are someone else's (Vercel's `?id=` for a path's `[id]`), repeated or not.
 */
function readsParameter(schema: z.ZodType, name: string): boolean {
  if (!(schema instanceof z.ZodObject) || schema.def.catchall !== undefined) return true;
  return Object.hasOwn(schema.shape, name);
}

function validate<T extends z.ZodType>(schema: T, value: unknown, where: "body" | "query"): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const details = parsed.error.issues.map((issue) =>
    issue.code === "unrecognized_keys" && where === "query"
      ? `query: unknown parameter ${issue.keys.join(", ")}`
      : `${issue.path.join(".") || where}: ${issue.message}`,
  );
  throw new HttpError("invalid_request", details.join("; "));
}
