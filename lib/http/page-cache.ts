// How a feed page is answered and cached: its tag as the ETag, a 304 when the caller's copy is current, and CDN
// lifetimes that never run past the page's next expiry.
import type { PageAnswer } from "../feed/page-answer.js";
import { formatPageTag, type PageTag } from "../feed/page-tag.js";
import { pageJson } from "../feed/stored-posts.js";
import { edgeResponse, type RequestContext } from "./route.js";

// A read that needs a token, or a page that may miss posts (an index being rebuilt): no cache may keep it.
export const PRIVATE_CACHE = "private, no-store";

export interface PageCachePolicy {
  readRequiresAuth: boolean;
  cdn: { maxAgeSeconds: number; staleSeconds: number };
  /** A writer's own read right after their write (`sync`): theirs alone, never shared. */
  personal?: boolean;
}

/** Hands a writer the token their next reads send back as `sync`, where the store has one (Upstash). */
export function withSyncToken(response: Response, token: string | undefined): Response {
  if (token) response.headers.set(SYNC_TOKEN_HEADER, token);
  return response;
}

export const SYNC_TOKEN_HEADER = "Feed-Sync-Token";

/** 200 with the page, or a bodiless 304 when the caller's tag is still the page; both carry the cache headers. */
export function pageResponse(
  answer: PageAnswer<unknown>,
  policy: PageCachePolicy,
  nowMs: number,
  context: RequestContext,
): Response {
  // One object, added to: V8 copies spreads of objects with these header names slowly (see fillPage in
  // lib/feed/paging.ts for what removing the read path's spreads saved).
  const headers = pageCacheHeaders(answer.tag, policy, nowMs);
  headers.ETag = formatPageTag(answer.tag);
  if (answer.page === null) return edgeResponse(context, null, { status: 304, headers });
  headers["Content-Type"] = "application/json";
  return edgeResponse(context, pageJson(answer.page), { status: 200, headers });
}

/**
 * A complete public page may be kept by a CDN for the configured time, but never past its next expiry (a post that
 * leaves it by itself): `s-maxage` = min(cap, seconds until then), and the stale window is cut the same way, so no
 * CDN serves an expired post. Vercel reads Vercel-CDN-Cache-Control first, then CDN-Cache-Control (RFC 9213), then
 * Cache-Control (https://vercel.com/docs/caching/cache-control-headers); browsers keep `max-age=0` and revalidate
 * with the ETag. A page that changes within a second is not cached at all. The headers come in a new object.
 */
export function pageCacheHeaders(tag: PageTag, policy: PageCachePolicy, nowMs: number): Record<string, string> {
  if (!tag.complete || policy.readRequiresAuth || policy.personal) return { "Cache-Control": PRIVATE_CACHE };
  const untilChange = tag.changesAt === null ? Number.POSITIVE_INFINITY : Math.floor((tag.changesAt - nowMs) / 1000);
  const maxAge = Math.min(policy.cdn.maxAgeSeconds, untilChange);
  if (maxAge < 1) return { "Cache-Control": PRIVATE_CACHE };
  const stale = Math.min(policy.cdn.staleSeconds, untilChange - maxAge);
  const cdn = stale > 0 ? `max-age=${maxAge}, stale-while-revalidate=${stale}` : `max-age=${maxAge}`;
  const shared = stale > 0 ? `s-maxage=${maxAge}, stale-while-revalidate=${stale}` : `s-maxage=${maxAge}`;
  return {
    "Cache-Control": `public, max-age=0, ${shared}`,
    "CDN-Cache-Control": cdn,
    "Vercel-CDN-Cache-Control": cdn,
  };
}
