// Reading a page of the feed: an id index in a sorted set, then the posts in one step; a lost index is rebuilt.
import { HttpError } from "./errors.js";
import { HEALED_MARKER, INDEX_KEY, parsePost, postKey, REBUILD_INDEX_KEY } from "./feed-keys.js";
import { type RebuildDeps, tryRebuildIndex } from "./feed-rebuild.js";
import type { FeedPage, Post } from "./schemas.js";
import { type FeedStore, type IndexEntry, type IndexQuery, type IndexRead, newestFirst } from "./store/feed-store.js";

// Extra ids read per page so a few entries whose posts already expired do not leave the page short.
const OVERFETCH = 5;
// A page's posts stay under this many bytes of JSON (the response under 256 KB) whatever the captions: 100 posts of
// 2,200 four-byte characters would be ~900 KB. A fuller page ends early, with a cursor to the rest.
export const MAX_PAGE_BYTES = 200 * 1024;

export interface PageDeps extends RebuildDeps {
  now: () => number;
}

export interface PageRead {
  page: FeedPage;
  /** False while the index is being rebuilt: the page may miss posts, so it must not be cached publicly. */
  complete: boolean;
}

/** Newest first; a page costs two round trips (index, then MGET) whatever the size of the feed or of the database. */
export async function readPage(query: { limit: number; cursor?: string }, deps: PageDeps): Promise<PageRead> {
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
  if (!read.markerPresent) {
    const rebuilt = await tryRebuildIndex(deps);
    read = rebuilt ? await deps.store.readIndex(indexQuery) : await withRebuiltSoFar(read, indexQuery, deps.store);
  }

  // Entries sharing the cursor's score sort by id descending; those after the cursor's id are still to come.
  const ties = after ? read.ties.filter((id) => id < after.id).map((id) => ({ id, score: after.score })) : [];
  const merged = [...ties, ...read.entries];
  const mayHaveMore = read.entries.length === want || merged.length > want;
  const candidates = merged.slice(0, want);
  const values = await deps.store.getValues(candidates.map((entry) => postKey(entry.id)));
  const { items, last } = takePosts(values, query.limit);
  const more = last < candidates.length - 1 || mayHaveMore;
  const nextCursor = more && last >= 0 ? encodeCursor(candidates[last]) : null;
  const page = { items, nextCursor, ttlSeconds: deps.ttlSeconds };
  return { page, complete: read.markerPresent };
}

/**
 * While a rebuild runs, the live index holds only posts written since it was lost: the side index being built holds
 * what the walk has found so far, so a page shows both (one more round trip, and the page stays private).
 */
async function withRebuiltSoFar(live: IndexRead, query: IndexQuery, store: FeedStore): Promise<IndexRead> {
  const built = await store.readIndex({ ...query, indexKey: REBUILD_INDEX_KEY });
  const byId = new Map([...built.entries, ...live.entries].map((entry) => [entry.id, entry]));
  const entries = [...byId.values()].sort(newestFirst).slice(0, query.limit);
  const ties = [...new Set([...live.ties, ...built.ties])].sort().reverse();
  return { entries, ties, markerPresent: false };
}

/** Live posts in order, up to `limit` and MAX_PAGE_BYTES; `last` is the index of the last value examined. */
function takePosts(values: unknown[], limit: number): { items: Post[]; last: number } {
  const items: Post[] = [];
  let bytes = 0;
  let last = -1;
  while (items.length < limit && last + 1 < values.length) {
    const value = values[last + 1];
    const post = parsePost(value);
    // The stored string is the post's JSON (or longer, if it carries foreign fields): measure it, not a re-encoding.
    const size = !post ? 0 : Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(post));
    // The first post always fits, so a page is never empty while posts remain and the cursor always moves on.
    if (items.length > 0 && bytes + size > MAX_PAGE_BYTES) break;
    last += 1;
    bytes += size;
    if (post) items.push(post);
  }
  return { items, last };
}

const CURSOR_PATTERN = /^(\d{1,16})\.([A-Za-z0-9_-]{10,64})$/;

export function encodeCursor(entry: IndexEntry): string {
  return Buffer.from(`${entry.score}.${entry.id}`).toString("base64url");
}

export function decodeCursor(cursor: string): IndexEntry {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const entry = match ? { score: Number(match[1]), id: match[2] } : undefined;
  // Node's base64url decoder skips padding, spaces and junk: only the exact string we would issue is one we issued.
  if (!entry || encodeCursor(entry) !== cursor) {
    throw new HttpError(400, "invalid_cursor", "The cursor is not one this API returned.");
  }
  return entry;
}
