// The Redis-backed stores, built from a literal environment as production builds them (timeouts and the 503 guard
// included): ioredis on one throw-away redis-server, @upstash/redis through the REST bridge in front of it, and, where
// a test file asks, ioredis's Cluster client on a throw-away 3-master cluster.
import type { Cluster, Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { createStore } from "../../lib/app.js";
import { type EnvSource, loadConfig } from "../../lib/env.js";
import type { FeedStore } from "../../lib/store/feed-store.js";
import { type RedisCluster, startRedisCluster } from "./redis-cluster.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";
import { startUpstashBridge, type UpstashBridge } from "./upstash-bridge.js";

export interface RedisAdapters {
  /** The running server (valid inside tests and hooks). */
  server: () => RedisServer;
  /** The Upstash REST stand-in in front of it. */
  bridge: () => UpstashBridge;
  /** [name, make a fresh store] for describe.each. */
  adapters: [string, () => FeedStore][];
}

/** The store a deployment with these variables gets. */
export function storeFor(env: EnvSource, timeoutMs: number): FeedStore {
  return createStore(loadConfig({ ...env, REDIS_TIMEOUT_MS: String(timeoutMs) }));
}

/** A throw-away redis-server and the Upstash REST stand-in in front of it, for the calling test file. */
export function useRedisWithBridge(): Pick<RedisAdapters, "server" | "bridge"> {
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
  return { server: () => server, bridge: () => bridge };
}

export function useRedisAdapters(timeoutMs: number): RedisAdapters {
  const { server, bridge } = useRedisWithBridge();
  const upstashEnv = () => ({ UPSTASH_REDIS_REST_URL: bridge().url, UPSTASH_REDIS_REST_TOKEN: bridge().token });
  return {
    server,
    bridge,
    adapters: [
      ["TCP Redis (ioredis)", () => storeFor({ REDIS_URL: server().url }, timeoutMs)],
      ["Upstash REST (@upstash/redis)", () => storeFor(upstashEnv(), timeoutMs)],
    ],
  };
}

/** One store under test, with a raw client for assertions and a way to empty its Redis (servers of our own only). */
export interface StoreCase {
  name: string;
  create: () => FeedStore;
  raw: (() => Redis | Cluster) | null;
  reset: () => Promise<void>;
}

/** The Redis adapters of `useRedisAdapters` plus the cluster adapter, on servers this test file starts. */
export function useRedisStoreCases(timeoutMs: number): StoreCase[] {
  const single = useRedisAdapters(timeoutMs);
  let cluster: RedisCluster;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(() => cluster?.stop());
  return [
    ...single.adapters.map(([name, create]) => ({
      name,
      create,
      raw: () => single.server().client,
      reset: async () => void (await single.server().client.flushdb()),
    })),
    {
      name: "Redis Cluster, 3 masters + 3 replicas (ioredis Cluster)",
      create: () => storeFor({ REDIS_URL: cluster.url, REDIS_CLUSTER: "true" }, timeoutMs),
      raw: () => cluster.client,
      reset: () => cluster.flushAll(),
    },
  ];
}
