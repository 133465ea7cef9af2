// Rebuilding a lost index from the `feed:*` keys: a bounded slice per reader, resumed by the next reader where the
// last one stopped, built on the side and merged in one step, so no reader ever sees half an index as complete.
import { randomUUID } from "node:crypto";
import { ServiceUnavailableError } from "../errors.js";
import { log } from "../log.js";
import type { FeedStore, RebuildEntry } from "../store/feed-store.js";
import { isPostKey, listingOf, MAX_POST_BYTES, POST_KEY_PREFIX, parsePost, postKey, rebuildLease } from "./keys.js";

// SCAN step size: each step walks ~this many keys of the whole database (chat, sessions…) on each master, and keeps
// Redis busy for only a few milliseconds.
const SCAN_COUNT = 10_000;
// How long one reader walks before it saves its place and answers: the rebuild adds about this much to one request.
export const REBUILD_SLICE_MS = 1000;
// A cursor and side index left alone this long are dropped, and the next rebuild starts from scratch.
const REBUILD_STATE_TTL_SECONDS = 600;
// Values read per round trip: with MAX_POST_BYTES a key, at most 4 MB in memory whatever foreign keys hold.
const VALUES_PER_READ = 250;

export interface RebuildDeps {
  store: FeedStore;
  ttlSeconds: number;
  /** Each Redis call's limit: the lease covers a slice plus one slow step, so only a dead rebuild is taken over. */
  redisTimeoutMs: number;
  sliceMs?: number;
}

/** Walks on when nobody else is; true when this call completed the index. Refused writes (OOM, READONLY) → false. */
export async function tryRebuildIndex(deps: RebuildDeps): Promise<boolean> {
  try {
    return await rebuildIndexSlice(deps);
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError)) throw error;
    log.warn("index_rebuild_failed", { detail: "feed index not rebuilt: Redis refused or timed out" });
    return false;
  }
}

/**
 * One slice of the walk under a lease. Each step's results are saved (with the lease renewed) while the next SCAN
 * runs, so a step costs about one round trip per command kind. Only the lease holder's saves count: a reader that was
 * cut off and comes back late writes nothing.
 */
export async function rebuildIndexSlice(deps: RebuildDeps): Promise<boolean> {
  // Half the Redis timeout at most, so a read that rebuilds stays within twice the timeout (lib/feed/paging.ts).
  const sliceMs = deps.sliceMs ?? Math.min(REBUILD_SLICE_MS, deps.redisTimeoutMs / 2);
  const lease = rebuildLease(randomUUID(), {
    leaseMs: sliceMs + 3 * deps.redisTimeoutMs,
    stateTtlSeconds: REBUILD_STATE_TTL_SECONDS,
    ttlSeconds: deps.ttlSeconds,
  });
  const claim = await deps.store.claimRebuild(lease);
  if (!claim.claimed) return false;
  const started = performance.now();
  let cursor = claim.cursor;
  // A walk this slice begins starts the side index; one resumed from a saved cursor must find it still there.
  let fresh = cursor === null;
  let saved: Promise<boolean> = Promise.resolve(true);
  for (;;) {
    const [step, stillOurs] = await Promise.all([
      deps.store.scanPosts(cursor, `${POST_KEY_PREFIX}*`, SCAN_COUNT),
      saved,
    ]);
    if (!stillOurs) return false;
    const entries = await readEntries(step.keys, deps.store);
    if (step.cursor === null) {
      return deps.store.finishRebuild(lease, { entries, fresh, nowMs: Date.now() });
    }
    cursor = step.cursor;
    const sliceOver = performance.now() - started >= sliceMs;
    saved = deps.store.saveRebuild(lease, { cursor, entries, release: sliceOver, fresh, nowMs: Date.now() });
    fresh = false;
    if (sliceOver) {
      await saved;
      return false;
    }
  }
}

/**
 * Entries for the keys that hold a post under their own id. Keys of another shape are never read, and values are read
 * in bounded batches and lengths, so foreign keys under `feed:*` (of any type or size) cost no memory; foreign or
 * corrupt values are skipped.
 */
async function readEntries(scanned: string[], store: FeedStore): Promise<RebuildEntry[]> {
  const keys = scanned.filter(isPostKey);
  const entries: RebuildEntry[] = [];
  for (let i = 0; i < keys.length; i += VALUES_PER_READ) {
    const batch = keys.slice(i, i + VALUES_PER_READ);
    const values = await store.getBoundedValues(batch, MAX_POST_BYTES);
    values.forEach((value, j) => {
      const post = parsePost(value);
      if (post && postKey(post.id) === batch[j]) {
        const { author, authorKey } = listingOf(post.userId);
        entries.push({ id: post.id, score: Date.parse(post.createdAt), author, authorKey });
      }
    });
  }
  return entries;
}
