// The app under measurement, composed as production does (from a literal environment), and the requests it gets.
import { v2 as cloudinary } from "cloudinary";
import type { Cluster, Redis } from "ioredis";
import { nanoid } from "nanoid";
import { type App, createApp, useApp } from "../lib/app.js";
import { issueDevToken } from "../lib/auth.js";
import { type Config, loadConfig } from "../lib/env.js";
import type { FeedStore } from "../lib/store/feed-store.js";
import { guardStore } from "../lib/store/guard.js";
import { createClusterClient, createTcpClient } from "../lib/store/tcp-client.js";
import { TcpStore } from "../lib/store/tcp-store.js";
import { type CommandCounter, countCommands } from "./counting-client.js";
import type { PostShape } from "./seed.js";

// Throw-away credentials: the bench signs and verifies its own uploads and tokens, and talks to no Cloudinary.
// RATE_LIMIT=off because a benchmark posts far faster than any user may.
const BENCH_ENV = {
  AUTH_JWT_SECRET: "bench-only-secret-signing-nothing-real-0001",
  CLOUDINARY_URL: "cloudinary://bench-key:bench-api-secret@bench",
  RATE_LIMIT: "off",
};

export interface BenchApp<Client extends Redis | Cluster = Redis> {
  app: App;
  /** The store's own client: the baseline uses it too, so both are counted the same way. */
  client: Client;
  store: FeedStore;
  counter: CommandCounter;
  close(): void;
}

/**
 * Builds the app with a counting client on `redisUrl` and makes it the one the api/ handlers use; `now` replaces the
 * clock (the traffic model runs a day in minutes).
 */
export async function composeBenchApp(redisUrl: string, now?: () => number): Promise<BenchApp<Redis>> {
  const config = loadConfig({ ...BENCH_ENV, REDIS_URL: redisUrl });
  return composeWithClient(config, createTcpClient(redisUrl, config.redisTimeoutMs), now);
}

/** The same on a Redis Cluster: the client production builds for REDIS_CLUSTER=true, counted on every node. */
export async function composeClusterBenchApp(redisUrl: string): Promise<BenchApp<Cluster>> {
  const config = loadConfig({ ...BENCH_ENV, REDIS_URL: redisUrl, REDIS_CLUSTER: "true" });
  if (config.redis.kind !== "cluster") throw new Error("REDIS_CLUSTER=true did not select the cluster client");
  return composeWithClient(config, createClusterClient(redisUrl, config.redisTimeoutMs));
}

/**
 * The counter is attached before the client connects, so it sees every node connection a cluster client opens. The
 * store is bounded and its failures mapped by the same guard production wraps it in.
 */
async function composeWithClient<Client extends Redis | Cluster>(
  config: Config,
  client: Client,
  now?: () => number,
): Promise<BenchApp<Client>> {
  const counter = countCommands(client);
  await client.connect();
  const store = guardStore(new TcpStore(client, config.redisTimeoutMs), { timeoutMs: config.redisTimeoutMs });
  const app = createApp(config, now ? { store, now } : { store });
  useApp(app);
  return { app, client, store, counter, close: () => client.disconnect() };
}

/** What seeded posts look like for this app: its media folder and TTL. */
export function postShape(bench: BenchApp<Redis | Cluster>): PostShape {
  return { cloudName: "bench", folder: bench.app.config.media.folder, ttlSeconds: bench.app.feed.ttlSeconds };
}

export function pageRequest(limit: number, cursor?: string): Request {
  const query = new URLSearchParams({ limit: String(limit), ...(cursor ? { cursor } : {}) });
  return new Request(`http://localhost/api/feed?${query}`);
}

export interface Author {
  userId: string;
  token: string;
}

export async function createAuthor(app: App, userId: string): Promise<Author> {
  if (app.config.auth.kind !== "secret") throw new Error("the bench composes the app with AUTH_JWT_SECRET");
  return { userId, token: await issueDevToken(app.config.auth.secret, { userId, username: `Bench ${userId}` }) };
}

/**
 * POST /api/feed with what Cloudinary would answer to a signed upload: public_id in the author's folder, signed
 * with the API secret together with the version, so the handler's verification runs in full.
 */
export function signedPostRequest(app: App, author: Author, text: string): Request {
  const { apiSecret } = app.config.media;
  const nowMs = app.feed.now();
  // The public_id the server itself would sign for this author (folder, owner, type and post id).
  const signed = app.feed.media.signUpload({ userId: author.userId, mediaType: "image", postId: nanoid(), nowMs });
  const publicId = signed.fields.public_id;
  const version = Math.floor(nowMs / 1000);
  const signature = cloudinary.utils.api_sign_request({ public_id: publicId, version }, apiSecret);
  const upload = { public_id: publicId, version, signature, resource_type: "image", format: "jpg" };
  return new Request("http://localhost/api/feed", {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${author.token}` },
    body: JSON.stringify({ text, upload }),
  });
}
