// One contract for every FeedStore adapter: in-process, TCP Redis (ioredis), Upstash REST and Redis Cluster, the last
// three on real servers started for this file. Reading pages and rebuilding the index run in feed-read-contract.
import { beforeEach, describe, expect, it } from "vitest";
import { INDEX_KEY, indexTtlSeconds, postKey, tombstoneKey } from "../../lib/feed/keys.js";
import type { FeedStore } from "../../lib/store/feed-store.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { type StoreCase, useRedisStoreCases } from "../support/redis-adapters.js";
import {
  cleanupTombstone,
  indexQuery,
  makePost,
  publish,
  removalFor,
  sleep,
  TTL,
  writeFor,
} from "../support/store-fixtures.js";

const cases: StoreCase[] = [
  { name: "in-process", create: () => new MemoryStore(), raw: null, reset: async () => {} },
  ...useRedisStoreCases(2000),
];

describe.each(cases)("FeedStore contract: $name", ({ create, raw, reset }) => {
  let store: FeedStore;

  beforeEach(async () => {
    await reset(); // our own throw-away servers
    store = create();
  });

  it("stores the post JSON as written, with its TTL, and indexes it", async () => {
    const post = makePost(Date.now());
    expect(await publish(store, post)).toEqual({ status: "created" });
    expect(await store.getValues([postKey(post.id), "feed:missing"])).toEqual([JSON.stringify(post), null]);
    expect((await store.readIndex(indexQuery(0))).entries).toEqual([
      { id: post.id, score: Date.parse(post.createdAt) },
    ]);
    if (raw) {
      expect(await raw().get(postKey(post.id))).toBe(JSON.stringify(post));
      const ttl = await raw().ttl(postKey(post.id));
      expect(ttl).toBeGreaterThan(TTL - 3);
      expect(ttl).toBeLessThanOrEqual(TTL);
      expect(await raw().ttl(INDEX_KEY)).toBeGreaterThan(indexTtlSeconds(TTL) - 3);
    }
  });

  it("answers a second publish of the same id with the stored post, changing nothing (not its index score)", async () => {
    const post = makePost(Date.now() - 5000);
    await publish(store, post);
    const replay = await publish(store, { ...post, text: "replay", createdAt: new Date().toISOString() });
    expect(replay).toEqual({ status: "exists", value: JSON.stringify(post) });
    expect(await store.getValues([postKey(post.id)])).toEqual([JSON.stringify(post)]);
    expect((await store.readIndex(indexQuery(0))).entries).toEqual([
      { id: post.id, score: Date.parse(post.createdAt) },
    ]);
  });

  it("removes a post and its index entry, and refuses to publish that upload again", async () => {
    const [a, b] = [makePost(Date.now() - 10), makePost(Date.now())];
    await publish(store, a);
    await publish(store, b);
    await store.removePost(removalFor(a));
    expect(await store.getValues([postKey(a.id)])).toEqual([null]);
    expect((await store.readIndex(indexQuery(0))).entries.map((e) => e.id)).toEqual([b.id]);
    expect(await publish(store, a)).toEqual({ status: "removed" });
    expect(await store.getValues([postKey(a.id)])).toEqual([null]);
    if (raw) {
      expect(await raw().ttl(tombstoneKey(a.id))).toBeGreaterThan(TTL - 3);
      expect(await raw().ttl(tombstoneKey(a.id))).toBeLessThanOrEqual(TTL);
    }
  });

  it("refuses to publish an upload an admin tombstoned before it was ever posted", async () => {
    const [never, other] = [makePost(Date.now()), makePost(Date.now())];
    await store.writeTombstones([cleanupTombstone(never.id)], TTL);
    expect(await publish(store, never)).toEqual({ status: "removed" });
    expect(await publish(store, other)).toEqual({ status: "created" });
    expect(await store.getValues([postKey(never.id), postKey(other.id)])).toEqual([null, JSON.stringify(other)]);
  });

  it("reads the index newest first, ties by id descending, with an exclusive upper bound and the ties listed apart", async () => {
    const now = Date.now();
    const posts = [makePost(now - 3000), makePost(now - 2000), makePost(now - 2000), makePost(now - 1000)];
    for (const post of posts) await publish(store, post);
    const tied = [posts[1].id, posts[2].id].sort().reverse();
    const first = await store.readIndex(indexQuery(now - 60_000, { limit: 3 }));
    expect(first.entries.map((e) => e.id)).toEqual([posts[3].id, ...tied]);
    expect(first.entries[0].score).toBe(now - 1000);
    expect(first.ties).toEqual([]);
    expect(first.markerPresent).toBe(false);
    const next = await store.readIndex(indexQuery(now - 60_000, { below: now - 2000 }));
    expect(next.entries.map((e) => e.id)).toEqual([posts[0].id]);
    expect(next.ties).toEqual(tied);
    const recent = await store.readIndex(indexQuery(now - 1500));
    expect(recent.entries.map((e) => e.id)).toEqual([posts[3].id]);
  });

  it("reads many posts in one call, wherever their keys live", async () => {
    const posts = Array.from({ length: 40 }, (_, i) => makePost(Date.now() - i));
    for (const post of posts) await publish(store, post);
    const keys = [...posts.map((p) => postKey(p.id)), "feed:missing"];
    expect(await store.getValues(keys)).toEqual([...posts.map((p) => JSON.stringify(p)), null]);
  });

  it("trims index entries older than the TTL on each write", async () => {
    const stale = makePost(Date.now() - (TTL + 5) * 1000);
    await store.publishPost({ ...writeFor(stale), trimBelow: 0 });
    expect((await store.readIndex(indexQuery(0))).entries.map((e) => e.id)).toEqual([stale.id]);
    await publish(store, makePost(Date.now()));
    const read = await store.readIndex(indexQuery(0));
    expect(read.entries.map((e) => e.id)).not.toContain(stale.id);
    expect(read.entries).toHaveLength(1);
  });

  it("walks every feed:* key with SCAN (on every master) and none of the others", async () => {
    const posts = Array.from({ length: 30 }, () => makePost(Date.now()));
    for (const post of posts) await publish(store, post);
    if (raw) for (const key of ["chat:1", "session:1", "feedback", "{feed}:other"]) await raw().set(key, "x");
    const seen = new Set<string>();
    let cursor: string | null = null;
    for (let steps = 0; steps < 1000; steps += 1) {
      const step = await store.scanPosts(cursor, "feed:*", 10);
      for (const key of step.keys) seen.add(key);
      cursor = step.cursor;
      if (cursor === null) break;
    }
    expect(cursor).toBeNull();
    expect([...seen].sort()).toEqual(posts.map((p) => postKey(p.id)).sort());
  });

  it("forgets a post when its TTL runs out", async () => {
    const post = makePost(Date.now());
    await publish(store, post, { ttl: 1 });
    await sleep(1100);
    expect(await store.getValues([postKey(post.id)])).toEqual([null]);
  });

  it("counts hits in a window that expires on its own", async () => {
    expect(await store.countHit("feed-ratelimit:test", 1)).toBe(1);
    expect(await store.countHit("feed-ratelimit:test", 1)).toBe(2);
    if (raw) expect(await raw().pttl("feed-ratelimit:test")).toBeGreaterThan(0);
    await sleep(1100);
    expect(await store.countHit("feed-ratelimit:test", 1)).toBe(1);
  });
});
