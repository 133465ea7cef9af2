// DELETE /api/admin/posts/<id>[?media=delete]: a moderator takes down anyone's live post at once.
import { standaloneFeed } from "../../../lib/host/standalone.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = standaloneFeed.handlers.adminPosts;
