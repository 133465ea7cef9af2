// Redis over HTTPS with @upstash/redis (Upstash, Vercel KV): one REST call per operation, bounded by a timeout.
import { Redis } from "@upstash/redis";
import type { FeedStore, IndexEntry, IndexQuery, IndexRead, PostWrite } from "./feed-store.js";
import { exclusive, orUnavailable, pairEntries } from "./unavailable.js";

/**
 * Values stay raw strings (automaticDeserialization off) so what lands in Redis is exactly the post's JSON; the SDK's
 * default of five retries with backoff is cut to one quick retry, and each request is aborted after `timeoutMs`.
 */
export function createUpstashClient(url: string, token: string, timeoutMs: number): Redis {
  return new Redis({
    url,
    token,
    automaticDeserialization: false,
    enableAutoPipelining: false,
    retry: { retries: 1, backoff: () => 50 },
    signal: () => AbortSignal.timeout(timeoutMs),
  });
}

export class UpstashStore implements FeedStore {
  constructor(private readonly redis: Redis) {}

  insertPost(w: PostWrite): Promise<boolean> {
    return orUnavailable(async () => {
      const [set] = await this.redis
        .multi()
        .set(w.key, w.value, { ex: w.ttlSeconds, nx: true })
        .zadd(w.indexKey, { nx: true }, { score: w.score, member: w.id })
        .zremrangebyscore(w.indexKey, exclusive(0), exclusive(w.trimBelow))
        .expire(w.indexKey, w.ttlSeconds)
        .exec();
      return set === "OK";
    });
  }

  readIndex(q: IndexQuery): Promise<IndexRead> {
    return orUnavailable(async () => {
      const pipeline = this.redis.pipeline();
      const max = q.below === undefined ? ("+inf" as const) : exclusive(q.below);
      pipeline.zrange(q.indexKey, max, q.minScore, {
        byScore: true,
        rev: true,
        offset: 0,
        count: q.limit,
        withScores: true,
      });
      pipeline.zscore(q.indexKey, q.marker);
      if (q.below !== undefined) pipeline.zrange(q.indexKey, q.below, q.below, { byScore: true, rev: true });
      const [entries, marker, ties] = (await pipeline.exec()) as [unknown[], unknown, unknown[] | undefined];
      return { entries: pairEntries(entries), markerPresent: marker !== null, ties: (ties ?? []).map(String) };
    });
  }

  getValues(keys: string[]): Promise<unknown[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return orUnavailable(() => this.redis.mget<unknown[]>(...keys));
  }

  deletePost(key: string, indexKey: string, id: string): Promise<void> {
    return orUnavailable(async () => {
      await this.redis.multi().del(key).zrem(indexKey, id).exec();
    });
  }

  claimMarker(indexKey: string, marker: string, ttlSeconds: number): Promise<boolean> {
    return orUnavailable(async () => {
      const [added] = await this.redis
        .multi()
        .zadd(indexKey, { nx: true }, { score: 0, member: marker })
        .expire(indexKey, ttlSeconds)
        .exec();
      return added === 1;
    });
  }

  addToIndex(indexKey: string, entries: IndexEntry[], ttlSeconds: number): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const [first, ...rest] = entries.map(({ id, score }) => ({ score, member: id }));
    return orUnavailable(async () => {
      await this.redis
        .multi()
        .zadd(indexKey, { nx: true }, first, ...rest)
        .expire(indexKey, ttlSeconds)
        .exec();
    });
  }

  countHit(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }> {
    return orUnavailable(async () => {
      const [, count, pttl] = await this.redis
        .multi()
        .set(key, "0", { ex: windowSeconds, nx: true })
        .incr(key)
        .pttl(key)
        .exec();
      return { count: Number(count), resetInMs: Number(pttl) };
    });
  }

  deleteKey(key: string): Promise<void> {
    return orUnavailable(async () => {
      await this.redis.del(key);
    });
  }

  scan(cursor: string, match: string, count: number): Promise<{ cursor: string; keys: string[] }> {
    return orUnavailable(async () => {
      const [next, keys] = await this.redis.scan(cursor, { match, count });
      return { cursor: String(next), keys };
    });
  }
}
