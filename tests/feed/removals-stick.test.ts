// Removals that stick, on real Redis (one node through ioredis and Upstash REST, and a 3-master cluster): a cleanup
// racing a publish, takedowns of posts their authors already removed, re-uploads of removed uploads, and refused
// publishes that would leave ghosts in the index. msw stands in for Cloudinary's Admin API.
import { HttpResponse, http } from "msw";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import * as cleanupRoute from "../../api/admin/media-cleanup.js";
import * as takedownRoute from "../../api/admin/posts/[id].js";
import * as feedItem from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import { INDEX_KEY, postKey, tombstoneKey } from "../../lib/feed/keys.js";
import { tombstoneTtlSeconds } from "../../lib/feed/posts.js";
import type { Post } from "../../lib/schemas.js";
import { adminAppOn } from "../support/admin-on-redis.js";
import type { FakeCloudinary } from "../support/fake-cloudinary-admin.js";
import { ADMIN_TOKEN } from "../support/media-cleanup-fixtures.js";
import { useMswServer } from "../support/msw-server.js";
import { useRedisStoreCases } from "../support/redis-adapters.js";
import { jsonRequest, signedUpload, tokenFor, type useTestApp } from "../support/test-app.js";

const server = useMswServer();
const cases = useRedisStoreCases(2000);

afterEach(() => vi.restoreAllMocks());

describe.each(cases)("removals stick: $name", ({ create, raw, reset }) => {
  let ctx: ReturnType<typeof useTestApp>;
  let cloudinary: FakeCloudinary;
  let token: string;

  beforeEach(async () => {
    await reset();
    ({ ctx, cloudinary } = adminAppOn(server, create()));
    token = await tokenFor("alice");
  });

  const upload = () => signedUpload(ctx, token);
  const publish = (signed: unknown, text = "hi") =>
    feed.POST(jsonRequest("/api/feed", "POST", { text, upload: signed }, token));
  const cleanup = (publicIds: string[]) =>
    cleanupRoute.POST(jsonRequest("/api/admin/media-cleanup", "POST", { publicIds, dryRun: false }, ADMIN_TOKEN));
  const takedown = (id: string, query = "") =>
    takedownRoute.DELETE(jsonRequest(`/api/admin/posts/${id}${query}`, "DELETE", undefined, ADMIN_TOKEN));
  /** Five live posts a millisecond apart; their ids as the first page lists them, newest first. */
  const postFive = async (): Promise<string[]> => {
    const live: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const post: Post = await (await publish(await upload())).json();
      live.unshift(post.id);
      ctx.clock.now += 1;
    }
    return live;
  };
  const page = async (limit: number): Promise<string[]> =>
    (await (await feed.GET(jsonRequest(`/api/feed?limit=${limit}`, "GET"))).json()).items.map((p: Post) => p.id);
  const idOf = (publicId: string) => publicId.split("/").pop() as string;
  const mediaOf = (publicId: string) => ({ publicId, type: "image" as const, createdAt: new Date().toISOString() });

  it("never deletes the media of a post published while the cleanup waits on Cloudinary: that publish gets 410", async () => {
    const signed = await upload();
    cloudinary.add(mediaOf(signed.public_id));
    // The publish lands while the cleanup looks the media up on Cloudinary (its slow step), after every Redis check
    // a cleanup that marked last would have made.
    let raced: Response | undefined;
    server.use(
      http.get(/\/resources\/image\/upload/, async () => {
        raced ??= await publish(signed);
        return undefined; // on to the stand-in's own answer
      }),
    );
    const body = await (await cleanup([signed.public_id])).json();
    expect(raced?.status).toBe(410);
    expect(body.results).toEqual([{ publicId: signed.public_id, status: "deleted", resourceType: "image" }]);
    expect(await ctx.app.feed.store.getValues([postKey(idOf(signed.public_id))])).toEqual([null]);
    expect(await page(10)).toEqual([]);
  });

  it("keeps a post published before the cleanup, and a retry of that publish still answers 200 with it", async () => {
    const signed = await upload();
    const first = await publish(signed);
    expect(first.status).toBe(201);
    cloudinary.add(mediaOf(signed.public_id));
    const body = await (await cleanup([signed.public_id])).json();
    expect(body.results).toEqual([{ publicId: signed.public_id, status: "skipped_live" }]);
    expect(cloudinary.has("image", signed.public_id)).toBe(true);
    const retry = await publish(signed, "a retry");
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual(await first.json());
  });

  it("deletes the media with ?media=delete after the author already deleted the post, and says so", async () => {
    const signed = await upload();
    const post: Post = await (await publish(signed)).json();
    cloudinary.add(mediaOf(post.cloudinaryPublicId));
    const own = await feedItem.DELETE(jsonRequest(`/api/feed/${post.id}`, "DELETE", undefined, token));
    expect(own.status).toBe(204);
    const log = vi.spyOn(console, "log").mockImplementation(() => {});
    const response = await takedown(post.id, "?media=delete");
    expect(response.status).toBe(204);
    expect(cloudinary.has("image", post.cloudinaryPublicId)).toBe(false);
    // Cloudinary is asked to purge its CDN copies too.
    expect(cloudinary.deletes().map(({ ids, invalidate }) => ({ ids, invalidate }))).toEqual([
      { ids: [post.cloudinaryPublicId], invalidate: true },
    ]);
    const audit = log.mock.calls.map(([line]) => JSON.parse(String(line))).find((l) => l.event === "post_takedown");
    expect(audit).toMatchObject({ postId: post.id, alreadyRemoved: true, media: "deleted" });
    expect(audit.requestId).toBe(response.headers.get("x-request-id"));
  });

  it("keeps a removed upload unpublishable for the signature's lifetime plus the publish age limit", async () => {
    const signed = await upload();
    const post: Post = await (await publish(signed)).json();
    expect((await feedItem.DELETE(jsonRequest(`/api/feed/${post.id}`, "DELETE", undefined, token))).status).toBe(204);
    // The signed fields can upload a new version for an hour, and that version can be posted for an hour more.
    expect(tombstoneTtlSeconds(ctx.config.feedTtlSeconds)).toBeGreaterThanOrEqual(3600 + 3600);
    const ttl = await raw?.().ttl(tombstoneKey(post.id));
    expect(ttl).toBeGreaterThan(tombstoneTtlSeconds(ctx.config.feedTtlSeconds) - 5);
    expect((await publish(signed)).status).toBe(410);
  });

  it("leaves no index entry for a refused publish: 30 attempts of removed uploads keep the first page full", async () => {
    const live = await postFive();
    const removed = await upload();
    const gone: Post = await (await publish(removed)).json();
    await feedItem.DELETE(jsonRequest(`/api/feed/${gone.id}`, "DELETE", undefined, token));
    for (let i = 0; i < 30; i += 1) {
      ctx.clock.now += 1; // each attempt newer than every live post
      expect((await publish(removed)).status).toBe(410);
    }
    expect(await raw?.().zscore(INDEX_KEY, gone.id)).toBeNull();
    expect(await page(5)).toEqual(live);
  });

  it("fills the first page past stale index entries whose posts are gone, however many come first", async () => {
    const live = await postFive();
    // Entries newer than every live post, with no post behind them (a write that failed half-way, say).
    const ghosts = Array.from({ length: 60 }, (_, i) => [
      ctx.clock.now + 1000 + i,
      `ghost${String(i).padStart(8, "0")}`,
    ]);
    await raw?.().zadd(INDEX_KEY, ...ghosts.flat());
    const response = await feed.GET(jsonRequest("/api/feed?limit=5", "GET"));
    const body = await response.json();
    expect(body.items.map((p: Post) => p.id)).toEqual(live);
    expect(response.headers.get("cache-control")).toContain("public");
  });

  it("answers 409 and deletes nothing when a removed post's media is not known (a tombstone from before)", async () => {
    const signed = await upload();
    const post: Post = await (await publish(signed)).json();
    await feedItem.DELETE(jsonRequest(`/api/feed/${post.id}`, "DELETE", undefined, token));
    await raw?.().set(tombstoneKey(post.id), "1", "EX", 60); // what tombstones held before they named their media
    server.use(http.delete(/\/resources\//, () => HttpResponse.json({}, { status: 500 })));
    const response = await takedown(post.id, "?media=delete");
    expect(response.status).toBe(409);
    expect((await response.json()).error.code).toBe("media_unknown");
  });
});
