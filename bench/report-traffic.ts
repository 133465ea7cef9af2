// The report's table for the traffic model: one region's origin requests and Redis commands a day, and staleness.
import { num, row, section } from "./markdown.js";
import type { TrafficRun } from "./traffic-model.js";

/** A run's count scaled to a day (a smoke run simulates an hour). */
export const perDay = (run: TrafficRun, count: number) => Math.round((count * 24) / run.hours);

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

const PROSE = [
  "One region: V viewers each polling `GET /api/feed?limit=50` (the SDK's watch) every 3 s at a random phase, through",
  "a model of Vercel's CDN (a page is fresh for its max-age, then served stale for its stale-while-revalidate window",
  "while one revalidation goes to the origin, with If-None-Match when it has an ETag; past both, the request waits;",
  "private or no-store answers are not kept). Posts arrive at random (exponential gaps, a minute on average) and one",
  "in 20 is deleted by its author at a random point of its life, all through the real handlers; every post expires",
  "after the hour. The origin is the real handler on a real redis-server with a simulated clock (an hour of posts",
  "first, then the day); origin answers count as instant. Redis commands are those the page reads sent, counted by the",
  "counting client (checked against INFO commandstats); before: the same day with the former flat `s-maxage=2,",
  "stale-while-revalidate=8` and body-hash ETags, whose every revalidation cost the full read (ZRANGE + ZSCORE, then",
  "MGET: today's full read less its GET of the version). Staleness: for each page served, how long after the page",
  "changed (by a post, a delete or an expiry, per the model's own record of the feed) a viewer still got it; both",
  "policies bound it at max-age + stale-while-revalidate = 10 s. Early: a page due to change within the second is",
  "read as of just after the change, so a post may leave it that much early.",
];

const COLUMNS: [string, string][] = [
  ["policy", "---"],
  ["viewers", "--:"],
  ["views/day", "--:"],
  ["posts, deletes", "--:"],
  ["origin requests/day", "--:"],
  ["of which 304", "--:"],
  ["Redis commands/day (reads)", "--:"],
  ["worst staleness after a post", "--:"],
  ["after a delete", "--:"],
  ["after an expiry", "--:"],
  ["early", "--:"],
  ["pages not the model's", "--:"],
];

function rowOf(run: TrafficRun): string {
  const { post, delete: removal, expiry } = run.staleness;
  const stale = (kind: { worstMs: number; changes: number }) =>
    `${seconds(kind.worstMs)} (${num(kind.changes)} changes)`;
  return row([
    run.policy,
    run.viewers,
    num(perDay(run, run.views)),
    `${num(run.posts)}, ${num(run.deletes)}`,
    num(perDay(run, run.originRequests)),
    num(perDay(run, run.notModified)),
    num(perDay(run, run.readCommands)),
    stale(post),
    stale(removal),
    stale(expiry),
    seconds(run.earlyMs),
    run.mismatches,
  ]);
}

export function renderTraffic(runs: TrafficRun[]): string[] {
  const hours = runs[0]?.hours ?? 0;
  const title = `Traffic model: one region, ${hours} simulated hour${hours === 1 ? "" : "s"} (per-day figures scaled)`;
  return section(title, PROSE, COLUMNS, runs.map(rowOf));
}
