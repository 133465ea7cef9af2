// DELETE /api/feed/<id>: the author removes their post before it expires (its media stays on Cloudinary).
import { getApp } from "../../lib/app.js";
import { route } from "../../lib/http/route.js";
import { ROUTES } from "../../lib/routes.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, ROUTES.post);
