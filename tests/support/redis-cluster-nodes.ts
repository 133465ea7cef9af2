// The processes behind the test Redis Cluster: redis-server nodes on free ports, `redis-cli --cluster create`, SIGKILL.
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { freePort, redisServerBinary, waitForPing } from "./redis-server.js";

export interface NodeProcess {
  port: number;
  dir: string;
  child: ChildProcess;
  /** A plain client to this one node, for CLUSTER INFO/NODES and FLUSHALL. */
  admin: Redis;
  alive: boolean;
}

export const HOST = "127.0.0.1";
/** Short, so a killed master is failed over within seconds. */
const NODE_TIMEOUT_MS = 2000;
/** A node answers PING within a second even on a loaded machine; this only bounds a node that never comes up. */
const NODE_START_DEADLINE_MS = 10_000;
/** `--cluster create` takes about a second here; a hung one must not eat the whole hook timeout. */
const CREATE_DEADLINE_MS = 20_000;
/** Another process may take a port between freePort() and redis-server's bind; retry on fresh ports. */
const START_ATTEMPTS = 3;

async function pickPort(used: Set<number>): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (used.has(port)) continue;
    used.add(port);
    return port;
  }
}

function nodeArgs(port: number, busPort: number, dir: string): string[] {
  // Ephemeral ports go up to 60999, leaving no room for the default bus port (port + 10000): pass --cluster-port.
  const args = ["--port", port, "--cluster-port", busPort, "--cluster-enabled", "yes"];
  args.push("--cluster-config-file", "nodes.conf", "--cluster-node-timeout", NODE_TIMEOUT_MS);
  args.push("--save", "", "--appendonly", "no", "--bind", HOST, "--dir", dir, "--logfile", join(dir, "redis.log"));
  // The default waits 5 s for more replicas before the first full sync; each master here has exactly one.
  args.push("--repl-diskless-sync-delay", "0");
  return args.map(String);
}

async function waitForNode(child: ChildProcess, port: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < NODE_START_DEADLINE_MS) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error("it exited");
    try {
      return await waitForPing(port, 250);
    } catch {
      // not up yet
    }
  }
  throw new Error(`no PONG within ${NODE_START_DEADLINE_MS} ms`);
}

function readLogTail(dir: string): string {
  try {
    return readFileSync(join(dir, "redis.log"), "utf8").split("\n").slice(-20).join("\n");
  } catch {
    return "(no log)";
  }
}

async function spawnNode(binary: string, used: Set<number>): Promise<NodeProcess> {
  for (let attempt = 1; ; attempt++) {
    const [port, busPort] = [await pickPort(used), await pickPort(used)];
    const dir = mkdtempSync(join(tmpdir(), "feed-redis-cluster-"));
    // A child, not --daemonize: tests can SIGKILL/SIGSTOP it, and stop() knows it is gone.
    const child = spawn(binary, nodeArgs(port, busPort, dir), { stdio: "ignore" });
    try {
      await waitForNode(child, port);
      const admin = new Redis({ port, host: HOST, maxRetriesPerRequest: 1, commandTimeout: 2000 });
      admin.on("error", () => {});
      return { port, dir, child, admin, alive: true };
    } catch (error) {
      child.kill("SIGKILL");
      const log = readLogTail(dir);
      rmSync(dir, { recursive: true, force: true });
      if (attempt === START_ATTEMPTS)
        throw new Error(`redis-server on port ${port} did not start (${error}); log:\n${log}`);
    }
  }
}

export async function killNode(node: NodeProcess): Promise<void> {
  node.alive = false;
  node.admin.disconnect();
  const { child } = node;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGCONT");
  child.kill("SIGKILL");
  await exited;
}

export async function removeNodes(nodes: NodeProcess[]): Promise<void> {
  await Promise.all(nodes.map((node) => killNode(node)));
  for (const node of nodes) rmSync(node.dir, { recursive: true, force: true });
}

/** Starts `count` empty cluster-enabled nodes; if any fails to start, the others are stopped before it throws. */
export async function spawnNodes(count: number): Promise<NodeProcess[]> {
  const binary = redisServerBinary();
  const used = new Set<number>();
  const results = await Promise.allSettled(Array.from({ length: count }, () => spawnNode(binary, used)));
  const nodes = results.flatMap((result) => (result.status === "fulfilled" ? [result.value] : []));
  const failed = results.find((result) => result.status === "rejected");
  if (!failed) return nodes;
  await removeNodes(nodes);
  throw failed.reason;
}

/** `redis-cli --cluster create` with one replica per master; throws with redis-cli's output when it fails. */
export async function createCluster(ports: number[]): Promise<void> {
  const args = ["--cluster", "create", ...ports.map((port) => `${HOST}:${port}`), "--cluster-replicas", "1"];
  const cli = spawn("redis-cli", [...args, "--cluster-yes"], { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  cli.stdout.on("data", (chunk) => {
    output += chunk;
  });
  cli.stderr.on("data", (chunk) => {
    output += chunk;
  });
  const timer = setTimeout(() => cli.kill("SIGKILL"), CREATE_DEADLINE_MS);
  const code = await new Promise<number | null>((resolve) => {
    cli.once("error", () => resolve(null));
    cli.once("close", resolve);
  });
  clearTimeout(timer);
  if (code !== 0 || !output.includes("All 16384 slots covered"))
    throw new Error(`redis-cli --cluster create failed (exit ${code}):\n${output}`);
}
