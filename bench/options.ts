// Command-line flags and the two run profiles: the full matrix from the issue, and a seconds-long smoke run for CI.
import { parseArgs } from "node:util";

export interface Profile {
  name: "full" | "smoke";
  /** Live posts per cell (N). */
  posts: number[];
  /** Unrelated keys per cell (M). */
  otherKeys: number[];
  project: { samples: number; warmup: number };
  baseline: { samples: number; warmup: number };
  writes: { samples: number; warmup: number };
  /** The people read and an author's page, in every single-node and cluster cell. */
  personReads: { samples: number; warmup: number };
  /** Cells on a local Redis Cluster (3 masters): page and post costs, measured like the single-node ones. */
  cluster: { posts: number[]; otherKeys: number[] };
  /** A lost index rebuilt by successive readers: N posts among M other keys, behind each one-way delay. */
  rebuild: { posts: number; otherKeys: number; oneWayDelaysMs: number[] };
  /**
   * A lost index rebuilt among other code's keys under `feed:*`: 20 KB strings (one run per count), hashes, and a few
   * keys shaped like a post's that hold something else; on one node, and on the cluster.
   */
  foreign: { posts: number; timelines: number[]; userHashes: number; clusterTimelines: number[] };
  /**
   * The origin's CPU per page against the least-work page, over TCP and over REST: requests per round (REST rounds
   * are slower), rounds per handler, requests in flight, and a time cap per round.
   */
  origin: { requests: number; restRequests: number; repeats: number; concurrency: number; maxSeconds: number };
  /**
   * The traffic model: viewers in one region polling the first `limit` posts every `pollSeconds`, for `hours` after
   * `warmupHours` of posts alone; posts `meanPostGapSeconds` apart on average, `deleteShare` of them deleted.
   */
  traffic: {
    viewers: number;
    pollSeconds: number;
    limit: number;
    hours: number;
    warmupHours: number;
    meanPostGapSeconds: number;
    deleteShare: number;
  };
  /** Where the markdown goes; the smoke run only prints it, so the committed results are never a smoke run's. */
  outFile?: string;
}

// Sample counts chosen so the full matrix takes a few minutes on 2 cores: the baseline's heaviest cell costs
// ~0.3 s per request, the project's ~0.5 ms, so the project gets far more samples for a stable p95. The rebuild
// walks a million keys (the scale where it needs several readers) behind no delay, a same-region and a
// cross-region link.
const FULL: Profile = {
  name: "full",
  posts: [100, 1000, 10_000],
  otherKeys: [0, 200_000],
  project: { samples: 1000, warmup: 100 },
  baseline: { samples: 30, warmup: 3 },
  writes: { samples: 500, warmup: 50 },
  // Fewer than a page's: costs are exact from the first request, and these reads are ~1 ms, so ten cells add seconds.
  personReads: { samples: 200, warmup: 20 },
  cluster: { posts: [1000, 10_000], otherKeys: [0, 200_000] },
  rebuild: { posts: 1000, otherKeys: 1_000_000, oneWayDelaysMs: [0, 5, 25] },
  // The shared-Redis incident's scale (10,000 timelines of 20 KB), and a tenth of it: memory must not follow the count.
  foreign: { posts: 1000, timelines: [1000, 10_000], userHashes: 1000, clusterTimelines: [10_000] },
  // About 2 s a round over TCP: 7 paired rounds give a median and a spread without hogging the shared cores.
  origin: { requests: 4000, restRequests: 1500, repeats: 7, concurrency: 16, maxSeconds: 20 },
  // 35 viewers polling every 3 s are 1,008,000 views a day; the SDK's watch reads 50 posts; a post a minute, one in 20
  // deleted by its author.
  traffic: {
    viewers: 35,
    pollSeconds: 3,
    limit: 50,
    hours: 24,
    warmupHours: 1,
    meanPostGapSeconds: 60,
    deleteShare: 0.05,
  },
  outFile: "docs/benchmarks.md",
};

const SMOKE: Profile = {
  name: "smoke",
  posts: [50, 200],
  otherKeys: [0, 5000],
  project: { samples: 30, warmup: 5 },
  baseline: { samples: 3, warmup: 1 },
  writes: { samples: 20, warmup: 2 },
  personReads: { samples: 20, warmup: 2 },
  cluster: { posts: [50], otherKeys: [2000] },
  rebuild: { posts: 200, otherKeys: 20_000, oneWayDelaysMs: [5] },
  foreign: { posts: 100, timelines: [100, 500], userHashes: 50, clusterTimelines: [200] },
  origin: { requests: 200, restRequests: 100, repeats: 2, concurrency: 8, maxSeconds: 5 },
  // The full day's model, for an hour of five viewers.
  traffic: { ...FULL.traffic, viewers: 5, hours: 1 },
};

export interface BenchOptions {
  profile: Profile;
  /** An empty, throw-away Redis to use instead of starting a redis-server. */
  redisUrl?: string;
}

const USAGE = "usage: npm run bench [-- --smoke] [-- --redis-url redis://127.0.0.1:6379/15]";

/** A problem with how the bench was started: reported as one line and the usage, without a stack. */
export class UsageError extends Error {
  constructor(message: string) {
    super(`${message}\n${USAGE}`);
    this.name = "UsageError";
  }
}

export function readOptions(argv: string[]): BenchOptions {
  const options = { smoke: { type: "boolean", default: false }, "redis-url": { type: "string" } } as const;
  let values: { smoke?: boolean; "redis-url"?: string };
  try {
    ({ values } = parseArgs({ args: argv, options, strict: true }));
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
  const redisUrl = values["redis-url"];
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl))
    throw new UsageError("--redis-url must be a redis:// URL");
  return { profile: values.smoke ? SMOKE : FULL, redisUrl };
}
