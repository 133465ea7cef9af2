// GET /api/feed[?author=]: a page of live posts (or one person's), newest first. POST /api/feed: publish a verified Cloudinary upload.
import { getApp } from "../../lib/app.js";
import { authenticate } from "../../lib/auth.js";
import { createPost } from "../../lib/feed.js";
import { answerFeed } from "../../lib/feed-reads.js";
import { json, readJson, readQuery } from "../../lib/http/json.js";
import { pageResponse, withSyncToken } from "../../lib/http/page-cache.js";
import { route } from "../../lib/http/route.js";
import { CreatePostRequestSchema, FeedQuerySchema } from "../../lib/schemas.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, {
  async GET(request, app) {
    await app.admitRead(request);
    const query = readQuery(request, FeedQuerySchema);
    const store = query.sync ? app.pages.afterWrite(query.sync) : app.pages.shared;
    const answer = await answerFeed(query, request.headers.get("if-none-match"), { ...app.feed, store });
    return pageResponse(answer, { ...app.config, personal: query.sync !== undefined }, app.feed.now());
  },

  async POST(request, app) {
    // No counter here: publishing needs a signature, and signing charged the post quota (one round trip saved).
    const identity = await authenticate(request, app.verifyToken);
    const { post, created } = await createPost(await readJson(request, CreatePostRequestSchema), identity, app.feed);
    // A retried publish of the same upload gets the stored post again, as a 200.
    return withSyncToken(json(post, created ? 201 : 200), app.pages.syncToken());
  },
});
