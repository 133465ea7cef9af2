// Shared fixtures for the media cleanup tests: a configuration from literals, feed public ids, and live posts.

import { ownerFolder } from "../../lib/cloudinary/public-id.js";
import { type Config, type EnvSource, loadConfig } from "../../lib/env.js";
import { postWrite } from "../../lib/feed/keys.js";
import type { Post } from "../../lib/schemas.js";
import type { FeedStore } from "../../lib/store/feed-store.js";

export const API_SECRET = "shh-this-is-the-api-secret";
export const ADMIN_TOKEN = "admin-token-0123456789-abcdefghijklmnop";
// A fixed clock: 2025-01-01T12:00:00Z.
export const NOW = Date.parse("2025-01-01T12:00:00.000Z");
export const HOUR = 3_600_000;

/** Cloudinary on a host of its own so msw sees exactly the Admin API calls; never mutates process.env. */
export function testConfig(env: EnvSource = {}): Config {
  return loadConfig({
    CLOUDINARY_URL: `cloudinary://key-123:${API_SECRET}@demo`,
    ADMIN_TOKEN,
    ...env,
  });
}

/** A public id shaped like a feed upload's: `feed/u<hash of the user>/<post id>`. */
export function feedId(n: number, userId = "user-1", folder = "feed"): string {
  return `${ownerFolder(folder, userId)}/post${String(n).padStart(8, "0")}`;
}

export const postIdOf = (publicId: string): string => publicId.split("/").pop() ?? "";

export const isoAgo = (ms: number, now = NOW): string => new Date(now - ms).toISOString();

/** Writes a live post whose media is `publicId`, as createPost does. */
export async function storeLivePost(store: FeedStore, publicId: string, now = NOW): Promise<Post> {
  const id = postIdOf(publicId);
  const post: Post = {
    id,
    userId: "user-1",
    username: "Ada",
    text: "still here",
    mediaUrl: `https://res.cloudinary.com/demo/image/upload/v1/${publicId}.jpg`,
    mediaType: "image",
    cloudinaryPublicId: publicId,
    createdAt: new Date(now).toISOString(),
  };
  await store.publishPost(postWrite(post, 3600, now));
  return post;
}
