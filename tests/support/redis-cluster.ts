// Starts a throw-away local Redis Cluster (3 masters, 3 replicas) for a test file: random ports, no persistence, killable.
import { Cluster } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { createCluster, HOST, killNode, type NodeProcess, removeNodes, spawnNodes } from "./redis-cluster-nodes.js";

export interface RedisCluster {
  /** redis://127.0.0.1:<port> of one live node, what a user would put in REDIS_URL. */
  url: string;
  /** Every node as started (killed ones included). */
  nodes: { port: number; url: string }[];
  /** An ioredis Cluster client for assertions (closed by stop()). */
  client: Cluster;
  /** Current masters as "127.0.0.1:port" (asked of the cluster, not the start-up layout). */
  masters(): Promise<string[]>;
  /** The port of the master currently serving `key`'s slot. */
  masterFor(key: string): Promise<number>;
  /** SIGSTOP / SIGCONT the node on `port`: it keeps its connections but stops answering, like a hung host. */
  pause(port: number): void;
  resume(port: number): void;
  /** SIGKILL the master on `port`, then wait until its replica is promoted and the cluster is ok again. */
  killMaster(port: number): Promise<void>;
  /** FLUSHALL on every master (our own throw-away cluster). */
  flushAll(): Promise<void>;
  stop(): Promise<void>;
}

const NODE_COUNT = 6;
/** Generous for a loaded 2-core CI machine; a whole start takes about 3 s here. */
const SETTLE_DEADLINE_MS = 20_000;
/** Failure detection (node timeout, then a majority agreeing) plus the election: about 4 s here; room for a slow CI. */
const FAILOVER_DEADLINE_MS = 20_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** One line of CLUSTER NODES: port, flags, and whether it serves slots. */
function parseClusterNodes(text: string): { port: number; flags: string[]; hasSlots: boolean }[] {
  return text
    .trim()
    .split("\n")
    .map((line) => line.split(" "))
    .map((fields) => ({
      port: Number(fields[1].split("@")[0].split(":")[1]),
      flags: fields[2].split(","),
      hasSlots: fields.length > 8,
    }));
}

/** Why the cluster is not settled yet, as seen by every live node; undefined once it is. */
async function clusterProblem(nodes: NodeProcess[]): Promise<string | undefined> {
  const live = nodes.filter((node) => node.alive);
  const livePorts = new Set(live.map((node) => node.port));
  const views = new Set<string>();
  for (const node of live) {
    const info = await node.admin.cluster("INFO");
    if (!info.includes("cluster_state:ok") || !info.includes("cluster_slots_ok:16384"))
      return `node ${node.port}: ${info.split("\r\n").slice(0, 3).join(" ")}`;
    const entries = parseClusterNodes(String(await node.admin.cluster("NODES")));
    for (const { port, flags, hasSlots } of entries) {
      const settled = livePorts.has(port)
        ? flags.includes("slave") || (flags.includes("master") && hasSlots)
        : flags.includes("fail") && !hasSlots;
      // Straight after create, nodes report cluster_state:ok while they still see the replicas as empty masters.
      if (!settled || flags.some((flag) => ["fail?", "handshake", "noaddr"].includes(flag)))
        return `node ${node.port} sees ${port} as ${flags.join(",")}${hasSlots ? " with slots" : ""}`;
    }
    const owners = entries.filter((entry) => entry.hasSlots).map((entry) => entry.port);
    views.add(owners.sort().join(","));
    const replication = await node.admin.info("replication");
    if (replication.includes("role:slave") && !replication.includes("master_link_status:up"))
      return `replica ${node.port} has not synced with its master yet`;
  }
  return views.size > 1 ? `nodes disagree on the masters: ${[...views].join(" vs ")}` : undefined;
}

async function pollUntilSettled(nodes: NodeProcess[], what: string, deadlineMs: number): Promise<void> {
  const started = Date.now();
  let last = "not checked yet";
  while (Date.now() - started < deadlineMs) {
    const problem = await clusterProblem(nodes).catch((error: unknown) => String(error));
    if (problem === undefined) return;
    last = problem;
    await sleep(50);
  }
  throw new Error(`${what}: cluster not settled within ${deadlineMs} ms; last seen: ${last}`);
}

export async function startRedisCluster(): Promise<RedisCluster> {
  const nodes = await spawnNodes(NODE_COUNT);
  const killAllNow = () => {
    for (const node of nodes) node.child.kill("SIGKILL");
  };
  process.once("exit", killAllNow);
  const stopNodes = async () => {
    process.off("exit", killAllNow);
    await removeNodes(nodes);
  };
  try {
    await createCluster(nodes.map((node) => node.port));
    await pollUntilSettled(nodes, "start", SETTLE_DEADLINE_MS);
  } catch (error) {
    await stopNodes();
    throw error;
  }
  const client = new Cluster(nodes.map(({ port }) => ({ host: HOST, port })));
  client.on("error", () => {});
  const anyLive = () => nodes.find((node) => node.alive) ?? nodes[0];
  const slots = () => anyLive().admin.cluster("SLOTS");
  const masters = async () => [...new Set((await slots()).map(([, , [host, port]]) => `${host}:${port}`))].sort();
  return {
    get url() {
      return `redis://${HOST}:${anyLive().port}`;
    },
    nodes: nodes.map(({ port }) => ({ port, url: `redis://${HOST}:${port}` })),
    client,
    masters,
    async masterFor(key) {
      const slot = Number(await anyLive().admin.cluster("KEYSLOT", key));
      const range = (await slots()).find(([from, to]) => from <= slot && slot <= to);
      if (!range) throw new Error(`no master serves slot ${slot} (key ${key})`);
      return range[2][1];
    },
    pause: (port) => void nodes.find((node) => node.port === port)?.child.kill("SIGSTOP"),
    resume: (port) => void nodes.find((node) => node.port === port)?.child.kill("SIGCONT"),
    async killMaster(port) {
      const node = nodes.find((candidate) => candidate.port === port && candidate.alive);
      if (!node || !(await masters()).includes(`${HOST}:${port}`)) throw new Error(`${port} is not a live master`);
      await killNode(node);
      await pollUntilSettled(nodes, `failover after killing master ${port}`, FAILOVER_DEADLINE_MS);
      // Let the client learn the new layout now instead of on its first failed command.
      await new Promise<void>((resolve) => client.refreshSlotsCache(() => resolve()));
    },
    async flushAll() {
      const ports = (await masters()).map((master) => Number(master.split(":")[1]));
      await Promise.all(nodes.filter((node) => ports.includes(node.port)).map((node) => node.admin.flushall()));
    },
    async stop() {
      client.disconnect();
      await stopNodes();
    },
  };
}

/** One cluster per test file: started in beforeAll, stopped in afterAll; the getter is valid inside tests and hooks. */
export function useRedisCluster(): () => RedisCluster {
  let cluster: RedisCluster | undefined;
  beforeAll(async () => {
    cluster = await startRedisCluster();
  });
  afterAll(async () => {
    await cluster?.stop();
  });
  return () => {
    if (!cluster) throw new Error("useRedisCluster(): the cluster exists only inside tests and hooks");
    return cluster;
  };
}
