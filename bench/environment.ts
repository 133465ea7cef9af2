// Where the numbers come from: machine, OS, Node, Redis and client versions, and the date of the run.
import { readFileSync } from "node:fs";
import { arch, availableParallelism, cpus, loadavg, release, totalmem, type } from "node:os";
import { type RedisTarget, readInfo } from "./redis-target.js";

export interface Environment {
  date: string;
  machine: string;
  /** Other work on the machine when the run started: loopback latencies follow it. */
  load: string;
  os: string;
  node: string;
  redis: string;
  client: string;
}

function packageVersion(name: string): string {
  const path = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return (JSON.parse(readFileSync(path, "utf8")) as { version: string }).version;
}

export async function describeEnvironment(target: RedisTarget): Promise<Environment> {
  const server = await readInfo(target.admin, "server");
  const gib = (totalmem() / 1024 ** 3).toFixed(1);
  const averages = loadavg()
    .map((value) => value.toFixed(2))
    .join(", ");
  const where = target.owned
    ? "redis-server started by the bench on 127.0.0.1, without persistence (`--save '' --appendonly no`)"
    : "the database given by --redis-url";
  return {
    date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    machine: `${cpus()[0]?.model ?? "unknown CPU"}, ${availableParallelism()} cores, ${gib} GiB RAM`,
    load: `load average ${averages} (1, 5, 15 min) when the run started`,
    os: `${type()} ${release()} ${arch()}`,
    node: process.version,
    redis: `${server.redis_version}: ${where}; the Redis Cluster: 3 masters + 3 replicas of the local redis-server`,
    client: `ioredis ${packageVersion("ioredis")} (the project's TCP store): one connection, or one per cluster node`,
  };
}
