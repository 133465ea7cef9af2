// Every feed route (/api/feed, /api/feed/people, /api/feed/<id>, …) through one catch-all route, configured from the
// environment (REDIS_URL or UPSTASH_*, CLOUDINARY_URL, AUTH_JWT_SECRET) as the standalone project is.
import { createRouteHandlers } from "ephemeral-feed/next";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";
export const { GET, HEAD, POST, DELETE, OPTIONS } = createRouteHandlers();
