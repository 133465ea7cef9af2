// DELETE /api/admin/posts/<id>[?media=delete]: a moderator takes down anyone's live post at once.
import { requireAdmin } from "../../../lib/admin/admin-auth.js";
import { auditTakedown, takeDownPost } from "../../../lib/admin/takedown.js";
import { getApp } from "../../../lib/app.js";
import { HttpError } from "../../../lib/errors.js";
import { route } from "../../../lib/http/route.js";
import { postIdParam } from "../../../lib/http/route-params.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, {
  async DELETE(request, app, { requestId }) {
    const caller = requireAdmin(request, app.config.adminToken, app.config.proxy);
    const id = postIdParam(request);
    const media = new URL(request.url).searchParams.get("media") ?? "keep";
    if (media !== "keep" && media !== "delete") {
      throw new HttpError(400, "invalid_request", "media: must be delete or keep (the default).");
    }
    const result = await takeDownPost(id, media === "delete", {
      store: app.feed.store,
      admin: app.cloudinaryAdmin,
      folder: app.config.media.folder,
      ttlSeconds: app.feed.ttlSeconds,
      now: app.feed.now,
    });
    auditTakedown(caller, result, app.feed.now(), requestId);
    return new Response(null, { status: 204 });
  },
});
