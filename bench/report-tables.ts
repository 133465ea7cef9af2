// The report's single-node tables: reads vs the recipe, the Upstash model, writes and memory, page sizes.
import type { CellResult } from "./cell.js";
import { header, ms, num, range, ratio, row } from "./markdown.js";
import type { Measurement } from "./measure.js";
import type { PageSizeResult } from "./page-size.js";

// Upstash answers over HTTPS: ~1–2 ms per round trip within a region, 20–80 ms across regions.
export const SAME_REGION_MS = 2;
export const CROSS_REGION_MS = 30;

const modelled = (m: Measurement, perTrip: number) => m.medianMs + m.roundTrips.max * perTrip;

export function renderReads(cells: CellResult[]): string[] {
  const names = ["N", "M", "page", "median ms", "p95 ms", "RT", "cmds", "bytes", "recipe median ms", "recipe p95 ms"];
  return [
    "## Reads: project vs the literal recipe (loopback)",
    "",
    ...header(
      [...names, "recipe RT", "recipe cmds", "recipe bytes", "project/recipe (median)"],
      ["--:", "--:", "---", ...Array(11).fill("--:")],
    ),
    ...cells.flatMap((cell) =>
      cell.reads.map(({ page, project: p, baseline: b }) =>
        row([
          num(cell.posts),
          num(cell.otherKeys),
          page,
          ms(p.medianMs),
          ms(p.p95Ms),
          range(p.roundTrips),
          range(p.commands),
          num(p.bytes),
          ms(b.medianMs),
          ms(b.p95Ms),
          range(b.roundTrips),
          range(b.commands),
          num(b.bytes),
          ratio(p.medianMs / b.medianMs),
        ]),
      ),
    ),
    "",
  ];
}

export function renderModel(cells: CellResult[]): string[] {
  const same = `+${SAME_REGION_MS} ms/RT`;
  const cross = `+${CROSS_REGION_MS} ms/RT`;
  return [
    "## Modelled latency over Upstash (median ms)",
    "",
    ...header(
      ["N", "M", "page", `project ${same}`, `recipe ${same}`, "ratio", `project ${cross}`, `recipe ${cross}`, "ratio"],
      ["--:", "--:", "---", "--:", "--:", "--:", "--:", "--:", "--:"],
    ),
    ...cells.flatMap((cell) =>
      cell.reads.map(({ page, project: p, baseline: b }) => {
        const [ps, bs] = [modelled(p, SAME_REGION_MS), modelled(b, SAME_REGION_MS)];
        const [pc, bc] = [modelled(p, CROSS_REGION_MS), modelled(b, CROSS_REGION_MS)];
        return row([
          num(cell.posts),
          num(cell.otherKeys),
          page,
          ms(ps),
          ms(bs),
          ratio(ps / bs),
          ms(pc),
          ms(bc),
          ratio(pc / bc),
        ]);
      }),
    ),
    "",
  ];
}

export function renderWrites(cells: CellResult[]): string[] {
  return [
    "## Writes, memory, and the one-off index rebuild",
    "",
    "POST /api/feed with a signature-verified upload (JWT check included). The rebuild is the first read after the",
    "index lost its marker: on loopback one reader's slice walks these keyspaces whole, then pages are flat again.",
    "",
    ...header(
      [
        "N",
        "M",
        "POST median ms",
        "POST p95 ms",
        "POST RT",
        "POST cmds",
        "memory per live post",
        "rebuild ms",
        "rebuild RT",
        "rebuild cmds",
      ],
      ["--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:", "--:"],
    ),
    ...cells.map((cell) =>
      row([
        num(cell.posts),
        num(cell.otherKeys),
        ms(cell.write.medianMs),
        ms(cell.write.p95Ms),
        range(cell.write.roundTrips),
        range(cell.write.commands),
        `${num(Math.round(cell.memoryPerPostBytes))} B`,
        cell.rebuildCompleted ? ms(cell.rebuild.medianMs) : `${ms(cell.rebuild.medianMs)} (**not complete**)`,
        range(cell.rebuild.roundTrips),
        range(cell.rebuild.commands),
      ]),
    ),
    "",
  ];
}

export function renderPageSizes(pages: PageSizeResult[]): string[] {
  return [
    "## Largest possible pages",
    "",
    "Every post with a 2,200-character caption of 4-byte characters (the most bytes a caption may hold), first page:",
    "",
    ...header(["limit", "posts", "bytes", "under 256 KB"], ["--:", "--:", "--:", "---"]),
    ...pages.map((p) => row([p.limit, p.items, num(p.bytes), p.bytes < 256 * 1024 ? "yes" : "**no**"])),
    "",
  ];
}
