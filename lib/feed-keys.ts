// Where the feed keeps its data in the shared Redis, and how a stored post is read back.
import { type Post, PostSchema } from "./schemas.js";

// The owner's contract: one string key per post, `feed:<id>`, holding the post's JSON, with the post's TTL.
export const POST_KEY_PREFIX = "feed:";
// The feed's own bookkeeping shares the `{feed}` hash tag, so a transaction or script over several of them stays in
// one hash slot on a cluster. None matches `feed:*` (a SCAN for posts never meets them), and every one has a TTL.
// The id index: ids and scores (createdAt) only, never post content; a hint that may hold ids whose post is gone.
export const INDEX_KEY = "{feed}:index";
// Present once the index has been checked against the `feed:*` keys; score 0 keeps it out of every page.
export const HEALED_MARKER = "!healed";
// The rebuild of a lost index: who holds it (a lease), where its walk stopped, and the index it is building.
export const REBUILD_LOCK_KEY = "{feed}:rebuild:lock";
export const REBUILD_CURSOR_KEY = "{feed}:rebuild:cursor";
export const REBUILD_INDEX_KEY = "{feed}:rebuild:index";

export const postKey = (id: string): string => `${POST_KEY_PREFIX}${id}`;

/**
 * Says that the upload behind post `id` may never be published again (its post was deleted, or its media cleaned up).
 * The hash tag is the post key itself, so this key lives in `feed:<id>`'s hash slot and one script can check both.
 */
export const removedKey = (id: string): string => `{${postKey(id)}}:removed`;

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
