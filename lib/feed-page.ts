// Reading a page of one of the feed's indexes (sorted sets of ids by time), then the items in one step; a lost index is
// rebuilt. What each index lists and how its entries become items is the caller's (lib/feed-reads.ts).
import { HttpError } from "./errors.js";
import { HEALED_MARKER, INDEX_KEY, REBUILD_INDEX_KEY } from "./feed-keys.js";
import { type RebuildDeps, tryRebuildIndex } from "./feed-rebuild.js";
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

/** What one index lists, and how its entries become items. */
export interface PagedSource<T> {
  indexKey: string;
  /** The feed's own index: while it is rebuilt, pages add what the walk has found so far (the side index). */
  sideIndex: boolean;
  /** What an entry's member looks like, for cursors (an id, or a person's `<author>:<id>`). */
  member: RegExp;
  /** The entries' items in one parallel step, null where an entry's post is gone; `bytes` is the item's JSON size. */
  load(entries: IndexEntry[], minScore: number): Promise<(Loaded<T> | null)[]>;
}

export interface Loaded<T> {
  item: T;
  bytes: number;
}

export interface Paged<T> {
  page: { items: T[]; nextCursor: string | null; ttlSeconds: number };
  /** False while the index is being rebuilt: the page may miss posts, so it must not be cached publicly. */
  complete: boolean;
}

/**
 * Newest first. A page costs two round trips (index, then values) whatever the size of the feed or of the database;
 * more only when entries whose posts are gone leave it short. A read never takes more than twice the Redis timeout,
 * even when Redis hangs in the middle of a rebuild: it answers 503 then.
 */
export function readPaged<T>(
  source: PagedSource<T>,
  query: { limit: number; cursor?: string },
  deps: PageDeps,
): Promise<Paged<T>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, source.member, deps.now());
  return withinMs(2 * deps.redisTimeoutMs, fillPage(source, query.limit, after, deps));
}

async function fillPage<T>(
  source: PagedSource<T>,
  limit: number,
  after: IndexEntry | undefined,
  deps: PageDeps,
): Promise<Paged<T>> {
  const minScore = deps.now() - deps.ttlSeconds * 1000;
  const indexQuery = { indexKey: source.indexKey, markerKey: INDEX_KEY, marker: HEALED_MARKER, minScore };
  const taken: Taken<T> = { items: [], bytes: 0, full: false };
  let position = after;
  let want = limit + OVERFETCH;
  let complete = true;
  let more = false;
  for (let read = 0; read <= MAX_REFILLS && !taken.full; read += 1) {
    const index = await readIndexAfter(position, { ...indexQuery, limit: want }, source.sideIndex, deps, read === 0);
    complete &&= index.markerPresent;
    const examined = takeItems(await source.load(index.entries, minScore), limit, taken);
    more = examined < index.entries.length || index.mayHaveMore;
    if (examined > 0) position = index.entries[examined - 1];
    if (!more) break;
    want = Math.min(MAX_IDS_PER_READ, (limit - taken.items.length + OVERFETCH) * 4);
  }
  // Still short after every refill: what was found, and a cursor past every entry examined.
  const nextCursor = more && position ? encodeCursor(position) : null;
  return { page: { items: taken.items, nextCursor, ttlSeconds: deps.ttlSeconds }, complete };
}

/**
 * Up to `query.limit` entries after `position` (newest first), and whether the index may hold more. The first read
 * of a page also rebuilds a lost index (or, while a rebuild runs, adds what its walk has found so far).
 */
async function readIndexAfter(
  position: IndexEntry | undefined,
  query: Omit<IndexQuery, "below">,
  sideIndex: boolean,
  deps: PageDeps,
  first: boolean,
): Promise<{ entries: IndexEntry[]; mayHaveMore: boolean; markerPresent: boolean }> {
  const indexQuery = { ...query, below: position?.score };
  let read = await deps.store.readIndex(indexQuery);
  if (!read.markerPresent) {
    const rebuilt = first && (await tryRebuildIndex(deps));
    if (rebuilt) read = await deps.store.readIndex(indexQuery);
    else if (sideIndex) read = await withRebuiltSoFar(read, indexQuery, deps.store);
  }
  // Entries sharing the position's score sort by member descending; those after its member are still to come.
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

interface Taken<T> {
  items: T[];
  bytes: number;
  /** The page reached its limit or MAX_PAGE_BYTES. */
  full: boolean;
}

/** Adds live items in order to `taken`, up to `limit` and MAX_PAGE_BYTES; returns how many entries it examined. */
function takeItems<T>(loaded: (Loaded<T> | null)[], limit: number, taken: Taken<T>): number {
  let examined = 0;
  while (!taken.full && examined < loaded.length) {
    const next = loaded[examined];
    // The first item always fits, so a page is never empty while items remain and the cursor always moves on.
    if (next && taken.items.length > 0 && taken.bytes + next.bytes > MAX_PAGE_BYTES) {
      taken.full = true;
      break;
    }
    examined += 1;
    if (next) {
      taken.bytes += next.bytes;
      taken.items.push(next.item);
    }
    taken.full = taken.items.length >= limit;
  }
  return examined;
}

const CURSOR_PATTERN = /^(\d{1,16})\.(.{1,100})$/;

export function encodeCursor(entry: IndexEntry): string {
  return Buffer.from(`${entry.score}.${entry.id}`).toString("base64url");
}

/**
 * What a cursor is accepted as: exactly the base64url (no padding) of `<score>.<id>` that encodeCursor writes, where
 * the score is a time in ms no further ahead than CURSOR_FUTURE_SLACK_MS and the member has the read's shape. The entry
 * need not still be in the index (its post may have expired or been deleted since): the page goes on after it.
 */
export function decodeCursor(cursor: string, member: RegExp, nowMs: number): IndexEntry {
  const match = CURSOR_PATTERN.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  const entry = match && member.test(match[2]) ? { score: Number(match[1]), id: match[2] } : undefined;
  // Node's base64url decoder skips padding, spaces and junk: only the exact string we would issue is one we issued.
  if (!entry || encodeCursor(entry) !== cursor || entry.score > nowMs + CURSOR_FUTURE_SLACK_MS) {
    throw new HttpError(400, "invalid_cursor", "The cursor is not one this API returned.");
  }
  return entry;
}
