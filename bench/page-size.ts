// The largest page the API can answer: every post with the longest caption allowed, in the widest UTF-8 characters.
import * as feed from "../api/feed/index.js";
import { MAX_PAGE_LIMIT, MAX_TEXT_CHARS } from "../lib/schemas.js";
import { type BenchApp, pageRequest, postShape } from "./bench-app.js";
import type { RedisTarget } from "./redis-target.js";
import { seedPosts } from "./seed.js";

// Four UTF-8 bytes each (a character outside the BMP), counted as one character by the caption limit; JSON keeps it
// as is, so no allowed character costs more in the response.
const WIDEST_CHARACTER = "\u{1F305}";

export interface PageSizeResult {
  limit: number;
  items: number;
  bytes: number;
}

/** Seeds a feed of maximal posts and reads the first page at each limit, through the handler. */
export async function measureLargestPages(bench: BenchApp, target: RedisTarget): Promise<PageSizeResult[]> {
  await target.admin.flushdb();
  const caption = WIDEST_CHARACTER.repeat(MAX_TEXT_CHARS);
  await seedPosts(bench.store, postShape(bench), MAX_PAGE_LIMIT + 5, bench.app.feed.now(), () => caption);
  const results: PageSizeResult[] = [];
  for (const limit of [20, 50, MAX_PAGE_LIMIT]) {
    const response = await feed.GET(pageRequest(limit));
    const body = await response.text();
    if (response.status !== 200) throw new Error(`page of ${limit}: ${response.status} ${body}`);
    const { items } = JSON.parse(body) as { items: unknown[] };
    results.push({ limit, items: items.length, bytes: Buffer.byteLength(body) });
  }
  return results;
}
