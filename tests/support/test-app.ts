// Builds the app the way production does, from a literal environment, with an in-process store and a movable clock.
import { v2 as cloudinary } from "cloudinary";
import { expect } from "vitest";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import { createApp, useApp } from "../../lib/app.js";
import { issueDevToken } from "../../lib/auth.js";
import { type EnvSource, loadConfig } from "../../lib/env.js";
import type { FeedDeps } from "../../lib/feed/posts.js";
import type { CloudinaryUpload, MediaType, Post, UploadSignature } from "../../lib/schemas.js";
import { MemoryStore } from "../../lib/store/memory-store.js";

export const TEST_ENV = {
  AUTH_JWT_SECRET: "test-secret-that-is-at-least-32-chars!!",
  CLOUDINARY_URL: "cloudinary://test-key:test-api-secret@demo",
  FEED_TTL_SECONDS: "3600",
} satisfies EnvSource;
export const API_SECRET = "test-api-secret";
/**
 * The stored document's fields in their stored order: the key's owner may read `feed:<id>` directly, so the order is
 * part of its contract.
 */
export const POST_FIELDS = [
  "id",
  "userId",
  "username",
  "text",
  "mediaUrl",
  "mediaType",
  "cloudinaryPublicId",
  "createdAt",
];

export function useTestApp(env: EnvSource = {}, overrides: Partial<FeedDeps> = {}) {
  const clock = { now: Date.parse("2026-11-26T12:00:00.000Z") };
  const now = () => clock.now;
  const store = overrides.store ?? new MemoryStore(now);
  const config = loadConfig({ ...TEST_ENV, ...env });
  const app = createApp(config, { store, now, ...overrides });
  useApp(app);
  return { app, store, clock, config };
}

export function tokenFor(userId: string, username = userId): Promise<string> {
  return issueDevToken(TEST_ENV.AUTH_JWT_SECRET, { userId, username });
}

/** What Cloudinary answers to a signed upload: it signs public_id + version with the account's API secret. */
export function cloudinaryUploadFor(
  signature: UploadSignature,
  versionSeconds: number,
  format = "jpg",
): CloudinaryUpload & Record<string, unknown> {
  const public_id = signature.fields.public_id;
  const resource_type = signature.uploadUrl.includes("/video/") ? "video" : "image";
  return {
    public_id,
    version: versionSeconds,
    signature: cloudinary.utils.api_sign_request({ public_id, version: versionSeconds }, API_SECRET),
    resource_type,
    format,
    secure_url: "https://evil.example/not-trusted.jpg",
    bytes: 1234,
  };
}

export function jsonRequest(
  path: string,
  method: string,
  body?: unknown,
  token?: string,
  headers: Record<string, string> = {},
): Request {
  return new Request(`http://localhost${path}`, {
    method,
    headers: {
      ...(body === undefined ? {} : { "content-type": "application/json" }),
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The browser's flow for one post: a signature, Cloudinary's answer (simulated) and the publish, as `userId`. */
export async function publishAs(ctx: { clock: { now: number } }, userId: string, text: string): Promise<Response> {
  return publishWithToken(ctx, await tokenFor(userId), text);
}

/** The same flow with a token the test made itself (its own claims). */
export async function publishWithToken(
  ctx: { clock: { now: number } },
  token: string,
  text: string,
): Promise<Response> {
  const upload = await signedUpload(ctx, token);
  return feed.POST(jsonRequest("/api/feed", "POST", { text, upload }, token));
}

/** An upload signature for `token` (a 200 is asserted). */
export async function sign(token: string, mediaType: MediaType = "image"): Promise<UploadSignature> {
  const response = await uploadSignature.POST(jsonRequest("/api/feed/upload-signature", "POST", { mediaType }, token));
  expect(response.status).toBe(200);
  return response.json();
}

/** An upload as the browser holds it before publishing: signed for `token`, then answered by Cloudinary. */
export async function signedUpload(ctx: { clock: { now: number } }, token: string, mediaType: MediaType = "image") {
  const format = mediaType === "video" ? "mp4" : "jpg";
  return cloudinaryUploadFor(await sign(token, mediaType), Math.floor(ctx.clock.now / 1000), format);
}

/** A 201 post by `userId` (named `name-<userId>`), uploaded at the app clock's time. */
export async function publish(
  ctx: { clock: { now: number } },
  userId: string,
  text = "hello",
  mediaType: MediaType = "image",
): Promise<Post> {
  const token = await tokenFor(userId, `name-${userId}`);
  const upload = await signedUpload(ctx, token, mediaType);
  const response = await feed.POST(jsonRequest("/api/feed", "POST", { text, upload }, token));
  expect(response.status).toBe(201);
  return response.json();
}
