// GET /api/feed: a page of live posts, newest first. POST /api/feed: publish a verified Cloudinary upload.
import { getApp } from "../../lib/app.js";
import { authenticate } from "../../lib/auth.js";
import { createPost } from "../../lib/feed.js";
import { readPage } from "../../lib/feed-page.js";
import { clientAddress } from "../../lib/http/client-address.js";
import { cachedJson, json, readJson, readQuery } from "../../lib/http/json.js";
import { route } from "../../lib/http/route.js";
import { CreatePostRequestSchema, FeedQuerySchema } from "../../lib/schemas.js";

// The CDN answers polls for 2 s and may serve a stale page for 8 s more while it refetches: new posts show within
// seconds, and expired ones are hidden by the client's own countdown.
const PUBLIC_CACHE = "public, max-age=0, s-maxage=2, stale-while-revalidate=8";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, {
  async GET(request, app) {
    if (app.config.readRequiresAuth) await authenticate(request, app.verifyToken);
    await app.rateLimit("read", clientAddress(request, app.config.proxy));
    const { page, complete } = await readPage(readQuery(request, FeedQuerySchema), app.feed);
    // A page read while the index is being rebuilt may miss posts: never let a CDN keep it.
    const cacheable = complete && !app.config.readRequiresAuth;
    return cachedJson(request, page, cacheable ? PUBLIC_CACHE : "private, no-store");
  },

  async POST(request, app) {
    // No counter here: publishing needs a signature, and signing charged the post quota (one round trip saved).
    const identity = await authenticate(request, app.verifyToken);
    const { post, created } = await createPost(await readJson(request, CreatePostRequestSchema), identity, app.feed);
    // A retried publish of the same upload gets the stored post again, as a 200.
    return json(post, created ? 201 : 200);
  },
});
