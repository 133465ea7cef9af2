// Redis outages on a real redis-server that the test kills, hangs and restarts: quick 503s, no leaks, self-recovery.
import { describe, expect, it } from "vitest";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import { useRedisAdapters } from "../support/redis-adapters.js";
import { jsonRequest, signedUpload, tokenFor, useTestApp } from "../support/test-app.js";

// Short so the suite is quick; production defaults to 2 s (REDIS_TIMEOUT_MS).
const TIMEOUT_MS = 800;
// Generous bound that still proves "no hang": the SDKs' own defaults retry for ~4 s or wait forever.
const QUICK_MS = 4000;

const redis = useRedisAdapters(TIMEOUT_MS);
const { adapters } = redis;

async function timed(response: Promise<Response>): Promise<{ response: Response; ms: number; body: string }> {
  const started = Date.now();
  const result = await response;
  return { response: result, ms: Date.now() - started, body: await result.text() };
}

const post = (upload: unknown, token: string) =>
  feed.POST(jsonRequest("/api/feed", "POST", { text: "hi", upload }, token));

function expectQuick503(result: { response: Response; ms: number; body: string }) {
  expect(result.response.status).toBe(503);
  expect(result.response.headers.get("retry-after")).toBe("5");
  expect(result.ms).toBeLessThan(QUICK_MS);
  expect(JSON.parse(result.body).error.code).toBe("service_unavailable");
  // Nothing from the client's error text: no command, key, address or token.
  expect(result.body).not.toMatch(/feed:|\{feed|ECONNREFUSED|127\.0\.0\.1|timed out|zrange|test-token|multi/i);
}

describe.each(adapters)("Redis faults: %s", (_name, createStore) => {
  it("answers a quick 503 while Redis is down, then works again after it restarts empty, with no app restart", async () => {
    await redis.server().client.flushdb();
    const ctx = useTestApp({}, { store: createStore() });
    ctx.clock.now = Date.now();
    const token = await tokenFor("alice");
    expect((await post(await signedUpload(ctx, token), token)).status).toBe(201);
    const pending = await signedUpload(ctx, token);

    await redis.server().kill();
    try {
      expectQuick503(await timed(feed.GET(jsonRequest("/api/feed", "GET"))));
      expectQuick503(await timed(post(pending, token)));
      // Signing needs Redis too: the rate limiter fails closed rather than letting uploads through uncounted.
      expectQuick503(
        await timed(
          uploadSignature.POST(jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, token)),
        ),
      );
    } finally {
      await redis.server().start(); // restarts with no data, as Redis without persistence does
    }

    // The client reconnects on its own within a second or two; no request needs to fail after that.
    let recovered = await feed.GET(jsonRequest("/api/feed", "GET"));
    for (let attempt = 0; attempt < 20 && recovered.status !== 200; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      recovered = await feed.GET(jsonRequest("/api/feed", "GET"));
    }
    expect(recovered.status).toBe(200);
    expect((await recovered.json()).items).toEqual([]);
    expect((await post(pending, token)).status).toBe(201);
    expect((await (await feed.GET(jsonRequest("/api/feed", "GET"))).json()).items).toHaveLength(1);
  });

  it("gives up on a hung Redis within the timeout instead of hanging the function", async () => {
    const ctx = useTestApp({}, { store: createStore() });
    ctx.clock.now = Date.now();
    await feed.GET(jsonRequest("/api/feed", "GET")); // connected and warm
    redis.server().pause();
    try {
      expectQuick503(await timed(feed.GET(jsonRequest("/api/feed", "GET"))));
    } finally {
      redis.server().resume();
    }
    expect((await feed.GET(jsonRequest("/api/feed", "GET"))).status).toBe(200);
  });
});
