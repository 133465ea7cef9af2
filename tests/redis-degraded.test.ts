// A Redis that is up but refuses writes (full, read-only): writes answer 503, reads keep working.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as feed from "../api/feed/index.js";
import * as uploadSignature from "../api/feed/upload-signature.js";
import type { FeedStore } from "../lib/store/feed-store.js";
import { createTcpClient, TcpStore } from "../lib/store/tcp-store.js";
import { createUpstashClient, UpstashStore } from "../lib/store/upstash-store.js";
import { type RedisServer, startRedisServer } from "./support/redis-server.js";
import { cloudinaryUploadFor, jsonRequest, tokenFor, useTestApp } from "./support/test-app.js";
import { startUpstashBridge, type UpstashBridge } from "./support/upstash-bridge.js";

let server: RedisServer;
let bridge: UpstashBridge;
beforeAll(async () => {
  server = await startRedisServer();
  bridge = await startUpstashBridge(server.url);
});
afterAll(async () => {
  await bridge?.close();
  await server?.stop();
});

const adapters: [string, () => FeedStore][] = [
  ["TCP Redis (ioredis)", () => new TcpStore(createTcpClient(server.url, 1000))],
  ["Upstash REST (@upstash/redis)", () => new UpstashStore(createUpstashClient(bridge.url, bridge.token, 1000))],
];

// Each turns a healthy server into one that refuses writes, and returns how to undo it.
const conditions: [string, () => Promise<() => Promise<unknown>>][] = [
  [
    "full (OOM, noeviction)",
    async () => {
      await server.client.config("SET", "maxmemory-policy", "noeviction");
      await server.client.config("SET", "maxmemory", "1");
      return () => server.client.config("SET", "maxmemory", "0");
    },
  ],
  [
    "read-only (a replica that lost its primary)",
    async () => {
      await server.client.replicaof("127.0.0.1", 1); // nothing listens on port 1
      return () => server.client.replicaof("NO", "ONE");
    },
  ],
];

describe.each(adapters)("degraded Redis: %s", (_name, createStore) => {
  beforeEach(() => server.client.flushdb());

  it.each(conditions)("when %s: POST answers 503, GET still lists what is there", async (_condition, degrade) => {
    const ctx = useTestApp({ RATE_LIMIT: "off" }, { store: createStore() });
    ctx.clock.now = Date.now();
    const token = await tokenFor("alice");
    const upload = async () =>
      cloudinaryUploadFor(
        await (
          await uploadSignature.POST(jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, token))
        ).json(),
        Math.floor(ctx.clock.now / 1000),
      );
    expect(
      (await feed.POST(jsonRequest("/api/feed", "POST", { text: "before", upload: await upload() }, token))).status,
    ).toBe(201);
    const pending = await upload();
    await server.client.del("feed-index"); // so the read must also try (and fail) to heal: a write
    const restore = await degrade();
    try {
      const post = await feed.POST(jsonRequest("/api/feed", "POST", { text: "during", upload: pending }, token));
      expect(post.status).toBe(503);
      expect(post.headers.get("retry-after")).toBe("5");
      const read = await feed.GET(jsonRequest("/api/feed", "GET"));
      expect(read.status).toBe(200);
    } finally {
      await restore();
    }
    ctx.clock.now += 1000;
    expect((await feed.POST(jsonRequest("/api/feed", "POST", { text: "after", upload: pending }, token))).status).toBe(
      201,
    );
    const texts = (await (await feed.GET(jsonRequest("/api/feed", "GET"))).json()).items.map(
      (p: { text: string }) => p.text,
    );
    expect(texts).toEqual(["after", "before"]);
  });
});
