// The storage operations the feed needs (and nothing more of Redis); each adapter implements them in one round trip.

export interface IndexEntry {
  id: string;
  score: number;
}

export interface PostWrite {
  key: string;
  value: string;
  ttlSeconds: number;
  indexKey: string;
  id: string;
  score: number;
  /** Index entries with 0 < score < trimBelow are removed (their posts have expired). */
  trimBelow: number;
}

export interface IndexQuery {
  indexKey: string;
  /** Member whose presence says the index has been checked against the `feed:*` keys. */
  marker: string;
  /** Lowest score to return (older entries belong to expired posts). */
  minScore: number;
  /** Highest score to return, exclusive; omit for the newest entries. */
  below?: number;
  limit: number;
}

export interface IndexRead {
  /** Newest first: score descending, then id descending (Redis's ZRANGE ... REV order). */
  entries: IndexEntry[];
  /** Ids whose score equals `query.below` exactly, id descending; only asked for when paging. */
  ties: string[];
  markerPresent: boolean;
}

export interface FeedStore {
  /**
   * Atomically: SET key value EX ttl NX; ZADD index NX score id; trim the index; EXPIRE index ttl.
   * Resolves false, having written nothing new, when the key already exists.
   */
  insertPost(write: PostWrite): Promise<boolean>;
  /** ZRANGE BYSCORE REV LIMIT (plus the tie list and the marker check) in one round trip. */
  readIndex(query: IndexQuery): Promise<IndexRead>;
  /** MGET; a missing key is null. Values come back as stored (a client may already have parsed JSON). */
  getValues(keys: string[]): Promise<unknown[]>;
  /** DEL key and ZREM index id in one transaction. */
  deletePost(key: string, indexKey: string, id: string): Promise<void>;
  /** ZADD index NX 0 marker + EXPIRE index ttl; true when this call added the marker. */
  claimMarker(indexKey: string, marker: string, ttlSeconds: number): Promise<boolean>;
  /** ZADD index NX for many entries + EXPIRE index ttl. */
  addToIndex(indexKey: string, entries: IndexEntry[], ttlSeconds: number): Promise<void>;
  /** SET key 0 EX window NX + INCR + PTTL in one transaction: a fixed-window counter that always expires. */
  countHit(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }>;
  /** DEL of a key the feed owns (the healing lock). */
  deleteKey(key: string): Promise<void>;
  /** One SCAN step; cursor "0" starts and ends the walk. */
  scan(cursor: string, match: string, count: number): Promise<{ cursor: string; keys: string[] }>;
}
