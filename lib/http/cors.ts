// Cross-origin access for browsers on other origins, limited to the CORS_ORIGINS allowlist.

// Browsers may cache a preflight this long (seconds), saving a round trip per request.
const PREFLIGHT_MAX_AGE = "600";
const EXPOSED_HEADERS = "ETag, Feed-Sync-Token, Retry-After, X-Request-Id";

/**
 * Headers for an allowed Origin (none otherwise), in a new object the caller may add to. The API uses bearer tokens,
 * never cookies, so credentials are never allowed and "*" stays safe. Headers are added one by one, not spread from
 * smaller objects: V8 copies spreads of such objects slowly (see pageResponse in lib/http/page-cache.ts).
 */
export function corsHeaders(request: Request, allowlist: string[], allow: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (allowlist.length === 0) return headers;
  const origin = request.headers.get("origin");
  // "*" answers every request alike, Origin or not, so a response a CDN keeps suits every browser.
  const allowOrigin = allowlist.includes("*") ? "*" : allowlist.find((allowed) => allowed === origin);
  if (allowOrigin) {
    headers["Access-Control-Allow-Origin"] = allowOrigin;
    headers["Access-Control-Expose-Headers"] = EXPOSED_HEADERS;
  }
  // An allowlist's answer depends on Origin: a shared cache must key on it, even for requests that sent none.
  if (allowOrigin !== "*") headers.Vary = "Origin";
  if (allowOrigin && request.method === "OPTIONS" && request.headers.has("access-control-request-method")) {
    headers["Access-Control-Allow-Methods"] = allow;
    headers["Access-Control-Allow-Headers"] = "Authorization, Content-Type, If-None-Match";
    headers["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE;
  }
  return headers;
}
