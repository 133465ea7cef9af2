// Where the feed keeps its data in the shared Redis, and how a stored post is read back.
import { ownerSegment } from "../cloudinary/public-id.js";
import { type MediaType, MediaTypeSchema, POST_ID_PATTERN, type Post, PostSchema } from "../schemas.js";
import type { PostListing, PostRemoval, PostWrite, RebuildLease } from "../store/feed-store.js";

// The owner's contract: one string key per post, `feed:<id>`, holding the post's JSON, with the post's TTL.
export const POST_KEY_PREFIX = "feed:";
// The feed's own bookkeeping shares the `{feed}` hash tag, so a transaction or script over several of them stays in
// one hash slot on a cluster. None matches `feed:*` (a SCAN for posts never meets them), and every one has a TTL.
// The id index: ids and scores (createdAt) only, never post content; a hint that may hold ids whose post is gone.
export const INDEX_KEY = "{feed}:index";
// People: one member per person with live posts, `<author>:<their newest post id>`, scored by that post's time.
export const PEOPLE_KEY = "{feed}:people";
// The feed's version: a number bumped after every change a page could show (lib/feed/page-tag.ts), with the indexes'
// TTL.
export const VERSION_KEY = "{feed}:version";
// Each person's own index, like the feed's, named by the public id's owner segment (no user id in a key).
export const authorKey = (author: string): string => `{feed}:author:${author}`;
/** The name the indexes give a user: their uploads' owner segment, `u<16 hex digits of sha256(userId)>`. */
export const authorOf = (userId: string): string => ownerSegment(userId);
// Present once a rebuild has checked the index against the `feed:*` keys; score 0 keeps it out of every page. The
// stored member keeps its first spelling, so indexes in existing databases stay complete without a rebuild.
export const REBUILT_MARKER = "!healed";
// The rebuild of a lost index: who holds it (a lease), where its walk stopped, and the index it is building.
export const REBUILD_LOCK_KEY = "{feed}:rebuild:lock";
export const REBUILD_CURSOR_KEY = "{feed}:rebuild:cursor";
export const REBUILD_INDEX_KEY = "{feed}:rebuild:index";

export const postKey = (id: string): string => `${POST_KEY_PREFIX}${id}`;

/**
 * Whether a key has the shape of a post's (`feed:` and a post id). Other code sharing the Redis may own keys such as
 * `feed:user:42` of any type and size: the rebuild reads no value whose key fails this.
 */
export const isPostKey = (key: string): boolean =>
  key.startsWith(POST_KEY_PREFIX) && POST_ID_PATTERN.test(key.slice(POST_KEY_PREFIX.length));

// The longest value a post can be: 2,200 caption characters of up to 4 UTF-8 bytes, a 256-character user id, a
// 64-character name and the URLs come to under 11 KB of JSON. A longer value under a post key is not a post.
export const MAX_POST_BYTES = 16 * 1024;

/**
 * Says that the upload behind post `id` may never be published again (its post was deleted, or its media cleaned up).
 * The hash tag is the post key itself, so this key lives in `feed:<id>`'s hash slot and one script can check both.
 */
export const tombstoneKey = (id: string): string => `{${postKey(id)}}:removed`;

/** What a tombstone holds: the upload's media, so a takedown can still delete it after the post is gone. */
export interface TombstoneMedia {
  publicId: string;
  /** Unknown when the tombstone was written before the type was looked up (a cleanup). */
  mediaType?: MediaType;
}

export const tombstoneValue = (media: TombstoneMedia): string => JSON.stringify(media);

/** The media a tombstone names, or null for one that names none (written before tombstones held it). */
export function parseTombstone(value: unknown): TombstoneMedia | null {
  try {
    const data = JSON.parse(String(value)) as Partial<TombstoneMedia>;
    if (typeof data?.publicId !== "string") return null;
    const mediaType = MediaTypeSchema.safeParse(data.mediaType);
    return { publicId: data.publicId, ...(mediaType.success ? { mediaType: mediaType.data } : {}) };
  } catch {
    return null;
  }
}

/** A stored value, or null when it is missing, corrupt or not a post (foreign data under `feed:*` is skipped). */
export function parsePost(value: unknown): Post | null {
  if (value === null || value === undefined) return null;
  let data = value;
  if (typeof value === "string") {
    try {
      data = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const parsed = PostSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}

/**
 * The index outlives its newest post by one more lifetime: an idle feed keeps its marker (and skips a rebuild) when
 * the next post comes. Entries of expired posts are trimmed on each write and never read, so this costs little.
 */
export const indexTtlSeconds = (ttlSeconds: number): number => ttlSeconds * 2;

/** Where a post by `userId` is listed. */
export function listingOf(userId: string): PostListing {
  const author = authorOf(userId);
  return { author, authorKey: authorKey(author), peopleKey: PEOPLE_KEY, indexKey: INDEX_KEY, versionKey: VERSION_KEY };
}

/** The store's write for a new post: the post's JSON as stored, its TTL, and its entries, trimming expired ones. */
export function postWrite(post: Post, ttlSeconds: number, nowMs: number): PostWrite {
  return {
    ...listingOf(post.userId),
    id: post.id,
    key: postKey(post.id),
    tombstoneKey: tombstoneKey(post.id),
    value: JSON.stringify(post),
    ttlSeconds,
    indexTtlSeconds: indexTtlSeconds(ttlSeconds),
    score: Date.parse(post.createdAt),
    trimBelow: nowMs - ttlSeconds * 1000,
  };
}

/** The store's removal of a post: its tombstone names the media, for `tombstoneTtlSeconds`. */
export function postRemoval(
  post: Post,
  times: { tombstoneTtlSeconds: number; ttlSeconds: number; nowMs: number },
): PostRemoval {
  return {
    ...listingOf(post.userId),
    id: post.id,
    key: postKey(post.id),
    tombstoneKey: tombstoneKey(post.id),
    tombstone: tombstoneValue({ publicId: post.cloudinaryPublicId, mediaType: post.mediaType }),
    tombstoneTtlSeconds: times.tombstoneTtlSeconds,
    indexTtlSeconds: indexTtlSeconds(times.ttlSeconds),
    nowMs: times.nowMs,
  };
}

/** A rebuild's lease for `token`, on the feed's own keys. */
export function rebuildLease(
  token: string,
  times: { leaseMs: number; stateTtlSeconds: number; ttlSeconds: number },
): RebuildLease {
  return {
    lockKey: REBUILD_LOCK_KEY,
    cursorKey: REBUILD_CURSOR_KEY,
    buildKey: REBUILD_INDEX_KEY,
    indexKey: INDEX_KEY,
    peopleKey: PEOPLE_KEY,
    versionKey: VERSION_KEY,
    marker: REBUILT_MARKER,
    token,
    leaseMs: times.leaseMs,
    stateTtlSeconds: times.stateTtlSeconds,
    indexTtlSeconds: indexTtlSeconds(times.ttlSeconds),
  };
}
