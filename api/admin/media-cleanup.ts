// POST /api/admin/media-cleanup: an operator deletes, or previews deleting, feed media on Cloudinary by public id.
import { getApp } from "../../lib/app.js";
import { route } from "../../lib/http/route.js";
import { ROUTES } from "../../lib/routes.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, ROUTES.mediaCleanup);
