// ioredis clients for Redis over TCP, one node or a cluster, bounded so an outage is a quick 503 and never a hang.
import { Cluster, Redis, type RedisOptions } from "ioredis";
import { ConfigError } from "../errors.js";
import { log } from "../log.js";
import { REDIS_CLUSTER_HINT } from "./guard.js";

/**
 * Every command fails after `timeoutMs`; nothing waits in an offline queue across a failed connect, and nothing that
 * already failed is re-sent later (a post the caller was told failed must not appear afterwards).
 */
function boundedOptions(timeoutMs: number): RedisOptions {
  return {
    connectTimeout: Math.max(100, Math.floor(timeoutMs / 2)),
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
  };
}

export function createTcpClient(url: string, timeoutMs: number): Redis {
  const client = new Redis(url, {
    ...boundedOptions(timeoutMs),
    retryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    lazyConnect: true,
  });
  logErrors(client);
  return client;
}

/**
 * A cluster client from one node's URL (`redis://` or `rediss://`, with the same user and password as a single node).
 * Concurrent single-key commands are batched into one pipeline per node (auto-pipelining), so a page's posts are read
 * in one parallel step.
 */
export function createClusterClient(url: string, timeoutMs: number): Cluster {
  const parsed = new URL(url);
  const cluster = new Cluster([{ host: parsed.hostname, port: Number(parsed.port || 6379) }], {
    lazyConnect: true,
    enableAutoPipelining: true,
    slotsRefreshTimeout: timeoutMs,
    clusterRetryStrategy: (attempt) => Math.min(attempt * 100, 1000),
    // Keep host names as given: with TLS (ElastiCache), certificates name the host, not its address (ioredis README).
    dnsLookup: (address, callback) => callback(null, address),
    redisOptions: {
      ...boundedOptions(timeoutMs),
      username: decodeURIComponent(parsed.username) || undefined,
      password: decodeURIComponent(parsed.password) || undefined,
      tls: parsed.protocol === "rediss:" ? {} : undefined,
    },
  });
  logErrors(cluster);
  return cluster;
}

function logErrors(client: Redis | Cluster): void {
  let lastLogged = 0;
  client.on("error", (error: Error) => {
    // Reconnects raise an error per attempt; one line every 10 s is enough to see an outage.
    if (Date.now() - lastLogged < 10_000) return;
    lastLogged = Date.now();
    log.error("redis_error", { error: error.message });
  });
}

/**
 * Asks each new connection whether it reached a cluster node. A plain client there would answer a stream of
 * redirections (MOVED, CROSSSLOT); instead every call fails with one clear configuration error that names the setting.
 */
export function detectClusterNode(client: Redis): () => ConfigError | undefined {
  let found: ConfigError | undefined;
  client.on("ready", () => {
    client.info("cluster").then(
      (info) => {
        if (!/^cluster_enabled:1\s*$/m.test(info) || found) return;
        found = new ConfigError([REDIS_CLUSTER_HINT]);
        log.error("redis_misconfigured", { error: found.message });
      },
      () => {}, // INFO may be forbidden by an ACL; the MOVED answers still say what is wrong.
    );
  });
  return () => found;
}
