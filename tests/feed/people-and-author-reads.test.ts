// GET /api/feed/people and GET /api/feed?author= through every store (in-process, TCP Redis, Upstash REST and a real
// Redis Cluster): grouping, order, counts, paging, removals, expiry, rebuilds, TTLs and the feed's cache policy.
import { beforeEach, describe, expect, it } from "vitest";
import * as takedownRoute from "../../api/admin/posts/[id].js";
import * as feedItem from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import * as people from "../../api/feed/people.js";
import { authorKey, authorOf, INDEX_KEY, indexTtlSeconds, PEOPLE_KEY } from "../../lib/feed/keys.js";
import type { Person, Post } from "../../lib/schemas.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { ADMIN_TOKEN } from "../support/media-cleanup-fixtures.js";
import { type StoreCase, useRedisStoreCases } from "../support/redis-adapters.js";
import { jsonRequest, publish, tokenFor, useTestApp } from "../support/test-app.js";

const TTL_SECONDS = 3600;
const cases: StoreCase[] = [
  { name: "in-process", create: () => new MemoryStore(), raw: null, reset: async () => {} },
  ...useRedisStoreCases(2000),
];

describe.each(cases)("people and one person's posts: $name", ({ create, raw, reset }) => {
  let ctx: ReturnType<typeof useTestApp>;

  beforeEach(async () => {
    await reset();
    const store = create();
    ctx = useTestApp({ RATE_LIMIT: "off", ADMIN_TOKEN, FEED_TTL_SECONDS: String(TTL_SECONDS) }, { store });
    ctx.clock.now = Date.now();
  });

  /** Posts by each user in turn, one millisecond apart (so their order is known), returned oldest first. */
  async function postAs(...userIds: string[]): Promise<Post[]> {
    const posts: Post[] = [];
    for (const userId of userIds) {
      posts.push(await publish(ctx, userId));
      ctx.clock.now += 1;
    }
    return posts;
  }
  const get = async (path: string, headers: Record<string, string> = {}) => {
    const route = path.startsWith("/api/feed/people") ? people : feed;
    return route.GET(jsonRequest(path, "GET", undefined, undefined, headers));
  };
  const body = async (path: string) => (await get(path)).json();
  const tray = async (path = "/api/feed/people") =>
    (await body(path)).items.map((p: Person) => [p.userId, p.postCount, p.latest.id]);
  const authored = async (userId: string, query = "") =>
    (await body(`/api/feed?author=${encodeURIComponent(userId)}${query}`)).items.map((p: Post) => p.id);

  it("lists each person once, by their newest post, newest first, with how many live posts they have", async () => {
    const [a1, b1, a2, c1, b2, b3] = await postAs("ann", "bob", "ann", "cat", "bob", "bob");
    expect(await tray()).toEqual([
      ["bob", 3, b3.id],
      ["cat", 1, c1.id],
      ["ann", 2, a2.id],
    ]);
    const first = (await body("/api/feed/people")).items[0];
    expect(first).toEqual({ userId: "bob", username: "name-bob", postCount: 3, latest: b3 });
    expect([a1, b1, b2].every((post) => post.id)).toBe(true);
  });

  it("pages people with a cursor, visiting each person exactly once", async () => {
    const users = Array.from({ length: 7 }, (_, i) => `user-${i}`);
    await postAs(...users, ...users.slice(0, 3));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { items: Person[]; nextCursor: string | null } = await body(
        `/api/feed/people?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...page.items.map((p) => p.userId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(seen).toEqual(["user-2", "user-1", "user-0", "user-6", "user-5", "user-4", "user-3"]);
  });

  it("answers one person's posts, newest first, paged with a cursor; an unknown person has none", async () => {
    const posts = await postAs("ann", "bob", "ann", "ann", "bob", "ann");
    const anns = posts
      .filter((p) => p.userId === "ann")
      .map((p) => p.id)
      .reverse();
    expect(await authored("ann")).toEqual(anns);
    const firstPage = await body("/api/feed?author=ann&limit=3");
    expect(firstPage.items.map((p: Post) => p.id)).toEqual(anns.slice(0, 3));
    expect(await authored("ann", `&limit=3&cursor=${firstPage.nextCursor}`)).toEqual(anns.slice(3));
    expect(await body("/api/feed?author=nobody")).toEqual({ items: [], nextCursor: null, ttlSeconds: TTL_SECONDS });
  });

  it("moves a person on to their next post when their newest is deleted or taken down, and drops them after", async () => {
    const [a1, b1, a2] = await postAs("ann", "bob", "ann");
    const token = await tokenFor("ann", "name-ann");
    expect((await feedItem.DELETE(jsonRequest(`/api/feed/${a2.id}`, "DELETE", undefined, token))).status).toBe(204);
    expect(await tray()).toEqual([
      ["bob", 1, b1.id],
      ["ann", 1, a1.id],
    ]);
    expect(await authored("ann")).toEqual([a1.id]);
    const takedown = jsonRequest(`/api/admin/posts/${a1.id}`, "DELETE", undefined, ADMIN_TOKEN);
    expect((await takedownRoute.DELETE(takedown)).status).toBe(204);
    expect(await tray()).toEqual([["bob", 1, b1.id]]);
    expect(await authored("ann")).toEqual([]);
  });

  it("forgets people and posts whose time is up, without any write", async () => {
    await postAs("ann");
    ctx.clock.now += 30 * 60_000;
    const [bob] = await postAs("bob");
    ctx.clock.now += 31 * 60_000; // ann's post is past its hour, bob's is not
    expect(await tray()).toEqual([["bob", 1, bob.id]]);
    expect(await authored("ann")).toEqual([]);
  });

  it("answers with the feed's cache policy and ETag, and a bodiless 304 to a matching If-None-Match", async () => {
    await postAs("ann", "bob");
    for (const path of ["/api/feed/people", "/api/feed?author=ann"]) {
      const first = await get(path);
      expect(first.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=6, stale-while-revalidate=4");
      const etag = first.headers.get("etag") as string;
      const again = await get(path, { "if-none-match": etag });
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
    }
  });

  it("refuses bad limits, cursors and unknown parameters with 400", async () => {
    for (const path of [
      "/api/feed/people?limit=51",
      "/api/feed/people?limit=0",
      "/api/feed/people?author=ann",
      "/api/feed/people?cursor=nonsense",
      "/api/feed?author=",
    ]) {
      expect((await get(path)).status, path).toBe(400);
    }
  });

  it("keeps every index key within twice the post TTL, in the feed's hash slot", async () => {
    if (!raw) return; // the in-process store has no keys to look at
    await postAs("ann", "bob");
    for (const key of [INDEX_KEY, PEOPLE_KEY, authorKey(authorOf("ann"))]) {
      const ttl = await raw().ttl(key);
      expect(ttl, key).toBeGreaterThan(0);
      expect(ttl, key).toBeLessThanOrEqual(indexTtlSeconds(TTL_SECONDS));
      expect(key.startsWith("{feed}:"), key).toBe(true);
    }
  });

  it("rebuilds people and each person's posts along with the feed's index when they are lost", async () => {
    const [a1, b1, a2] = await postAs("ann", "bob", "ann");
    if (raw) await raw().del(INDEX_KEY, PEOPLE_KEY, authorKey(authorOf("ann")), authorKey(authorOf("bob")));
    else return; // the in-process store cannot lose a key on its own
    const during = await get("/api/feed/people");
    // The first reader rebuilds (a small feed takes one slice), and the answer is the whole tray.
    expect(await during.json()).toMatchObject({ items: [{ userId: "ann" }, { userId: "bob" }] });
    expect(await tray()).toEqual([
      ["ann", 2, a2.id],
      ["bob", 1, b1.id],
    ]);
    expect(await authored("ann")).toEqual([a2.id, a1.id]);
    expect((await get("/api/feed/people")).headers.get("cache-control")).toContain("public");
  });
});
