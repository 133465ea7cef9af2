// POST /api/feed/upload-signature: parameters, signed by the server, for one direct upload to Cloudinary.
import { getApp } from "../../lib/app.js";
import { authenticate } from "../../lib/auth.js";
import { signUpload } from "../../lib/feed.js";
import { json, readJson } from "../../lib/http/json.js";
import { route } from "../../lib/http/route.js";
import { UploadSignatureRequestSchema } from "../../lib/schemas.js";

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = route(getApp, {
  async POST(request, app) {
    const identity = await authenticate(request, app.verifyToken);
    // Each signature is a post to come: the quota is charged here, so a refusal comes before the upload, not after.
    await app.rateLimit("post", identity.userId);
    const { mediaType } = await readJson(request, UploadSignatureRequestSchema);
    // route() marks every POST's answer no-store: a signature is for this caller and this minute only.
    return json(signUpload(mediaType, identity, app.feed));
  },
});
