// Redis over TCP (Redis Cloud, self-hosted, a local redis-server) with ioredis, bounded so an outage is a quick 503.
import { Redis } from "ioredis";
import type { FeedStore, IndexEntry, IndexQuery, IndexRead, PostWrite } from "./feed-store.js";
import { exclusive, orUnavailable, pairEntries } from "./unavailable.js";

/**
 * Every command fails after `timeoutMs`; nothing waits in an offline queue across a failed connect, and nothing that
 * already failed is re-sent later (a post the caller was told failed must not appear afterwards).
 */
export function createTcpClient(url: string, timeoutMs: number): Redis {
  const client = new Redis(url, {
    connectTimeout: Math.max(100, Math.floor(timeoutMs / 2)),
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    lazyConnect: true,
  });
  let lastLogged = 0;
  client.on("error", (error: Error) => {
    // Reconnects raise an error per attempt; one line every 10 s is enough to see an outage.
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    console.error(JSON.stringify({ level: "error", service: "redis", error: error.message }));
  });
  return client;
}

type Results = [Error | null, unknown][] | null;

function values(results: Results): unknown[] {
  if (!results) throw new Error("transaction aborted");
  for (const [error] of results) if (error) throw error;
  return results.map(([, value]) => value);
}

export class TcpStore implements FeedStore {
  constructor(private readonly redis: Redis) {}

  insertPost(w: PostWrite): Promise<boolean> {
    return orUnavailable(async () => {
      const [set] = values(
        await this.redis
          .multi()
          .set(w.key, w.value, "EX", w.ttlSeconds, "NX")
          .zadd(w.indexKey, "NX", w.score, w.id)
          .zremrangebyscore(w.indexKey, exclusive(0), exclusive(w.trimBelow))
          .expire(w.indexKey, w.ttlSeconds)
          .exec(),
      );
      return set === "OK";
    });
  }

  readIndex(q: IndexQuery): Promise<IndexRead> {
    return orUnavailable(async () => {
      const pipeline = this.redis.pipeline();
      const max = q.below === undefined ? "+inf" : exclusive(q.below);
      pipeline.zrange(q.indexKey, max, String(q.minScore), "BYSCORE", "REV", "LIMIT", 0, q.limit, "WITHSCORES");
      pipeline.zscore(q.indexKey, q.marker);
      if (q.below !== undefined) pipeline.zrange(q.indexKey, String(q.below), String(q.below), "BYSCORE", "REV");
      const [entries, marker, ties] = values(await pipeline.exec());
      return {
        entries: pairEntries(entries as string[]),
        markerPresent: marker !== null,
        ties: (ties as string[] | undefined) ?? [],
      };
    });
  }

  getValues(keys: string[]): Promise<unknown[]> {
    if (keys.length === 0) return Promise.resolve([]);
    return orUnavailable(() => this.redis.mget(keys));
  }

  deletePost(key: string, indexKey: string, id: string): Promise<void> {
    return orUnavailable(async () => {
      values(await this.redis.multi().del(key).zrem(indexKey, id).exec());
    });
  }

  claimMarker(indexKey: string, marker: string, ttlSeconds: number): Promise<boolean> {
    return orUnavailable(async () => {
      const [added] = values(
        await this.redis.multi().zadd(indexKey, "NX", 0, marker).expire(indexKey, ttlSeconds).exec(),
      );
      return added === 1;
    });
  }

  addToIndex(indexKey: string, entries: IndexEntry[], ttlSeconds: number): Promise<void> {
    if (entries.length === 0) return Promise.resolve();
    const pairs = entries.flatMap(({ id, score }) => [score, id]);
    return orUnavailable(async () => {
      values(
        await this.redis
          .multi()
          .zadd(indexKey, "NX", ...pairs)
          .expire(indexKey, ttlSeconds)
          .exec(),
      );
    });
  }

  countHit(key: string, windowSeconds: number): Promise<{ count: number; resetInMs: number }> {
    return orUnavailable(async () => {
      const [, count, pttl] = values(
        await this.redis.multi().set(key, "0", "EX", windowSeconds, "NX").incr(key).pttl(key).exec(),
      );
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
      const [next, keys] = await this.redis.scan(cursor, "MATCH", match, "COUNT", count);
      return { cursor: next, keys };
    });
  }
}
