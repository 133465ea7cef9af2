// Renders a run as markdown: environment, method and targets, then the data tables.
import { REBUILD_SLICE_MS } from "../lib/feed/rebuild.js";
import type { Environment } from "./environment.js";
import { header, row } from "./markdown.js";
import { INCOMPLETE_CACHE_CONTROL } from "./rebuild-delay.js";
import { renderCluster, renderCountCheck, renderRebuilds } from "./report-cluster-rebuild.js";
import { renderForeignKeys } from "./report-foreign-keys.js";
import { renderOriginCpu } from "./report-origin.js";
import { renderPersonReads } from "./report-person-reads.js";
import {
  CROSS_REGION_MS,
  renderModel,
  renderPageSizes,
  renderReads,
  renderWrites,
  SAME_REGION_MS,
} from "./report-tables.js";
import { renderTraffic } from "./report-traffic.js";
import type { MeasuredRun, TargetCheck } from "./targets.js";

export interface RunReport extends MeasuredRun {
  profile: string;
  environment: Environment;
  targets: TargetCheck[];
  durationSeconds: number;
}

export function renderReport(report: RunReport): string {
  const { environment: env } = report;
  const fifty = report.cells[0]?.reads.find((r) => r.page === "first 50")?.project;
  const postBytes = fifty ? Math.round(fifty.bytes / 50) : Number.NaN;
  return [
    "# Benchmarks: the cost of a feed page",
    "",
    `Written by \`npm run bench\` (${report.profile} profile, ${report.durationSeconds.toFixed(0)} s). ` +
      "Rerun it rather than editing this file; loopback figures on a shared 2-core machine vary between runs.",
    "",
    "| | |",
    "|---|---|",
    row(["Date", env.date]),
    row(["Machine", env.machine]),
    row(["Load", env.load]),
    row(["OS", env.os]),
    row(["Node", env.node]),
    row(["Redis", env.redis]),
    row(["Client", env.client]),
    "",
    ...renderMethod(postBytes),
    "## Targets",
    "",
    ...header(["target", "measured", "result"], ["---", "---", "---"]),
    ...report.targets.map((t) => row([t.target, t.measured, t.pass ? "**pass**" : "**FAIL**"])),
    "",
    ...renderReads(report.cells),
    ...renderModel(report.cells),
    ...renderWrites(report.cells),
    ...renderPageSizes(report.largestPages),
    ...renderCluster(report.clusterCells),
    ...renderPersonReads(report.cells, report.clusterCells),
    ...renderRebuilds(report.rebuilds),
    ...renderForeignKeys(report.foreignKeys),
    ...renderOriginCpu(report.originCpu),
    ...renderTraffic(report.traffic),
    ...renderCountCheck(report.cells, report.clusterCells, report.rebuilds),
  ].join("\n");
}

function renderMethod(postBytes: number): string[] {
  return [
    "## Method",
    "",
    `- N live posts (~${postBytes} bytes of JSON each, written with the store's own \`publishPost\`) among M unrelated keys`,
    "  (`session:*` strings with a TTL, `chat:*:messages` lists, `chat:*:meta` hashes), in the same database.",
    "- project: `GET /api/feed` through the exported handler (`new Request(...)`), one request at a time, timed to the",
    "  last byte of the body. Deep page: the page after the post halfway down the feed, by cursor. The app is composed",
    "  from a literal environment with `RATE_LIMIT=off`, its store wrapped in the same guard as in production.",
    "- People and author pages: `GET /api/feed/people` and `GET /api/feed?author=`, the same way, in the same cells.",
    "- recipe: the owner's literal recipe in the same process on the same data and client: `SCAN 0 MATCH feed:*",
    "  COUNT 100` until the cursor is 0, `MGET` of each batch, `JSON.parse`, sort by `createdAt` descending, slice",
    "  (a deep page slices at the same offset).",
    "- RT = sequential round trips: a command sent while none of the client's commands awaits a reply (on any of its",
    "  connections) starts one; commands sent while replies are outstanding ride along. A pipeline or MULTI is one RT,",
    "  and so are pipelines sent at once to several cluster masters. Pages and posts count as before (one RT per lone",
    "  command or pipeline); a rebuild counts fewer than before, because each save overlaps the next SCAN.",
    "- cmds = Redis commands sent per request (MULTI/EXEC included; a script is one command, EVALSHA). Both counts are",
    "  taken on the client, on every node connection, and checked against the servers' `INFO commandstats` (last table).",
    "- Redis Cluster: 3 masters and 3 replicas on this machine, started by the bench; the app uses the client",
    "  `REDIS_CLUSTER=true` selects. No recipe there: its single SCAN cursor cannot walk a cluster.",
    `- Rebuild: a reader that finds the index without its marker walks the keyspace by SCAN for at most ${REBUILD_SLICE_MS} ms`,
    `  under a lease, saves its cursor and answers (\`${INCOMPLETE_CACHE_CONTROL}\`); the next reader resumes. The delay runs put`,
    "  a TCP proxy between the app and Redis that adds the one-way delay to every chunk, in each direction.",
    `- Upstash model: loopback median + RT × ${SAME_REGION_MS} ms (same region) or × ${CROSS_REGION_MS} ms (cross-region).`,
    "- Memory per live post: `INFO memory` used_memory after seeding the posts minus before, divided by N.",
    "",
  ];
}
