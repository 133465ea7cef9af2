// Posts and store writes for the store contract tests: the same keys and TTLs the feed itself uses.
import {
  HEALED_MARKER,
  INDEX_KEY,
  indexTtlSeconds,
  postKey,
  REBUILD_CURSOR_KEY,
  REBUILD_INDEX_KEY,
  REBUILD_LOCK_KEY,
  removedKey,
  tombstoneValue,
} from "../../lib/feed-keys.js";
import type { Post } from "../../lib/schemas.js";
import type { FeedStore, PostWrite, RebuildLease } from "../../lib/store/feed-store.js";

export const TTL = 60;
let counter = 0;

export function makePost(createdAt: number, overrides: Partial<Post> = {}): Post {
  counter += 1;
  const id = `post${String(counter).padStart(8, "0")}${Math.random().toString(36).slice(2, 8)}`;
  return {
    id,
    userId: "user-1",
    username: "Ada",
    text: `caption ${counter}`,
    mediaUrl: `https://res.cloudinary.com/demo/image/upload/v1/feed/u1/${id}.jpg`,
    mediaType: "image",
    cloudinaryPublicId: `feed/u1/${id}`,
    createdAt: new Date(createdAt).toISOString(),
    ...overrides,
  };
}

export function writeFor(post: Post, options: { ttl?: number; indexKey?: string; value?: string } = {}): PostWrite {
  const ttlSeconds = options.ttl ?? TTL;
  return {
    id: post.id,
    key: postKey(post.id),
    removedKey: removedKey(post.id),
    value: options.value ?? JSON.stringify(post),
    ttlSeconds,
    indexKey: options.indexKey ?? INDEX_KEY,
    indexTtlSeconds: indexTtlSeconds(ttlSeconds),
    score: Date.parse(post.createdAt),
    trimBelow: Date.now() - ttlSeconds * 1000,
  };
}

export async function publish(store: FeedStore, post: Post, options: Parameters<typeof writeFor>[1] = {}) {
  return store.publishPost(writeFor(post, options));
}

export function removalFor(post: Post, indexKey = INDEX_KEY) {
  const tombstone = tombstoneValue({ publicId: post.cloudinaryPublicId, mediaType: post.mediaType });
  return {
    id: post.id,
    key: postKey(post.id),
    removedKey: removedKey(post.id),
    tombstone,
    removedTtlSeconds: TTL,
    indexKey,
  };
}

/** A cleanup's tombstone for a post id that was never published. */
export const cleanupTombstone = (id: string) => ({
  key: removedKey(id),
  value: tombstoneValue({ publicId: `feed/u1/${id}` }),
});

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The rebuild lease the feed takes, held by `token` (another reader, alive or dead) for `leaseMs`. */
export function rebuildLease(token: string, leaseMs: number): RebuildLease {
  return {
    lockKey: REBUILD_LOCK_KEY,
    cursorKey: REBUILD_CURSOR_KEY,
    buildKey: REBUILD_INDEX_KEY,
    indexKey: INDEX_KEY,
    marker: HEALED_MARKER,
    token,
    leaseMs,
    stateTtlSeconds: 60,
  };
}
