// DELETE /api/feed/<id>: the author removes their post before it expires (its media stays on Cloudinary).
import { getApp } from "../../lib/app.js";
import { authenticate } from "../../lib/auth.js";
import { deletePost } from "../../lib/feed.js";
import { withSyncToken } from "../../lib/http/page-cache.js";
import { route } from "../../lib/http/route.js";
import { postIdParam } from "../../lib/http/route-params.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, {
  async DELETE(request, app) {
    const identity = await authenticate(request, app.verifyToken);
    await deletePost(postIdParam(request), identity, app.feed);
    return withSyncToken(new Response(null, { status: 204 }), app.pages.syncToken());
  },
});
