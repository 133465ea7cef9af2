import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as cleanupRoute from "../../api/admin/media-cleanup.js";
import * as takedownRoute from "../../api/admin/posts/[id].js";
import * as feed from "../../api/feed/index.js";
import { tombstoneKey } from "../../lib/feed/keys.js";
import type { MediaType, Post } from "../../lib/schemas.js";
import { adminAppOn } from "../support/admin-on-redis.js";
import type { FakeCloudinary } from "../support/fake-cloudinary-admin.js";
import { ADMIN_TOKEN } from "../support/media-cleanup-fixtures.js";
import { useMswServer } from "../support/msw-server.js";
import { useRedisAdapters } from "../support/redis-adapters.js";
import { jsonRequest, signedUpload, tokenFor, useTestApp } from "../support/test-app.js";

const server = useMswServer();
const redis = useRedisAdapters(2000);

afterEach(() => vi.restoreAllMocks());

describe.each(redis.adapters)("admin takedown: %s", (_name, createStore) => {
  let ctx: ReturnType<typeof useTestApp>;
  let cloudinary: FakeCloudinary;

  beforeEach(async () => {
    await redis.server().client.flushdb();
    ({ ctx, cloudinary } = adminAppOn(server, createStore()));
  });

  /** Alice posts a photo or a video; its media is on (the stand-in for) Cloudinary. */
  async function alicePosts(mediaType: MediaType = "image") {
    const token = await tokenFor("alice");
    const upload = await signedUpload(ctx, token, mediaType);
    const response = await feed.POST(jsonRequest("/api/feed", "POST", { text: "hi", upload }, token));
    expect(response.status).toBe(201);
    const post: Post = await response.json();
    cloudinary.add({ publicId: post.cloudinaryPublicId, type: mediaType, createdAt: post.createdAt });
    return { post, upload, token };
  }
  const takedown = (id: string, query = "", token: string | undefined = ADMIN_TOKEN) =>
    takedownRoute.DELETE(jsonRequest(`/api/admin/posts/${id}${query}`, "DELETE", undefined, token));
  const listed = async () =>
    (await (await feed.GET(jsonRequest("/api/feed", "GET"))).json()).items.map((p: Post) => p.id);

  it("removes anyone's live post from every page at once, keeps its media, and the upload can never return", async () => {
    const { post, upload, token } = await alicePosts();
    expect(await listed()).toEqual([post.id]);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const response = await takedown(post.id);
    expect(response.status).toBe(204);
    expect(response.headers.get("cache-control")).toBe("no-store");
    expect(await listed()).toEqual([]);
    expect(cloudinary.has("image", post.cloudinaryPublicId)).toBe(true);
    expect(cloudinary.deletes()).toHaveLength(0);
    const again = await feed.POST(jsonRequest("/api/feed", "POST", { text: "back", upload }, token));
    expect(again.status).toBe(410);
    expect(await redis.server().client.exists(tombstoneKey(post.id))).toBe(1);
    const audit = log.mock.calls.map(([line]) => JSON.parse(String(line))).find((l) => l.event === "post_takedown");
    expect(audit).toMatchObject({ postId: post.id, authorId: "alice", alreadyRemoved: false, media: "kept" });
    expect(audit.caller.tokenId).toMatch(/^[0-9a-f]{8}$/);
    expect(Date.parse(audit.at)).toBe(ctx.clock.now);
  });

  it("deletes the media too with ?media=delete, as the type it was posted as", async () => {
    const { post } = await alicePosts("video");
    expect((await takedown(post.id, "?media=delete")).status).toBe(204);
    expect(cloudinary.deletes().map(({ type, ids }) => ({ type, ids }))).toEqual([
      { type: "video", ids: [post.cloudinaryPublicId] },
    ]);
    expect(cloudinary.has("video", post.cloudinaryPublicId)).toBe(false);
    expect(await listed()).toEqual([]);
  });

  it("answers 404 for an unknown id, and 204 again to a retry of a takedown that went through", async () => {
    expect((await takedown("iAAAAAAAAAAAAAAAAAAAAA")).status).toBe(404);
    const { post } = await alicePosts();
    expect((await takedown(post.id)).status).toBe(204);
    expect((await takedown(post.id, "?media=delete")).status).toBe(204);
    expect((await takedown("not a post id")).status).toBe(404);
    expect((await takedown(post.id, "?media=maybe")).status).toBe(400);
  });

  it("refuses a ?media= it cannot read or given twice (400, nothing removed), and ignores other parameters", async () => {
    const { post } = await alicePosts();
    const refusals = [
      ["?media=maybe", "media: must be delete or keep (the default)."],
      ["?media=", "media: must be delete or keep (the default)."],
      ["?media=delete&media=keep", "media: given more than once"],
    ];
    for (const [query, message] of refusals) {
      const refused = await takedown(post.id, query);
      expect(refused.status).toBe(400);
      expect(await refused.json()).toEqual({ error: { code: "invalid_request", message } });
    }
    expect(await listed()).toEqual([post.id]);
    // Vercel passes the path's [id] as ?id= as well; the path decides which post (route-params.test.ts).
    expect((await takedown(post.id, `?id=other&id=${post.id}&note=spam&media=delete`)).status).toBe(204);
    expect(cloudinary.has("image", post.cloudinaryPublicId)).toBe(false);
  });

  it("changes nothing when Cloudinary fails to delete the media (503), so a retry starts over", async () => {
    const { post } = await alicePosts();
    cloudinary.script({ status: 500, method: "DELETE" });
    const failed = await takedown(post.id, "?media=delete");
    expect(failed.status).toBe(503);
    expect(await listed()).toEqual([post.id]);
    expect(await redis.server().client.exists(tombstoneKey(post.id))).toBe(0);
    expect((await takedown(post.id, "?media=delete")).status).toBe(204);
    expect(await listed()).toEqual([]);
  });

  it("keeps an upload whose media the cleanup endpoint deleted from ever being posted (410)", async () => {
    const token = await tokenFor("alice");
    const upload = await signedUpload(ctx, token);
    cloudinary.add({ publicId: upload.public_id, type: "image", createdAt: new Date(ctx.clock.now).toISOString() });
    const body = { publicIds: [upload.public_id], dryRun: false };
    const request = jsonRequest("/api/admin/media-cleanup", "POST", body, ADMIN_TOKEN);
    const cleaned = await (await cleanupRoute.POST(request)).json();
    expect(cleaned.results).toEqual([{ publicId: upload.public_id, status: "deleted", resourceType: "image" }]);
    const published = await feed.POST(jsonRequest("/api/feed", "POST", { text: "dead media", upload }, token));
    expect(published.status).toBe(410);
    expect(await listed()).toEqual([]);
  });

  it("refuses without the admin token (401), with a user's token (403), and while ADMIN_TOKEN is unset (503)", async () => {
    const { post, token } = await alicePosts();
    expect((await takedown(post.id, "", "")).status).toBe(401);
    expect((await takedown(post.id, "", token)).status).toBe(403);
    useTestApp({ RATE_LIMIT: "off" }, { store: ctx.store });
    expect((await takedown(post.id)).status).toBe(503);
    expect(await listed()).toEqual([post.id]);
  });
});
