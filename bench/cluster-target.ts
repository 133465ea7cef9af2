// The Redis Cluster the bench measures: a throw-away local one (3 masters, 3 replicas) that it starts and stops.
import { Cluster, Redis } from "ioredis";
import { startRedisCluster } from "../tests/support/redis-cluster.js";

export interface ClusterTarget {
  /** One node's URL, what a user would put in REDIS_URL. */
  url: string;
  /** For seeding: a cluster client that batches concurrent writes into one pipeline per master. */
  seeder: Cluster;
  /** One plain connection per master, for INFO (the counts the bench checks are summed over them). */
  masters: Redis[];
  flushAll(): Promise<void>;
  close(): Promise<void>;
}

const parseAddress = (address: string) => {
  const [host, port] = address.split(":");
  return { host, port: Number(port) };
};

export async function startClusterTarget(): Promise<ClusterTarget> {
  const cluster = await startRedisCluster();
  try {
    const masters = (await cluster.masters()).map((address) => {
      const master = new Redis({ ...parseAddress(address), maxRetriesPerRequest: 1 });
      master.on("error", () => {});
      return master;
    });
    const { hostname, port } = new URL(cluster.url);
    const seeder = new Cluster([{ host: hostname, port: Number(port) }], { enableAutoPipelining: true });
    seeder.on("error", () => {});
    return {
      url: cluster.url,
      seeder,
      masters,
      flushAll: () => cluster.flushAll(),
      async close() {
        seeder.disconnect();
        for (const master of masters) master.disconnect();
        await cluster.stop();
      },
    };
  } catch (error) {
    await cluster.stop();
    throw error;
  }
}
