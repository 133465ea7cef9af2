// POST /api/admin/media-cleanup: an operator deletes, or previews deleting, feed media on Cloudinary by public id.
import { standaloneFeed } from "../../lib/host/standalone.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = standaloneFeed.handlers.mediaCleanup;
