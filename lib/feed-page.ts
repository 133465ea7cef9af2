// Reading a page of the feed: an id index in a sorted set, then the posts in one step; a lost index is rebuilt.
import { HttpError } from "./errors.js";
import { HEALED_MARKER, INDEX_KEY, parsePost, postKey, REBUILD_INDEX_KEY } from "./feed-keys.js";
import { type RebuildDeps, tryRebuildIndex } from "./feed-rebuild.js";
import type { FeedPage, Post } from "./schemas.js";
import { type FeedStore, type IndexEntry, type IndexQuery, type IndexRead, newestFirst } from "./store/feed-store.js";
import { withinMs } from "./store/guard.js";

// Extra ids read per page so a few entries whose posts already expired do not leave the page short.
const OVERFETCH = 5;
// Entries whose post is gone (expired, or a ghost left by a failed write) are skipped and the page is filled from the
// entries after them: up to this many more reads, each asking for four times as many ids, up to MAX_IDS_PER_READ.
const MAX_REFILLS = 3;
const MAX_IDS_PER_READ = 1000;
// A page's posts stay under this many bytes of JSON (the response under 256 KB) whatever the captions: 100 posts of
// 2,200 four-byte characters would be ~900 KB. A fuller page ends early, with a cursor to the rest.
export const MAX_PAGE_BYTES = 200 * 1024;
// A cursor is refused when its time is further ahead than this: no entry the index holds can be there.
const CURSOR_FUTURE_SLACK_MS = 5 * 60_000;

export interface PageDeps extends RebuildDeps {
  now: () => number;
}

export interface PageRead {
  page: FeedPage;
  /** False while the index is being rebuilt: the page may miss posts, so it must not be cached publicly. */
  complete: boolean;
}

/**
 * Newest first. A page costs two round trips (index, then MGET) whatever the size of the feed or of the database;
 * more only when entries whose posts are gone leave it short. A read never takes more than twice the Redis timeout,
 * even when Redis hangs in the middle of a rebuild: it answers 503 then.
 */
export function readPage(query: { limit: number; cursor?: string }, deps: PageDeps): Promise<PageRead> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, deps.now());
  return withinMs(2 * deps.redisTimeoutMs, fillPage(query.limit, after, deps));
}

async function fillPage(limit: number, after: IndexEntry | undefined, deps: PageDeps): Promise<PageRead> {
  const indexQuery = { indexKey: INDEX_KEY, marker: HEALED_MARKER, minScore: deps.now() - deps.ttlSeconds * 1000 };
  const page: Taken = { items: [], bytes: 0, full: false };
  let position = after;
  let want = limit + OVERFETCH;
  let complete = true;
  for (let read = 0; read <= MAX_REFILLS; read += 1) {
    const index = await readIndexAfter(position, { ...indexQuery, limit: want }, deps, read === 0);
    complete &&= index.markerPresent;
    const values = await deps.store.getValues(index.entries.map((entry) => postKey(entry.id)));
    const examined = takePosts(values, limit, page);
    const more = examined < index.entries.length || index.mayHaveMore;
    if (examined > 0) position = index.entries[examined - 1];
    if (page.full || !more) return { page: pageOf(page, more ? position : undefined, deps), complete };
    want = Math.min(MAX_IDS_PER_READ, (limit - page.items.length + OVERFETCH) * 4);
  }
  // Still short after every refill: what was found, and a cursor past every entry examined.
  return { page: pageOf(page, position, deps), complete };
}

function pageOf(taken: Taken, next: IndexEntry | undefined, deps: PageDeps): FeedPage {
  return { items: taken.items, nextCursor: next ? encodeCursor(next) : null, ttlSeconds: deps.ttlSeconds };
}

/**
 * Up to `query.limit` entries after `position` (newest first), and whether the index may hold more. The first read
 * of a page also rebuilds a lost index (or, while a rebuild runs, adds what its walk has found so far).
 */
async function readIndexAfter(
  position: IndexEntry | undefined,
  query: Omit<IndexQuery, "below">,
  deps: PageDeps,
  first: boolean,
): Promise<{ entries: IndexEntry[]; mayHaveMore: boolean; markerPresent: boolean }> {
  const indexQuery = { ...query, below: position?.score };
  let read = await deps.store.readIndex(indexQuery);
  if (!read.markerPresent) {
    const rebuilt = first && (await tryRebuildIndex(deps));
    read = rebuilt ? await deps.store.readIndex(indexQuery) : await withRebuiltSoFar(read, indexQuery, deps.store);
  }
  // Entries sharing the position's score sort by id descending; those after its id are still to come.
  const ties = position ? read.ties.filter((id) => id < position.id).map((id) => ({ id, score: position.score })) : [];
  const merged = [...ties, ...read.entries];
  const mayHaveMore = read.entries.length === query.limit || merged.length > query.limit;
  return { entries: merged.slice(0, query.limit), mayHaveMore, markerPresent: read.markerPresent };
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

interface Taken {
  items: Post[];
  bytes: number;
  /** The page reached its limit or MAX_PAGE_BYTES. */
  full: boolean;
}

/** Adds live posts in order to `taken`, up to `limit` and MAX_PAGE_BYTES; returns how many values it examined. */
function takePosts(values: unknown[], limit: number, taken: Taken): number {
  let examined = 0;
  while (!taken.full && examined < values.length) {
    const value = values[examined];
    const post = parsePost(value);
    // The stored string is the post's JSON (or longer, if it carries foreign fields): measure it, not a re-encoding.
    const size = !post ? 0 : Buffer.byteLength(typeof value === "string" ? value : JSON.stringify(post));
    // The first post always fits, so a page is never empty while posts remain and the cursor always moves on.
    if (taken.items.length > 0 && taken.bytes + size > MAX_PAGE_BYTES) {
      taken.full = true;
      break;
    }
    examined += 1;
    taken.bytes += size;
    if (post) taken.items.push(post);
    taken.full = taken.items.length >= limit;
  }
  return examined;
}

const CURSOR_PATTERN = /^(\d{1,16})\.([A-Za-z0-9_-]{10,64})$/;

export function encodeCursor(entry: IndexEntry): string {
  return Buffer.from(`${entry.score}.${entry.id}`).toString("base64url");
}

/**
 * What a cursor is accepted as: exactly the base64url (no padding) of `<score>.<id>` that encodeCursor writes, where
 * the score is a time in ms no further ahead than CURSOR_FUTURE_SLACK_MS and the id has a post id's shape. The entry
 * need not still be in the index (its post may have expired or been deleted since): the page goes on after it.
 */
export function decodeCursor(cursor: string, nowMs: number): IndexEntry {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const entry = match ? { score: Number(match[1]), id: match[2] } : undefined;
  // Node's base64url decoder skips padding, spaces and junk: only the exact string we would issue is one we issued.
  if (!entry || encodeCursor(entry) !== cursor || entry.score > nowMs + CURSOR_FUTURE_SLACK_MS) {
    throw new HttpError(400, "invalid_cursor", "The cursor is not one this API returned.");
  }
  return entry;
}
