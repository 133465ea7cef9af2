// A page's tag names when the page next changes by itself (an expiry): until then, with no write, every read of the
// same page must give exactly the same page, so a CDN or a 304 may stand for it.
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import * as feed from "../../api/feed/index.js";
import { INDEX_KEY, VERSION_KEY } from "../../lib/feed/keys.js";
import { readPage } from "../../lib/feed/reads.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { useRedisAdapters } from "../support/redis-adapters.js";
import { makePost, publish, removalFor, TTL } from "../support/store-fixtures.js";
import { jsonRequest, publish as publishAs, useTestApp } from "../support/test-app.js";

const redis = useRedisAdapters(2000);

const TTL_MS = TTL * 1000;

describe("a page's next change (changesAt)", () => {
  it("comes no later than the first expiry that changes the page, for any feed, ghosts and page size", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ age: fc.nat(TTL_MS - 1), ghost: fc.nat(4).map((n) => n === 0) }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 12 }),
        async (entries, limit) => {
          const clock = { now: Date.now() };
          const store = new MemoryStore(() => clock.now);
          for (const { age, ghost } of entries) {
            const post = makePost(clock.now - age);
            await publish(store, post);
            if (ghost) await store.removePost(removalFor(post, "elsewhere")); // its index entry stays behind
          }
          const read = (at: number) =>
            readPage({ limit }, { store, ttlSeconds: TTL, now: () => at, redisTimeoutMs: 2000 });
          const first = await read(clock.now); // checks the index against the posts (a rebuild), so the next read is plain
          const { page, changesAt } = await read(clock.now);
          expect(page).toEqual(first.page);
          // Every moment some entry expires before changesAt (and the last millisecond before it) reads the same page.
          const until = changesAt ?? clock.now + TTL_MS + 1;
          const moments = entries.flatMap(({ age }) => [clock.now - age + TTL_MS, clock.now - age + TTL_MS + 1]);
          for (const at of [...new Set([...moments, until - 1])].filter((t) => t > clock.now && t < until)) {
            expect((await read(at)).page).toEqual(page);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("a changed page's tag", () => {
  const read = (etag?: string) =>
    feed.GET(jsonRequest("/api/feed", "GET", undefined, undefined, etag ? { "if-none-match": etag } : {}));
  const versionOf = (etag: string | null) => /^"(\d*)\./.exec(etag ?? "")?.[1];

  it("carries the version the caller's stale tag was checked against: one GET of it, not two", async () => {
    const ctx = useTestApp();
    await publishAs(ctx, "alice");
    const stale = (await read()).headers.get("etag") ?? "";
    await publishAs(ctx, "bob");
    const getValues = vi.spyOn(ctx.store, "getValues");
    const readIndex = vi.spyOn(ctx.store, "readIndex");
    const changed = await read(stale);
    expect(changed.status).toBe(200);
    expect(getValues.mock.calls.filter(([keys]) => keys.includes(VERSION_KEY))).toHaveLength(1);
    expect(readIndex.mock.calls.map(([query]) => query.versionKey)).toEqual([undefined]);
    const [current] = await ctx.store.getValues([VERSION_KEY]);
    expect(versionOf(changed.headers.get("etag"))).toBe(String(current));
    expect((await read(changed.headers.get("etag") ?? "")).status).toBe(304);
  });

  it.each(redis.adapters)(
    "carries the version after a rebuild, when the read that found the tag stale rebuilt a lost index (%s)",
    async (_, createStore) => {
      await redis.server().client.flushdb();
      const ctx = useTestApp({}, { store: createStore() });
      await publishAs(ctx, "alice");
      const stale = (await read()).headers.get("etag") ?? "";
      await publishAs(ctx, "bob");
      await redis.server().client.del(INDEX_KEY); // evicted, say: the next read rebuilds it, which bumps the version
      const rebuilt = await read(stale);
      expect(rebuilt.status).toBe(200);
      expect((await rebuilt.json()).items).toHaveLength(2);
      const version = await redis.server().client.get(VERSION_KEY);
      expect(versionOf(rebuilt.headers.get("etag"))).toBe(version);
      expect((await read(rebuilt.headers.get("etag") ?? "")).status).toBe(304);
    },
  );
});

describe("a page that changes within the second", () => {
  const read = (etag?: string) =>
    feed.GET(jsonRequest("/api/feed", "GET", undefined, undefined, etag ? { "if-none-match": etag } : {}));

  it("is answered as it will be after the change, cacheable, and never with the post about to expire", async () => {
    const ctx = useTestApp();
    const leaving = await publishAs(ctx, "alice");
    ctx.clock.now += 10 * 60_000;
    const staying = await publishAs(ctx, "bob");
    const tag = (await read()).headers.get("etag") ?? "";
    ctx.clock.now = Date.parse(leaving.createdAt) + 3600_000 - 400; // alice's post is live for 400 ms more
    const early = [await read(), await read(tag)];
    for (const response of early) {
      expect(response.status).toBe(200);
      expect((await response.json()).items.map((p: { id: string }) => p.id)).toEqual([staying.id]);
      expect(response.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=6, stale-while-revalidate=4");
    }
    ctx.clock.now += 401; // past alice's post: the page read early is now the page
    expect((await read(early[0].headers.get("etag") ?? "")).status).toBe(304);
  });
});
