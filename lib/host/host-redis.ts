// A host app's own Redis client, shared with the feed: ioredis (one node or a Cluster) or @upstash/redis.
import { Redis as UpstashRedis } from "@upstash/redis";
import { Cluster, Redis } from "ioredis";
import { ConfigError } from "../errors.js";
import type { FeedStore } from "../store/feed-store.js";
import { guardStore } from "../store/guard.js";
import { TcpStore } from "../store/tcp-store.js";
import { UpstashStore } from "../store/upstash-store.js";

export type HostRedis = Redis | Cluster | UpstashRedis;

/**
 * The feed's store over the host's client, bounded and mapped to 503s as the feed's own clients are. Keys stay the
 * feed's (`feed:<id>`, `{feed}:*`): a client that prefixes keys would hide posts from the index rebuild's SCAN, so it
 * is refused.
 */
export function storeForClient(client: HostRedis, timeoutMs: number): FeedStore {
  if (client instanceof Redis || client instanceof Cluster) {
    const options = client.options as { keyPrefix?: string; redisOptions?: { keyPrefix?: string } };
    if (options.keyPrefix || options.redisOptions?.keyPrefix) {
      throw new ConfigError(["redis: pass a client without keyPrefix; the feed's keys are always feed:<id>"]);
    }
    return guardStore(new TcpStore(client, timeoutMs), { timeoutMs });
  }
  if (client instanceof UpstashRedis) return guardStore(new UpstashStore(rawView(client), timeoutMs), { timeoutMs });
  throw new ConfigError([
    "redis: pass an ioredis Redis or Cluster, or an @upstash/redis Redis (the versions this package names as peers)",
  ]);
}

/**
 * The host's Upstash connection (its URL, token and HTTP settings) with the feed's reading of values: raw strings, so
 * what the feed stores and reads back is byte for byte the post's JSON, whatever the host chose for its own calls.
 */
function rawView(client: UpstashRedis): UpstashRedis {
  const requester = (client as unknown as { client: ConstructorParameters<typeof UpstashRedis>[0] }).client;
  const view = new UpstashRedis(requester);
  (view as unknown as { opts: object }).opts = { automaticDeserialization: false, enableTelemetry: false };
  return view;
}
