// A lost index rebuilt among other code's keys under `feed:*`, on one node and on a cluster: time, and process memory.
import type { Cluster, Redis } from "ioredis";
import { INDEX_KEY, REBUILD_CURSOR_KEY, REBUILD_INDEX_KEY, REBUILD_LOCK_KEY } from "../lib/feed/keys.js";
import { type BenchApp, composeBenchApp, composeClusterBenchApp, postShape } from "./bench-app.js";
import { startClusterTarget } from "./cluster-target.js";
import { POST_SHAPED_KEYS, seedForeignKeys } from "./foreign-seed.js";
import type { Profile } from "./options.js";
import { PAGE_LIMIT, readUntilComplete } from "./rebuild-delay.js";
import type { RedisTarget } from "./redis-target.js";
import { seedPosts } from "./seed.js";

// Often enough to catch a slice's peak (a slice lasts up to a second), rarely enough to cost nothing measurable.
const RSS_SAMPLE_MS = 20;
const MB = 1024 * 1024;

export interface ForeignKeysRun {
  redis: "one node" | "cluster";
  posts: number;
  /** Foreign 20 KB strings (`feed:user:<n>:timeline`) and hashes (`feed:user:<n>`). */
  timelines: number;
  userHashes: number;
  /** Foreign values under post-shaped names (other types, too long, not JSON). */
  postShaped: number;
  seedSeconds: number;
  /** Each request's time to the last byte, in order; the last one answered the complete page, if any did. */
  requestMs: number[];
  completed: boolean;
  incomplete: number;
  incompletePrivate: number;
  finalPageRight: boolean;
  /** Values the rebuild read (GETRANGE commands): the posts and the post-shaped keys, never a foreign name's. */
  valuesRead: number;
  /** The process's resident memory before the first read and its highest sample until the page was complete. */
  rssBeforeMb: number;
  rssPeakMb: number;
}

/** What a run needs of its Redis: a client to seed with, and a way to empty it. */
interface ForeignTarget {
  redis: ForeignKeysRun["redis"];
  seeder: Redis | Cluster;
  flush(): Promise<void>;
}

/** Every single-node run of the profile, then the cluster runs on a cluster started for them. */
export async function runForeignKeyCells(
  target: RedisTarget,
  profile: Profile,
  progress: (line: string) => void,
): Promise<ForeignKeysRun[]> {
  const { timelines, clusterTimelines } = profile.foreign;
  const single: ForeignTarget = {
    redis: "one node",
    seeder: target.admin,
    flush: async () => void (await target.admin.flushdb()),
  };
  const runs = await runEach(() => composeBenchApp(target.url), single, profile, timelines, progress);
  if (clusterTimelines.length === 0) return runs;
  const cluster = await startClusterTarget();
  try {
    const onCluster: ForeignTarget = { redis: "cluster", seeder: cluster.seeder, flush: () => cluster.flushAll() };
    const compose = () => composeClusterBenchApp(cluster.url);
    return [...runs, ...(await runEach(compose, onCluster, profile, clusterTimelines, progress))];
  } finally {
    await cluster.close();
  }
}

async function runEach(
  compose: () => Promise<BenchApp<Redis | Cluster>>,
  target: ForeignTarget,
  profile: Profile,
  timelineCounts: number[],
  progress: (line: string) => void,
): Promise<ForeignKeysRun[]> {
  const bench = await compose();
  try {
    const runs: ForeignKeysRun[] = [];
    for (const timelines of timelineCounts) {
      const { posts, userHashes } = profile.foreign;
      const run = await runForeignKeys(bench, target, { posts, timelines, userHashes });
      progress(
        `foreign keys, ${run.redis}, ${run.timelines.toLocaleString("en-US")} timelines: ` +
          `${run.requestMs.length} requests, RSS ${run.rssBeforeMb.toFixed(0)} → ${run.rssPeakMb.toFixed(0)} MB`,
      );
      runs.push(run);
    }
    return runs;
  } finally {
    bench.close();
  }
}

/** Seeds the foreign keys and the posts, drops the index, then reads pages until one is complete. */
async function runForeignKeys(
  bench: BenchApp<Redis | Cluster>,
  target: ForeignTarget,
  counts: { posts: number; timelines: number; userHashes: number },
): Promise<ForeignKeysRun> {
  const seedStarted = performance.now();
  await target.flush();
  await seedForeignKeys(target.seeder, counts);
  const entries = await seedPosts(bench.store, postShape(bench), counts.posts, bench.app.feed.now());
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  const newestIds = entries.slice(0, PAGE_LIMIT).map((entry) => entry.id);
  // The index lost as eviction loses it, with no rebuild under way (all `{feed}` keys: one slot on a cluster).
  await target.seeder.del(INDEX_KEY, REBUILD_LOCK_KEY, REBUILD_CURSOR_KEY, REBUILD_INDEX_KEY);
  const readsBefore = bench.counter.totals().get("getrange") ?? 0;
  const { result, rssBeforeMb, rssPeakMb } = await sampleRss(() => readUntilComplete(bench, newestIds));
  const { roundTrips: _, ...outcome } = result;
  return {
    redis: target.redis,
    ...counts,
    postShaped: POST_SHAPED_KEYS,
    seedSeconds,
    ...outcome,
    valuesRead: (bench.counter.totals().get("getrange") ?? 0) - readsBefore,
    rssBeforeMb,
    rssPeakMb,
  };
}

/** Runs `run` while sampling the process's RSS on a timer, and once more at the end. */
async function sampleRss<T>(run: () => Promise<T>): Promise<{ result: T; rssBeforeMb: number; rssPeakMb: number }> {
  const before = process.memoryUsage.rss();
  let peak = before;
  const sample = () => {
    peak = Math.max(peak, process.memoryUsage.rss());
  };
  const timer = setInterval(sample, RSS_SAMPLE_MS);
  try {
    const result = await run();
    sample();
    return { result, rssBeforeMb: before / MB, rssPeakMb: peak / MB };
  } finally {
    clearInterval(timer);
  }
}
