// The feed's HTTP contract, through the exported handlers with real Request objects on the in-process store.
import { v2 as cloudinary } from "cloudinary";
import { beforeEach, describe, expect, it } from "vitest";
import * as feedItem from "../api/feed/[id].js";
import * as feed from "../api/feed/index.js";
import * as uploadSignature from "../api/feed/upload-signature.js";
import { ownerFolder } from "../lib/public-id.js";
import type { Post, UploadSignature } from "../lib/schemas.js";
import { rebuildLease } from "./support/store-fixtures.js";
import { API_SECRET, cloudinaryUploadFor, jsonRequest, POST_FIELDS, tokenFor, useTestApp } from "./support/test-app.js";

let ctx: ReturnType<typeof useTestApp>;
beforeEach(() => {
  ctx = useTestApp();
});

async function sign(token: string, mediaType = "image"): Promise<UploadSignature> {
  const response = await uploadSignature.POST(jsonRequest("/api/feed/upload-signature", "POST", { mediaType }, token));
  expect(response.status).toBe(200);
  return response.json();
}

async function publish(userId: string, text = "hello", mediaType = "image"): Promise<Post> {
  const token = await tokenFor(userId, `name-${userId}`);
  const upload = cloudinaryUploadFor(await sign(token, mediaType), Math.floor(ctx.clock.now / 1000));
  const response = await feed.POST(jsonRequest("/api/feed", "POST", { text, upload }, token));
  expect(response.status).toBe(201);
  return response.json();
}

describe("POST /api/feed/upload-signature", () => {
  it("signs server-chosen parameters that Cloudinary's own algorithm accepts, without revealing the secret", async () => {
    const signed = await sign(await tokenFor("alice"), "video");
    expect(signed.uploadUrl).toBe("https://api.cloudinary.com/v1_1/demo/video/upload");
    const { signature, api_key, ...params } = signed.fields;
    expect(api_key).toBe("test-key");
    expect(signature).toBe(cloudinary.utils.api_sign_request(params, API_SECRET));
    expect(params).toMatchObject({ overwrite: "false", allowed_formats: "mp4,webm,mov,m4v", timestamp: "1795694400" });
    // No incoming transformation for videos: Cloudinary would have to transcode them inside the upload request.
    expect(params).not.toHaveProperty("transformation");
    // The post id's first letter records the type it was signed for (Cloudinary's signature does not cover the type).
    expect(params.public_id).toMatch(new RegExp(`^${ownerFolder("feed", "alice")}/v[A-Za-z0-9_-]{21}$`));
    expect(JSON.stringify(signed)).not.toContain(API_SECRET);
  });

  it("signs an incoming transformation that caps stored photos at 2560 px, so the browser cannot drop or change it", async () => {
    const signed = await sign(await tokenFor("alice"), "image");
    const { signature, api_key, ...params } = signed.fields;
    expect(params).toMatchObject({
      allowed_formats: "jpg,jpeg,png,gif,webp,avif,heic",
      transformation: "c_limit,w_2560,h_2560",
    });
    expect(signature).toBe(cloudinary.utils.api_sign_request(params, API_SECRET));
    const { transformation, ...withoutIt } = params;
    expect(cloudinary.utils.api_sign_request(withoutIt, API_SECRET)).not.toBe(signature);
    const enlarged = { ...params, transformation: "c_limit,w_10000,h_10000" };
    expect(cloudinary.utils.api_sign_request(enlarged, API_SECRET)).not.toBe(signature);
  });

  it("needs a token and a known media type", async () => {
    expect(
      (await uploadSignature.POST(jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }))).status,
    ).toBe(401);
    const bad = await uploadSignature.POST(
      jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "raw" }, await tokenFor("a")),
    );
    expect(bad.status).toBe(400);
    expect((await bad.json()).error.code).toBe("invalid_request");
  });
});

describe("POST /api/feed", () => {
  it("stores exactly the documented JSON with the identity from the token and a media URL rebuilt on the server", async () => {
    const post = await publish("alice", "sunset");
    expect(Object.keys(post)).toEqual(POST_FIELDS);
    expect(post).toMatchObject({
      userId: "alice",
      username: "name-alice",
      text: "sunset",
      mediaType: "image",
      createdAt: "2026-11-26T12:00:00.000Z",
    });
    expect(post.mediaUrl).toBe(
      `https://res.cloudinary.com/demo/image/upload/v1795694400/${post.cloudinaryPublicId}.jpg`,
    );
    const [stored] = await ctx.store.getValues([`feed:${post.id}`]);
    expect(stored).toBe(JSON.stringify(post));
  });

  it("ignores a userId or username sent in the body", async () => {
    const token = await tokenFor("alice", "Alice");
    const upload = cloudinaryUploadFor(await sign(token), Math.floor(ctx.clock.now / 1000));
    const response = await feed.POST(
      jsonRequest("/api/feed", "POST", { text: "x", upload, userId: "mallory", username: "Mallory" }, token),
    );
    expect(await response.json()).toMatchObject({ userId: "alice", username: "Alice" });
  });

  it("refuses an upload whose Cloudinary signature does not verify", async () => {
    const token = await tokenFor("alice");
    const upload = { ...cloudinaryUploadFor(await sign(token), Math.floor(ctx.clock.now / 1000)), version: 1795694401 };
    const response = await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_upload");
  });

  it("refuses an upload signed for another user", async () => {
    const upload = cloudinaryUploadFor(await sign(await tokenFor("alice")), Math.floor(ctx.clock.now / 1000));
    const response = await feed.POST(jsonRequest("/api/feed", "POST", { upload }, await tokenFor("mallory")));
    expect(response.status).toBe(403);
    expect(await ctx.store.getValues([`feed:${upload.public_id.split("/").pop()}`])).toEqual([null]);
  });

  it("refuses an upload older than a signature's lifetime", async () => {
    const token = await tokenFor("alice");
    const upload = cloudinaryUploadFor(await sign(token), Math.floor(ctx.clock.now / 1000) - 3601);
    const response = await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("upload_expired");
  });

  it("refuses an upload signed as an image but presented as a video", async () => {
    const token = await tokenFor("alice");
    const upload = {
      ...cloudinaryUploadFor(await sign(token, "image"), Math.floor(ctx.clock.now / 1000), "mp4"),
      resource_type: "video",
    };
    const response = await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token));
    expect(response.status).toBe(400);
    expect((await response.json()).error.message).toBe("This upload was not signed as a video.");
  });

  it("refuses a format the media type cannot have (those two fields are not covered by Cloudinary's signature)", async () => {
    const token = await tokenFor("alice");
    const upload = cloudinaryUploadFor(await sign(token), Math.floor(ctx.clock.now / 1000), "html");
    const response = await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_upload");
  });

  it("keeps an upload from being posted again once its post has expired, even with a TTL under an hour", async () => {
    ctx = useTestApp({ FEED_TTL_SECONDS: "60" });
    const token = await tokenFor("alice");
    const upload = cloudinaryUploadFor(await sign(token), Math.floor(ctx.clock.now / 1000));
    expect((await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token))).status).toBe(201);
    ctx.clock.now += 61_000;
    const again = await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token));
    expect(again.status).toBe(400);
    expect((await again.json()).error.code).toBe("upload_expired");
  });

  it("answers a retry of the same upload with the stored post (200), creating nothing new", async () => {
    const token = await tokenFor("alice");
    const upload = cloudinaryUploadFor(await sign(token), Math.floor(ctx.clock.now / 1000));
    const first = await feed.POST(jsonRequest("/api/feed", "POST", { text: "one", upload }, token));
    expect(first.status).toBe(201);
    ctx.clock.now += 1500; // a retry a little later, with another caption: the stored post wins
    const again = await feed.POST(jsonRequest("/api/feed", "POST", { text: "two", upload }, token));
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual(await first.json());
    const page = await (await feed.GET(jsonRequest("/api/feed", "GET"))).json();
    expect(page.items.map((p: Post) => p.text)).toEqual(["one"]);
  });

  it("refuses to publish an upload again (410) once its author deleted the post", async () => {
    const token = await tokenFor("alice");
    const upload = cloudinaryUploadFor(await sign(token), Math.floor(ctx.clock.now / 1000));
    const { id } = await (await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token))).json();
    expect((await feedItem.DELETE(jsonRequest(`/api/feed/${id}`, "DELETE", undefined, token))).status).toBe(204);
    const again = await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token));
    expect(again.status).toBe(410);
    expect((await again.json()).error.code).toBe("upload_removed");
    expect((await (await feed.GET(jsonRequest("/api/feed", "GET"))).json()).items).toEqual([]);
  });

  it("answers 401 without a token and stores nothing", async () => {
    const upload = cloudinaryUploadFor(await sign(await tokenFor("alice")), Math.floor(ctx.clock.now / 1000));
    const response = await feed.POST(jsonRequest("/api/feed", "POST", { upload }));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect((await (await feed.GET(jsonRequest("/api/feed", "GET"))).json()).items).toEqual([]);
  });
});

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
    expect(response.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=2, stale-while-revalidate=8");
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
    expect(after.headers.get("cache-control")).toBe("public, max-age=0, s-maxage=2, stale-while-revalidate=8");
  });

  it("requires a token and is never shared by caches when reading is configured to need one", async () => {
    ctx = useTestApp({ FEED_READ_REQUIRES_AUTH: "true" });
    expect((await feed.GET(jsonRequest("/api/feed", "GET"))).status).toBe(401);
    const response = await feed.GET(jsonRequest("/api/feed", "GET", undefined, await tokenFor("alice")));
    expect(response.status).toBe(200);
    expect(response.headers.get("cache-control")).toBe("private, no-store");
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
