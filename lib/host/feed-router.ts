// One handler for every feed route under a mount path, for hosts that give the feed one path (a Next.js catch-all
// route, an Express `app.use`): the same routes as the standalone project's api/ files, relative to the mount.

import { errorJson } from "../http/error-response.js";
import type { Handler } from "../http/route.js";
import type { RouteName } from "../http/routes.js";

// Where the browser client (client/feed-client.ts) calls the feed: hosts mount it here unless they say otherwise.
export const DEFAULT_BASE_PATH = "/api/feed";
// The same headers route() gives every error.
const NOT_FOUND_HEADERS = { "Cache-Control": "no-store", "X-Content-Type-Options": "nosniff" };

/** The route a path names under `basePath`: "" the feed, "/people", "/upload-signature", "/<id>", "/admin/…". */
export function routeOf(pathname: string, basePath: string): RouteName | undefined {
  if (pathname !== basePath && !pathname.startsWith(`${basePath}/`)) return undefined;
  const rest = pathname.slice(basePath.length);
  if (rest === "" || rest === "/") return "feed";
  if (rest === "/people") return "people";
  if (rest === "/upload-signature") return "uploadSignature";
  if (rest === "/admin/media-cleanup") return "mediaCleanup";
  if (/^\/admin\/posts\/[^/]+$/.test(rest)) return "adminPosts";
  if (/^\/[^/]+$/.test(rest) && rest !== "/admin") return "post";
  return undefined;
}

export function routeRequests(handlers: Record<RouteName, Handler>, basePath: string): Handler {
  const base = basePath.replace(/\/+$/, "");
  return async (request) => {
    const name = routeOf(new URL(request.url).pathname, base);
    if (!name) return errorJson("not_found", "No such endpoint.", NOT_FOUND_HEADERS);
    return handlers[name](request);
  };
}
