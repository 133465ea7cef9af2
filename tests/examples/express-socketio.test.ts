// examples/express-socketio, installed from the packed tarball and run as its own process against a real Redis: the
// chat keeps working, a socket.io client hears `feed:published` within 1 s of a publish, and the feed's contract
// holds under /api/feed with the chat's own sign-in.
import { createRequire } from "node:module";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, type RedisServer, startRedisServer } from "../support/redis-server.js";
import { type CloudinaryStandIn, startCloudinaryStandIn } from "./support/cloudinary-stand-in.js";
import { type Caller, checkFeedContract, publishThroughHost } from "./support/feed-contract.js";
import { type HostProcess, startHost } from "./support/host-process.js";
import { installPackedFeed, ROOT } from "./support/packed-feed.js";

const EXAMPLE = join(ROOT, "examples/express-socketio");

interface Socket {
  on(event: string, listener: (...args: never[]) => void): void;
  once(event: string, listener: (...args: never[]) => void): void;
  emitWithAck(event: string, ...args: unknown[]): Promise<unknown>;
  disconnect(): void;
}
type Connect = (url: string, options: object) => Socket;

let redis: RedisServer;
let cloudinary: CloudinaryStandIn;
let host: HostProcess;
let connect: Connect;
const sockets: Socket[] = [];

beforeAll(async () => {
  await installPackedFeed(EXAMPLE);
  // The chat's own browser client, from the example's dependencies (the root does not depend on socket.io).
  const clientPath = createRequire(join(EXAMPLE, "package.json")).resolve("socket.io-client");
  connect = (await import(pathToFileURL(clientPath).href)).io;
  [redis, cloudinary] = await Promise.all([startRedisServer(), startCloudinaryStandIn()]);
  host = await startHost({
    command: "node",
    args: ["server.js"],
    cwd: EXAMPLE,
    env: { REDIS_URL: redis.url, CLOUDINARY_URL: cloudinary.cloudinaryUrl, NODE_ENV: "production" },
    port: await freePort(),
    readyPath: "/chat/messages",
  });
}, 300_000);

afterAll(async () => {
  for (const socket of sockets) socket.disconnect();
  await host?.stop();
  await cloudinary?.close();
  await redis?.stop();
});

async function signIn(name: string): Promise<{ token: string; caller: Caller }> {
  const response = await fetch(`${host.baseUrl}/chat/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ name }),
  });
  expect(response.status).toBe(200);
  const { token } = await response.json();
  return { token, caller: { headers: { authorization: `Bearer ${token}` }, userId: `user-${name.toLowerCase()}` } };
}

async function socketFor(token: string): Promise<Socket> {
  const socket = connect(host.baseUrl, { auth: { token }, transports: ["websocket"], reconnection: false });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once("connect", () => resolve());
    socket.once("connect_error", (error: Error) => reject(error));
  });
  return socket;
}

describe("examples/express-socketio", () => {
  it("keeps the chat working: sign-in, messages to every socket, and the history in Redis", async () => {
    const ada = await signIn("Ada");
    const bo = await signIn("Bo");
    const [adaSocket, boSocket] = await Promise.all([socketFor(ada.token), socketFor(bo.token)]);
    const heard = new Promise((resolve) => boSocket.once("chat:message", resolve));
    await adaSocket.emitWithAck("chat:message", "hello from the chat");
    expect(await heard).toMatchObject({ from: "Ada", text: "hello from the chat" });
    const history = await (await fetch(`${host.baseUrl}/chat/messages`)).json();
    expect(history.at(-1)).toMatchObject({ from: "Ada", text: "hello from the chat" });
    expect(await redis.client.llen("chat:messages")).toBeGreaterThan(0);
  });

  it("broadcasts feed:published on the chat's socket within 1 s of a publish", async () => {
    const ada = await signIn("Ada");
    const watcher = await socketFor((await signIn("Cy")).token);
    let sentAt = 0;
    const heard = new Promise<{ post: { id: string }; ms: number }>((resolve) =>
      watcher.once("feed:published", (post: { id: string }) => resolve({ post, ms: performance.now() - sentAt })),
    );
    const post = await publishThroughHost(host.baseUrl, ada.caller, "live to every socket", () => {
      sentAt = performance.now();
    });
    const { post: told, ms } = await heard;
    expect(told).toEqual(post);
    expect(ms).toBeLessThan(1000);
    const removed = new Promise((resolve) => watcher.once("feed:removed", resolve));
    await fetch(`${host.baseUrl}/api/feed/${post.id}`, { method: "DELETE", headers: ada.caller.headers });
    expect(await removed).toEqual({ id: post.id, reason: "deleted" });
  });

  it("holds the feed's HTTP contract on the mounted path, with the chat's sign-in as identity", async () => {
    const { caller } = await signIn("Dee");
    await checkFeedContract(host.baseUrl, caller, { headers: {}, userId: "" });
    // The feed's keys and the chat's share one Redis and never overlap.
    expect(await redis.client.keys("chat:*")).toEqual(["chat:messages"]);
  });
});
