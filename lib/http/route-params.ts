// The `[id]` of a dynamic route: the path's last segment, which no query parameter can override.
import { HttpError } from "../errors.js";
import { POST_ID_PATTERN } from "../schemas.js";

// The route's own file path (`/api/feed/[id]`), as a rewrite to it would leave the URL; Vercel then passes the
// segment as `?id=`.
const UNRESOLVED_SEGMENT = /^(\[id\]|%5Bid%5D)$/i;

/**
 * The post id the request names, or a 404 for anything that cannot be one (so nothing else reaches Redis). Vercel
 * passes dynamic segments as query parameters too, and a caller can add its own `?id=`: the path decides, so
 * `DELETE /api/admin/posts/A?id=B` acts on A. Only a path that still reads `[id]` takes the query's id, and only a
 * single one, since two could be the caller's and Vercel's.
 */
export function postIdParam(request: Request): string {
  const url = new URL(request.url);
  const segment = url.pathname.split("/").pop() ?? "";
  const candidates = UNRESOLVED_SEGMENT.test(segment) ? url.searchParams.getAll("id") : [segment];
  const id = candidates.length === 1 ? candidates[0] : "";
  if (!POST_ID_PATTERN.test(id)) throw new HttpError("not_found");
  return id;
}
