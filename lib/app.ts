// Composition root: builds the store, media signer and token verifier from the configuration, once per process.
import { nanoid } from "nanoid";
import type { IdCleanupDeps } from "./admin/media-cleanup.js";
import type { TakedownDeps } from "./admin/takedown.js";
import { authenticate, createTokenVerifier, type Identity, type VerifyToken } from "./auth.js";
import { type CloudinaryAdmin, createCloudinaryAdmin } from "./cloudinary/admin-api.js";
import { createMediaSigner } from "./cloudinary/upload-signer.js";
import { type Config, loadConfig, type RateLimits } from "./env.js";
import { type FeedDeps, tombstoneTtlSeconds } from "./feed/posts.js";
import { type FeedEvents, NO_EVENTS } from "./host/hooks.js";
import { clientAddress } from "./http/client-address.js";
import { log, setLogLevel } from "./log.js";
import { enforceRateLimit } from "./rate-limit.js";
import type { FeedStore } from "./store/feed-store.js";
import { guardStore } from "./store/guard.js";
import { MemoryStore } from "./store/memory-store.js";
import { createClusterClient, createTcpClient, detectClusterNode } from "./store/tcp-client.js";
import { TcpStore } from "./store/tcp-store.js";
import { createUpstashClient, UpstashStore } from "./store/upstash-store.js";

export interface App {
  config: Config;
  feed: FeedDeps;
  verifyToken: VerifyToken;
  /** Cloudinary's Admin API, for the admin endpoints (cleanup, takedown); it holds no connection. */
  cloudinaryAdmin: CloudinaryAdmin;
  /** What the operators' features are given, built here once (the routes and the host operations share them). */
  admin: { takedown: TakedownDeps; cleanup: IdCleanupDeps };
  /** Counts a request against the configured per-minute limit; throws a 429 past it. */
  rateLimit: (action: keyof RateLimits, subject: string) => Promise<void>;
  /** What every feed read goes through: the token when reads need one, then the per-address read limit. */
  admitRead: (request: Request) => Promise<void>;
  pages: PageStores;
  /** Who is calling: the bearer token's user, or what the host app's own lookup says (a 401 when nobody). */
  identify: (request: Request) => Promise<Identity>;
  /** Told after a write succeeded (the host's real-time layer); never fails or holds a request past its bound. */
  events: FeedEvents;
}

/** What a host app may bring instead of configuring it (lib/host/): its user lookup and its real-time hooks. */
export interface HostParts {
  identify?: (request: Request) => Promise<Identity>;
  events?: FeedEvents;
}

/** Where pages are read from: the same store, except on Upstash, whose global databases have read replicas. */
export interface PageStores {
  /** Public pages: on Upstash, reads the nearest replica may answer. */
  shared: FeedStore;
  /** A writer's own pages right after their write: reads that wait for it (Upstash's sync token). */
  afterWrite(syncToken: string): FeedStore;
  /** What a write's answer hands its writer for that, if the store has such a thing. */
  syncToken(): string | undefined;
}

/** Page reads from the store itself: every read already sees every write. */
const sameStore = (store: FeedStore): PageStores => ({
  shared: store,
  afterWrite: () => store,
  syncToken: () => undefined,
});

/** The configured store and where its pages are read from. */
function createStores(config: Config): { store: FeedStore; pages: PageStores } {
  const { redis, redisTimeoutMs: timeoutMs } = config;
  if (redis.kind !== "upstash") {
    const store = createStore(config);
    return { store, pages: sameStore(store) };
  }
  const upstash = (reads: Parameters<typeof createUpstashClient>[3]) => {
    const client = createUpstashClient(redis.url, redis.token, timeoutMs, reads);
    return { client, store: guardStore(new UpstashStore(client, timeoutMs), { timeoutMs }) };
  };
  const writer = upstash({});
  const shared = upstash({ readYourWrites: false }).store;
  return {
    store: writer.store,
    pages: {
      shared,
      afterWrite: (syncToken) => upstash({ syncToken }).store,
      syncToken: () => writer.client.readYourWritesSyncToken || undefined,
    },
  };
}

/** The configured store, bounded by REDIS_TIMEOUT_MS with every Redis failure turned into a 503 once, here. */
export function createStore(config: Config): FeedStore {
  const { redis, redisTimeoutMs: timeoutMs } = config;
  if (redis.kind === "memory") {
    log.warn("memory_store", {
      detail: "No Redis configured: posts are kept in this process only (set REDIS_URL or UPSTASH_REDIS_REST_URL).",
    });
    return new MemoryStore();
  }
  if (redis.kind === "upstash") {
    const client = createUpstashClient(redis.url, redis.token, timeoutMs);
    return guardStore(new UpstashStore(client, timeoutMs), { timeoutMs });
  }
  if (redis.kind === "cluster")
    return guardStore(new TcpStore(createClusterClient(redis.url, timeoutMs), timeoutMs), { timeoutMs });
  const client = createTcpClient(redis.url, timeoutMs);
  return guardStore(new TcpStore(client, timeoutMs), { timeoutMs, misconfigured: detectClusterNode(client) });
}

export function createApp(config: Config, overrides: Partial<FeedDeps> = {}, host: HostParts = {}): App {
  setLogLevel(config.logLevel);
  const stores = overrides.store ? { store: overrides.store, pages: sameStore(overrides.store) } : createStores(config);
  const feed: FeedDeps = {
    store: stores.store,
    media: overrides.media ?? createMediaSigner(config.media),
    ttlSeconds: config.feedTtlSeconds,
    redisTimeoutMs: config.redisTimeoutMs,
    now: overrides.now ?? Date.now,
    newId: overrides.newId ?? (() => nanoid()),
  };
  const cloudinaryAdmin = createCloudinaryAdmin(config.media, { now: feed.now });
  const { folder } = config.media;
  const verifyToken = createTokenVerifier(config.auth);
  const rateLimit: App["rateLimit"] = (action, subject) =>
    enforceRateLimit(action, subject, { ...feed, limits: config.rateLimits });
  const identify = host.identify ?? ((request: Request) => authenticate(request, verifyToken));
  return {
    config,
    feed,
    verifyToken,
    cloudinaryAdmin,
    admin: {
      takedown: { store: feed.store, admin: cloudinaryAdmin, folder, ttlSeconds: feed.ttlSeconds, now: feed.now },
      cleanup: {
        store: feed.store,
        admin: cloudinaryAdmin,
        folder,
        tombstoneTtlSeconds: tombstoneTtlSeconds(feed.ttlSeconds),
      },
    },
    rateLimit,
    pages: stores.pages,
    async admitRead(request) {
      if (config.readRequiresAuth) await identify(request);
      // With no read limit (the default) the caller's address is not needed.
      if (config.rateLimits.read > 0) await rateLimit("read", clientAddress(request, config.proxy));
    },
    identify,
    events: host.events ?? NO_EVENTS,
  };
}

// Module scope, so a warm function reuses its Redis connection instead of opening one per request.
let current: App | undefined;

/** The process's app, built from the environment on first use (a bad configuration fails every request clearly). */
export function getApp(): App {
  current ??= createApp(loadConfig());
  return current;
}

/** Replaces the process's app: the dev server and tests compose their own. */
export function useApp(app: App): void {
  current = app;
}
