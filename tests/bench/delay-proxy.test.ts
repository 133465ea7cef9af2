// Proves the benchmark's delay proxy: bytes arrive in order, each direction adds its delay, broken peers do not crash it.
import { connect } from "node:net";
import { performance } from "node:perf_hooks";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DelayProxy, startDelayProxy } from "../../bench/delay-proxy.js";
import { freePort, type RedisServer, startRedisServer } from "../support/redis-server.js";

let server: RedisServer;
const opened: (DelayProxy | Redis)[] = [];

async function proxyTo(targetPort: number, oneWayDelayMs: number): Promise<DelayProxy> {
  const proxy = await startDelayProxy({ targetHost: "127.0.0.1", targetPort, oneWayDelayMs });
  opened.push(proxy);
  return proxy;
}

function clientThrough(proxy: DelayProxy): Redis {
  const client = new Redis(proxy.url, { maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on("error", () => {});
  opened.push(client);
  return client;
}

beforeAll(async () => {
  server = await startRedisServer();
});

afterAll(async () => {
  for (const item of opened) await (item instanceof Redis ? item.disconnect() : item.close());
  await server?.stop();
});

describe("delay proxy", () => {
  it.each([0, 5])("keeps 200 pipelined RPUSHes and their replies in order with a %i ms delay", async (delayMs) => {
    const client = clientThrough(await proxyTo(server.port, delayMs));
    await client.ping(); // connected and ready, so commands go out as they are issued, not as one offline-queue flush
    const key = `delay-proxy:order:${delayMs}`;
    // 1 KB values: commands span TCP chunks, so a reordered chunk would also break the protocol framing.
    const values = Array.from({ length: 200 }, (_, i) => `${i}:${"x".repeat(1000)}`);
    const replies: Promise<number>[] = [];
    for (const [i, value] of values.entries()) {
      replies.push(client.rpush(key, value));
      // Spread the writes over time so they reach the proxy as many chunks with different due times.
      if (i % 20 === 19) await new Promise((resolve) => setTimeout(resolve, 1));
    }
    expect(await Promise.all(replies)).toEqual(values.map((_, i) => i + 1));
    expect(await server.client.lrange(key, 0, -1)).toEqual(values);
  });

  it("adds the delay in each direction: a PING round trip through a 20 ms proxy takes at least 40 ms", async () => {
    const client = clientThrough(await proxyTo(server.port, 20));
    await client.ping();
    const started = performance.now();
    expect(await client.ping()).toBe("PONG");
    // 38, not 40: timers and the clock may each round by a millisecond.
    expect(performance.now() - started).toBeGreaterThanOrEqual(38);
  });

  it("closes the client's connection when the target refuses, and keeps serving others", async () => {
    const proxy = await proxyTo(await freePort(), 5);
    const socket = connect({ host: "127.0.0.1", port: proxy.port });
    socket.on("error", () => {});
    await new Promise((resolve) => socket.once("close", resolve));
    const again = connect({ host: "127.0.0.1", port: proxy.port });
    again.on("error", () => {});
    await new Promise((resolve) => again.once("close", resolve));
  });

  it("survives a client that leaves while its reply is still delayed", async () => {
    const proxy = await proxyTo(server.port, 20);
    const socket = connect({ host: "127.0.0.1", port: proxy.port });
    socket.on("error", () => {});
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.write("PING\r\n");
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(await clientThrough(proxy).ping()).toBe("PONG");
  });
});
