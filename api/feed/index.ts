// GET /api/feed[?author=]: a page of live posts (or one person's), newest first. POST /api/feed: publish a verified Cloudinary upload.
import { standaloneFeed } from "../../lib/host/standalone.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = standaloneFeed.handlers.feed;
