// Starts a throw-away redis-server for a test file (never a shared one): random port, no persistence, killable.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";

export interface RedisServer {
  url: string;
  port: number;
  /** A plain client for assertions (TTL, raw values); closed by stop(). */
  client: Redis;
  stop(): Promise<void>;
  kill(): Promise<void>;
  start(): Promise<void>;
  /** SIGSTOP/SIGCONT: the server keeps its connections but stops answering, like a hung or overloaded host. */
  pause(): void;
  resume(): void;
}

export function redisServerBinary(): string {
  const found = spawnSync("sh", ["-c", "command -v redis-server"], { encoding: "utf8" }).stdout.trim();
  if (!found)
    throw new Error("redis-server is required for these tests: apt-get install -y redis-server (see README).");
  return found;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitForPing(port: number, deadlineMs = 5000): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < deadlineMs) {
    const probe = new Redis({
      port,
      host: "127.0.0.1",
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on("error", () => {});
    try {
      await probe.connect();
      if ((await probe.ping()) === "PONG") return;
    } catch {
      // not up yet
    } finally {
      probe.disconnect();
    }
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`redis-server on port ${port} did not start`);
}

export async function startRedisServer(extraArgs: string[] = []): Promise<RedisServer> {
  const binary = redisServerBinary();
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "feed-redis-"));
  let child: ChildProcess | undefined;
  const start = async () => {
    child = spawn(
      binary,
      ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir, ...extraArgs],
      {
        stdio: "ignore",
      },
    );
    await waitForPing(port);
  };
  const kill = async () => {
    child?.kill("SIGCONT");
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      running.once("exit", () => resolve());
      running.kill("SIGKILL");
    });
  };
  await start();
  const client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    client,
    start,
    kill,
    pause: () => child?.kill("SIGSTOP"),
    resume: () => child?.kill("SIGCONT"),
    async stop() {
      client.disconnect();
      await kill();
    },
  };
}
