// Rebuilding the id index from the `feed:*` keys when it was lost (eviction, manual deletion) or expired with the feed.
import { ServiceUnavailableError } from "./errors.js";
import { HEAL_LOCK_KEY, HEALED_MARKER, INDEX_KEY, POST_KEY_PREFIX, parsePost, postKey } from "./feed-keys.js";
import type { FeedStore, IndexEntry } from "./store/feed-store.js";

// SCAN step size: each step walks ~this many keys of the whole database (chat, sessions…), so 200,000 other keys take
// ~20 round trips; a step of 10,000 keys keeps Redis busy for only a few milliseconds.
const HEAL_SCAN_COUNT = 10_000;
// Long enough for a full walk on a slow link; if the healer dies (function timeout), another reader retries after it.
const HEAL_LOCK_SECONDS = 30;

export interface HealDeps {
  store: FeedStore;
  ttlSeconds: number;
}

/** Heals when this caller gets the lock; when Redis refuses writes (OOM, READONLY) the index is served as it is. */
export async function tryHealIndex(deps: HealDeps): Promise<boolean> {
  try {
    return await healIndex(deps);
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError)) throw error;
    console.error(JSON.stringify({ level: "warn", message: "feed index not healed: Redis refused the writes" }));
    return false;
  }
}

/**
 * One reader at a time walks the keyspace; the marker is added only once the walk is complete, so a walk cut short
 * is retried by a later reader instead of leaving a partial index for good. An idle feed pays this once per TTL.
 */
export async function healIndex(deps: HealDeps): Promise<boolean> {
  const { count } = await deps.store.countHit(HEAL_LOCK_KEY, HEAL_LOCK_SECONDS);
  if (count > 1) return false;
  let cursor = "0";
  do {
    const step = await deps.store.scan(cursor, `${POST_KEY_PREFIX}*`, HEAL_SCAN_COUNT);
    cursor = step.cursor;
    const values = await deps.store.getValues(step.keys);
    const entries = values.flatMap((value, i): IndexEntry[] => {
      const post = parsePost(value);
      return post && postKey(post.id) === step.keys[i] ? [{ id: post.id, score: Date.parse(post.createdAt) }] : [];
    });
    await deps.store.addToIndex(INDEX_KEY, entries, deps.ttlSeconds);
  } while (cursor !== "0");
  await deps.store.claimMarker(INDEX_KEY, HEALED_MARKER, deps.ttlSeconds);
  // Released at once, so an index lost again soon after is healed by the next reader, not after the lock expires.
  await deps.store.deleteKey(HEAL_LOCK_KEY);
  return true;
}
