// The feed on a real local Redis Cluster (3 masters, 3 replicas) through the real handlers: the demo flow, and other
// keys in every slot left alone. What goes wrong on a cluster is in redis-cluster-faults.test.ts.
import { describe, expect, it } from "vitest";
import * as feedItem from "../../api/feed/[id].js";
import * as feed from "../../api/feed/index.js";
import { INDEX_KEY, postKey, tombstoneKey } from "../../lib/feed/keys.js";
import type { Post } from "../../lib/schemas.js";
import { storeFor } from "../support/redis-adapters.js";
import { useRedisCluster } from "../support/redis-cluster.js";
import { jsonRequest, publishAs, tokenFor, useTestApp } from "../support/test-app.js";

const cluster = useRedisCluster();
// The production default: the first publish of a fresh cluster client discovers the slots and loads two scripts.
const TIMEOUT_MS = 2000;

function clusterApp(env: Record<string, string> = { REDIS_CLUSTER: "true" }) {
  const store = storeFor({ REDIS_URL: cluster().url, ...env }, TIMEOUT_MS);
  const ctx = useTestApp({ RATE_LIMIT: "off" }, { store });
  ctx.clock.now = Date.now();
  return ctx;
}

const page = async (query = "") => (await feed.GET(jsonRequest(`/api/feed${query}`, "GET"))).json();

describe("the feed on Redis Cluster (REDIS_CLUSTER=true)", () => {
  it("runs the demo flow: sign, upload, post, page, cursor walk, delete", async () => {
    await cluster().flushAll();
    const ctx = clusterApp();
    const posts: Post[] = [];
    for (let i = 0; i < 7; i += 1) {
      ctx.clock.now += 10;
      const response = await publishAs(ctx, `user-${i % 3}`, `post ${i}`);
      expect(response.status).toBe(201);
      posts.push(await response.json());
    }
    const masters = new Set(await Promise.all(posts.map((p) => cluster().masterFor(postKey(p.id)))));
    expect(masters.size).toBeGreaterThan(1); // the posts really are spread over several masters
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const body: { items: Post[]; nextCursor: string | null } = await page(
        `?limit=3${cursor ? `&cursor=${cursor}` : ""}`,
      );
      seen.push(...body.items.map((p) => p.text));
      cursor = body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(posts.map((p) => p.text).reverse());
    const token = await tokenFor("user-0");
    const deleted = await feedItem.DELETE(jsonRequest(`/api/feed/${posts[0].id}`, "DELETE", undefined, token));
    expect(deleted.status).toBe(204);
    expect((await page()).items.map((p: Post) => p.text)).not.toContain("post 0");
    expect(await cluster().client.exists(tombstoneKey(posts[0].id))).toBe(1);
  });

  it("leaves other keys in every slot byte-for-byte and TTL-for-TTL unchanged, its own in {feed} with TTLs", async () => {
    await cluster().flushAll();
    const client = cluster().client;
    // 300 foreign keys cover every master; chat{feed}room shares the slot of the feed's own keys.
    const foreign = [...Array.from({ length: 300 }, (_, i) => `chat:${i}`), "chat{feed}room", "feedback"];
    for (const [i, key] of foreign.entries()) await client.set(key, `value ${i}`, "PX", 900_000 + i);
    const snapshot = () =>
      Promise.all(
        foreign.map(async (key) => [
          (await client.dumpBuffer(key))?.toString("base64"),
          await client.call("PEXPIRETIME", key),
        ]),
      );
    const before = await snapshot();
    const ctx = clusterApp();
    for (let i = 0; i < 5; i += 1) expect((await publishAs(ctx, `user-${i}`, `post ${i}`)).status).toBe(201);
    await client.del(INDEX_KEY); // lost: the next read rebuilds it by walking every master
    const rebuilt = await feed.GET(jsonRequest("/api/feed", "GET"));
    expect((await rebuilt.json()).items).toHaveLength(5);
    expect(rebuilt.headers.get("cache-control")).toContain("public");
    expect(await snapshot()).toEqual(before);
    for (const master of await cluster().masters()) {
      const [host, port] = master.split(":");
      const node = client.nodes("master").find((n) => n.options.host === host && String(n.options.port) === port);
      for (const key of (await node?.keys("*")) ?? []) {
        if (foreign.includes(key)) continue;
        expect(key).toMatch(/^(feed:[A-Za-z0-9_-]+|\{feed\}:(index|people|version|author:u[0-9a-f]{16}))$/);
        expect(await client.pttl(key)).toBeGreaterThan(0);
      }
    }
  });
});
