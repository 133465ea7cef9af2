// Composition root: builds the store, media signer and token verifier from the configuration, once per process.
import { nanoid } from "nanoid";
import { createTokenVerifier, type VerifyToken } from "./auth.js";
import { type Config, loadConfig, type RateLimits } from "./env.js";
import type { FeedDeps } from "./feed.js";
import { createMediaSigner } from "./media.js";
import { enforceRateLimit } from "./rate-limit.js";
import type { FeedStore } from "./store/feed-store.js";
import { MemoryStore } from "./store/memory-store.js";
import { createTcpClient, TcpStore } from "./store/tcp-store.js";
import { createUpstashClient, UpstashStore } from "./store/upstash-store.js";

export interface App {
  config: Config;
  feed: FeedDeps;
  verifyToken: VerifyToken;
  /** Counts a request against the configured per-minute limit; throws a 429 past it. */
  rateLimit: (action: keyof RateLimits, subject: string) => Promise<void>;
}

export function createStore(config: Config): FeedStore {
  const { redis, redisTimeoutMs } = config;
  if (redis.kind === "upstash") return new UpstashStore(createUpstashClient(redis.url, redis.token, redisTimeoutMs));
  if (redis.kind === "tcp") return new TcpStore(createTcpClient(redis.url, redisTimeoutMs));
  console.warn("No Redis configured: posts are kept in this process only (set REDIS_URL or UPSTASH_REDIS_REST_URL).");
  return new MemoryStore();
}

export function createApp(config: Config, overrides: Partial<FeedDeps> = {}): App {
  const feed: FeedDeps = {
    store: overrides.store ?? createStore(config),
    media: overrides.media ?? createMediaSigner(config.media),
    ttlSeconds: config.feedTtlSeconds,
    now: overrides.now ?? Date.now,
    newId: overrides.newId ?? (() => nanoid()),
  };
  return {
    config,
    feed,
    verifyToken: createTokenVerifier(config.auth),
    rateLimit: (action, subject) => enforceRateLimit(action, subject, { ...feed, limits: config.rateLimits }),
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
