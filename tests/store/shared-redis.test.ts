// The feed shares Redis with chat and sessions: a whole session of feed use leaves every other key exactly as it was.
import { afterAll, beforeAll, expect, it } from "vitest";
import * as feedItem from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import { storeFor } from "../support/redis-adapters.js";
import { type RedisServer, startRedisServer } from "../support/redis-server.js";
import { cloudinaryUploadFor, jsonRequest, tokenFor, useTestApp } from "../support/test-app.js";

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(() => server?.stop());

// Names chosen to sit next to the feed's own: a prefix match that is too loose would catch them.
const SEEDED = [
  "chat:room:1",
  "chat:room:1:messages",
  "session:abc",
  "feedback:42",
  "feed-other",
  "feeds",
  "user:1:feed",
];

async function snapshot(): Promise<Record<string, readonly [string | null, number]>> {
  const entries = await Promise.all(
    SEEDED.map(async (key) => {
      const dump = await server.client.dumpBuffer(key);
      const expireAt = Number(await server.client.call("PEXPIRETIME", key));
      return [key, [dump ? dump.toString("base64") : null, expireAt]] as const;
    }),
  );
  return Object.fromEntries(entries);
}

it("leaves unrelated keys byte-for-byte and TTL-for-TTL unchanged through posting, paging, deleting and expiry", async () => {
  const c = server.client;
  await c.set("chat:room:1", "hello");
  await c.rpush("chat:room:1:messages", "a", "b", "c");
  await c.hset("session:abc", { user: "alice", csrf: "xyz" });
  await c.expire("session:abc", 5000);
  await c.set("feedback:42", "great app", "EX", 7000);
  await c.sadd("feed-other", "x", "y");
  await c.zadd("feeds", 1, "rss");
  await c.set("user:1:feed", "prefs");
  const before = await snapshot();

  const ctx = useTestApp({ FEED_TTL_SECONDS: "2" }, { store: storeFor({ REDIS_URL: server.url }, 2000) });
  ctx.clock.now = Date.now();
  const tokens = await Promise.all(["alice", "bob"].map((user) => tokenFor(user)));
  const ids: string[] = [];
  for (const token of [...tokens, ...tokens]) {
    const signed = await (
      await uploadSignature.POST(jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, token))
    ).json();
    const upload = cloudinaryUploadFor(signed, Math.floor(ctx.clock.now / 1000));
    const created = await feed.POST(jsonRequest("/api/feed", "POST", { text: "hi", upload }, token));
    expect(created.status).toBe(201);
    ids.push((await created.json()).id);
  }
  const page = await (await feed.GET(jsonRequest("/api/feed?limit=3", "GET"))).json();
  await feed.GET(jsonRequest(`/api/feed?limit=3&cursor=${page.nextCursor}`, "GET"));
  expect((await feedItem.DELETE(jsonRequest(`/api/feed/${ids[0]}`, "DELETE", undefined, tokens[0]))).status).toBe(204);

  // Every key the feed made is its own and carries a TTL.
  const feedKeys = (await c.keys("*")).filter((key) => !SEEDED.includes(key));
  expect(feedKeys.length).toBeGreaterThan(0);
  for (const key of feedKeys) {
    expect(key).toMatch(
      /^(feed:[A-Za-z0-9_-]+|\{feed\}:(index|people|version|author:u[0-9a-f]{16}|rebuild:.+)|\{feed:[A-Za-z0-9_-]+\}:removed|feed-ratelimit:.+)$/,
    );
    expect(await c.pttl(key)).toBeGreaterThan(0);
  }

  await new Promise((resolve) => setTimeout(resolve, 2200)); // posts and index expire
  ctx.clock.now = Date.now();
  const afterExpiry = await (await feed.GET(jsonRequest("/api/feed", "GET"))).json(); // rebuilds: SCAN over everything
  expect(afterExpiry.items).toEqual([]);

  expect(await snapshot()).toEqual(before);
});
