// The steps every HTTP test repeats: sign an upload as a user, and publish it (Cloudinary's answer simulated).
import { expect } from "vitest";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import type { Post, UploadSignature } from "../../lib/schemas.js";
import { cloudinaryUploadFor, jsonRequest, tokenFor } from "./test-app.js";

export async function sign(token: string, mediaType = "image"): Promise<UploadSignature> {
  const response = await uploadSignature.POST(jsonRequest("/api/feed/upload-signature", "POST", { mediaType }, token));
  expect(response.status).toBe(200);
  return response.json();
}

/** A 201 post by `userId` (named `name-<userId>`), uploaded at the app clock's time. */
export async function publish(
  ctx: { clock: { now: number } },
  userId: string,
  text = "hello",
  mediaType = "image",
): Promise<Post> {
  const token = await tokenFor(userId, `name-${userId}`);
  const upload = cloudinaryUploadFor(await sign(token, mediaType), Math.floor(ctx.clock.now / 1000));
  const response = await feed.POST(jsonRequest("/api/feed", "POST", { text, upload }, token));
  expect(response.status).toBe(201);
  return response.json();
}
