// Redis Cluster going wrong, on a real local cluster: REDIS_URL at a node without REDIS_CLUSTER, a proxy that refuses
// cross-slot scripts (Redis Cloud's default), and a master killed outright.
import { describe, expect, it, vi } from "vitest";
import * as feed from "../../api/feed/index.js";
import { INDEX_KEY, postKey, tombstoneKey } from "../../lib/feed/keys.js";
import { createTcpClient } from "../../lib/store/tcp-client.js";
import { TcpStore } from "../../lib/store/tcp-store.js";
import { storeFor } from "../support/redis-adapters.js";
import { useRedisCluster } from "../support/redis-cluster.js";
import { makePost, removalFor, writeFor } from "../support/store-fixtures.js";
import { jsonRequest, publishAs, useTestApp } from "../support/test-app.js";

const cluster = useRedisCluster();
const TIMEOUT_MS = 1000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function clusterApp(env: Record<string, string>) {
  const ctx = useTestApp({ RATE_LIMIT: "off" }, { store: storeFor({ REDIS_URL: cluster().url, ...env }, TIMEOUT_MS) });
  ctx.clock.now = Date.now();
  return ctx;
}

const read = () => feed.GET(jsonRequest("/api/feed", "GET"));

describe("Redis Cluster faults", () => {
  it("names REDIS_CLUSTER in one clear error when REDIS_URL points at a cluster node without it", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const ctx = clusterApp({});
      const statuses: number[] = [];
      for (let attempt = 0; attempt < 40 && statuses.at(-1) !== 500; attempt += 1) {
        statuses.push((await read()).status);
        if (statuses.at(-1) !== 500) await sleep(50);
      }
      // At most the first request or two race the connection's check; after it, every request says the same.
      expect(statuses.at(-1)).toBe(500);
      expect(statuses.filter((status) => status === 503).length).toBeLessThanOrEqual(2);
      const post = await publishAs(ctx, "alice", "hi");
      expect(post.status).toBe(500);
      expect((await post.json()).error.code).toBe("not_configured");
      expect((await read()).status).toBe(500);
      expect(errors.mock.calls.flat().join("\n")).toContain("set REDIS_CLUSTER=true");
    } finally {
      errors.mockRestore();
    }
  });

  it("writes in two ordered steps once the server refuses a cross-slot script, as a clustered proxy does", async () => {
    await cluster().flushAll();
    // A plain client at the node serving {feed}, for a post whose key lives on that node in another slot: the server
    // answers the one-step write with CROSSSLOT, as Redis Cloud's proxy does, and serves each slot on its own.
    const port = await cluster().masterFor(INDEX_KEY);
    let post = makePost(Date.now());
    while ((await cluster().masterFor(postKey(post.id))) !== port) post = makePost(Date.now());
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    try {
      const store = new TcpStore(createTcpClient(`redis://127.0.0.1:${port}`, TIMEOUT_MS), TIMEOUT_MS);
      expect(await store.publishPost(writeFor(post))).toEqual({ status: "created" });
      expect(warnings.mock.calls.flat().join("\n")).toContain("two steps");
      const raw = cluster().client;
      expect(await raw.get(postKey(post.id))).toBe(JSON.stringify(post));
      expect(Number(await raw.zscore(INDEX_KEY, post.id))).toBe(Date.parse(post.createdAt));
      expect(await store.publishPost(writeFor(post))).toEqual({ status: "exists", value: JSON.stringify(post) });
      await store.removePost(removalFor(post));
      expect([await raw.get(postKey(post.id)), await raw.zscore(INDEX_KEY, post.id)]).toEqual([null, null]);
      expect(await raw.exists(tombstoneKey(post.id))).toBe(1);
      expect(await store.publishPost(writeFor(post))).toEqual({ status: "removed" });
    } finally {
      warnings.mockRestore();
    }
  });

  it("recovers from a master's death within seconds: quick 503s meanwhile, never a 500 or a hang", async () => {
    await cluster().flushAll();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    try {
      const ctx = clusterApp({ REDIS_CLUSTER: "true" });
      const before = await publishAs(ctx, "alice", "before");
      expect(before.status).toBe(201);
      const victim = await cluster().masterFor(INDEX_KEY); // the feed's own slot, so every read and post is hit
      const node = cluster()
        .client.nodes("master")
        .find((n) => n.options.port === victim);
      await node?.call("WAIT", "1", "2000"); // acknowledged by the replica that will take over
      const failover = cluster().killMaster(victim);
      const started = Date.now();
      const statuses: number[] = [];
      const created: string[] = [];
      while (Date.now() - started < 30_000) {
        const t0 = Date.now();
        const [page, post] = [await read(), await publishAs(ctx, "bob", "during")];
        expect(Date.now() - t0).toBeLessThan(4 * TIMEOUT_MS + 1000); // two requests, each bounded
        statuses.push(page.status, post.status);
        if (post.status === 201) created.push((await post.json()).id);
        if (page.status === 200 && post.status === 201) break;
        await sleep(100);
      }
      const recoveredInMs = Date.now() - started;
      await failover;
      expect(statuses.every((status) => [200, 201, 503].includes(status))).toBe(true);
      expect(statuses.slice(-2)).toEqual([200, 201]);
      expect(recoveredInMs).toBeLessThan(20_000);
      const items = (await (await read()).json()).items as { id: string; text: string }[];
      expect(items.map((p) => p.text)).toContain("before");
      for (const id of created) expect(items.map((p) => p.id)).toContain(id);
    } finally {
      errors.mockRestore();
    }
  });
});
