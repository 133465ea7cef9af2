// One SCAN step on every master of a Redis Cluster, each with its own cursor: a single cursor walk through a cluster
// client would wander between nodes and miss keys.
import type { Cluster } from "ioredis";
import type { ScanStep } from "./feed-store.js";

interface ClusterCursor {
  /** Every master when the walk began ("host:port", sorted). */
  masters: string[];
  /** The masters still being walked, and where each one's walk goes on. */
  pending: Record<string, string>;
}

export async function scanClusterStep(
  cluster: Cluster,
  cursor: string | null,
  match: string,
  count: number,
): Promise<ScanStep> {
  const nodes = new Map(cluster.nodes("master").map((node) => [`${node.options.host}:${node.options.port}`, node]));
  const masters = [...nodes.keys()].sort();
  // Before the first connection the client knows no nodes; a walk of none would look complete.
  if (masters.length === 0) throw new Error("the cluster's masters are not known yet");
  let walk = parseCursor(cursor);
  // After a failover or a new master, saved cursors mean nothing on the new nodes: the walk starts again.
  if (walk?.masters.join() !== masters.join()) {
    walk = { masters, pending: Object.fromEntries(masters.map((address) => [address, "0"])) };
  }
  const steps = await Promise.all(
    Object.entries(walk.pending).map(async ([address, at]) => {
      const node = nodes.get(address);
      if (!node) throw new Error(`cluster master ${address} is gone`);
      const [next, keys] = await node.scan(at, "MATCH", match, "COUNT", count);
      return { address, next, keys };
    }),
  );
  const pending = Object.fromEntries(
    steps.filter((step) => step.next !== "0").map((step) => [step.address, step.next]),
  );
  const done = Object.keys(pending).length === 0;
  return { keys: steps.flatMap((step) => step.keys), cursor: done ? null : JSON.stringify({ masters, pending }) };
}

function parseCursor(cursor: string | null): ClusterCursor | null {
  try {
    const walk = JSON.parse(cursor ?? "null") as ClusterCursor | null;
    return Array.isArray(walk?.masters) && typeof walk.pending === "object" ? walk : null;
  } catch {
    return null; // a cursor saved by a single-node deployment
  }
}
