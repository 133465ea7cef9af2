// DELETE /api/admin/posts/<id>[?media=delete]: a moderator takes down anyone's live post at once.
import { getApp } from "../../../lib/app.js";
import { route } from "../../../lib/http/route.js";
import { ROUTES } from "../../../lib/routes.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, ROUTES.adminPosts);
