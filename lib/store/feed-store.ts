// The storage operations the feed needs (and nothing more of Redis), in the feed's own verbs. Every adapter keeps the
// same rules: `feed:<id>` is the truth and the index a hint, and nothing spans two hash slots on a cluster.

export interface IndexEntry {
  id: string;
  score: number;
}

/** The index's order, as Redis's ZRANGE ... REV gives it: score descending, then id descending. */
export function newestFirst(a: IndexEntry, b: IndexEntry): number {
  return b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

/** Where a post is listed besides the feed's index: its author's index, and people (one entry per person). */
export interface PostListing {
  /** The author's id as the indexes name it (the public id's owner segment): no user id in any key. */
  author: string;
  authorKey: string;
  peopleKey: string;
  indexKey: string;
  /** The feed's version, bumped after every change a page could show. */
  versionKey: string;
}

export interface PostWrite extends PostListing {
  id: string;
  /** `feed:<id>` and its tombstone, which share a hash slot. */
  key: string;
  tombstoneKey: string;
  value: string;
  ttlSeconds: number;
  /** The index outlives its newest post by this much, so an idle feed keeps its marker. */
  indexTtlSeconds: number;
  score: number;
  /** Index entries with 0 < score < trimBelow are removed (their posts have expired). */
  trimBelow: number;
}

/**
 * What publishing found: a new post, the post already stored under the id, or a tombstone. The last is "removed", the
 * word the publish script answers with (and the state of the upload's post), not the key's name.
 */
export type PublishOutcome = { status: "created" } | { status: "exists"; value: unknown } | { status: "removed" };

export interface PostRemoval extends PostListing {
  id: string;
  key: string;
  tombstoneKey: string;
  /** The tombstone's value: which media the post showed, so a later takedown can still delete it. */
  tombstone: string;
  /** How long the tombstone keeps the upload from being published again. */
  tombstoneTtlSeconds: number;
  indexTtlSeconds: number;
  /** Our clock, the least the version may become (so a version lost with its key is never issued again). */
  nowMs: number;
}

/** A tombstone on its own (media an admin cleans up), keyed like `PostRemoval.tombstoneKey`. */
export interface Tombstone {
  key: string;
  value: string;
}

export interface IndexQuery {
  indexKey: string;
  /** The feed's index, where `marker` says whether every index (the author's and people's too) is complete. */
  markerKey: string;
  /** Member whose presence says the index has been checked against the `feed:*` keys. */
  marker: string;
  /** Lowest score to return (older entries belong to expired posts). */
  minScore: number;
  /** Highest score to return, exclusive; omit for the newest entries. */
  below?: number;
  limit: number;
  /** The feed's version, read first in the same round trip (before anything it vouches for). */
  versionKey?: string;
}

export interface IndexRead {
  /** Newest first: score descending, then id descending (Redis's ZRANGE ... REV order). */
  entries: IndexEntry[];
  /** Ids whose score equals `query.below` exactly, id descending; only asked for when paging. */
  ties: string[];
  markerPresent: boolean;
  /** The version when asked for, null when there is none (an empty Redis). */
  version?: string | null;
}

/** A person's index from `minScore` up: how many entries, and the oldest one's score (null when none). */
export interface IndexSummary {
  count: number;
  oldestScore: number | null;
}

/** The keys of a rebuild (all in the `{feed}` slot) and the lease of the one caller that may run it. */
export interface RebuildKeys {
  lockKey: string;
  cursorKey: string;
  /** The side index being built; merged into `indexKey` in one step when the walk is complete. */
  buildKey: string;
  indexKey: string;
  /** People, and each person's index, are filled as the walk goes (they are read as incomplete until the end). */
  peopleKey: string;
  versionKey: string;
  marker: string;
}

export interface RebuildLease extends RebuildKeys {
  token: string;
  leaseMs: number;
  /** Lifetime of the saved cursor and side index: a rebuild left alone this long starts again from scratch. */
  stateTtlSeconds: number;
  /** The indexes' own lifetime, as a publish sets it. */
  indexTtlSeconds: number;
}

/** A post the walk found, with where it is listed. */
export interface RebuildEntry extends IndexEntry {
  author: string;
  authorKey: string;
}

/** One step of a rebuild to save: the entries it found, where the walk goes on, and whether the lease is let go. */
export interface RebuildProgress {
  cursor: string;
  entries: RebuildEntry[];
  /** True at the end of a reader's slice: the next reader may take over at once instead of after the lease. */
  release: boolean;
  /**
   * True while the walk is the caller's own from its first step: the side index is begun (it holds the marker from
   * then on). False for a walk resumed from a saved cursor, whose side index must still hold the marker; if it was
   * lost (evicted, deleted), the walk's earlier finds are gone and it starts again instead of finishing short.
   */
  fresh: boolean;
  nowMs: number;
}

/** The last step of a rebuild. */
export interface RebuildFinish {
  entries: RebuildEntry[];
  fresh: boolean;
  nowMs: number;
}

export interface ScanStep {
  keys: string[];
  /** Where the walk goes on from; null once every key (on every master) has been walked. */
  cursor: string | null;
}

export interface FeedStore {
  /**
   * Publishes a post unless a post already has the id ("exists", checked first) or a tombstone forbids it. The index is written before the post
   * (never a live post missing from the index), and Redis itself refuses a write that reaches it too late to be
   * answered: a publish that timed out never applies afterwards.
   */
  publishPost(write: PostWrite): Promise<PublishOutcome>;
  /** ZRANGE BYSCORE REV LIMIT (plus the tie list and the marker check) in one round trip. */
  readIndex(query: IndexQuery): Promise<IndexRead>;
  /** Each person's index from `minScore` up: how many live posts, and the oldest's time (a pipeline on one slot). */
  summarizeIndexes(indexKeys: string[], minScore: number): Promise<IndexSummary[]>;
  /**
   * The stored values, null where missing or not a string (foreign keys of other types); one parallel step (MGET, or
   * one pipeline per master on a cluster).
   */
  getValues(keys: string[]): Promise<unknown[]>;
  /**
   * Like getValues, but a value longer than `maxBytes` is null and never read whole: what the rebuild reads among keys
   * that other code may own, so foreign data of any size costs at most `maxBytes` a key.
   */
  getBoundedValues(keys: string[], maxBytes: number): Promise<(string | null)[]>;
  /** Tombstone and DEL of the post together, then its index entries out (the author's, and people's entry moved on). */
  removePost(removal: PostRemoval): Promise<void>;
  /**
   * Tombstones alone, for uploads whose media an admin deletes (whether or not they were ever posted). A live post
   * under a tombstone stays live, and publishing it again still answers "exists".
   */
  writeTombstones(tombstones: Tombstone[], ttlSeconds: number): Promise<void>;
  /** SET key 0 EX window NX + INCR in one transaction: a fixed-window counter that always expires. */
  countHit(key: string, windowSeconds: number): Promise<number>;
  /** Takes the rebuild lease if nobody holds it, and reads where the last walk stopped (null: from the start). */
  claimRebuild(lease: RebuildLease): Promise<{ claimed: boolean; cursor: string | null }>;
  /** One SCAN step on every master; `cursor` null starts the walk. */
  scanPosts(cursor: string | null, match: string, count: number): Promise<ScanStep>;
  /**
   * Adds entries to the side index and saves the cursor, renewing the lease (or releasing it); false when the lease was
   * lost to another caller, or the side index was lost since the walk began (the walk then starts again from
   * scratch), in which cases nothing was written.
   */
  saveRebuild(lease: RebuildLease, progress: RebuildProgress): Promise<boolean>;
  /**
   * Merges the side index (plus `entries`) and the marker into the index in one step, and clears the rebuild; false,
   * with nothing merged, under the same conditions as saveRebuild.
   */
  finishRebuild(lease: RebuildLease, progress: RebuildFinish): Promise<boolean>;
}
