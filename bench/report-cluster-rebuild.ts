// The report's tables for Redis Cluster cells, the rebuild behind a delay, and the counting check of every span.
import { REBUILD_SLICE_MS } from "../lib/feed/rebuild.js";
import { type CellResult, cellName } from "./cell.js";
import type { ClusterCellResult } from "./cluster-cell.js";
import { type CountCheck, countsAgree, HOUSEKEEPING_COMMANDS } from "./count-check.js";
import { ms, num, range, row, section } from "./markdown.js";
import { type Measurement, percentile } from "./measure.js";
import { INCOMPLETE_CACHE_CONTROL, type RebuildResult } from "./rebuild-delay.js";

const CLUSTER_NOTE = [
  "The same handlers with `REDIS_CLUSTER=true` (ioredis `Cluster`, auto-pipelining). A page reads the index on the",
  "`{feed}` slot's master, then GETs its posts: one pipeline per master, sent together, so one round trip. A post",
  "adds its index entry (MULTI on `{feed}:index`), then runs the publish script on the post's own slot.",
];

const COUNT_CHECK_NOTE = [
  "Commands the counting client sent against the `INFO commandstats` calls (plus rejected calls) of the server,",
  "summed over the masters of the cluster, over the same span, name by name. Left out: connection set-up,",
  `replication and the bench's own INFO (${HOUSEKEEPING_COMMANDS.join(", ").toUpperCase()}),`,
  "and, where a script ran, the commands the scripts call (Redis counts those under their own names). A span",
  "compares every other name either side saw, so a command the client failed to count shows as a difference.",
];

export function renderCluster(cells: ClusterCellResult[]): string[] {
  const line = (cell: ClusterCellResult, request: string, m: Measurement) =>
    row([
      num(cell.posts),
      num(cell.otherKeys),
      request,
      ms(m.medianMs),
      ms(m.p95Ms),
      range(m.roundTrips),
      range(m.commands),
    ]);
  const columns: [string, string][] = [
    ["N", "--:"],
    ["M", "--:"],
    ["request", "---"],
    ["median ms", "--:"],
    ["p95 ms", "--:"],
    ["RT", "--:"],
    ["cmds", "--:"],
  ];
  const rows = cells.flatMap((cell) => [
    ...cell.reads.map(({ page, project }) => line(cell, page, project)),
    line(cell, "POST", cell.write),
  ]);
  return section("Redis Cluster: pages and posts (3 masters, loopback)", CLUSTER_NOTE, columns, rows);
}

export function renderRebuilds(rebuilds: RebuildResult): string[] {
  const prose = [
    `${num(rebuilds.posts)} posts among ${num(rebuilds.otherKeys)} other keys on one node, seeded in ${rebuilds.seedSeconds.toFixed(0)} s.`,
    "`{feed}:index` is deleted, then `GET /api/feed?limit=20` is sent one request after another, as successive readers",
    "would, through a TCP proxy that delays every chunk by the given time in each direction, until a response is",
    `complete (\`Cache-Control: public…\`). Each reader walks the keyspace for at most ${num(REBUILD_SLICE_MS)} ms,`,
    "saves its place and answers; the next one goes on from there.",
  ];
  const columns: [string, string][] = [
    ["one-way delay", "--:"],
    ["requests", "--:"],
    ["median ms", "--:"],
    ["max ms", "--:"],
    ["total ms", "--:"],
    ["RT, all requests", "--:"],
    [`incomplete pages \`${INCOMPLETE_CACHE_CONTROL}\``, "--:"],
    ["final page = the 20 newest", "---"],
  ];
  const rows = rebuilds.runs.map((run) => {
    const sorted = [...run.requestMs].sort((a, b) => a - b);
    return row([
      `${run.oneWayDelayMs} ms`,
      run.completed ? num(run.requestMs.length) : `**${num(run.requestMs.length)}, not complete**`,
      ms(percentile(sorted, 50)),
      ms(sorted[sorted.length - 1]),
      ms(sorted.reduce((sum, value) => sum + value, 0)),
      num(run.roundTrips),
      `${run.incompletePrivate} of ${run.incomplete}`,
      run.finalPageRight ? "yes" : "**no**",
    ]);
  });
  return section("Rebuilding a lost index behind a network delay", prose, columns, rows);
}

export function renderCountCheck(
  cells: CellResult[],
  clusterCells: ClusterCellResult[],
  rebuilds: RebuildResult,
): string[] {
  const line = (where: string, cell: string, check: CountCheck) =>
    row([
      where,
      cell,
      check.span,
      check.compared.join(", ") || "**none**",
      num(check.client),
      num(check.server),
      countsAgree(check) ? "yes" : `**no**: ${check.differences.join("; ")}`,
    ]);
  const columns: [string, string][] = [
    ["Redis", "---"],
    ["cell", "---"],
    ["span", "---"],
    ["compared command names", "---"],
    ["client", "--:"],
    ["server", "--:"],
    ["agree", "---"],
  ];
  const rows = [
    ...cells.flatMap((cell) => cell.countChecks.map((check) => line("one node", cellName(cell), check))),
    ...clusterCells.flatMap((cell) => cell.countChecks.map((check) => line("cluster", cellName(cell), check))),
    ...rebuilds.runs.map((run) => line("one node", cellName(rebuilds), run.countCheck)),
  ];
  return section("Counting check", COUNT_CHECK_NOTE, columns, rows);
}
