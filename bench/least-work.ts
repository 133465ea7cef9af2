// The least work that serves the feed's first page: one ZRANGE, one MGET, the stored JSON joined, a hash for the ETag.
// The origin's CPU per page is held against it (bench/origin-cpu.ts); it checks nothing, so it is no design to copy.
import { createHash } from "node:crypto";
import type { Redis as UpstashRedis } from "@upstash/redis";
import type { Redis } from "ioredis";
import { INDEX_KEY, postKey } from "../lib/feed/keys.js";

/** The two reads the least-work page needs, on either client. */
export interface LeastWorkReads {
  newestIds(minScore: number, limit: number): Promise<string[]>;
  values(keys: string[]): Promise<(string | null)[]>;
}

export function tcpReads(redis: Redis): LeastWorkReads {
  return {
    newestIds: (minScore, limit) =>
      redis.zrange(INDEX_KEY, "+inf", String(minScore), "BYSCORE", "REV", "LIMIT", 0, limit),
    values: (keys) => redis.mget(keys),
  };
}

export function restReads(redis: UpstashRedis): LeastWorkReads {
  return {
    newestIds: (minScore, limit) =>
      redis.zrange<string[]>(INDEX_KEY, "+inf", minScore, { byScore: true, rev: true, offset: 0, count: limit }),
    values: (keys) => redis.mget<(string | null)[]>(...keys),
  };
}

/** GET of the first `limit` posts, whatever the request says: the same page the feed serves by default. */
export function leastWorkHandler(
  reads: LeastWorkReads,
  page: { limit: number; ttlSeconds: number },
): (request: Request) => Promise<Response> {
  return async () => {
    const ids = await reads.newestIds(Date.now() - page.ttlSeconds * 1000, page.limit);
    const values = ids.length === 0 ? [] : await reads.values(ids.map(postKey));
    const items = values.filter((value) => value !== null).join(",");
    const body = `{"items":[${items}],"nextCursor":null,"ttlSeconds":${page.ttlSeconds}}`;
    const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
    const headers = {
      "Content-Type": "application/json",
      ETag: etag,
      "Cache-Control": "public, max-age=0, s-maxage=6, stale-while-revalidate=4",
    };
    return new Response(body, { status: 200, headers });
  };
}
