// A day of traffic on one region: V viewers polling the first page every few seconds through a CDN model, posts and
// deletes through the real handlers, on a real Redis with a simulated clock. Origin requests and Redis commands are
// counted for the current cache policy and for the one before it, so the policy's saving is measured, not assumed.
import * as feedItem from "../api/feed/[id].js";
import * as feed from "../api/feed/index.js";
import type { Post } from "../lib/schemas.js";
import { type BenchApp, composeBenchApp, createAuthor, signedPostRequest } from "./bench-app.js";
import { CdnRegion, type Origin, POLICIES, type TrafficPolicy } from "./cdn-model.js";
import { completeIndex } from "./cell.js";
import { type CountCheck, checkCounts } from "./count-check.js";
import type { Profile } from "./options.js";
import type { RedisTarget } from "./redis-target.js";
import { type ChangeKind, FeedTruth, planWrites, seededRandom } from "./traffic-events.js";

export interface TrafficRun {
  policy: string;
  viewers: number;
  hours: number;
  views: number;
  posts: number;
  deletes: number;
  originRequests: number;
  notModified: number;
  readCommands: number;
  writeCommands: number;
  /** By what changed the page: how often it did, and the worst time a viewer still got the page from before. */
  staleness: Record<ChangeKind, { worstMs: number; changes: number }>;
  /** 200 pages that were not the model's page at that moment or within EARLY_MS after: must be 0. */
  mismatches: number;
  /** The most a page ran ahead of its moment (read as of just after an expiry due within the second). */
  earlyMs: number;
  countCheck: CountCheck;
}

// The simulated day starts here; the hour before it fills the feed to its steady state.
const START_MS = Date.parse("2026-12-01T00:00:00.000Z");
const HOUR_MS = 3_600_000;
const AUTHORS = 20;
const SEED = 20261201;
// A page due to change within the second is read as of just after the change (lib/feed/page-answer.ts).
const EARLY_MS = 1000;

interface Day {
  bench: BenchApp;
  clock: { now: number };
  truth: FeedTruth;
  run: TrafficRun;
}

function pageOrigin(day: Day, policy: TrafficPolicy, limit: number): Origin {
  return async (at, ifNoneMatch) => {
    const before = day.bench.counter.totals();
    const headers: Record<string, string> = ifNoneMatch ? { "if-none-match": ifNoneMatch } : {};
    const response = await feed.GET(new Request(`http://localhost/api/feed?limit=${limit}`, { headers }));
    const ids = response.status === 200 ? ((await response.json()) as { items: Post[] }).items.map((p) => p.id) : [];
    for (const [name, count] of day.bench.counter.totals()) {
      if (policy.counts(name)) day.run.readCommands += count - (before.get(name) ?? 0);
    }
    if (response.status === 304) day.run.notModified += 1;
    const asOf = response.status === 200 ? day.truth.momentOf(ids, at, EARLY_MS) : at;
    if (asOf === undefined) day.run.mismatches += 1;
    day.run.earlyMs = Math.max(day.run.earlyMs, (asOf ?? at) - at);
    const lifetime = policy.lifetime(response.headers);
    return { status: response.status, etag: response.headers.get("etag"), lifetime, ids, asOf };
  };
}

/** The writes due by `at`, through the real handlers at their own times; what they cost is counted apart. */
function writer(
  day: Day,
  profile: Profile["traffic"],
  ttlMs: number,
  authors: Awaited<ReturnType<typeof createAuthor>>[],
) {
  const plan = planWrites(seededRandom(SEED), (profile.warmupHours + profile.hours) * HOUR_MS, {
    meanGapMs: profile.meanPostGapSeconds * 1000,
    deleteShare: profile.deleteShare,
    ttlMs,
  });
  const writes = [
    ...plan.postAt.map((at, post) => ({ at, post, remove: false })),
    ...[...plan.deleteAt].map(([post, at]) => ({ at, post, remove: true })),
  ].sort((a, b) => a.at - b.at);
  const ids: string[] = [];
  let next = 0;
  return async (at: number) => {
    for (; next < writes.length && START_MS + writes[next].at <= at; next += 1) {
      const write = writes[next];
      day.clock.now = START_MS + write.at;
      const author = authors[write.post % AUTHORS];
      day.bench.counter.reset();
      if (write.remove) {
        const headers = { authorization: `Bearer ${author.token}` };
        const response = await feedItem.DELETE(
          new Request(`http://localhost/api/feed/${ids[write.post]}`, { method: "DELETE", headers }),
        );
        if (response.status !== 204) throw new Error(`delete answered ${response.status}`);
        day.truth.deleted(ids[write.post], day.clock.now);
        if (write.at >= profile.warmupHours * HOUR_MS) day.run.deletes += 1;
      } else {
        const response = await feed.POST(signedPostRequest(day.bench.app, author, `Model post ${write.post}`));
        if (response.status !== 201) throw new Error(`post answered ${response.status}`);
        const post = (await response.json()) as Post;
        ids[write.post] = post.id;
        day.truth.published(post.id, Date.parse(post.createdAt));
        if (write.at >= profile.warmupHours * HOUR_MS) day.run.posts += 1;
      }
      if (write.at >= profile.warmupHours * HOUR_MS) day.run.writeCommands += day.bench.counter.read().commands;
    }
  };
}

/** Worst staleness by the kind of change: for each page read, the last time it was served after the page changed. */
function measureStaleness(truth: FeedTruth, lastServed: Map<number, number>, span: [number, number]) {
  const changes = truth.pageChanges(...span);
  const staleness: TrafficRun["staleness"] = {
    post: { worstMs: 0, changes: changes.post },
    delete: { worstMs: 0, changes: changes.delete },
    expiry: { worstMs: 0, changes: changes.expiry },
  };
  for (const [readAt, servedAt] of lastServed) {
    const change = truth.changeAfter(readAt);
    if (!change || change.at > servedAt) continue;
    staleness[change.kind].worstMs = Math.max(staleness[change.kind].worstMs, servedAt - change.at);
  }
  return staleness;
}

async function simulateDay(
  target: RedisTarget,
  profile: Profile["traffic"],
  policy: TrafficPolicy,
): Promise<TrafficRun> {
  await target.admin.flushdb();
  const clock = { now: START_MS };
  const bench = await composeBenchApp(target.url, () => clock.now);
  try {
    const ttlMs = bench.app.feed.ttlSeconds * 1000;
    const authors = await Promise.all(
      Array.from({ length: AUTHORS }, (_, i) => createAuthor(bench.app, `author_${i}`)),
    );
    const run = { policy: policy.name, viewers: profile.viewers, hours: profile.hours, views: 0, posts: 0, deletes: 0 };
    const counts = { originRequests: 0, notModified: 0, readCommands: 0, writeCommands: 0, mismatches: 0, earlyMs: 0 };
    const day: Day = {
      bench,
      clock,
      truth: new FeedTruth(profile.limit, ttlMs),
      run: { ...run, ...counts } as TrafficRun,
    };
    const region = new CdnRegion(pageOrigin(day, policy, profile.limit), policy.conditional);
    const random = seededRandom(SEED + 1);
    const pollMs = profile.pollSeconds * 1000;
    const phases = Array.from({ length: profile.viewers }, () => Math.floor(random() * pollMs)).sort((a, b) => a - b);
    const writeUntil = writer(day, profile, ttlMs, authors);
    const lastServed = new Map<number, number>();
    const from = START_MS + profile.warmupHours * HOUR_MS;
    // The feed as a deployment has it: the warm-up's posts, and an index checked against them (no rebuild to count).
    await writeUntil(from);
    clock.now = from;
    await completeIndex();
    const sources = { counter: bench.counter, servers: [target.admin] };
    const { check } = await checkCounts(sources, `traffic model, ${policy.name}`, async () => {
      for (let slot = from; slot < from + profile.hours * HOUR_MS; slot += pollMs) {
        for (const phase of phases) {
          await writeUntil(slot + phase);
          clock.now = slot + phase;
          lastServed.set((await region.request(clock.now)).readAt, clock.now);
          day.run.views += 1;
        }
      }
    });
    day.run.originRequests = region.originRequests;
    return {
      ...day.run,
      staleness: measureStaleness(day.truth, lastServed, [from, from + profile.hours * HOUR_MS]),
      countCheck: check,
    };
  } finally {
    bench.close();
  }
}

export async function runTrafficModel(
  target: RedisTarget,
  profile: Profile,
  progress: (line: string) => void,
): Promise<TrafficRun[]> {
  const runs: TrafficRun[] = [];
  for (const policy of POLICIES) {
    const started = performance.now();
    runs.push(await simulateDay(target, profile.traffic, policy));
    progress(`traffic model, ${policy.name}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  return runs;
}
