// A Redis that is up but refuses writes (full, read-only): writes answer 503, reads keep working.
import { beforeEach, describe, expect, it } from "vitest";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import { INDEX_KEY } from "../../lib/feed/keys.js";
import { useRedisAdapters } from "../support/redis-adapters.js";
import { cloudinaryUploadFor, jsonRequest, tokenFor, useTestApp } from "../support/test-app.js";

const redis = useRedisAdapters(1000);
const { adapters } = redis;

// Each turns a healthy server into one that refuses writes, and returns how to undo it.
const conditions: [string, () => Promise<() => Promise<unknown>>][] = [
  [
    "full (OOM, noeviction)",
    async () => {
      await redis.server().client.config("SET", "maxmemory-policy", "noeviction");
      await redis.server().client.config("SET", "maxmemory", "1");
      return () => redis.server().client.config("SET", "maxmemory", "0");
    },
  ],
  [
    "read-only (a replica that lost its primary)",
    async () => {
      await redis.server().client.replicaof("127.0.0.1", 1); // nothing listens on port 1
      return () => redis.server().client.replicaof("NO", "ONE");
    },
  ],
];

describe.each(adapters)("degraded Redis: %s", (_name, createStore) => {
  beforeEach(() => redis.server().client.flushdb());

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
    const restore = await degrade();
    try {
      const post = await feed.POST(jsonRequest("/api/feed", "POST", { text: "during", upload: pending }, token));
      expect(post.status).toBe(503);
      expect(post.headers.get("retry-after")).toBe("5");
      const read = await feed.GET(jsonRequest("/api/feed", "GET"));
      expect(read.status).toBe(200);
      expect((await read.json()).items.map((p: { text: string }) => p.text)).toEqual(["before"]);
    } finally {
      await restore();
    }
    // A lost index cannot be rebuilt without writes: the read still answers, from the index as it is, and the first
    // read once Redis takes writes again rebuilds it (the listing below).
    await redis.server().client.del(INDEX_KEY);
    const restoreAgain = await degrade();
    try {
      const partial = await feed.GET(jsonRequest("/api/feed", "GET"));
      expect(partial.status).toBe(200);
      expect(partial.headers.get("cache-control")).toBe("private, no-store"); // incomplete: never cached publicly
    } finally {
      await restoreAgain();
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
