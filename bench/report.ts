// Renders a run as markdown: environment, method and targets, then the data tables.
import type { CellResult } from "./cell.js";
import type { Environment } from "./environment.js";
import { header, row } from "./markdown.js";
import type { PageSizeResult } from "./page-size.js";
import {
  CROSS_REGION_MS,
  renderCountCheck,
  renderModel,
  renderPageSizes,
  renderReads,
  renderWrites,
  SAME_REGION_MS,
} from "./report-tables.js";
import type { TargetCheck } from "./targets.js";

export interface RunReport {
  profile: string;
  environment: Environment;
  cells: CellResult[];
  largestPages: PageSizeResult[];
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
    "## Method",
    "",
    `- N live posts (~${postBytes} bytes of JSON each, written with the store's own \`publishPost\`) among M unrelated keys`,
    "  (`session:*` strings with a TTL, `chat:*:messages` lists, `chat:*:meta` hashes), in the same database.",
    "- project: `GET /api/feed` through the exported handler (`new Request(...)`), one request at a time, timed to the",
    "  last byte of the body. Deep page: the page after the post halfway down the feed, by cursor.",
    "- recipe: the owner's literal recipe in the same process on the same data and client: `SCAN 0 MATCH feed:*",
    "  COUNT 100` until the cursor is 0, `MGET` of each batch, `JSON.parse`, sort by `createdAt` descending, slice",
    "  (a deep page slices at the same offset).",
    "- RT = round trips, cmds = Redis commands per request (MULTI/EXEC included), counted exactly on the client and",
    "  checked against the server's `INFO stats` total for each cell (last table). Request log lines are discarded.",
    `- Upstash model: loopback median + RT × ${SAME_REGION_MS} ms (same region) or × ${CROSS_REGION_MS} ms (cross-region).`,
    "- Memory per live post: `INFO memory` used_memory after seeding the posts minus before, divided by N.",
    "",
    "## Targets",
    "",
    ...header(["target", "measured", "result"], ["---", "---", "---"]),
    ...report.targets.map((t) => row([t.target, t.measured, t.pass ? "**pass**" : "**FAIL**"])),
    "",
    ...renderReads(report.cells),
    ...renderModel(report.cells),
    ...renderWrites(report.cells),
    ...renderPageSizes(report.largestPages),
    ...renderCountCheck(report.cells),
  ].join("\n");
}
