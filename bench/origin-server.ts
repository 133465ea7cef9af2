// A child process that serves one GET handler over HTTP, so the CPU it reports (process.cpuUsage) is that handler's
// alone: the project's GET /api/feed as production composes it, or the least-work page (bench/least-work.ts).
// `tsx bench/origin-server.ts <project|least> <tcp|rest> <url> [token]`; it sends { port } once it listens.
import { createServer } from "node:http";
import { getRequestListener } from "@hono/node-server";
import * as feed from "../api/feed/index.js";
import { createApp, useApp } from "../lib/app.js";
import { loadConfig } from "../lib/env.js";
import { createTcpClient } from "../lib/store/tcp-client.js";
import { createUpstashClient } from "../lib/store/upstash-store.js";
import { leastWorkHandler, restReads, tcpReads } from "./least-work.js";

export type OriginKind = "project" | "least";
export type OriginTransport = "tcp" | "rest";

// The same throw-away credentials as the rest of the bench; RATE_LIMIT=off sends no limiter command (as reads by
// default: RATE_LIMIT_READ_PER_MINUTE is 0).
const ORIGIN_ENV = {
  AUTH_JWT_SECRET: "bench-only-secret-signing-nothing-real-0001",
  CLOUDINARY_URL: "cloudinary://bench-key:bench-api-secret@bench",
  RATE_LIMIT: "off",
};
// The page both handlers serve: the feed's default first page.
const PAGE = { limit: 20 };

async function composeHandler(kind: OriginKind, transport: OriginTransport, url: string, token = "") {
  const redisEnv =
    transport === "tcp" ? { REDIS_URL: url } : { UPSTASH_REDIS_REST_URL: url, UPSTASH_REDIS_REST_TOKEN: token };
  const config = loadConfig({ ...ORIGIN_ENV, ...redisEnv });
  if (kind === "project") {
    useApp(createApp(config));
    return feed.GET;
  }
  const page = { ...PAGE, ttlSeconds: config.feedTtlSeconds };
  if (transport === "rest")
    return leastWorkHandler(restReads(createUpstashClient(url, token, config.redisTimeoutMs)), page);
  const client = createTcpClient(url, config.redisTimeoutMs);
  await client.connect();
  return leastWorkHandler(tcpReads(client), page);
}

const [kind, transport, url, token] = process.argv.slice(2) as [OriginKind, OriginTransport, string, string?];
const server = createServer(getRequestListener(await composeHandler(kind, transport, url, token)));
server.listen(0, "127.0.0.1", () => {
  const { port } = server.address() as { port: number };
  process.send?.({ port });
});
// The parent asks for this process's CPU time before and after each round of load.
process.on("message", (message) => {
  if (message === "cpu") process.send?.({ cpu: process.cpuUsage() });
  // A clean exit, so a run under `node --cpu-prof` writes its profile.
  if (message === "exit") process.exit(0);
});
