// The feed's write contract (signing and publishing), through the exported handlers on the in-process store.
import { v2 as cloudinary } from "cloudinary";
import { beforeEach, describe, expect, it } from "vitest";
import * as feedItem from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import { ownerFolder } from "../../lib/cloudinary/public-id.js";
import type { Post } from "../../lib/schemas.js";
import {
  API_SECRET,
  cloudinaryUploadFor,
  jsonRequest,
  POST_FIELDS,
  publish,
  sign,
  signedUpload,
  tokenFor,
  useTestApp,
} from "../support/test-app.js";

let ctx: ReturnType<typeof useTestApp>;
beforeEach(() => {
  ctx = useTestApp();
});

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
    const post = await publish(ctx, "alice", "sunset");
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
    const upload = await signedUpload(ctx, token);
    const response = await feed.POST(
      jsonRequest("/api/feed", "POST", { text: "x", upload, userId: "mallory", username: "Mallory" }, token),
    );
    expect(await response.json()).toMatchObject({ userId: "alice", username: "Alice" });
  });

  it("refuses an upload whose Cloudinary signature does not verify", async () => {
    const token = await tokenFor("alice");
    const upload = { ...(await signedUpload(ctx, token)), version: 1795694401 };
    const response = await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token));
    expect(response.status).toBe(400);
    expect((await response.json()).error.code).toBe("invalid_upload");
  });

  it("refuses an upload signed for another user", async () => {
    const upload = await signedUpload(ctx, await tokenFor("alice"));
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
    const upload = await signedUpload(ctx, token);
    expect((await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token))).status).toBe(201);
    ctx.clock.now += 61_000;
    const again = await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token));
    expect(again.status).toBe(400);
    expect((await again.json()).error.code).toBe("upload_expired");
  });

  it("answers a retry of the same upload with the stored post (200), creating nothing new", async () => {
    const token = await tokenFor("alice");
    const upload = await signedUpload(ctx, token);
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
    const upload = await signedUpload(ctx, token);
    const { id } = await (await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token))).json();
    expect((await feedItem.DELETE(jsonRequest(`/api/feed/${id}`, "DELETE", undefined, token))).status).toBe(204);
    const again = await feed.POST(jsonRequest("/api/feed", "POST", { upload }, token));
    expect(again.status).toBe(410);
    expect((await again.json()).error.code).toBe("upload_removed");
    expect((await (await feed.GET(jsonRequest("/api/feed", "GET"))).json()).items).toEqual([]);
  });

  it("answers 401 without a token and stores nothing", async () => {
    const upload = await signedUpload(ctx, await tokenFor("alice"));
    const response = await feed.POST(jsonRequest("/api/feed", "POST", { upload }));
    expect(response.status).toBe(401);
    expect(response.headers.get("www-authenticate")).toContain("Bearer");
    expect((await (await feed.GET(jsonRequest("/api/feed", "GET"))).json()).items).toEqual([]);
  });
});
