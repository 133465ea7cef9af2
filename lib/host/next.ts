// `ephemeral-feed/next`: the feed as one Next.js App Router catch-all route (app/api/feed/[[...path]]/route.ts),
// on the Node.js runtime (ioredis and the Cloudinary SDK need Node).
import { createFeed, type FeedOptions } from "./create-feed.js";

export type { FeedOptions } from "./create-feed.js";

type RouteHandler = (request: Request) => Promise<Response>;

/** `export const { GET, POST, DELETE, OPTIONS } = createRouteHandlers()`; HEAD, PUT and PATCH answer as on Vercel. */
export function createRouteHandlers(
  options: FeedOptions = {},
): Record<"GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS", RouteHandler> {
  const { fetch } = createFeed(options);
  // Next passes the route's params as a second argument; the feed reads its path from the URL instead.
  const handle: RouteHandler = (request) => fetch(request);
  return { GET: handle, HEAD: handle, POST: handle, PUT: handle, PATCH: handle, DELETE: handle, OPTIONS: handle };
}
