// Starts `npm run dev` (its predev step rebuilds the page bundle), or its server alone, on a free port with no credentials.
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../../..");
// Set to "" rather than deleted: empty counts as unset, and it also masks a developer's .env.local.
const CREDENTIALS = [
  "UPSTASH_REDIS_REST_URL",
  "UPSTASH_REDIS_REST_TOKEN",
  "KV_REST_API_URL",
  "KV_REST_API_TOKEN",
  "REDIS_URL",
  "CLOUDINARY_URL",
  "CLOUDINARY_CLOUD_NAME",
  "CLOUDINARY_API_KEY",
  "CLOUDINARY_API_SECRET",
  "AUTH_JWT_SECRET",
  "AUTH_JWKS_URL",
  "FEED_READ_REQUIRES_AUTH",
  "FEED_TTL_SECONDS",
  "VERCEL_ENV",
];
const READY_TIMEOUT_MS = 30_000;
const TSX = resolve(ROOT, "node_modules/.bin/tsx");

export interface DevServerOptions {
  /** Variables set on top of the cleared credentials, e.g. a short FEED_TTL_SECONDS. */
  env?: Record<string, string>;
  /** Start the server script alone, without `npm run dev`'s page build (for tests that never load the page). */
  skipBuild?: boolean;
}

export interface DevServer {
  /** http://localhost:<port>: the origin the local media store builds its URLs with. */
  baseUrl: string;
  /** Stops the server and starts a fresh one on the same port: new signing secret, empty in-process store. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, "close");
  return port;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const port = await freePort();
  const baseUrl = `http://localhost:${port}`;
  let child = await spawnReady(port, baseUrl, options);
  return {
    baseUrl,
    async restart() {
      await stopGroup(child);
      // npm exits before its node grandchild lets go of the port: the old server must not answer the readiness check.
      await waitUntilClosed(baseUrl);
      child = await spawnReady(port, baseUrl, options);
    },
    stop: () => stopGroup(child),
  };
}

async function spawnReady(port: number, baseUrl: string, options: DevServerOptions): Promise<ChildProcess> {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), NODE_ENV: "development" };
  for (const name of CREDENTIALS) env[name] = "";
  Object.assign(env, options.env);
  // Its own process group, so npm, tsx and node all stop together.
  const [command, ...args] = options.skipBuild ? [TSX, "scripts/dev-server.ts"] : ["npm", "run", "dev"];
  const child = spawn(command, args, { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (chunk) => (output += chunk));
  child.stderr?.on("data", (chunk) => (output += chunk));
  try {
    await waitUntilReady(baseUrl, child);
  } catch (error) {
    await stopGroup(child);
    throw new Error(`npm run dev did not start: ${(error as Error).message}\n${output}`);
  }
  return child;
}

async function waitUntilReady(baseUrl: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`it exited with code ${child.exitCode}`);
    const response = await fetch(`${baseUrl}/api/dev/sign-in`).catch(() => undefined);
    if (response?.ok) return;
    await new Promise((done) => setTimeout(done, 150));
  }
  throw new Error(`no answer on ${baseUrl} within ${READY_TIMEOUT_MS} ms`);
}

async function waitUntilClosed(baseUrl: string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const answered = await fetch(`${baseUrl}/api/dev/sign-in`).then(
      () => true,
      () => false,
    );
    if (!answered) return;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${baseUrl} still answers ${READY_TIMEOUT_MS} ms after being stopped`);
}

async function stopGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null) return;
  const exited = once(child, "exit");
  process.kill(-child.pid, "SIGTERM");
  const timer = setTimeout(() => child.pid && process.kill(-child.pid, "SIGKILL"), 3000);
  await exited;
  clearTimeout(timer);
}
