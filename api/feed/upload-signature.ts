// POST /api/feed/upload-signature: parameters, signed by the server, for one direct upload to Cloudinary.
import { standaloneFeed } from "../../lib/host/standalone.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = standaloneFeed.handlers.uploadSignature;
