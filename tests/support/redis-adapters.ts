// The two Redis-backed adapters on one throw-away redis-server per test file: ioredis over TCP, and @upstash/redis
// through the REST bridge in front of the same server.
import { afterAll, beforeAll } from "vitest";
import type { FeedStore } from "../../lib/store/feed-store.js";
import { createTcpClient, TcpStore } from "../../lib/store/tcp-store.js";
import { createUpstashClient, UpstashStore } from "../../lib/store/upstash-store.js";
import { type RedisServer, startRedisServer } from "./redis-server.js";
import { startUpstashBridge, type UpstashBridge } from "./upstash-bridge.js";

export interface RedisAdapters {
  /** The running server (valid inside tests and hooks). */
  server: () => RedisServer;
  /** [name, make a fresh store] for describe.each. */
  adapters: [string, () => FeedStore][];
}

export function useRedisAdapters(timeoutMs: number): RedisAdapters {
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
  return {
    server: () => server,
    adapters: [
      ["TCP Redis (ioredis)", () => new TcpStore(createTcpClient(server.url, timeoutMs))],
      [
        "Upstash REST (@upstash/redis)",
        () => new UpstashStore(createUpstashClient(bridge.url, bridge.token, timeoutMs)),
      ],
    ],
  };
}
