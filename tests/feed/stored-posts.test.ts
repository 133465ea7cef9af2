// Pages send stored posts as their stored bytes where those are exactly the post's JSON: the body must be, byte for
// byte, what JSON.stringify of the parsed page writes, whatever shape the stored values take.
import fc from "fast-check";
import { beforeEach, describe, expect, it } from "vitest";
import * as feed from "../../api/feed/index.js";
import { postKey } from "../../lib/feed/keys.js";
import { pageJson, readStoredPost } from "../../lib/feed/stored-posts.js";
import { type Post, PostSchema } from "../../lib/schemas.js";
import { useRedisAdapters } from "../support/redis-adapters.js";
import { jsonRequest, publish, useTestApp } from "../support/test-app.js";

const ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-".split("");
const anyText = fc.oneof(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), fc.string());
const anyPost: fc.Arbitrary<Post> = fc.record({
  id: fc.string({ unit: fc.constantFrom(...ID_CHARS), minLength: 10, maxLength: 64 }),
  userId: fc.string({ unit: "binary", minLength: 1 }),
  username: anyText,
  text: anyText,
  mediaUrl: fc.webUrl(),
  mediaType: fc.constantFrom("image" as const, "video" as const),
  cloudinaryPublicId: fc.string({ minLength: 1 }),
  createdAt: fc.date({ min: new Date(0), max: new Date(4e12), noInvalidDate: true }).map((d) => d.toISOString()),
});

/** Ways another writer could store the same post: other key orders, spacing, escapes, and members it does not have. */
function storedForms(post: Post): string[] {
  const canonical = JSON.stringify(post);
  return [
    canonical,
    JSON.stringify(post, null, 2),
    JSON.stringify(Object.fromEntries(Object.entries(post).reverse())),
    JSON.stringify({ ...post, extra: "not part of a post" }),
    canonical.replaceAll("/", "\\/"),
    canonical.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`),
    `{"text":"an earlier text",${canonical.slice(1)}`,
    ` ${canonical}\n`,
  ];
}

describe("readStoredPost", () => {
  it("checks a changed value again: a post overwritten by something that is not one stops being shown", () => {
    const post = fc.sample(anyPost, { numRuns: 1, seed: 7 })[0];
    const stored = JSON.stringify(post);
    expect(readStoredPost(post.id, stored)?.post).toEqual(post);
    for (const foreign of [
      JSON.stringify({ ...post, mediaUrl: "not a url" }),
      JSON.stringify({ ...post, createdAt: "yesterday" }),
      JSON.stringify({ ...post, id: `${post.id}x` }),
      stored.slice(0, -1),
      "{}",
    ]) {
      expect(readStoredPost(post.id, foreign)).toBeNull();
    }
    expect(readStoredPost(post.id, stored)?.post).toEqual(post);
  });
});

describe("pageJson", () => {
  it("writes exactly what JSON.stringify writes, for any page of stored posts in any stored form and other items", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(anyPost, fc.nat(7))),
        fc.array(fc.jsonValue(), { maxLength: 3 }),
        fc.option(fc.string()),
        fc.nat(),
        (posts, others, nextCursor, ttlSeconds) => {
          const items = posts.flatMap(([post, form]) => readStoredPost(post.id, storedForms(post)[form])?.post ?? []);
          expect(items).toHaveLength(posts.length);
          const page = { items: [...items, ...others], nextCursor, ttlSeconds };
          expect(pageJson(page)).toBe(JSON.stringify(page));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("reads a stored post as parsePost does, and only under its own id", () => {
    fc.assert(
      fc.property(anyPost, fc.nat(7), (post, form) => {
        const stored = storedForms(post)[form];
        expect(readStoredPost(post.id, stored)?.post).toEqual(PostSchema.parse(JSON.parse(stored)));
        expect(readStoredPost(`${post.id}x`, stored)).toBeNull();
        // Asked again (now from what was checked before), the same answer.
        expect(readStoredPost(post.id, stored)?.post).toEqual(PostSchema.parse(JSON.parse(stored)));
      }),
    );
  });
});

const redis = useRedisAdapters(2000);

describe.each(redis.adapters)("GET /api/feed on %s", (_, createStore) => {
  beforeEach(() => redis.server().client.flushdb());

  it("sends the same bytes as JSON.stringify of the parsed posts, whatever form each post is stored in", async () => {
    const ctx = useTestApp({}, { store: createStore() });
    const posts = [];
    for (let i = 0; i < 8; i += 1) {
      ctx.clock.now += 1000;
      posts.unshift(await publish(ctx, `user-${i}`, `Café «${i}» 🌅 <b>&</b> \u2028 "quoted" \\ /path/ \t`));
    }
    const forms = posts.map((post, i) => storedForms(post)[i]);
    for (const [i, post] of posts.entries()) await redis.server().client.set(postKey(post.id), forms[i], "KEEPTTL");
    const expected = JSON.stringify({
      items: forms.map((form) => PostSchema.parse(JSON.parse(form))),
      nextCursor: null,
      ttlSeconds: 3600,
    });
    for (let read = 0; read < 2; read += 1) {
      const response = await feed.GET(jsonRequest("/api/feed", "GET"));
      expect(await response.text()).toBe(expected);
    }
  });
});
