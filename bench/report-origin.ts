// The report's table for the origin's CPU per page against the least-work page, over TCP and over REST.
import { num, ratio, row, section } from "./markdown.js";
import { percentile } from "./measure.js";
import type { OriginCpuRun, OriginRound } from "./origin-cpu.js";

export interface Spread {
  median: number;
  min: number;
  max: number;
}

export function spreadOf(values: number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  return { median: percentile(sorted, 50), min: sorted[0], max: sorted[sorted.length - 1] };
}

/** Project CPU per page over the least-work page's, round by round (each pair ran back to back). */
export function pairedRatios(run: OriginCpuRun): number[] {
  const of = (kind: OriginRound["kind"]) => run.rounds.filter((round) => round.kind === kind);
  const least = of("least");
  return of("project").map((round, i) => round.cpuMsPerPage / least[i].cpuMsPerPage);
}

const PROSE = [
  "Each handler runs in a child process of its own behind `@hono/node-server`'s `getRequestListener`, with its request",
  "log going to /dev/null as production's goes to its log drain. The load: `GET /api/feed` (a full first page of 20,",
  "no If-None-Match) from this process over kept-alive connections, the same concurrency for both. One discarded round",
  "each, then alternating rounds (project first in even rounds, least first in odd); CPU is the child's",
  "`process.cpuUsage()` (user + system) over the round divided by pages served. least = one ZRANGE, one MGET, the",
  "stored strings joined, a SHA-256 ETag (bench/least-work.ts). REST: both through the Upstash REST bridge of the tests",
  "(a local HTTP server in front of the same redis-server, run by this process), the project's UpstashStore against",
  "`@upstash/redis` calls.",
];

const COLUMNS: [string, string][] = [
  ["Redis", "---"],
  ["handler", "---"],
  ["rounds × requests", "--:"],
  ["in flight", "--:"],
  ["CPU ms/page median", "--:"],
  ["CPU min–max", "--:"],
  ["pages/s median", "--:"],
  ["pages/s min–max", "--:"],
  ["project/least CPU (paired) median, min–max", "--:"],
];

const fixed = (value: number) => value.toFixed(3);

function rowsOf(run: OriginCpuRun): string[] {
  const ratios = spreadOf(pairedRatios(run));
  return (["project", "least"] as const).map((kind) => {
    const rounds = run.rounds.filter((round) => round.kind === kind);
    const cpu = spreadOf(rounds.map((round) => round.cpuMsPerPage));
    const rate = spreadOf(rounds.map((round) => round.pagesPerSecond));
    return row([
      run.transport === "tcp" ? "TCP (ioredis)" : "REST (Upstash bridge)",
      kind,
      `${rounds.length} × ${num(run.requestsPerRound)}`,
      run.concurrency,
      fixed(cpu.median),
      `${fixed(cpu.min)}–${fixed(cpu.max)}`,
      num(Math.round(rate.median)),
      `${num(Math.round(rate.min))}–${num(Math.round(rate.max))}`,
      kind === "project" ? `${ratio(ratios.median)} (${ratio(ratios.min)}–${ratio(ratios.max)})` : "",
    ]);
  });
}

export function renderOriginCpu(runs: OriginCpuRun[]): string[] {
  return section("Origin CPU per page: the project vs the least work", PROSE, COLUMNS, runs.flatMap(rowsOf));
}
