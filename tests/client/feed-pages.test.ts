// The browser client's paging against msw: following cursors, people and their posts, a watch that keeps older pages,
// and the lifetime learnt from the pages themselves.
import { HttpResponse, http } from "msw";
import { describe, expect, it, vi } from "vitest";
import type { Post } from "../../lib/schemas.js";
import { API, clientFor, makePost, useClientServer } from "../support/feed-client-fixtures.js";

const server = useClientServer();

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();
/** Post n, created n minutes ago: a larger n is older. */
const postNo = (n: number, overrides: Partial<Post> = {}) =>
  makePost({ id: `post${String(n).padStart(8, "0")}`, createdAt: minutesAgo(n), ...overrides });

/** Answers GET /api/feed from a list of posts in pages of `limit`, the cursor being the next index; records queries. */
function pagedFeed(posts: () => Post[], ttlSeconds = 3600) {
  const queries: Record<string, string>[] = [];
  server.use(
    http.get(`${API}/api/feed`, ({ request }) => {
      const params = Object.fromEntries(new URL(request.url).searchParams);
      queries.push(params);
      const limit = Number(params.limit ?? 20);
      const start = Number(params.cursor ?? 0);
      const all = posts().filter((post) => !params.author || post.userId === params.author);
      const items = all.slice(start, start + limit);
      const nextCursor = start + limit < all.length ? String(start + limit) : null;
      return HttpResponse.json({ items, nextCursor, ttlSeconds }, { headers: { ETag: `"${all.length}-${start}"` } });
    }),
  );
  return queries;
}

describe("paging", () => {
  it("follows nextCursor through every page, sending only limit, cursor and author", async () => {
    const posts = [1, 2, 3, 4, 5].map((n) => postNo(n));
    const queries = pagedFeed(() => posts);
    const seen: string[][] = [];
    for await (const page of clientFor().pages({ limit: 2 })) seen.push(page.items.map((post) => post.id));
    expect(seen).toEqual([[posts[0].id, posts[1].id], [posts[2].id, posts[3].id], [posts[4].id]]);
    expect(queries).toEqual([{ limit: "2" }, { limit: "2", cursor: "2" }, { limit: "2", cursor: "4" }]);
  });

  it("reads one person's posts with author=, and people from /api/feed/people", async () => {
    const queries = pagedFeed(() => [postNo(1), postNo(2, { userId: "u2", username: "Grace" }), postNo(3)]);
    const page = await clientFor().postsBy("u2", { limit: 5 });
    expect(page.items.map((post) => post.username)).toEqual(["Grace"]);
    expect(queries).toEqual([{ author: "u2", limit: "5" }]);

    const person = { userId: "u2", username: "Grace", postCount: 1, latest: postNo(2) };
    let peopleQuery: Record<string, string> = {};
    server.use(
      http.get(`${API}/api/feed/people`, ({ request }) => {
        peopleQuery = Object.fromEntries(new URL(request.url).searchParams);
        return HttpResponse.json({ items: [person], nextCursor: null, ttlSeconds: 3600 });
      }),
    );
    expect(await clientFor().people({ limit: 10, cursor: "p1" })).toEqual({
      items: [person],
      nextCursor: null,
      ttlSeconds: 3600,
    });
    expect(peopleQuery).toEqual({ limit: "10", cursor: "p1" });
  });
});

describe("watch with loadMore", () => {
  it("loads older pages on request and keeps them while the first page stays live", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let posts = [1, 2, 3, 4, 5].map((n) => postNo(n));
    const queries = pagedFeed(() => posts);
    const calls: { ids: string[]; hasMore: boolean }[] = [];
    const watch = clientFor().watch(
      (items, state) => calls.push({ ids: items.map((p) => p.id), hasMore: state.hasMore }),
      {
        intervalMs: 1000,
        limit: 2,
      },
    );
    await vi.advanceTimersByTimeAsync(10);
    expect(calls.at(-1)).toEqual({ ids: [posts[0].id, posts[1].id], hasMore: true });
    expect(watch.hasMore()).toBe(true);

    // Two calls at once share one request.
    const [more] = await Promise.all([watch.loadMore(), watch.loadMore()]);
    expect(more).toBe(true);
    expect(calls.at(-1)?.ids).toEqual(posts.slice(0, 4).map((p) => p.id));

    // A new post arrives: the polled first page changes, the older pages already loaded stay.
    posts = [postNo(0.5), ...posts];
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.at(-1)?.ids).toEqual(posts.slice(0, 5).map((p) => p.id));

    // A post deleted from the first page's range leaves; the rest of the loaded posts stay.
    const deleted = posts[1];
    posts = posts.filter((post) => post !== deleted);
    await vi.advanceTimersByTimeAsync(1000);
    expect(calls.at(-1)?.ids).toEqual([posts[0], posts[1], posts[2], posts[3]].map((p) => p.id));

    expect(await watch.loadMore()).toBe(false);
    watch.stop();
    expect(calls.at(-1)).toEqual({ ids: posts.map((p) => p.id), hasMore: false });
    expect(queries.filter((query) => query.cursor).map((query) => query.cursor)).toEqual(["2", "4"]);
    // The polls ask for the first page only.
    expect(queries.filter((query) => !query.cursor).every((query) => query.limit === "2")).toBe(true);
  });

  it("learns the lifetime from the page itself: no extra request, and posts past it are dropped", async () => {
    // Made once: postNo dates a post from the clock, so a second call could be a millisecond later.
    const [one, three] = [postNo(1), postNo(3)];
    const queries = pagedFeed(() => [one, three], 120);
    const client = clientFor();
    const { posts, ttlSeconds } = await new Promise<{ posts: Post[]; ttlSeconds: number }>((resolve) => {
      const watch = client.watch((items, state) => {
        watch.stop();
        resolve({ posts: items, ttlSeconds: state.ttlSeconds });
      });
    });
    expect(ttlSeconds).toBe(120);
    expect(client.ttlSeconds()).toBe(120);
    expect(posts.map((post) => post.id)).toEqual([one.id]);
    expect(client.expiresAt(one)).toBe(Date.parse(one.createdAt) + 120_000);
    expect(queries).toHaveLength(1);
  });
});

describe("reading one's own writes", () => {
  it("sends a write's Feed-Sync-Token back as sync on reads for 10 s after it, then stops", async () => {
    const queries = pagedFeed(() => [postNo(1)]);
    server.use(
      http.delete(
        `${API}/api/feed/:id`,
        () => new HttpResponse(null, { status: 204, headers: { "Feed-Sync-Token": "t-1" } }),
      ),
    );
    const client = clientFor({ getToken: () => "a-token" });
    await client.list();
    await client.remove(postNo(1).id);
    await client.list();
    const later = vi.spyOn(Date, "now").mockReturnValue(Date.now() + 10_001);
    try {
      await client.list();
    } finally {
      later.mockRestore();
    }
    expect(queries.map((query) => query.sync)).toEqual([undefined, "t-1", undefined]);
  });
});
