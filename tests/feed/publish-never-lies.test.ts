// Publishing on a real redis-server, through ioredis and through Upstash REST: a publish that answered 503 never applies
// later (SIGSTOP, post, SIGCONT), a retry gets the stored post, and a removed upload can never be published again.
import { SignJWT } from "jose";
import { beforeEach, describe, expect, it } from "vitest";
import * as feedItem from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import { INDEX_KEY, postKey, tombstoneKey, tombstoneValue } from "../../lib/feed/keys.js";
import { tombstoneTtlSeconds } from "../../lib/feed/posts.js";
import { useRedisAdapters } from "../support/redis-adapters.js";
import { jsonRequest, signedUpload, TEST_ENV, tokenFor, useTestApp } from "../support/test-app.js";

// Short so the stall case is quick; production defaults to 2 s (REDIS_TIMEOUT_MS).
const TIMEOUT_MS = 800;
const redis = useRedisAdapters(TIMEOUT_MS);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(redis.adapters)("publishing never lies: %s", (_name, createStore) => {
  let ctx: ReturnType<typeof useTestApp>;
  let token: string;

  beforeEach(async () => {
    await redis.server().client.flushdb();
    ctx = useTestApp({ RATE_LIMIT: "off" }, { store: createStore() });
    ctx.clock.now = Date.now();
    token = await tokenFor("alice");
    expect((await feed.GET(jsonRequest("/api/feed", "GET"))).status).toBe(200); // connected and warm
  });

  const signed = (as = token) => signedUpload(ctx, as);
  const post = (upload: unknown, as = token, text = "hi") =>
    feed.POST(jsonRequest("/api/feed", "POST", { text, upload }, as));
  const stored = async (id: string) => redis.server().client.get(postKey(id));

  it("never applies a publish that answered 503 while Redis stalled, and its retry creates the post (201)", async () => {
    // A first post loads the publish script, so the stalled one is a real write (not a NOSCRIPT that writes nothing).
    expect((await post(await signed())).status).toBe(201);
    const upload = await signed();
    const id = upload.public_id.split("/").pop() as string;
    redis.server().pause(); // SIGSTOP: the command waits in the socket buffer of a server that does not answer
    let answer: Response;
    try {
      answer = await post(upload);
    } finally {
      redis.server().resume(); // SIGCONT: the buffered publish now reaches Redis, past its deadline
    }
    expect(answer.status).toBe(503);
    await sleep(500);
    expect(await stored(id)).toBeNull();
    expect(await redis.server().client.zscore(INDEX_KEY, id)).toBeNull();
    const retry = await post(upload);
    expect(retry.status).toBe(201);
    expect(JSON.parse((await stored(id)) ?? "null")).toEqual(await retry.json());
  });

  it("answers a retry of a publish that did go through with the stored post (200), its index score unchanged", async () => {
    const upload = await signed();
    const first = await post(upload, token, "first");
    expect(first.status).toBe(201);
    const created = await first.json();
    const score = await redis.server().client.zscore(INDEX_KEY, created.id);
    ctx.clock.now += 2000;
    const retry = await post(upload, token, "a retry with other text");
    expect(retry.status).toBe(200);
    expect(await retry.json()).toEqual(created);
    expect(await redis.server().client.zscore(INDEX_KEY, created.id)).toBe(score);
    expect(JSON.parse((await stored(created.id)) ?? "null")).toEqual(created);
  });

  it("charges the post quota when signing (a 429 comes before any upload), and publishing counts nothing", async () => {
    ctx = useTestApp({ RATE_LIMIT_POST_PER_MINUTE: "2" }, { store: ctx.app.feed.store });
    ctx.clock.now = Date.now();
    const counters = async () => redis.server().client.keys("feed-ratelimit:post:*");
    const first = await signed();
    const [counter] = await counters();
    expect(await redis.server().client.get(counter)).toBe("1");
    expect((await post(first)).status).toBe(201);
    expect(await redis.server().client.get(counter)).toBe("1"); // publishing charged nothing
    await signed();
    const third = await uploadSignature.POST(
      jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, token),
    );
    expect(third.status).toBe(429);
    expect(await redis.server().client.pttl(counter)).toBeGreaterThan(0);
  });

  it("leaves Redis untouched for bytes that are not UTF-8, another charset, or a token without exp", async () => {
    const upload = await signed();
    const before = (await redis.server().client.keys("*")).sort();
    const body = Buffer.concat([
      Buffer.from('{"text":"caf'),
      Buffer.from([0xe9]),
      Buffer.from(`","upload":${JSON.stringify(upload)}}`),
    ]);
    const headers = { authorization: `Bearer ${token}` };
    const invalidUtf8 = await feed.POST(
      new Request("http://localhost/api/feed", {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body,
      }),
    );
    expect(invalidUtf8.status).toBe(400);
    const latin1 = jsonRequest("/api/feed", "POST", { upload }, token, {
      "content-type": "application/json; charset=latin1",
    });
    expect((await feed.POST(latin1)).status).toBe(415);
    const noExp = await new SignJWT({ sub: "alice" })
      .setProtectedHeader({ alg: "HS256" })
      .sign(new TextEncoder().encode(TEST_ENV.AUTH_JWT_SECRET));
    expect((await post(upload, noExp)).status).toBe(401);
    expect((await redis.server().client.keys("*")).sort()).toEqual(before);
  });

  it("refuses another user's upload (403) and stores nothing for them", async () => {
    const upload = await signed();
    const mallory = await tokenFor("mallory");
    expect((await post(upload, mallory)).status).toBe(403);
    expect(await stored(upload.public_id.split("/").pop() as string)).toBeNull();
  });

  it("refuses (410) to publish an upload again after its author deleted the post, for as long as it is postable", async () => {
    const upload = await signed();
    const { id } = await (await post(upload)).json();
    expect((await feedItem.DELETE(jsonRequest(`/api/feed/${id}`, "DELETE", undefined, token))).status).toBe(204);
    const again = await post(upload);
    expect(again.status).toBe(410);
    expect((await again.json()).error.code).toBe("upload_removed");
    expect(await stored(id)).toBeNull();
    const ttl = await redis.server().client.ttl(tombstoneKey(id));
    expect(ttl).toBeGreaterThan(tombstoneTtlSeconds(ctx.config.feedTtlSeconds) - 5);
  });

  it("refuses (410) an upload whose media an admin cleaned up before it was ever posted", async () => {
    const upload = await signed();
    const id = upload.public_id.split("/").pop() as string;
    await ctx.app.feed.store.writeTombstones(
      [{ key: tombstoneKey(id), value: tombstoneValue({ publicId: upload.public_id }) }],
      tombstoneTtlSeconds(ctx.config.feedTtlSeconds),
    );
    expect((await post(upload)).status).toBe(410);
    expect(await stored(id)).toBeNull();
  });
});
