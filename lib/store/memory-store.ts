// In-process store for local runs and tests: the same semantics as Redis (TTL, NX, score order, leases), no server.
import type * as store from "./feed-store.js";
import { newestFirst } from "./feed-store.js";

interface Entry {
  value: string | Map<string, number>;
  expiresAt: number;
}

export class MemoryStore implements store.FeedStore {
  private readonly data = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async publishPost(write: store.PostWrite): Promise<store.PublishOutcome> {
    const existing = this.live(write.key);
    if (existing) return { status: "exists", value: existing.value };
    if (this.live(write.tombstoneKey)) return { status: "removed" };
    this.setString(write.key, write.value, write.ttlSeconds);
    const index = this.index(write.indexKey, true);
    if (!index.has(write.id)) index.set(write.id, write.score);
    this.addToPerson(write, write.id, write.score, write.indexTtlSeconds);
    for (const key of [write.indexKey, write.authorKey, write.peopleKey]) {
      const entries = this.index(key, false);
      for (const [id, score] of entries) if (score > 0 && score < write.trimBelow) entries.delete(id);
      this.expire(key, write.indexTtlSeconds);
    }
    this.bumpVersion(write.versionKey, write.score, write.indexTtlSeconds);
    return { status: "created" };
  }

  async summarizeIndexes(indexKeys: string[], minScore: number): Promise<store.IndexSummary[]> {
    return indexKeys.map((key) => {
      const live = [...this.index(key, false).values()].filter((score) => score >= minScore);
      return { count: live.length, oldestScore: live.length > 0 ? Math.min(...live) : null };
    });
  }

  async readIndex(query: store.IndexQuery): Promise<store.IndexRead> {
    const index = this.index(query.indexKey, false);
    const sorted = [...index].map(([id, score]) => ({ id, score })).sort(newestFirst);
    const below = query.below ?? Number.POSITIVE_INFINITY;
    return {
      entries: sorted.filter((e) => e.score >= query.minScore && e.score < below).slice(0, query.limit),
      ties: query.below === undefined ? [] : sorted.filter((e) => e.score === query.below).map((e) => e.id),
      markerPresent: this.index(query.markerKey, false).has(query.marker),
      version: query.versionKey ? this.string(query.versionKey) : undefined,
    };
  }

  async getValues(keys: string[]): Promise<unknown[]> {
    return keys.map((key) => this.string(key));
  }

  async getBoundedValues(keys: string[], maxBytes: number): Promise<(string | null)[]> {
    return keys.map((key) => {
      const value = this.string(key);
      return value && Buffer.byteLength(value) <= maxBytes ? value : null;
    });
  }

  async removePost(removal: store.PostRemoval): Promise<void> {
    this.setString(removal.tombstoneKey, removal.tombstone, removal.tombstoneTtlSeconds);
    this.data.delete(removal.key);
    this.index(removal.indexKey, false).delete(removal.id);
    this.index(removal.authorKey, false).delete(removal.id);
    const people = this.index(removal.peopleKey, false);
    if (people.delete(`${removal.author}:${removal.id}`)) {
      const top = this.top(removal.authorKey);
      if (top) people.set(`${removal.author}:${top.id}`, top.score);
    }
    this.bumpVersion(removal.versionKey, removal.nowMs, removal.indexTtlSeconds);
  }

  async writeTombstones(tombstones: store.Tombstone[], ttlSeconds: number): Promise<void> {
    for (const { key, value } of tombstones) this.setString(key, value, ttlSeconds);
  }

  async countHit(key: string, windowSeconds: number): Promise<number> {
    const entry = this.live(key) ?? { value: "0", expiresAt: this.now() + windowSeconds * 1000 };
    entry.value = String(Number(entry.value) + 1);
    this.data.set(key, entry);
    return Number(entry.value);
  }

  async claimRebuild(lease: store.RebuildLease): Promise<{ claimed: boolean; cursor: string | null }> {
    const claimed = !this.live(lease.lockKey);
    if (claimed) this.data.set(lease.lockKey, { value: lease.token, expiresAt: this.now() + lease.leaseMs });
    const cursor = this.live(lease.cursorKey)?.value;
    return { claimed, cursor: typeof cursor === "string" ? cursor : null };
  }

  /** Not a cursor walk: one step returns every live matching key (the order Redis gives is unspecified anyway). */
  async scanPosts(_cursor: string | null, match: string, _count: number): Promise<store.ScanStep> {
    const pattern = new RegExp(`^${match.split("*").map(escapeRegExp).join(".*")}$`);
    return { cursor: null, keys: [...this.data.keys()].filter((key) => pattern.test(key) && this.live(key)) };
  }

  async saveRebuild(lease: store.RebuildLease, progress: store.RebuildProgress): Promise<boolean> {
    if (!this.leaseAndSideHeld(lease, progress.fresh)) return false;
    this.addFound(lease, progress.entries, lease.stateTtlSeconds);
    this.bumpVersion(lease.versionKey, progress.nowMs, lease.indexTtlSeconds);
    this.setString(lease.cursorKey, progress.cursor, lease.stateTtlSeconds);
    if (progress.release) this.data.delete(lease.lockKey);
    else this.data.set(lease.lockKey, { value: lease.token, expiresAt: this.now() + lease.leaseMs });
    return true;
  }

  async finishRebuild(lease: store.RebuildLease, finish: store.RebuildFinish): Promise<boolean> {
    if (!this.leaseAndSideHeld(lease, finish.fresh)) return false;
    this.addFound(lease, finish.entries, lease.stateTtlSeconds);
    const built = [...this.index(lease.buildKey, false)].map(([id, score]) => ({ id, score }));
    this.addEntries(lease.indexKey, built, lease.indexTtlSeconds);
    this.bumpVersion(lease.versionKey, finish.nowMs, lease.indexTtlSeconds);
    for (const key of [lease.lockKey, lease.cursorKey, lease.buildKey]) this.data.delete(key);
    return true;
  }

  /** As the Redis scripts do: the lease is the caller's, and a resumed walk's side index still holds the marker. */
  private leaseAndSideHeld(lease: store.RebuildLease, fresh: boolean): boolean {
    if (this.live(lease.lockKey)?.value !== lease.token) return false;
    if (fresh) this.addEntries(lease.buildKey, [{ id: lease.marker, score: 0 }], lease.stateTtlSeconds);
    else if (!this.index(lease.buildKey, false).has(lease.marker)) {
      this.data.delete(lease.lockKey);
      this.data.delete(lease.cursorKey);
      return false;
    }
    return true;
  }

  /** As the Redis scripts do: to the side index, and straight to each person's index and people. */
  private addFound(lease: store.RebuildLease, entries: store.RebuildEntry[], stateTtlSeconds: number): void {
    this.addEntries(lease.buildKey, entries, stateTtlSeconds);
    for (const entry of entries) {
      const listing = { ...entry, peopleKey: lease.peopleKey, versionKey: lease.versionKey };
      this.addToPerson(listing, entry.id, entry.score, lease.indexTtlSeconds);
    }
  }

  /** The person's index gets the entry, and people's one entry for the person names their newest post. */
  private addToPerson(listing: Omit<store.PostListing, "indexKey">, id: string, score: number, ttl: number): void {
    const before = this.top(listing.authorKey);
    this.addEntries(listing.authorKey, [{ id, score }], ttl);
    const top = this.top(listing.authorKey) as store.IndexEntry;
    const people = this.index(listing.peopleKey, true);
    if (before && before.id !== top.id) people.delete(`${listing.author}:${before.id}`);
    people.set(`${listing.author}:${top.id}`, top.score);
    this.expire(listing.peopleKey, ttl);
  }

  /** As the scripts do: one more, and never below `floor` (our clock), so a lost version is never issued again. */
  private bumpVersion(key: string, floor: number, ttlSeconds: number): void {
    this.setString(key, String(Math.max(Number(this.string(key) ?? 0) + 1, floor)), ttlSeconds);
  }

  private top(key: string): store.IndexEntry | undefined {
    return [...this.index(key, false)].map(([id, score]) => ({ id, score })).sort(newestFirst)[0];
  }

  private addEntries(key: string, entries: store.IndexEntry[], ttlSeconds: number): void {
    const index = this.index(key, true);
    for (const { id, score } of entries) index.set(id, Math.min(score, index.get(id) ?? score));
    this.expire(key, ttlSeconds);
  }

  private setString(key: string, value: string, ttlSeconds: number): void {
    this.data.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
  }

  private string(key: string): string | null {
    const entry = this.live(key);
    return typeof entry?.value === "string" ? entry.value : null;
  }

  private live(key: string): Entry | undefined {
    const entry = this.data.get(key);
    if (entry && entry.expiresAt <= this.now()) this.data.delete(key);
    return this.data.get(key);
  }

  private index(key: string, create: boolean): Map<string, number> {
    const entry = this.live(key);
    if (entry && entry.value instanceof Map) return entry.value;
    const index = new Map<string, number>();
    if (create) this.data.set(key, { value: index, expiresAt: Number.POSITIVE_INFINITY });
    return index;
  }

  private expire(key: string, ttlSeconds: number): void {
    const entry = this.data.get(key);
    if (entry) entry.expiresAt = this.now() + ttlSeconds * 1000;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}
