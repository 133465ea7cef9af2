// Revalidating a page costs one Redis command, on every store and on a real cluster; the tag changes with every write
// and removal, and by itself when a post on the page expires; CDN lifetimes never run past that expiry.
import type { Cluster, Redis } from "ioredis";
import { beforeEach, describe, expect, it } from "vitest";
import * as feedItem from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import * as people from "../../api/feed/people.js";
import { INDEX_KEY } from "../../lib/feed/keys.js";
import { parsePageTags } from "../../lib/feed/page-tag.js";
import type { Post } from "../../lib/schemas.js";
import { MemoryStore } from "../../lib/store/memory-store.js";
import { type StoreCase, useRedisStoreCases } from "../support/redis-adapters.js";
import { jsonRequest, publish, tokenFor, useTestApp } from "../support/test-app.js";

const TTL_SECONDS = 3600;
const cases: StoreCase[] = [
  { name: "in-process", create: () => new MemoryStore(), raw: null, reset: async () => {} },
  ...useRedisStoreCases(2000),
];

/** Every node that serves commands: the server itself, or each master of a cluster. */
function servers(raw: Redis | Cluster): Redis[] {
  return "nodes" in raw && typeof raw.nodes === "function" ? raw.nodes("master") : [raw as Redis];
}

// Commands no feed request sends: INFO and CONFIG are this test reading and resetting the counts; REPLCONF and PSYNC
// are a replica acknowledging its master (once a second, so one may land inside the measured span); CLUSTER is the
// cluster client's own periodic slot refresh. PING stays counted: a feed request that pinged would be a second command.
const NOT_FEED_COMMANDS = new Set(["info", "config", "replconf", "psync", "cluster"]);

/** Commands the servers ran or refused since the last reset, by name, leaving out {@link NOT_FEED_COMMANDS}. */
async function commandsSince(raw: Redis | Cluster): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const server of servers(raw)) {
    const stats = (await server.info("commandstats")).matchAll(
      /^cmdstat_([^:|]+)[^:]*:calls=(\d+),.*rejected_calls=(\d+)/gm,
    );
    for (const [, name, calls, rejected] of stats) {
      if (NOT_FEED_COMMANDS.has(name)) continue;
      counts[name] = (counts[name] ?? 0) + Number(calls) + Number(rejected);
    }
  }
  return counts;
}

describe.each(cases)("revalidating a page: $name", ({ create, raw, reset }) => {
  let ctx: ReturnType<typeof useTestApp>;

  beforeEach(async () => {
    await reset();
    ctx = useTestApp({ RATE_LIMIT: "off", FEED_TTL_SECONDS: String(TTL_SECONDS) }, { store: create() });
    ctx.clock.now = Date.now();
  });

  const get = (path: string, tag?: string) => {
    const route = path.startsWith("/api/feed/people") ? people : feed;
    const headers: Record<string, string> = tag ? { "if-none-match": tag } : {};
    return route.GET(jsonRequest(path, "GET", undefined, undefined, headers));
  };
  const tagOf = async (path: string) => {
    const response = await get(path);
    expect(response.status).toBe(200);
    return response.headers.get("etag") as string;
  };

  it.each(["/api/feed", "/api/feed?limit=2", "/api/feed?author=ann", "/api/feed/people"])(
    "answers a matching If-None-Match with a bodiless 304 after one Redis command: %s",
    async (path) => {
      for (const user of ["ann", "bob", "ann"]) await publish(ctx, user);
      await get(path); // the first read of a fresh Redis completes its index (a rebuild, which changes the version)
      const tag = await tagOf(path);
      if (raw) for (const server of servers(raw())) await server.config("RESETSTAT");
      const again = await get(path, tag);
      expect(again.status).toBe(304);
      expect(await again.text()).toBe("");
      expect(again.headers.get("etag")).toBe(tag);
      // One read of the version: GET on a cluster, MGET of that one key on one node (getValues' command there).
      if (raw) expect(Object.entries(await commandsSince(raw()))).toEqual([[expect.stringMatching(/^m?get$/), 1]]);
    },
  );

  it("revalidates a cursor page the same way", async () => {
    for (const user of ["ann", "bob", "cat"]) await publish(ctx, user);
    const first = await (await get("/api/feed?limit=2")).json();
    const path = `/api/feed?limit=2&cursor=${first.nextCursor}`;
    expect((await get(path, await tagOf(path))).status).toBe(304);
  });

  it("changes the tag with every publish and every removal", async () => {
    const post: Post = await publish(ctx, "ann");
    const tag = await tagOf("/api/feed");
    await publish(ctx, "bob");
    expect((await get("/api/feed", tag)).status).toBe(200);
    const afterPost = await tagOf("/api/feed");
    const token = await tokenFor("ann", "name-ann");
    expect((await feedItem.DELETE(jsonRequest(`/api/feed/${post.id}`, "DELETE", undefined, token))).status).toBe(204);
    expect((await get("/api/feed", afterPost)).status).toBe(200);
    expect((await get("/api/feed/people", afterPost)).status).toBe(200); // another read's tag never matches
  });

  it("changes the tag when a post on the page expires, without any write", async () => {
    const old = await publish(ctx, "ann");
    ctx.clock.now += 30 * 60_000;
    const fresh = await publish(ctx, "bob");
    const tag = await tagOf("/api/feed");
    ctx.clock.now = Date.parse(old.createdAt) + TTL_SECONDS * 1000 + 1; // ann's post is gone; nothing was written
    const after = await get("/api/feed", tag);
    expect(after.status).toBe(200);
    expect((await after.json()).items.map((p: Post) => p.id)).toEqual([fresh.id]);
  });

  it("lets a page's tag run out within twice the Redis timeout while a post it lists is still on its way", async () => {
    if (!raw) return; // only Redis can hold an index entry whose post is not written yet (a cluster's first step)
    await publish(ctx, "ann");
    await get("/api/feed"); // the first read of a fresh Redis completes its index
    const now = ctx.clock.now;
    await raw().zadd(INDEX_KEY, now, "iOnItsWay00000000000"); // indexed, not yet written
    const response = await get("/api/feed");
    const tag = parsePageTags(response.headers.get("etag"))[0];
    expect(tag.changesAt).toBe(now + 2 * 2000);
    expect(response.headers.get("cdn-cache-control")).toBe("max-age=4");
    ctx.clock.now = now + 2 * 2000 + 1; // the post has landed or never will: the next revalidation reads the page
    expect((await get("/api/feed", response.headers.get("etag") as string)).status).toBe(200);
  });

  it("keeps a page in a CDN no longer than until its next expiry, stale window included", async () => {
    const post = await publish(ctx, "ann");
    const response = await get("/api/feed");
    // Far from any expiry: the configured 6 s, and 4 s stale.
    expect(response.headers.get("cdn-cache-control")).toBe("max-age=6, stale-while-revalidate=4");
    expect(response.headers.get("vercel-cdn-cache-control")).toBe("max-age=6, stale-while-revalidate=4");
    expect(response.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=6, stale-while-revalidate=4");
    ctx.clock.now = Date.parse(post.createdAt) + TTL_SECONDS * 1000 - 8_500; // 8.5 s before it expires
    const near = await get("/api/feed");
    expect(near.headers.get("cdn-cache-control")).toBe("max-age=6, stale-while-revalidate=2");
    ctx.clock.now = Date.parse(post.createdAt) + TTL_SECONDS * 1000 - 3_500;
    const nearer = await get("/api/feed");
    expect(nearer.headers.get("cdn-cache-control")).toBe("max-age=3");
    expect(nearer.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=3");
    // It leaves the page within the second, shorter than any CDN lifetime: the page is answered as it will be after,
    // so a CDN can keep it (the post goes up to a second early, never late).
    ctx.clock.now = Date.parse(post.createdAt) + TTL_SECONDS * 1000 - 500;
    const after = await get("/api/feed");
    expect((await after.json()).items).toEqual([]);
    expect(after.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=6, stale-while-revalidate=4");
  });
});
