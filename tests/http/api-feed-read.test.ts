// The feed's read and delete contract, and what every route shares, through the exported handlers on the in-process
// store.
import { beforeEach, describe, expect, it } from "vitest";
import * as feedItem from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import type { MediaType, Post } from "../../lib/schemas.js";
import { rebuildLease } from "../support/store-fixtures.js";
import { jsonRequest, publish as publishAt, tokenFor, useTestApp } from "../support/test-app.js";

let ctx: ReturnType<typeof useTestApp>;
beforeEach(() => {
  ctx = useTestApp();
});

const publish = (userId: string, text?: string, mediaType?: MediaType) => publishAt(ctx, userId, text, mediaType);

describe("GET /api/feed", () => {
  it("lists live posts newest first, pages with an opaque cursor, and drops posts once their hour is up", async () => {
    const first = await publish("alice", "first");
    ctx.clock.now += 60_000;
    const second = await publish("bob", "second");
    const page1 = await (await feed.GET(jsonRequest("/api/feed?limit=1", "GET"))).json();
    expect(page1.items.map((p: Post) => p.id)).toEqual([second.id]);
    const page2 = await (await feed.GET(jsonRequest(`/api/feed?limit=1&cursor=${page1.nextCursor}`, "GET"))).json();
    expect(page2).toEqual({ items: [first], nextCursor: null, ttlSeconds: 3600 });
    ctx.clock.now += 3600_000 - 60_000;
    expect((await (await feed.GET(jsonRequest("/api/feed", "GET"))).json()).items.map((p: Post) => p.id)).toEqual([
      second.id,
    ]);
  });

  it("says how long posts live, from FEED_TTL_SECONDS, so clients never hard-code an hour", async () => {
    ctx = useTestApp({ FEED_TTL_SECONDS: "120" });
    const body = await (await feed.GET(jsonRequest("/api/feed", "GET"))).json();
    expect(body).toEqual({ items: [], nextCursor: null, ttlSeconds: 120 });
  });

  it("sends an ETag and CDN caching, and answers 304 when nothing changed", async () => {
    await publish("alice");
    const response = await feed.GET(jsonRequest("/api/feed", "GET"));
    const etag = response.headers.get("etag") ?? "";
    expect(etag).toMatch(/^".+"$/);
    expect(response.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=6, stale-while-revalidate=4");
    const notModified = await feed.GET(
      jsonRequest("/api/feed", "GET", undefined, undefined, { "if-none-match": etag }),
    );
    expect(notModified.status).toBe(304);
    expect(await notModified.text()).toBe("");
    await publish("bob");
    expect(
      (await feed.GET(jsonRequest("/api/feed", "GET", undefined, undefined, { "if-none-match": etag }))).status,
    ).toBe(200);
  });

  it("never lets a CDN keep a page read while a lost index is being rebuilt", async () => {
    const post = await publish("alice"); // nothing has checked the index against the posts yet
    // Another reader holds the rebuild: this one serves what the index has, and says it may be incomplete.
    expect((await ctx.store.claimRebuild(rebuildLease("another-reader", 5000))).claimed).toBe(true);
    const during = await feed.GET(jsonRequest("/api/feed", "GET"));
    expect(during.status).toBe(200);
    expect(during.headers.get("cache-control")).toBe("private, no-store");
    expect((await during.json()).items.map((p: Post) => p.id)).toEqual([post.id]);
    ctx.clock.now += 6000; // that reader's lease lapses, and the next read completes the index
    const after = await feed.GET(jsonRequest("/api/feed", "GET"));
    expect(after.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=6, stale-while-revalidate=4");
  });

  it("requires a token and is never shared by caches when reading is configured to need one", async () => {
    ctx = useTestApp({ FEED_READ_REQUIRES_AUTH: "true" });
    expect((await feed.GET(jsonRequest("/api/feed", "GET"))).status).toBe(401);
    const response = await feed.GET(jsonRequest("/api/feed", "GET", undefined, await tokenFor("alice")));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
  });

  // Each of these would read as a valid limit if coerced, and so be a free cache-busting variant of the same page.
  it.each(["limit=05", "limit=0x5", "limit=1e2", "limit=%2B5", "limit=%205", "limit=5%20", "limit=5.0", "limit="])(
    "answers 400 invalid_request to a limit written other than as a plain decimal: %s",
    async (query) => {
      const response = await feed.GET(jsonRequest(`/api/feed?${query}`, "GET"));
      expect(response.status).toBe(400);
      expect((await response.json()).error).toMatchObject({ code: "invalid_request", message: /^limit: / });
    },
  );

  // The CDN keys pages by their whole URL: a parameter the API ignores would buy a fresh, uncached read.
  it.each([
    ["an unknown parameter", "limit=5&x=1", /^query: unknown parameter x/],
    ["a cache-buster", "_=1712345678", /^query: unknown parameter _/],
    ["an unknown parameter named __proto__", "__proto__=x", /^query: unknown parameter __proto__/],
    ["a parameter given twice", "limit=5&limit=5", /^limit: given more than once/],
  ])("answers 400 invalid_request to %s", async (_, query, message) => {
    const response = await feed.GET(jsonRequest(`/api/feed?${query}`, "GET"));
    expect(response.status).toBe(400);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect((await response.json()).error).toMatchObject({ code: "invalid_request", message });
  });

  it.each(["limit=1", "limit=5", "limit=100"])("accepts %s", async (query) => {
    expect((await feed.GET(jsonRequest(`/api/feed?${query}`, "GET"))).status).toBe(200);
  });

  it.each(["limit=0", "limit=101", "limit=abc", "cursor=bm9wZQ", "cursor=%00"])(
    "answers 400, not 500, to %s",
    async (query) => {
      const response = await feed.GET(jsonRequest(`/api/feed?${query}`, "GET"));
      expect(response.status).toBe(400);
      expect((await response.json()).error.code).toMatch(/^invalid_/);
    },
  );
});

describe("DELETE /api/feed/<id>", () => {
  it("lets the author remove their post early, and nobody else", async () => {
    const post = await publish("alice");
    const other = await feedItem.DELETE(
      jsonRequest(`/api/feed/${post.id}`, "DELETE", undefined, await tokenFor("bob")),
    );
    expect(other.status).toBe(403);
    const own = await feedItem.DELETE(
      jsonRequest(`/api/feed/${post.id}`, "DELETE", undefined, await tokenFor("alice")),
    );
    expect(own.status).toBe(204);
    expect((await (await feed.GET(jsonRequest("/api/feed", "GET"))).json()).items).toEqual([]);
    const gone = await feedItem.DELETE(
      jsonRequest(`/api/feed/${post.id}`, "DELETE", undefined, await tokenFor("alice")),
    );
    expect(gone.status).toBe(404);
  });

  it("also finds the id where Vercel's route for [id] passes it, as ?id=", async () => {
    const post = await publish("alice");
    const request = jsonRequest(`/api/feed/[id]?id=${post.id}`, "DELETE", undefined, await tokenFor("alice"));
    expect((await feedItem.DELETE(request)).status).toBe(204);
  });
});

describe("every route", () => {
  it.each([
    [feed, "/api/feed", "PUT", "GET, HEAD, POST, OPTIONS"],
    [uploadSignature, "/api/feed/upload-signature", "GET", "POST, OPTIONS"],
    [feedItem, "/api/feed/abcdefghijklmnopqrstu", "POST", "DELETE, OPTIONS"],
  ] as const)("answers a wrong method with a JSON 405 and Allow (%s %s)", async (module, path, method, allow) => {
    const response = await module[method](jsonRequest(path, method));
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe(allow);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect((await response.json()).error.code).toBe("method_not_allowed");
  });
});
