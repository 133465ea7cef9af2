// Cells on a Redis Cluster: what a page and a post cost through the real handlers, counted on every node connection.
import type { Cluster } from "ioredis";
import { type BenchApp, composeClusterBenchApp, postShape } from "./bench-app.js";
import {
  type CellShape,
  completeIndex,
  measurePage,
  measureWrites,
  type PageKind,
  pagePlans,
  runGrid,
} from "./cell.js";
import { type ClusterTarget, startClusterTarget } from "./cluster-target.js";
import { type CountCheck, checkCounts } from "./count-check.js";
import type { Measurement } from "./measure.js";
import type { Profile } from "./options.js";
import { measurePersonReads, type PersonRead } from "./person-reads.js";
import { seedPosts, seedUnrelatedKeys } from "./seed.js";

export interface ClusterCellResult extends CellShape {
  reads: { page: PageKind; project: Measurement }[];
  personReads: PersonRead[];
  write: Measurement;
  /** The counting client against the masters' own counts, for the reads, the reads by person and the writes. */
  countChecks: CountCheck[];
}

/** Starts a cluster, composes the app on it as REDIS_CLUSTER=true does, runs the profile's cluster cells, stops it. */
export async function runClusterCells(
  profile: Profile,
  progress: (line: string) => void,
): Promise<ClusterCellResult[]> {
  const started = performance.now();
  const target = await startClusterTarget();
  let bench: BenchApp<Cluster> | undefined;
  try {
    bench = await composeClusterBenchApp(target.url);
    progress(`Redis Cluster started: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const app = bench;
    return await runGrid(profile.cluster, "cluster, ", (cell) => runClusterCell(app, target, profile, cell), progress);
  } finally {
    bench?.close();
    await target.close();
  }
}

async function runClusterCell(
  bench: BenchApp<Cluster>,
  target: ClusterTarget,
  profile: Profile,
  cell: CellShape,
): Promise<ClusterCellResult> {
  await target.flushAll();
  await seedUnrelatedKeys(target.seeder, cell.otherKeys);
  const entries = await seedPosts(bench.store, postShape(bench), cell.posts, bench.app.feed.now());
  await completeIndex();
  const sources = { counter: bench.counter, servers: target.masters };
  const reads = await checkCounts(sources, "reads", async () => {
    const measured: ClusterCellResult["reads"] = [];
    for (const plan of pagePlans(entries))
      measured.push({ page: plan.page, project: await measurePage(bench, profile, plan) });
    return measured;
  });
  const personReads = await checkCounts(sources, "reads by person", () => measurePersonReads(bench, profile));
  const write = await checkCounts(sources, "writes", () => measureWrites(bench, profile));
  return {
    ...cell,
    reads: reads.result,
    personReads: personReads.result,
    write: write.result,
    countChecks: [reads.check, personReads.check, write.check],
  };
}
