// GET /api/feed[?author=]: a page of live posts (or one person's), newest first. POST /api/feed: publish a verified Cloudinary upload.
import { getApp } from "../../lib/app.js";
import { route } from "../../lib/http/route.js";
import { ROUTES } from "../../lib/routes.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, ROUTES.feed);
