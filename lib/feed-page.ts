// Reading a page of the feed: an id index in a sorted set, then MGET of the posts; the index heals itself if lost.
import { HttpError, ServiceUnavailableError } from "./errors.js";
import { type FeedPage, type Post, PostSchema } from "./schemas.js";
import type { FeedStore, IndexEntry } from "./store/feed-store.js";

export const POST_KEY_PREFIX = "feed:";
// Outside `feed:*` so a SCAN for posts never meets it; it holds ids and scores only, never post content.
export const INDEX_KEY = "feed-index";
// Present once the index has been checked against the `feed:*` keys; score 0 keeps it out of every page.
export const HEALED_MARKER = "!healed";
// Extra ids read per page so a few entries whose posts already expired do not leave the page short.
const OVERFETCH = 5;
// SCAN step size for healing: large enough that 200,000 unrelated keys take ~200 steps.
const HEAL_SCAN_COUNT = 1000;

export const postKey = (id: string): string => `${POST_KEY_PREFIX}${id}`;

export interface PageDeps {
  store: FeedStore;
  ttlSeconds: number;
  now: () => number;
}

/** Newest first; a page costs two round trips (index, then MGET) whatever the size of the feed or of the database. */
export async function readPage(query: { limit: number; cursor?: string }, deps: PageDeps): Promise<FeedPage> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
  const want = query.limit + OVERFETCH;
  const indexQuery = {
    indexKey: INDEX_KEY,
    marker: HEALED_MARKER,
    minScore: deps.now() - deps.ttlSeconds * 1000,
    below: after?.score,
    limit: want,
  };
  let read = await deps.store.readIndex(indexQuery);
  if (!read.markerPresent && (await tryHealIndex(deps))) read = await deps.store.readIndex(indexQuery);

  // Entries sharing the cursor's score sort by id descending; those after the cursor's id are still to come.
  const ties = after ? read.ties.filter((id) => id < after.id).map((id) => ({ id, score: after.score })) : [];
  const merged = [...ties, ...read.entries];
  const mayHaveMore = read.entries.length === want || merged.length > want;
  const candidates = merged.slice(0, want);
  const values = await deps.store.getValues(candidates.map((entry) => postKey(entry.id)));

  const items: Post[] = [];
  let last = -1;
  while (items.length < query.limit && last + 1 < candidates.length) {
    last += 1;
    const post = parsePost(values[last]);
    if (post) items.push(post);
  }
  const more = last < candidates.length - 1 || mayHaveMore;
  return { items, nextCursor: more && last >= 0 ? encodeCursor(candidates[last]) : null };
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

/** Healing writes; when Redis refuses writes (OOM, READONLY) the page is still served from the index as it is. */
async function tryHealIndex(deps: PageDeps): Promise<boolean> {
  try {
    return await healIndex(deps);
  } catch (error) {
    if (!(error instanceof ServiceUnavailableError)) throw error;
    console.error(JSON.stringify({ level: "warn", message: "feed index not healed: Redis refused the writes" }));
    return false;
  }
}

/**
 * Rebuilds the index from the `feed:*` keys when it was lost (eviction, manual deletion) or expired with the feed.
 * The marker doubles as a lock: only the caller that adds it walks the keyspace, once per idle TTL at most.
 */
export async function healIndex(deps: PageDeps): Promise<boolean> {
  if (!(await deps.store.claimMarker(INDEX_KEY, HEALED_MARKER, deps.ttlSeconds))) return false;
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
  return true;
}

const CURSOR_PATTERN = /^(\d{1,16})\.([A-Za-z0-9_-]{10,64})$/;

export function encodeCursor(entry: IndexEntry): string {
  return Buffer.from(`${entry.score}.${entry.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): IndexEntry {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw new HttpError(400, "invalid_cursor", "The cursor is not one this API returned.");
  return { score: Number(match[1]), id: match[2] };
}
