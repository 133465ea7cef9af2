// The host entries over the same core: the host's own Redis clients (ioredis, @upstash/redis as the host made them),
// the Node listener under a mount (as Express hands it requests), and the Next.js route handlers.
import { createServer, type Server } from "node:http";
import { Redis as UpstashRedis } from "@upstash/redis";
import { Redis } from "ioredis";
import { describe, expect, it, vi } from "vitest";
import { createFeed } from "../../lib/host/index.js";
import { createRouteHandlers } from "../../lib/host/next.js";
import { createRequestListener, type RequestListener } from "../../lib/host/node.js";
import { useRedisWithBridge } from "../support/redis-adapters.js";
import { cloudinaryUploadFor, jsonRequest, TEST_ENV, tokenFor } from "../support/test-app.js";

const servers = useRedisWithBridge();

async function publishVia(fetch: (request: Request) => Promise<Response>, userId: string) {
  const token = await tokenFor(userId);
  const signed = await fetch(jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, token));
  const upload = cloudinaryUploadFor(await signed.json(), Math.floor(Date.now() / 1000));
  const publish = () => fetch(jsonRequest("/api/feed", "POST", { text: "shared", upload }, token));
  return { first: await publish(), again: await publish() };
}

describe("the host's own Redis client", () => {
  it("stores posts through the host's ioredis client, byte for byte the post's JSON under feed:<id>", async () => {
    const client = new Redis(servers.server().url);
    const feed = createFeed({ env: TEST_ENV, redis: client });
    const { first, again } = await publishVia(feed.fetch, "ioredis-user");
    expect([first.status, again.status]).toEqual([201, 200]);
    const post = await first.json();
    expect(await servers.server().client.get(`feed:${post.id}`)).toBe(JSON.stringify(post));
    const page = await (await feed.fetch(new Request("http://localhost/api/feed?author=ioredis-user"))).json();
    expect(page.items).toEqual([post]);
    // The host's client is still the host's: its own commands work as before.
    expect(await client.set("chat:last", "hello")).toBe("OK");
    client.disconnect();
  });

  it("reads raw values through a host's @upstash/redis client made with its defaults (auto-pipelining, JSON parsing)", async () => {
    const client = new UpstashRedis({ url: servers.bridge().url, token: servers.bridge().token });
    const feed = createFeed({ env: TEST_ENV, redis: client });
    const { first, again } = await publishVia(feed.fetch, "upstash-user");
    expect([first.status, again.status]).toEqual([201, 200]);
    const post = await first.json();
    expect(await again.json()).toEqual(post);
    expect(await servers.server().client.get(`feed:${post.id}`)).toBe(JSON.stringify(post));
    const page = await (await feed.fetch(new Request("http://localhost/api/feed?author=upstash-user"))).json();
    expect(page.items).toEqual([post]);
    // The host's own client keeps its own behaviour (it still parses JSON values).
    expect(await client.get(`feed:${post.id}`)).toEqual(post);
  });

  it("refuses a client that prefixes keys, naming why, since the feed's keys are always feed:<id>", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const client = new Redis(servers.server().url, { keyPrefix: "app:", lazyConnect: true });
    const response = await createFeed({ env: TEST_ENV, redis: client }).fetch(new Request("http://localhost/api/feed"));
    expect(response.status).toBe(500);
    expect(errors.mock.calls.join("\n")).toContain("without keyPrefix");
    errors.mockRestore();
  });
});

/** A server that mounts `listener` the way Express's app.use("/api/feed", …) does: url below the mount, originalUrl whole. */
async function mountLikeExpress(
  listener: RequestListener,
  prepare = (_req: object) => {},
): Promise<{ base: string; server: Server }> {
  const server = createServer((req, res) => {
    if (!req.url?.startsWith("/api/feed")) {
      res.writeHead(200).end("the host's own route");
      return;
    }
    Object.assign(req, { originalUrl: req.url, url: req.url.slice("/api/feed".length) || "/" });
    prepare(req);
    listener(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as { port: number };
  return { base: `http://127.0.0.1:${address.port}`, server };
}

describe("ephemeral-feed/node", () => {
  it("answers every route under the mount with the whole path, and leaves the host's other routes and globals alone", async () => {
    const NativeRequest = globalThis.Request;
    const { base, server } = await mountLikeExpress(createRequestListener({ env: TEST_ENV }));
    const fetchVia = (request: Request) => {
      const url = new URL(request.url);
      return fetch(`${base}${url.pathname}${url.search}`, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        duplex: "half",
      } as RequestInit);
    };
    const { first } = await publishVia(fetchVia, "node-user");
    expect(first.status).toBe(201);
    const post = await first.json();
    const people = await (await fetch(`${base}/api/feed/people`)).json();
    expect(people.items[0].latest).toEqual(post);
    const token = await tokenFor("node-user");
    const removed = await fetch(`${base}/api/feed/${post.id}`, {
      method: "DELETE",
      headers: { authorization: `Bearer ${token}` },
    });
    expect(removed.status).toBe(204);
    expect(await (await fetch(`${base}/other`)).text()).toBe("the host's own route");
    expect(globalThis.Request).toBe(NativeRequest);
    server.close();
  });

  it("says so when a body parser mounted before it already read the body", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const listener = createRequestListener({ env: TEST_ENV });
    const { base, server } = await mountLikeExpress(listener, (req) => Object.assign(req, { _body: true }));
    const response = await fetch(`${base}/api/feed`, {
      method: "POST",
      body: "{}",
      headers: { "content-type": "application/json" },
    });
    expect(response.status).toBe(500);
    expect(errors.mock.calls.join("\n")).toContain("mount the feed before it");
    errors.mockRestore();
    server.close();
  });
});

describe("ephemeral-feed/next", () => {
  it("gives one catch-all route its GET, POST, DELETE and OPTIONS, each routing by the request's path", async () => {
    const route = createRouteHandlers({ env: TEST_ENV });
    const { first } = await publishVia((request) => route[request.method as "GET" | "POST"](request), "next-user");
    expect(first.status).toBe(201);
    const page = await route.GET(new Request("http://localhost/api/feed?author=next-user"));
    expect((await page.json()).items).toHaveLength(1);
    const options = await route.OPTIONS(new Request("http://localhost/api/feed/people", { method: "OPTIONS" }));
    expect(options.headers.get("allow")).toBe("GET, HEAD, OPTIONS");
    const wrong = await route.DELETE(new Request("http://localhost/api/feed/people", { method: "DELETE" }));
    expect(wrong.status).toBe(405);
  });
});
