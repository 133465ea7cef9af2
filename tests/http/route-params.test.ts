// The id a dynamic route acts on is the one in its path: a `?id=` added by the caller never redirects it.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as takedownRoute from "../../api/admin/posts/[id].js";
import * as feedItem from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import type { Post } from "../../lib/schemas.js";
import { ADMIN_TOKEN } from "../support/media-cleanup-fixtures.js";
import { jsonRequest, publish, tokenFor, useTestApp } from "../support/test-app.js";

let ctx: ReturnType<typeof useTestApp>;
let first: Post;
let second: Post;
beforeEach(async () => {
  ctx = useTestApp({ ADMIN_TOKEN, RATE_LIMIT: "off" });
  first = await publish(ctx, "alice", "first");
  second = await publish(ctx, "alice", "second");
  vi.spyOn(console, "log").mockImplementation(() => {}); // the takedown's audit line
});
afterEach(() => vi.restoreAllMocks());

const listed = async () =>
  (await (await feed.GET(jsonRequest("/api/feed", "GET"))).json()).items.map((post: Post) => post.id).sort();
const takedown = (path: string) =>
  takedownRoute.DELETE(jsonRequest(`/api/admin/posts/${path}`, "DELETE", undefined, ADMIN_TOKEN));
const deleteOwn = async (path: string) =>
  feedItem.DELETE(jsonRequest(`/api/feed/${path}`, "DELETE", undefined, await tokenFor("alice", "name-alice")));

describe.each([
  ["DELETE /api/admin/posts/<id>", takedown],
  ["DELETE /api/feed/<id>", deleteOwn],
])("%s", (_, remove) => {
  it("acts on the path's id when the query names another post", async () => {
    expect((await remove(`${first.id}?id=${second.id}`)).status).toBe(204);
    expect(await listed()).toEqual([second.id]);
  });

  it("answers 404 to an id-less path, whatever the query names", async () => {
    expect((await remove(`?id=${second.id}`)).status).toBe(404);
    expect(await listed()).toEqual([first.id, second.id].sort());
  });

  it("takes the query's id only when the path is the route's own file path, and only a single one", async () => {
    expect((await remove(`[id]?id=${first.id}&id=${second.id}`)).status).toBe(404);
    expect((await remove(`[id]?id=${first.id}`)).status).toBe(204);
    expect(await listed()).toEqual([second.id]);
    expect((await remove(`%5Bid%5D?id=${second.id}`)).status).toBe(204);
    expect(await listed()).toEqual([]);
  });
});
