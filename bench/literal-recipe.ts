// The owner's literal recipe, as the baseline: SCAN feed:* in a loop, MGET each batch, parse, sort, slice.
import type { Redis } from "ioredis";

// The recipe's SCAN step; every step walks ~COUNT keys of the whole database, whatever the MATCH pattern.
const SCAN_COUNT = 100;

interface StoredPost {
  createdAt: string;
}

/**
 * A page of `limit` posts after the first `offset`, newest first, answered as the handler would (a JSON Response).
 * There is no cursor: every page reads every live post.
 */
export async function readPageByScan(redis: Redis, limit: number, offset = 0): Promise<Response> {
  const posts: StoredPost[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", "feed:*", "COUNT", SCAN_COUNT);
    cursor = next;
    if (keys.length === 0) continue;
    for (const value of await redis.mget(keys)) {
      // A key can expire between SCAN and MGET.
      if (value !== null) posts.push(JSON.parse(value) as StoredPost);
    }
  } while (cursor !== "0");
  posts.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return Response.json({ items: posts.slice(offset, offset + limit) });
}
