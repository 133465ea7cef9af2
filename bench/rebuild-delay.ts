// A lost index rebuilt by successive readers while Redis sits behind an added network delay (a TCP delay proxy).
import type { Cluster, Redis } from "ioredis";
import * as feed from "../api/feed/index.js";
import { INDEX_KEY, REBUILD_CURSOR_KEY, REBUILD_INDEX_KEY, REBUILD_LOCK_KEY } from "../lib/feed/keys.js";
import { type BenchApp, composeBenchApp, pageRequest, postShape } from "./bench-app.js";
import { type CountCheck, checkCounts } from "./count-check.js";
import { startDelayProxy } from "./delay-proxy.js";
import type { Profile } from "./options.js";
import type { RedisTarget } from "./redis-target.js";
import { seedPosts, seedUnrelatedKeys } from "./seed.js";

// What the handler answers while the index is incomplete: no cache may keep such a page.
export const INCOMPLETE_CACHE_CONTROL = "private, no-store";
// The page the readers ask for.
export const PAGE_LIMIT = 20;
// A rebuild that needs more readers than this is stuck, not slow (a million keys take about a dozen at 25 ms).
const MAX_READERS = 200;

export interface RebuildRun {
  oneWayDelayMs: number;
  /** Each request's time to the last byte, in order; the last one answered the complete page, if any did. */
  requestMs: number[];
  /** Sequential round trips over all the requests. */
  roundTrips: number;
  completed: boolean;
  /** Responses before the complete one, and how many of them said `private, no-store`. */
  incomplete: number;
  incompletePrivate: number;
  /** The complete page holds exactly the newest posts, newest first. */
  finalPageRight: boolean;
  countCheck: CountCheck;
}

export interface RebuildResult {
  posts: number;
  otherKeys: number;
  seedSeconds: number;
  runs: RebuildRun[];
}

/** Seeds once (directly, no delay), then for each delay drops the index and reads through a proxy until complete. */
export async function runRebuildsBehindDelays(
  target: RedisTarget,
  profile: Profile,
  progress: (line: string) => void,
): Promise<RebuildResult> {
  const { posts, otherKeys, oneWayDelaysMs } = profile.rebuild;
  const seedStarted = performance.now();
  await target.admin.flushdb();
  await seedUnrelatedKeys(target.admin, otherKeys);
  const direct = await composeBenchApp(target.url);
  const entries = await seedPosts(direct.store, postShape(direct), posts, direct.app.feed.now()).finally(() =>
    direct.close(),
  );
  const seedSeconds = (performance.now() - seedStarted) / 1000;
  progress(
    `rebuild data seeded (${posts.toLocaleString("en-US")} posts among ${otherKeys.toLocaleString("en-US")} keys): ${seedSeconds.toFixed(1)} s`,
  );
  const newestIds = entries.slice(0, PAGE_LIMIT).map((entry) => entry.id);
  const runs: RebuildRun[] = [];
  for (const oneWayDelayMs of oneWayDelaysMs) {
    const run = await rebuildBehindDelay(target, oneWayDelayMs, newestIds);
    progress(`rebuild at ${oneWayDelayMs} ms one way: requests: ${run.requestMs.length}`);
    runs.push(run);
  }
  return { posts, otherKeys, seedSeconds, runs };
}

async function rebuildBehindDelay(
  target: RedisTarget,
  oneWayDelayMs: number,
  newestIds: string[],
): Promise<RebuildRun> {
  const redisUrl = new URL(target.url);
  const proxy = await startDelayProxy({
    targetHost: redisUrl.hostname,
    targetPort: Number(redisUrl.port || 6379),
    oneWayDelayMs,
  });
  // The target's URL with the proxy's address, so a password or database number in it still applies.
  const proxiedUrl = new URL(target.url);
  proxiedUrl.hostname = "127.0.0.1";
  proxiedUrl.port = String(proxy.port);
  let bench: BenchApp | undefined;
  try {
    bench = await composeBenchApp(proxiedUrl.toString());
    // The index lost as eviction loses it, with no rebuild under way.
    await target.admin.del(INDEX_KEY, REBUILD_LOCK_KEY, REBUILD_CURSOR_KEY, REBUILD_INDEX_KEY);
    const app = bench;
    const sources = { counter: app.counter, servers: [target.admin] };
    const { result, check } = await checkCounts(sources, `rebuild, ${oneWayDelayMs} ms`, () =>
      readUntilComplete(app, newestIds),
    );
    return { oneWayDelayMs, ...result, countCheck: check };
  } finally {
    bench?.close();
    await proxy.close();
  }
}

/** `GET /api/feed?limit=20` one reader after another, as successive visitors would, until a page is complete. */
export async function readUntilComplete(bench: Pick<BenchApp<Redis | Cluster>, "counter">, newestIds: string[]) {
  const requestMs: number[] = [];
  let roundTrips = 0;
  let incompletePrivate = 0;
  while (requestMs.length < MAX_READERS) {
    bench.counter.reset();
    const started = performance.now();
    const response = await feed.GET(pageRequest(PAGE_LIMIT));
    const body = await response.text();
    requestMs.push(performance.now() - started);
    roundTrips += bench.counter.read().roundTrips;
    if (response.status !== 200) throw new Error(`rebuild read: ${response.status} ${body}`);
    const cacheControl = response.headers.get("cache-control") ?? "";
    if (cacheControl.startsWith("public")) {
      const ids = (JSON.parse(body) as { items: { id: string }[] }).items.map((post) => post.id);
      const finalPageRight = ids.join() === newestIds.join();
      return {
        requestMs,
        roundTrips,
        completed: true,
        incomplete: requestMs.length - 1,
        incompletePrivate,
        finalPageRight,
      };
    }
    if (cacheControl === INCOMPLETE_CACHE_CONTROL) incompletePrivate += 1;
  }
  return {
    requestMs,
    roundTrips,
    completed: false,
    incomplete: requestMs.length,
    incompletePrivate,
    finalPageRight: false,
  };
}
