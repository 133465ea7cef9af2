// The report's table for the reads by person (people, one author's page), on one node and on the cluster.
import type { CellShape } from "./cell.js";
import { ms, num, range, row, section } from "./markdown.js";
import { describeSteps, type PersonRead } from "./person-reads.js";
import { PROLIFIC_AUTHOR } from "./seed.js";

const NOTE = [
  "`GET /api/feed/people?limit=20` (one entry per person with live posts, from `{feed}:people`, with their newest post",
  `and a ZCOUNT of their own index) and \`GET /api/feed?author=${PROLIFIC_AUTHOR}&limit=20\` (from`,
  "`{feed}:author:<seg>`), through the exported handlers, measured like the pages above, in the same cells. The posts",
  `come from 50 authors; ${PROLIFIC_AUTHOR} wrote every fourth, so their page is full in every cell. Each read asks`,
  "its index for 5 entries more than the page (so entries whose post expired can be skipped): 25 people and 25 posts.",
  "The last column is one request's commands, grouped by round trip, as the counting client saw them.",
];

export function renderPersonReads(
  cells: (CellShape & { personReads: PersonRead[] })[],
  clusterCells: (CellShape & { personReads: PersonRead[] })[],
): string[] {
  const line = (redis: string, cell: CellShape, read: PersonRead) =>
    row([
      redis,
      num(cell.posts),
      num(cell.otherKeys),
      read.page,
      ms(read.project.medianMs),
      ms(read.project.p95Ms),
      range(read.project.roundTrips),
      range(read.project.commands),
      read.items,
      num(read.project.bytes),
      describeSteps(read.steps),
    ]);
  const columns: [string, string][] = [
    ["Redis", "---"],
    ["N", "--:"],
    ["M", "--:"],
    ["read", "---"],
    ["median ms", "--:"],
    ["p95 ms", "--:"],
    ["RT", "--:"],
    ["cmds", "--:"],
    ["items", "--:"],
    ["bytes", "--:"],
    ["commands by round trip (one request)", "---"],
  ];
  const rows = [
    ...cells.flatMap((cell) => cell.personReads.map((read) => line("one node", cell, read))),
    ...clusterCells.flatMap((cell) => cell.personReads.map((read) => line("cluster", cell, read))),
  ];
  return section("People and author pages", NOTE, columns, rows);
}
