// DELETE /api/feed/<id>: the author removes their post before it expires (its media stays on Cloudinary).
import { standaloneFeed } from "../../lib/host/standalone.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = standaloneFeed.handlers.post;
