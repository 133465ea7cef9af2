// Reading a page of one of the feed's indexes (sorted sets of ids by time), then the items in one step; a lost index is
// rebuilt. What each index lists and how its entries become items is the caller's (lib/feed/reads.ts).

import { type FeedStore, type IndexEntry, type IndexQuery, type IndexRead, newestFirst } from "../store/feed-store.js";
import { withinMs } from "../store/guard.js";
import { INDEX_KEY, REBUILD_INDEX_KEY, REBUILT_MARKER, VERSION_KEY } from "./keys.js";
import { decodeCursor, encodeCursor } from "./page-cursor.js";
import { type RebuildDeps, tryRebuildIndex } from "./rebuild.js";

// One id more than the page shows: the first entry after the page says whether a cursor is needed and when the page
// changes (lib/feed/page-tag.ts). A page whose entries include missing posts (expired a moment early, ghosts) is filled
// by the refills below instead: reading five more posts on every page (the former overfetch) cost each read a quarter
// more Redis bytes and origin CPU to save a round trip that is rarely needed.
const OVERFETCH = 1;
// Entries whose post is gone (expired, or a ghost left by a failed write) are skipped and the page is filled from the
// entries after them: up to this many more reads, each asking for four times as many ids, up to MAX_IDS_PER_READ.
const MAX_REFILLS = 3;
const MAX_IDS_PER_READ = 1000;
// A page's posts stay under this many bytes of JSON (the response under 256 KB) whatever the captions: 100 posts of
// 2,200 four-byte characters would be ~900 KB. A fuller page ends early, with a cursor to the rest.
export const MAX_PAGE_BYTES = 200 * 1024;

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
  /** When the item changes without a write, if before its entry's own expiry (a person's count, at their oldest). */
  changesAt?: number;
}

export interface PageBody<T> {
  items: T[];
  nextCursor: string | null;
  ttlSeconds: number;
}

export interface Paged<T> {
  page: PageBody<T>;
  /** False while the index is being rebuilt: the page may miss posts, so it must not be cached publicly. */
  complete: boolean;
  /** The feed's version, read before anything on the page ("" when Redis has none). */
  version: string;
  /** When the page changes without any write: the first expiry among the entries it read; null if none. */
  changesAt: number | null;
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
  versionRead?: string,
): Promise<Paged<T>> {
  const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor, source.member, deps.now());
  return withinMs(2 * deps.redisTimeoutMs, fillPage(source, { limit: query.limit, after, versionRead }, deps));
}

async function fillPage<T>(
  source: PagedSource<T>,
  { limit, after, versionRead }: { limit: number; after?: IndexEntry; versionRead?: string },
  deps: PageDeps,
): Promise<Paged<T>> {
  const ttlMs = deps.ttlSeconds * 1000;
  const minScore = deps.now() - ttlMs;
  const taken: Taken<T> = { items: [], bytes: 0, full: false, changesAt: Number.POSITIVE_INFINITY };
  let position = after;
  let want = limit + OVERFETCH;
  let complete = true;
  let more = false;
  let version = "";
  for (let read = 0; read <= MAX_REFILLS && !taken.full; read += 1) {
    // The version is read first, before anything it vouches for: a change after it makes the next tag differ.
    const first = read === 0 ? (versionRead ?? null) : undefined;
    // Written out in full, not spread from a common part: V8 copies a conditional spread slowly. Removing the read
    // path's spreads took the origin from 1.53× to 1.29× the least work's CPU per page (npm run bench, origin CPU).
    const query: IndexQuery = {
      indexKey: source.indexKey,
      markerKey: INDEX_KEY,
      marker: REBUILT_MARKER,
      minScore,
      below: position?.score,
      limit: want,
      versionKey: first === null ? VERSION_KEY : undefined,
    };
    const index = await readIndexAfter(position, query, source.sideIndex, deps, first);
    if (read === 0) version = index.version;
    complete &&= index.markerPresent;
    const loaded = await source.load(index.entries, minScore);
    noteWritesInFlight(index.entries, loaded, taken, deps);
    const examined = takeItems(loaded, limit, taken);
    // What can change the page without a write: an entry it examined expiring (an item leaves it), or the first entry
    // after them (while that one lives, more follow and the cursor stays; entries past it expire before it, unseen).
    // Counting every entry read would end the page's lifetime at each expiry beyond it, about once a minute.
    for (const entry of index.entries.slice(0, examined + 1)) {
      taken.changesAt = Math.min(taken.changesAt, entry.score + ttlMs);
    }
    more = examined < index.entries.length || index.mayHaveMore;
    if (examined > 0) position = index.entries[examined - 1];
    if (!more) break;
    want = Math.min(MAX_IDS_PER_READ, (limit - taken.items.length + OVERFETCH) * 4);
  }
  // Still short after every refill: what was found, and a cursor past every entry examined.
  const nextCursor = more && position ? encodeCursor(position) : null;
  const changesAt = Number.isFinite(taken.changesAt) ? taken.changesAt : null;
  return { page: { items: taken.items, nextCursor, ttlSeconds: deps.ttlSeconds }, complete, version, changesAt };
}

/**
 * Up to `query.limit` entries after `position` (newest first), and whether the index may hold more. The first read
 * of a page (`first`: the version already read, or null to read it with the index) also rebuilds a lost index (or,
 * while a rebuild runs, adds what its walk has found so far).
 */
async function readIndexAfter(
  position: IndexEntry | undefined,
  query: IndexQuery,
  sideIndex: boolean,
  deps: PageDeps,
  first: string | null | undefined,
): Promise<{ entries: IndexEntry[]; mayHaveMore: boolean; markerPresent: boolean; version: string }> {
  let read = await deps.store.readIndex(query);
  let version = typeof first === "string" ? first : String(read.version ?? "");
  if (!read.markerPresent) {
    const rebuilt = first !== undefined && (await tryRebuildIndex(deps));
    if (rebuilt) {
      // The rebuild bumped the version; the index read again comes with the new one.
      read = await deps.store.readIndex({ ...query, versionKey: VERSION_KEY });
      version = String(read.version ?? "");
    } else if (sideIndex) read = await withRebuiltSoFar(read, query, deps.store);
  }
  // Entries sharing the position's score sort by member descending; those after its member are still to come.
  const ties = position ? read.ties.filter((id) => id < position.id).map((id) => ({ id, score: position.score })) : [];
  const merged = ties.length === 0 ? read.entries : [...ties, ...read.entries];
  const mayHaveMore = read.entries.length === query.limit || merged.length > query.limit;
  const entries = merged.length > query.limit ? merged.slice(0, query.limit) : merged;
  return { entries, mayHaveMore, markerPresent: read.markerPresent, version };
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

/**
 * An entry younger than twice the Redis timeout whose post is missing may be a publish still on its way (a cluster
 * indexes a post, and moves the version, before it writes the post): the page changes when the post lands or the
 * publish gives up, so its tag must not outlive that. An older one is a ghost for good.
 */
function noteWritesInFlight<T>(entries: IndexEntry[], loaded: unknown[], taken: Taken<T>, deps: PageDeps): void {
  const inFlightMs = 2 * deps.redisTimeoutMs;
  const since = deps.now() - inFlightMs;
  entries.forEach((entry, i) => {
    if (loaded[i] === null && entry.score > since)
      taken.changesAt = Math.min(taken.changesAt, entry.score + inFlightMs);
  });
}

interface Taken<T> {
  items: T[];
  bytes: number;
  /** The page reached its limit or MAX_PAGE_BYTES. */
  full: boolean;
  /** The earliest time an item changes by itself (besides its entry's expiry). */
  changesAt: number;
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
      if (next.changesAt !== undefined) taken.changesAt = Math.min(taken.changesAt, next.changesAt);
    }
    taken.full = taken.items.length >= limit;
  }
  return examined;
}
