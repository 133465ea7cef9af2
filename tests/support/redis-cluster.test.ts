// Proves the throw-away Redis Cluster support: its layout, slot routing, cross-slot refusal and master failover.
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { useRedisCluster } from "./redis-cluster.js";

const cluster = useRedisCluster();
const plainClients = new Map<number, Redis>();

/** A plain (not cluster-aware) client to one node, closed after the file. */
function plainClient(port: number): Redis {
  const existing = plainClients.get(port);
  if (existing) return existing;
  const client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: 1 });
  client.on("error", () => {});
  plainClients.set(port, client);
  return client;
}

/** CLUSTER NODES as { id, port, role, masterId } per node. */
async function clusterNodes(port: number) {
  const text = String(await plainClient(port).cluster("NODES"));
  return text
    .trim()
    .split("\n")
    .map((line) => line.split(" "))
    .map(([id, address, flags, masterId]) => ({
      id,
      port: Number(address.split("@")[0].split(":")[1]),
      role: flags.includes("master") ? "master" : flags.includes("slave") ? "replica" : flags,
      masterId,
    }));
}

afterAll(() => {
  for (const client of plainClients.values()) client.disconnect();
});

describe("throw-away Redis Cluster", () => {
  it("runs 3 masters, each with 1 replica", async () => {
    const nodes = await clusterNodes(cluster().nodes[0].port);
    const masters = nodes.filter((node) => node.role === "master");
    const replicas = nodes.filter((node) => node.role === "replica");
    expect(masters).toHaveLength(3);
    expect(replicas).toHaveLength(3);
    expect(new Set(replicas.map((replica) => replica.masterId))).toEqual(new Set(masters.map((master) => master.id)));
    expect(await cluster().masters()).toEqual(masters.map((master) => `127.0.0.1:${master.port}`).sort());
  });

  it("spreads keys over every master, each readable from the master masterFor() names", async () => {
    const keys = Array.from({ length: 30 }, (_, i) => `spread:${i}`);
    await Promise.all(keys.map((key) => cluster().client.set(key, key)));
    const owners = await Promise.all(keys.map((key) => cluster().masterFor(key)));
    expect(new Set(owners).size).toBe(3);
    // A plain client gets MOVED for keys another node serves, so these reads prove masterFor() is right.
    const values = await Promise.all(keys.map((key, i) => plainClient(owners[i]).get(key)));
    expect(values).toEqual(keys);
  });

  it("answers CROSSSLOT to an MGET over two slots", async () => {
    const [a, b] = ["{slot-a}:x", "{slot-b}:y"];
    expect(await cluster().client.cluster("KEYSLOT", a)).not.toBe(await cluster().client.cluster("KEYSLOT", b));
    await expect(cluster().client.mget(a, b)).rejects.toThrow(/CROSSSLOT/);
  });

  it("promotes the replica when a master is killed, keeping a write acknowledged by WAIT", async () => {
    const key = "survivor";
    const oldMaster = await cluster().masterFor(key);
    const nodes = await clusterNodes(oldMaster);
    const oldMasterId = nodes.find((node) => node.port === oldMaster)?.id;
    const replica = nodes.find((node) => node.masterId === oldMasterId)?.port;
    const writer = plainClient(oldMaster);
    await writer.set(key, "still here");
    expect(await writer.wait(1, 0)).toBe(1);

    await cluster().killMaster(oldMaster);

    expect(await cluster().masterFor(key)).toBe(replica);
    expect(await cluster().masters()).toHaveLength(3);
    expect(await cluster().masters()).not.toContain(`127.0.0.1:${oldMaster}`);
    expect(await cluster().client.get(key)).toBe("still here");
  });
});
