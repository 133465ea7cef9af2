// POST /api/feed/upload-signature: parameters, signed by the server, for one direct upload to Cloudinary.
import { getApp } from "../../lib/app.js";
import { route } from "../../lib/http/route.js";
import { ROUTES } from "../../lib/routes.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, ROUTES.uploadSignature);
