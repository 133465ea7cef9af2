// DELETE /api/feed/<id>: the author removes their post before it expires (its media stays on Cloudinary).
import { getApp } from "../../lib/app.js";
import { authenticate } from "../../lib/auth.js";
import { HttpError } from "../../lib/errors.js";
import { deletePost } from "../../lib/feed.js";
import { route } from "../../lib/http.js";
import { POST_ID_PATTERN } from "../../lib/schemas.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route({
  async DELETE(request) {
    const app = getApp();
    const identity = await authenticate(request, app.verifyToken);
    // The path's last segment; Vercel's route for [id] also passes it as ?id=, which wins if the path was rewritten.
    const url = new URL(request.url);
    const id = url.searchParams.get("id") ?? url.pathname.split("/").pop() ?? "";
    if (!POST_ID_PATTERN.test(id)) throw new HttpError(404, "not_found", "No live post has this id.");
    await deletePost(id, identity, app.feed);
    return new Response(null, { status: 204 });
  },
});
