// POST /api/admin/media-cleanup: an operator deletes, or previews deleting, feed media on Cloudinary by public id.
import { requireAdmin } from "../../lib/admin/admin-auth.js";
import { cleanupRequestSchema, countResults } from "../../lib/admin/cleanup-request.js";
import { auditCleanup, cleanupByIds } from "../../lib/admin/media-cleanup.js";
import { getApp } from "../../lib/app.js";
import { removedTtlSeconds } from "../../lib/feed.js";
import { json, readJson } from "../../lib/http/json.js";
import { route } from "../../lib/http/route.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, {
  async POST(request, app, { requestId }) {
    const caller = requireAdmin(request, app.config.adminToken, app.config.proxy);
    const input = await readJson(request, cleanupRequestSchema(app.config.media.folder));
    const results = await cleanupByIds(input, {
      admin: app.cloudinaryAdmin,
      store: app.feed.store,
      folder: app.config.media.folder,
      removedTtlSeconds: removedTtlSeconds(app.config.feedTtlSeconds),
    });
    const counts = countResults(results);
    auditCleanup(caller, input, results, counts, app.feed.now(), requestId);
    const body = { dryRun: input.dryRun, force: input.force, counts, results };
    return json(body); // no-store, as for every POST (lib/http/route.ts)
  },
});
