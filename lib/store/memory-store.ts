// In-process store for local runs and tests: the same semantics as Redis (TTL, NX, score order), no server.

import type { FeedStore, IndexEntry, IndexQuery, IndexRead, PostWrite } from "./feed-store.js";

interface Entry {
  value: string | Map<string, number>;
  expiresAt: number;
}

export class MemoryStore implements FeedStore {
  private readonly data = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async insertPost(write: PostWrite): Promise<boolean> {
    const created = !this.live(write.key);
    if (created) this.data.set(write.key, { value: write.value, expiresAt: this.now() + write.ttlSeconds * 1000 });
    const index = this.index(write.indexKey, true);
    if (!index.has(write.id)) index.set(write.id, write.score);
    for (const [id, score] of index) if (score > 0 && score < write.trimBelow) index.delete(id);
    this.expire(write.indexKey, write.ttlSeconds);
    return created;
  }

  async readIndex(query: IndexQuery): Promise<IndexRead> {
    const index = this.index(query.indexKey, false);
    const sorted = [...index].map(([id, score]) => ({ id, score })).sort(newestFirst);
    const below = query.below ?? Number.POSITIVE_INFINITY;
    return {
      entries: sorted.filter((e) => e.score >= query.minScore && e.score < below).slice(0, query.limit),
      ties: query.below === undefined ? [] : sorted.filter((e) => e.score === query.below).map((e) => e.id),
      markerPresent: index.has(query.marker),
    };
  }

  async getValues(keys: string[]): Promise<unknown[]> {
    return keys.map((key) => {
      const entry = this.live(key);
      return typeof entry?.value === "string" ? entry.value : null;
    });
  }

  async deletePost(key: string, indexKey: string, id: string): Promise<void> {
    this.data.delete(key);
    this.index(indexKey, false).delete(id);
  }

  async claimMarker(indexKey: string, marker: string, ttlSeconds: number): Promise<boolean> {
    const index = this.index(indexKey, true);
    const claimed = !index.has(marker);
    if (claimed) index.set(marker, 0);
    this.expire(indexKey, ttlSeconds);
    return claimed;
  }

  async addToIndex(indexKey: string, entries: IndexEntry[], ttlSeconds: number): Promise<void> {
    const index = this.index(indexKey, true);
    for (const { id, score } of entries) if (!index.has(id)) index.set(id, score);
    this.expire(indexKey, ttlSeconds);
  }

  async countHit(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }> {
    const entry = this.live(key) ?? { value: "0", expiresAt: this.now() + windowSeconds * 1000 };
    entry.value = String(Number(entry.value) + 1);
    this.data.set(key, entry);
    return { count: Number(entry.value), resetInMs: entry.expiresAt - this.now() };
  }

  async deleteKey(key: string): Promise<void> {
    this.data.delete(key);
  }

  /** Not a cursor walk: one step returns every live matching key (the order Redis gives is unspecified anyway). */
  async scan(_cursor: string, match: string, _count: number): Promise<{ cursor: string; keys: string[] }> {
    const pattern = new RegExp(`^${match.split("*").map(escapeRegExp).join(".*")}$`);
    return { cursor: "0", keys: [...this.data.keys()].filter((key) => pattern.test(key) && this.live(key)) };
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

function newestFirst(a: IndexEntry, b: IndexEntry): number {
  return b.score - a.score || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
}
