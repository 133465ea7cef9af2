// Cross-origin access for browsers on other origins, limited to the CORS_ORIGINS allowlist.

// Browsers may cache a preflight this long (seconds), saving a round trip per request.
const PREFLIGHT_MAX_AGE = "600";
const EXPOSED_HEADERS = "ETag, Feed-Sync-Token, Retry-After, X-Request-Id";

/**
 * Headers for an allowed Origin (none otherwise). The API uses bearer tokens, never cookies, so credentials are never
 * allowed and "*" stays safe.
 */
export function corsHeaders(request: Request, allowlist: string[], allow: string): Record<string, string> {
  if (allowlist.length === 0) return {};
  const origin = request.headers.get("origin");
  // "*" answers every request alike, Origin or not, so a response a CDN keeps suits every browser.
  const allowOrigin = allowlist.includes("*") ? "*" : allowlist.find((allowed) => allowed === origin);
  // An allowlist's answer depends on Origin: a shared cache must key on it, even for requests that sent none.
  const vary: Record<string, string> = allowOrigin === "*" ? {} : { Vary: "Origin" };
  if (!allowOrigin) return vary;
  return {
    "Access-Control-Allow-Origin": allowOrigin,
    "Access-Control-Expose-Headers": EXPOSED_HEADERS,
    ...vary,
    ...preflightHeaders(request, allow),
  };
}

function preflightHeaders(request: Request, allow: string): Record<string, string> {
  if (request.method !== "OPTIONS" || !request.headers.has("access-control-request-method")) return {};
  return {
    "Access-Control-Allow-Methods": allow,
    "Access-Control-Allow-Headers": "Authorization, Content-Type, If-None-Match",
    "Access-Control-Max-Age": PREFLIGHT_MAX_AGE,
  };
}
