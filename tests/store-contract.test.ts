// One contract for every FeedStore adapter: in-process, TCP Redis (ioredis) and Upstash REST, the last two on a real
// redis-server. Feed-level behaviour (paging, expiry, healing) runs through the same adapters.
import { beforeEach, describe, expect, it } from "vitest";
import { HEAL_LOCK_KEY, HEALED_MARKER, INDEX_KEY, postKey } from "../lib/feed-keys.js";
import { readPage } from "../lib/feed-page.js";
import type { Post } from "../lib/schemas.js";
import type { FeedStore } from "../lib/store/feed-store.js";
import { MemoryStore } from "../lib/store/memory-store.js";
import { useRedisAdapters } from "./support/redis-adapters.js";

const shared = useRedisAdapters(2000);
const adapters: { name: string; create: () => FeedStore; redis: boolean }[] = [
  { name: "in-process", create: () => new MemoryStore(), redis: false },
  ...shared.adapters.map(([name, create]) => ({ name, create, redis: true })),
];

const TTL = 60;
let counter = 0;
function makePost(createdAt: number, overrides: Partial<Post> = {}): Post {
  counter += 1;
  const id = `post${String(counter).padStart(8, "0")}`;
  return {
    id,
    userId: "user-1",
    username: "Ada",
    text: `caption ${counter}`,
    mediaUrl: `https://res.cloudinary.com/demo/image/upload/v1/feed/u1/${id}.jpg`,
    mediaType: "image",
    cloudinaryPublicId: `feed/u1/${id}`,
    createdAt: new Date(createdAt).toISOString(),
    ...overrides,
  };
}

async function insert(store: FeedStore, post: Post, options: { ttl?: number; indexKey?: string; value?: string } = {}) {
  const score = Date.parse(post.createdAt);
  const ttlSeconds = options.ttl ?? TTL;
  return store.insertPost({
    key: postKey(post.id),
    value: options.value ?? JSON.stringify(post),
    ttlSeconds,
    indexKey: options.indexKey ?? INDEX_KEY,
    id: post.id,
    score,
    trimBelow: Date.now() - ttlSeconds * 1000,
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(adapters)("FeedStore contract: $name", ({ create, redis }) => {
  let store: FeedStore;
  const deps = () => ({ store, ttlSeconds: TTL, now: Date.now });

  beforeEach(async () => {
    await shared.server().client.flushdb(); // our own throw-away server
    store = create();
  });

  it("stores the post JSON as written, once: a second insert of the same id is refused and changes nothing", async () => {
    const post = makePost(Date.now());
    expect(await insert(store, post)).toBe(true);
    expect(await insert(store, { ...post, text: "replay" })).toBe(false);
    expect(await store.getValues([postKey(post.id), "feed:missing"])).toEqual([JSON.stringify(post), null]);
    if (redis) {
      expect(await shared.server().client.get(postKey(post.id))).toBe(JSON.stringify(post));
      const ttl = await shared.server().client.ttl(postKey(post.id));
      expect(ttl).toBeGreaterThan(TTL - 3);
      expect(ttl).toBeLessThanOrEqual(TTL);
      expect(await shared.server().client.ttl(INDEX_KEY)).toBeGreaterThan(TTL - 3);
    }
  });

  it("reads the index newest first, ties by id descending, with an exclusive upper bound and the ties listed apart", async () => {
    const now = Date.now();
    const posts = [makePost(now - 3000), makePost(now - 2000), makePost(now - 2000), makePost(now - 1000)];
    for (const post of posts) await insert(store, post);
    const first = await store.readIndex({
      indexKey: INDEX_KEY,
      marker: HEALED_MARKER,
      minScore: now - 60_000,
      limit: 3,
    });
    expect(first.entries.map((e) => e.id)).toEqual([posts[3].id, posts[2].id, posts[1].id]);
    expect(first.entries[0].score).toBe(now - 1000);
    expect(first.ties).toEqual([]);
    expect(first.markerPresent).toBe(false);
    const next = await store.readIndex({
      indexKey: INDEX_KEY,
      marker: HEALED_MARKER,
      minScore: now - 60_000,
      below: now - 2000,
      limit: 10,
    });
    expect(next.entries.map((e) => e.id)).toEqual([posts[0].id]);
    expect(next.ties).toEqual([posts[2].id, posts[1].id]);
    const recent = await store.readIndex({
      indexKey: INDEX_KEY,
      marker: HEALED_MARKER,
      minScore: now - 1500,
      limit: 10,
    });
    expect(recent.entries.map((e) => e.id)).toEqual([posts[3].id]);
  });

  it("deletes a post and its index entry together", async () => {
    const [a, b] = [makePost(Date.now() - 10), makePost(Date.now())];
    await insert(store, a);
    await insert(store, b);
    await store.deletePost(postKey(a.id), INDEX_KEY, a.id);
    expect(await store.getValues([postKey(a.id)])).toEqual([null]);
    const read = await store.readIndex({ indexKey: INDEX_KEY, marker: HEALED_MARKER, minScore: 0, limit: 10 });
    expect(read.entries.map((e) => e.id)).toEqual([b.id]);
  });

  it("lets exactly one caller claim the healing marker, which never shows up as an entry", async () => {
    expect(await store.claimMarker(INDEX_KEY, HEALED_MARKER, TTL)).toBe(true);
    expect(await store.claimMarker(INDEX_KEY, HEALED_MARKER, TTL)).toBe(false);
    const read = await store.readIndex({ indexKey: INDEX_KEY, marker: HEALED_MARKER, minScore: 1, limit: 10 });
    expect(read).toEqual({ entries: [], ties: [], markerPresent: true });
  });

  it("trims index entries older than the TTL on each write, keeping the marker", async () => {
    await store.claimMarker(INDEX_KEY, HEALED_MARKER, TTL);
    const stale = makePost(Date.now() - (TTL + 5) * 1000);
    await store.addToIndex(INDEX_KEY, [{ id: stale.id, score: Date.parse(stale.createdAt) }], TTL);
    await insert(store, makePost(Date.now()));
    const read = await store.readIndex({ indexKey: INDEX_KEY, marker: HEALED_MARKER, minScore: 1, limit: 10 });
    expect(read.entries.map((e) => e.id)).not.toContain(stale.id);
    expect(read.entries).toHaveLength(1);
    expect(read.markerPresent).toBe(true);
  });

  it("walks every feed:* key with SCAN and none of the others", async () => {
    const posts = Array.from({ length: 30 }, () => makePost(Date.now()));
    for (const post of posts) await insert(store, post);
    if (redis) await shared.server().client.mset("chat:1", "x", "session:1", "y", "feedback", "z");
    const seen = new Set<string>();
    let cursor = "0";
    do {
      const step = await store.scan(cursor, "feed:*", 10);
      for (const key of step.keys) seen.add(key);
      cursor = step.cursor;
    } while (cursor !== "0");
    expect([...seen].sort()).toEqual(posts.map((p) => postKey(p.id)).sort());
  });

  it("forgets a post when its TTL runs out", async () => {
    const post = makePost(Date.now());
    await insert(store, post, { ttl: 1 });
    await sleep(1100);
    expect(await store.getValues([postKey(post.id)])).toEqual([null]);
    expect((await readPage({ limit: 10 }, { store, ttlSeconds: 1, now: Date.now })).items).toEqual([]);
  });

  it("pages newest first and visits every live post exactly once, even when many share a millisecond", async () => {
    const base = Date.now() - 5000;
    const posts = Array.from({ length: 23 }, (_, i) => makePost(base + Math.floor(i / 4)));
    for (const post of posts) await insert(store, post);
    const seen: Post[] = [];
    let cursor: string | undefined;
    for (let pages = 0; pages < 20; pages += 1) {
      const page = await readPage({ limit: 5, cursor }, deps());
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
    for (const post of posts) await insert(store, post);
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await readPage({ limit: 100, cursor }, deps());
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
    for (const post of live) await insert(store, post);
    await insert(store, makePost(now - 2), { value: "{not json" });
    await insert(store, makePost(now - 1), { value: JSON.stringify({ hello: "world" }) });
    const gone = makePost(now);
    await insert(store, gone);
    await store.deletePost(postKey(gone.id), "elsewhere", gone.id); // post gone, index entry left behind
    const page = await readPage({ limit: 2 }, deps());
    expect(page.items.map((p) => p.id)).toEqual([live[1].id, live[0].id]);
  });

  it("heals a lost index from the feed:* keys instead of showing an empty feed", async () => {
    const posts = [makePost(Date.now() - 20), makePost(Date.now() - 10)];
    for (const post of posts) await insert(store, post, { indexKey: "some-lost-index" });
    const page = await readPage({ limit: 10 }, deps());
    expect(page.items.map((p) => p.id)).toEqual([posts[1].id, posts[0].id]);
    const again = await store.readIndex({ indexKey: INDEX_KEY, marker: HEALED_MARKER, minScore: 1, limit: 10 });
    expect(again.markerPresent).toBe(true);
    expect(again.entries).toHaveLength(2);
  });

  it("lets only the lock holder rebuild the index, and releases the lock when done", async () => {
    const post = makePost(Date.now());
    await insert(store, post, { indexKey: "some-lost-index" });
    await store.countHit(HEAL_LOCK_KEY, 30); // another reader is healing
    expect((await readPage({ limit: 10 }, deps())).items).toEqual([]);
    const read = await store.readIndex({ indexKey: INDEX_KEY, marker: HEALED_MARKER, minScore: 1, limit: 10 });
    expect(read.markerPresent).toBe(false);
    await store.deleteKey(HEAL_LOCK_KEY); // that reader died; its lock is gone
    expect((await readPage({ limit: 10 }, deps())).items.map((p) => p.id)).toEqual([post.id]);
    // A healer releases the lock when done: an index lost again right away is healed by the next read.
    await store.deleteKey(INDEX_KEY);
    expect((await readPage({ limit: 10 }, deps())).items.map((p) => p.id)).toEqual([post.id]);
  });

  it("counts hits in a window that expires on its own", async () => {
    expect(await store.countHit("feed-ratelimit:test", 1)).toMatchObject({ count: 1 });
    const second = await store.countHit("feed-ratelimit:test", 1);
    expect(second.count).toBe(2);
    expect(second.resetInMs).toBeGreaterThan(0);
    expect(second.resetInMs).toBeLessThanOrEqual(1000);
    if (redis) expect(await shared.server().client.pttl("feed-ratelimit:test")).toBeGreaterThan(0);
    await sleep(1100);
    expect((await store.countHit("feed-ratelimit:test", 1)).count).toBe(1);
  });

  it("answers an empty page, not an error, when Redis holds nothing", async () => {
    expect(await readPage({ limit: 20 }, deps())).toEqual({ items: [], nextCursor: null });
  });
});
