// Reading pages and rebuilding a lost index, through every adapter: in-process, TCP Redis, Upstash REST and Redis
// Cluster (real servers started for this file). The rebuild is bounded per request, resumable, and never complete early.
import type { Cluster, Redis } from "ioredis";
import { beforeEach, describe, expect, it } from "vitest";
import {
  INDEX_KEY,
  REBUILD_CURSOR_KEY,
  REBUILD_INDEX_KEY,
  REBUILD_LOCK_KEY,
  REBUILT_MARKER,
} from "../../lib/feed/keys.js";
import { readPage } from "../../lib/feed/reads.js";
import { rebuildIndexSlice } from "../../lib/feed/rebuild.js";
import type { Post } from "../../lib/schemas.js";
import type { FeedStore } from "../../lib/store/feed-store.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { type StoreCase, useRedisStoreCases } from "../support/redis-adapters.js";
import {
  entryOf,
  indexQuery,
  makePost,
  publish,
  rebuildLease,
  removalFor,
  sleep,
  TTL,
} from "../support/store-fixtures.js";

const redisCases = useRedisStoreCases(2000);
const cases: StoreCase[] = [
  { name: "in-process", create: () => new MemoryStore(), raw: null, reset: async () => {} },
  ...redisCases,
];

describe.each(cases)("reading the feed: $name", ({ create, raw, reset }) => {
  let store: FeedStore;
  const deps = (sliceMs?: number) => ({ store, ttlSeconds: TTL, now: Date.now, redisTimeoutMs: 2000, sliceMs });
  const ids = async (limit = 100) => (await readPage({ limit }, deps())).page.items.map((p) => p.id);

  beforeEach(async () => {
    await reset();
    store = create();
  });

  it("pages newest first and visits every live post exactly once, even when many share a millisecond", async () => {
    const base = Date.now() - 5000;
    const posts = Array.from({ length: 23 }, (_, i) => makePost(base + Math.floor(i / 4)));
    for (const post of posts) await publish(store, post);
    const seen: Post[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages += 1) {
      const { page } = await readPage({ limit: 5, cursor }, deps());
      expect(page.items.length).toBeLessThanOrEqual(5);
      seen.push(...page.items);
      if (!page.nextCursor) break;
      cursor = page.nextCursor;
    }
    const expected = [...posts].sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
    expect(seen.map((p) => p.id)).toEqual(expected.map((p) => p.id));
  });

  it("ends a page of very large posts before 256 KB, with a cursor that still reaches every post", async () => {
    const big = "😀".repeat(2200); // the longest caption the API accepts, 4 bytes a character
    const now = Date.now();
    const posts = Array.from({ length: 40 }, (_, i) => makePost(now - i, { text: big }));
    for (const post of posts) await publish(store, post);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const { page } = await readPage({ limit: 100, cursor }, deps());
      expect(Buffer.byteLength(JSON.stringify(page))).toBeLessThan(256 * 1024);
      expect(page.items.length).toBeGreaterThan(0);
      seen.push(...page.items.map((p) => p.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(seen).toEqual(posts.map((p) => p.id));
  });

  it("skips index entries whose post is gone or corrupt, and still fills the page", async () => {
    const now = Date.now();
    const live = [makePost(now - 4), makePost(now - 3)];
    for (const post of live) await publish(store, post);
    await publish(store, makePost(now - 2), { value: "{not json" });
    await publish(store, makePost(now - 1), { value: JSON.stringify({ hello: "world" }) });
    const gone = makePost(now);
    await publish(store, gone);
    await store.removePost(removalFor(gone, "elsewhere")); // post gone, index entry left behind
    expect(await ids(2)).toEqual([live[1].id, live[0].id]);
  });

  it("answers an empty, complete page when Redis holds nothing (a restart with no data)", async () => {
    expect(await readPage({ limit: 20 }, deps())).toEqual({
      page: { items: [], nextCursor: null, ttlSeconds: TTL },
      complete: true,
      version: expect.stringMatching(/^\d+$/), // the check of the empty keyspace completed the index: a change
      changesAt: null, // and nothing on it can expire
    });
  });

  it("forgets expired posts", async () => {
    const post = makePost(Date.now());
    await publish(store, post, { ttl: 1 });
    await sleep(1100);
    expect((await readPage({ limit: 10 }, { ...deps(), ttlSeconds: 1 })).page.items).toEqual([]);
  });

  it("rebuilds a lost index from the feed:* keys, keeping posts written meanwhile, then reads it as complete", async () => {
    const posts = [makePost(Date.now() - 20), makePost(Date.now() - 10)];
    for (const post of posts) await publish(store, post, { indexKey: "some-lost-index" });
    const read = await readPage({ limit: 10 }, deps());
    expect(read.complete).toBe(true);
    expect(read.page.items.map((p) => p.id)).toEqual([posts[1].id, posts[0].id]);
    const index = await store.readIndex(indexQuery(1));
    expect(index.markerPresent).toBe(true);
    if (raw) {
      expect(await raw().exists(REBUILD_LOCK_KEY, REBUILD_CURSOR_KEY, REBUILD_INDEX_KEY)).toBe(0);
      expect(await raw().ttl(INDEX_KEY)).toBeGreaterThan(0);
    }
  });

  it("serves an incomplete page while another reader holds the rebuild lease, and takes over once it lapses", async () => {
    const [old, fresh] = [makePost(Date.now() - 10), makePost(Date.now())];
    await publish(store, old, { indexKey: "some-lost-index" });
    expect((await store.claimRebuild(rebuildLease("a-rebuild-that-died", 300))).claimed).toBe(true);
    await publish(store, fresh); // written to the live index while the rebuild is stuck
    const during = await readPage({ limit: 10 }, deps());
    expect(during.complete).toBe(false);
    expect(during.page.items.map((p) => p.id)).toEqual([fresh.id]);
    await sleep(350);
    const after = await readPage({ limit: 10 }, deps());
    expect(after.complete).toBe(true);
    expect(after.page.items.map((p) => p.id)).toEqual([fresh.id, old.id]);
  });

  it("serves what the rebuild has found so far, with the posts written since, while another reader walks", async () => {
    const now = Date.now();
    const [found, notYet, fresh] = [makePost(now - 30), makePost(now - 20), makePost(now)];
    for (const post of [found, notYet]) await publish(store, post, { indexKey: "some-lost-index" });
    const walker = rebuildLease("the-reader-walking", 60_000);
    expect((await store.claimRebuild(walker)).claimed).toBe(true);
    const step = { cursor: "42", entries: [entryOf(found)], release: false, fresh: true, nowMs: Date.now() };
    expect(await store.saveRebuild(walker, step)).toBe(true);
    await publish(store, fresh);
    const during = await readPage({ limit: 10 }, deps());
    expect(during.complete).toBe(false);
    expect(during.page.items.map((p) => p.id)).toEqual([fresh.id, found.id]);
  });

  it("ignores a rebuild whose lease was taken over: its late saves write nothing", async () => {
    const stale = rebuildLease("stale", 50);
    expect((await store.claimRebuild(stale)).claimed).toBe(true);
    await sleep(80); // cut off: its lease lapses and another reader takes over
    expect((await store.claimRebuild(rebuildLease("new-owner", 60_000))).claimed).toBe(true);
    const ghost = { ...entryOf(makePost(Date.now())), id: "never-a-post" };
    expect(
      await store.saveRebuild(stale, {
        cursor: "123",
        entries: [ghost],
        release: false,
        fresh: true,
        nowMs: Date.now(),
      }),
    ).toBe(false);
    expect(await store.finishRebuild(stale, { entries: [ghost], fresh: true, nowMs: Date.now() })).toBe(false);
    const index = await store.readIndex(indexQuery(0));
    expect(index).toEqual({ entries: [], ties: [], markerPresent: false });
    expect((await store.claimRebuild(rebuildLease("a-third-reader", 1000))).cursor).toBeNull();
    if (raw) {
      expect(await raw().exists(REBUILD_CURSOR_KEY, REBUILD_INDEX_KEY)).toBe(0);
      expect(await raw().get(REBUILD_LOCK_KEY)).toBe("new-owner");
    }
  });
});

// The in-process store has no cursor walk (one step sees every key), so this runs where SCAN really is a walk.
describe.each(redisCases)("rebuilding a lost index over a large keyspace: $name", ({ create, raw, reset }) => {
  let store: FeedStore;
  const deps = (sliceMs?: number) => ({ store, ttlSeconds: TTL, now: Date.now, redisTimeoutMs: 2000, sliceMs });
  const ids = async (limit = 100) => (await readPage({ limit }, deps())).page.items.map((p) => p.id);
  const redis = () => {
    if (!raw) throw new Error("a Redis case has a raw client");
    return raw();
  };

  /** `count` posts written while the index was lost, among 60,000 keys of other code: a walk of several slices. */
  const loseIndexAmong60kKeys = async (count: number): Promise<Post[]> => {
    const now = Date.now();
    const posts = Array.from({ length: count }, (_, i) => makePost(now - i));
    for (const post of posts) await publish(store, post, { indexKey: "some-lost-index" });
    await fillUnrelatedKeys(redis(), 60_000);
    return posts;
  };

  beforeEach(async () => {
    await reset();
    store = create();
  });

  it("walks a large keyspace in bounded slices that resume where the last one stopped", async () => {
    const posts = await loseIndexAmong60kKeys(5);
    let slices = 0;
    let complete = false;
    while (!complete && slices < 200) {
      slices += 1;
      // A slice of 0 ms stops after one step (10,000 keys per master), as a reader whose time is up would.
      complete = await rebuildIndexSlice(deps(0));
      if (complete) break;
      expect(await redis().get(REBUILD_CURSOR_KEY)).not.toBeNull();
      expect(await redis().exists(REBUILD_LOCK_KEY)).toBe(0); // released for the next reader, not left to lapse
      const index = await store.readIndex(indexQuery(0));
      expect(index.markerPresent).toBe(false);
    }
    expect(complete).toBe(true);
    // Each slice walks one step: a walk that restarted from zero would never finish; this one took several slices.
    expect(slices).toBeGreaterThan(2);
    expect(await ids()).toEqual(posts.map((p) => p.id));
  });

  /** Rebuild slices of one step each until the index is complete (or a bound that would mean a stuck walk). */
  async function rebuildToTheEnd(): Promise<boolean> {
    for (let slice = 0; slice < 200; slice += 1) if (await rebuildIndexSlice(deps(0))) return true;
    return false;
  }

  it("rebuilds past foreign keys of any type and size under feed:*, reading none it does not need", async () => {
    const now = Date.now();
    const posts = Array.from({ length: 5 }, (_, i) => makePost(now - i));
    for (const post of posts) await publish(store, post, { indexKey: "some-lost-index" });
    const big = "x".repeat(20_000);
    await redis().hset("feed:user:42", "name", "Ada"); // other code's hash
    await redis().hset("feed:abcdefghijkl", "looks", "like a post id"); // a hash where a post could be
    await redis().rpush("feed:mnopqrstuvwx", "a", "list");
    await redis().set("feed:yzabcdefghij", big); // a 20 KB string where a post could be
    await Promise.all(Array.from({ length: 300 }, (_, i) => redis().set(`feed:user:${i}:timeline`, big)));
    expect(await rebuildToTheEnd()).toBe(true);
    expect(await ids()).toEqual(posts.map((p) => p.id));
    expect(await redis().hget("feed:user:42", "name")).toBe("Ada");
    expect(await redis().strlen("feed:user:7:timeline")).toBe(20_000);
  });

  it("merges a side index larger than one chunk, and marks the index complete only once all of it is in", async () => {
    const lease = rebuildLease("merger", 60_000);
    expect((await store.claimRebuild(lease)).claimed).toBe(true);
    const now = Date.now();
    // What a walk over 12,000 posts leaves: the side index, begun with the marker.
    const found = Array.from({ length: 12_000 }, (_, i) => [now - i, `side${String(i).padStart(8, "0")}`]).flat();
    await redis().zadd(REBUILD_INDEX_KEY, 0, REBUILT_MARKER, ...found);
    expect(await store.finishRebuild(lease, { entries: [], fresh: false, nowMs: now })).toBe(true);
    expect(await redis().zcard(INDEX_KEY)).toBe(12_001);
    expect(await redis().zscore(INDEX_KEY, REBUILT_MARKER)).toBe("0");
    expect(await redis().exists(REBUILD_INDEX_KEY, REBUILD_LOCK_KEY)).toBe(0);
  });

  it("walks again from the start when its side index is lost mid-walk, instead of finishing short", async () => {
    const posts = await loseIndexAmong60kKeys(40);
    // Slices until the side index holds some of the walk's finds (the marker, and at least one post).
    let slices = 0;
    while ((await redis().zcard(REBUILD_INDEX_KEY)) < 2 && slices < 50) {
      slices += 1;
      expect(await rebuildIndexSlice(deps(0))).toBe(false);
    }
    expect(await redis().zcard(REBUILD_INDEX_KEY)).toBeGreaterThan(1);
    await redis().del(REBUILD_INDEX_KEY); // evicted, or deleted by hand
    expect(await rebuildToTheEnd()).toBe(true);
    expect(await ids()).toEqual(posts.map((p) => p.id));
  });
});

async function fillUnrelatedKeys(client: Redis | Cluster, count: number): Promise<void> {
  for (let start = 0; start < count; start += 5000) {
    const writes = Array.from({ length: Math.min(5000, count - start) }, (_, i) =>
      client.set(`chat:msg:${start + i}`, "x"),
    );
    await Promise.all(writes);
  }
}
