// Posts and store writes for the store contract tests: the same keys and TTLs the feed itself uses.
import {
  rebuildLease as feedRebuildLease,
  INDEX_KEY,
  listingOf,
  postRemoval,
  postWrite,
  REBUILT_MARKER,
  tombstoneKey,
  tombstoneValue,
} from "../../lib/feed/keys.js";
import type { Post } from "../../lib/schemas.js";
import type { FeedStore, IndexQuery, PostWrite, RebuildEntry, RebuildLease } from "../../lib/store/feed-store.js";

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

/**
 * The feed's own write for `post` (lib/feed/keys.ts), with a test's changes: another TTL, a raw value, or an index
 * key standing for a lost index (the author's index and people are then written aside too).
 */
export function writeFor(post: Post, options: { ttl?: number; indexKey?: string; value?: string } = {}): PostWrite {
  const write = postWrite(post, options.ttl ?? TTL, Date.now());
  const lost = options.indexKey;
  return {
    ...write,
    ...(options.value === undefined ? {} : { value: options.value }),
    ...(lost === undefined ? {} : lostListing(lost)),
  };
}

export async function publish(store: FeedStore, post: Post, options: Parameters<typeof writeFor>[1] = {}) {
  return store.publishPost(writeFor(post, options));
}

/** The feed's own removal of `post`, or with an index key standing for a lost index (as writeFor). */
export function removalFor(post: Post, lost?: string) {
  const removal = postRemoval(post, { tombstoneTtlSeconds: TTL, ttlSeconds: TTL, nowMs: Date.now() });
  return lost === undefined ? removal : { ...removal, ...lostListing(lost) };
}

/** Index keys standing for lost ones: none of the feed's, all in the `{feed}` slot as the feed's are. */
function lostListing(lost: string) {
  return { indexKey: `{feed}:${lost}`, authorKey: `{feed}:${lost}:author`, peopleKey: `{feed}:${lost}:people` };
}

/** A cleanup's tombstone for a post id that was never published. */
export const cleanupTombstone = (id: string) => ({
  key: tombstoneKey(id),
  value: tombstoneValue({ publicId: `feed/u1/${id}` }),
});

/** A read of the feed's index from `minScore` up, with the marker check every page makes. */
export const indexQuery = (minScore: number, extra: { below?: number; limit?: number } = {}): IndexQuery => ({
  indexKey: INDEX_KEY,
  markerKey: INDEX_KEY,
  marker: REBUILT_MARKER,
  minScore,
  limit: 10,
  ...extra,
});

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the rebuild finds for `post`: its index entry, and where its author's entries go. */
export function entryOf(post: Post): RebuildEntry {
  const { author, authorKey } = listingOf(post.userId);
  return { id: post.id, score: Date.parse(post.createdAt), author, authorKey };
}

/** The rebuild lease the feed takes, held by `token` (another reader, alive or dead) for `leaseMs`. */
export function rebuildLease(token: string, leaseMs: number): RebuildLease {
  return feedRebuildLease(token, { leaseMs, stateTtlSeconds: 60, ttlSeconds: TTL });
}
