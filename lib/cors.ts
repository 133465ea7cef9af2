// Cross-origin access for browsers on other origins, limited to the CORS_ORIGINS allowlist.

// Browsers may cache a preflight this long (seconds), saving a round trip per request.
const PREFLIGHT_MAX_AGE = "600";

/**
 * Headers for an allowed Origin (none otherwise). The API uses bearer tokens, never cookies, so credentials are never
 * allowed and "*" stays safe.
 */
export function corsHeaders(request: Request, allowlist: string[], allow: string): Record<string, string> {
  if (allowlist.length === 0) return {};
  const any = allowlist.includes("*");
  const origin = request.headers.get("origin");
  // Whenever the answer depends on Origin, a shared cache must key on it, even for requests that sent none.
  if (!origin || (!any && !allowlist.includes(origin))) return any ? {} : { Vary: "Origin" };
  const headers: Record<string, string> = {
    "Access-Control-Allow-Origin": any ? "*" : origin,
    "Access-Control-Expose-Headers": "ETag, Retry-After, X-Request-Id",
  };
  if (!any) headers.Vary = "Origin";
  if (request.method === "OPTIONS" && request.headers.has("access-control-request-method")) {
    headers["Access-Control-Allow-Methods"] = allow;
    headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, If-None-Match";
    headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE;
  }
  return headers;
}
