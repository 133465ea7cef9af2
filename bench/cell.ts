// One cell of the matrix (N live posts among M other keys): reads, the baseline, writes, memory and an index rebuild.
import type { Cluster, Redis } from "ioredis";
import * as feed from "../api/feed/index.js";
import { INDEX_KEY, REBUILT_MARKER } from "../lib/feed/keys.js";
import { encodeCursor } from "../lib/feed/page-cursor.js";
import type { IndexEntry } from "../lib/store/feed-store.js";
import { type BenchApp, createAuthor, pageRequest, postShape, signedPostRequest } from "./bench-app.js";
import { type CountCheck, checkCounts } from "./count-check.js";
import { readPageByScan } from "./literal-recipe.js";
import { type Measurement, measure } from "./measure.js";
import type { Profile } from "./options.js";
import { measurePersonReads, type PersonRead } from "./person-reads.js";
import { type RedisTarget, readInfo } from "./redis-target.js";
import { seedPosts, seedUnrelatedKeys } from "./seed.js";

export type PageKind = "first 20" | "first 50" | "deep 20";

export interface ReadResult {
  page: PageKind;
  project: Measurement;
  baseline: Measurement;
}

export interface CellResult extends CellShape {
  reads: ReadResult[];
  /** GET /api/feed/people and one author's page. */
  personReads: PersonRead[];
  write: Measurement;
  /** The first read after the index was lost: it starts (and, if the walk fits one slice, completes) the rebuild. */
  rebuild: Measurement;
  /** Whether that one read finished the rebuild (a walk longer than one slice leaves the rest to the next reader). */
  rebuildCompleted: boolean;
  memoryPerPostBytes: number;
  /** What the counting client saw against the server's own counts: reads, reads by person, writes, the rebuild. */
  countChecks: CountCheck[];
}

export interface PagePlan {
  page: PageKind;
  limit: number;
  cursor?: string;
  /** Where the same page starts for the literal recipe, which has no cursor and slices at an offset. */
  offset: number;
}

export interface CellShape {
  posts: number;
  otherKeys: number;
}

// Authors the write path rotates through, so the posts are not all one user's.
const AUTHORS = 20;
// Each read walks the keyspace for up to a second; a cell's few hundred thousand keys take one or two.
const INDEX_READ_ATTEMPTS = 10;

export const cellName = (cell: CellShape) =>
  `N=${cell.posts.toLocaleString("en-US")}, M=${cell.otherKeys.toLocaleString("en-US")}`;

/** Runs `run` on every cell of the grid (M outer, N inner), reporting how long each took. */
export async function runGrid<T>(
  grid: { posts: number[]; otherKeys: number[] },
  label: string,
  run: (cell: CellShape) => Promise<T>,
  progress: (line: string) => void,
): Promise<T[]> {
  const results: T[] = [];
  for (const otherKeys of grid.otherKeys) {
    for (const posts of grid.posts) {
      const started = performance.now();
      results.push(await run({ posts, otherKeys }));
      progress(`${label}${cellName({ posts, otherKeys })}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    }
  }
  return results;
}

export async function runCell(
  bench: BenchApp,
  target: RedisTarget,
  profile: Profile,
  cell: CellShape,
): Promise<CellResult> {
  const { entries, memoryPerPostBytes } = await seedCell(bench, target, cell);
  const sources = { counter: bench.counter, servers: [target.admin] };
  const reads = await checkCounts(sources, "reads", () => measureReads(bench, profile, entries));
  const personReads = await checkCounts(sources, "reads by person", () => measurePersonReads(bench, profile));
  const write = await checkCounts(sources, "writes", () => measureWrites(bench, profile));
  await target.admin.zrem(INDEX_KEY, REBUILT_MARKER);
  const rebuild = await checkCounts(sources, "rebuild", () =>
    measure(() => feed.GET(pageRequest(20)), bench.counter, { samples: 1, warmup: 0, expectStatus: 200 }),
  );
  const rebuildCompleted = (await target.admin.zscore(INDEX_KEY, REBUILT_MARKER)) !== null;
  return {
    ...cell,
    reads: reads.result,
    personReads: personReads.result,
    write: write.result,
    rebuild: rebuild.result,
    rebuildCompleted,
    memoryPerPostBytes,
    countChecks: [reads.check, personReads.check, write.check, rebuild.check],
  };
}

/** An empty database, then M unrelated keys, then N posts; memory per post is the difference the posts made. */
async function seedCell(bench: BenchApp, target: RedisTarget, cell: CellShape) {
  const { admin } = target;
  await admin.flushdb();
  await seedUnrelatedKeys(admin, cell.otherKeys);
  const memoryBefore = Number((await readInfo(admin, "memory")).used_memory);
  const entries = await seedPosts(bench.store, postShape(bench), cell.posts, bench.app.feed.now());
  const memoryPerPostBytes = (Number((await readInfo(admin, "memory")).used_memory) - memoryBefore) / cell.posts;
  await completeIndex();
  return { entries, memoryPerPostBytes };
}

/**
 * Reads through the handler (so with the app last composed) until a page is complete: on a freshly seeded database
 * the index has no marker yet, so the first readers check it against the keyspace. Pages are measured after that.
 */
export async function completeIndex(): Promise<void> {
  for (let attempt = 0; attempt < INDEX_READ_ATTEMPTS; attempt += 1) {
    const response = await feed.GET(pageRequest(20));
    await response.arrayBuffer();
    if (response.headers.get("cache-control")?.startsWith("public")) return;
  }
  throw new Error(`the index was still incomplete after ${INDEX_READ_ATTEMPTS} reads`);
}

/** The first page at 20 and at 50, and the page after the post halfway down the feed. */
export function pagePlans(entries: IndexEntry[]): PagePlan[] {
  const depth = Math.floor(entries.length / 2);
  return [
    { page: "first 20", limit: 20, offset: 0 },
    { page: "first 50", limit: 50, offset: 0 },
    { page: "deep 20", limit: 20, cursor: encodeCursor(entries[depth - 1]), offset: depth },
  ];
}

/** `GET /api/feed` for one page, through the exported handler. */
export function measurePage(bench: BenchApp<Redis | Cluster>, profile: Profile, plan: PagePlan): Promise<Measurement> {
  return measure(() => feed.GET(pageRequest(plan.limit, plan.cursor)), bench.counter, {
    ...profile.project,
    expectStatus: 200,
  });
}

async function measureReads(bench: BenchApp, profile: Profile, entries: IndexEntry[]): Promise<ReadResult[]> {
  const reads: ReadResult[] = [];
  for (const plan of pagePlans(entries)) {
    const project = await measurePage(bench, profile, plan);
    const baseline = await measure(() => readPageByScan(bench.client, plan.limit, plan.offset), bench.counter, {
      ...profile.baseline,
      expectStatus: 200,
    });
    reads.push({ page: plan.page, project, baseline });
  }
  return reads;
}

export async function measureWrites(bench: BenchApp<Redis | Cluster>, profile: Profile): Promise<Measurement> {
  const authors = await Promise.all(Array.from({ length: AUTHORS }, (_, i) => createAuthor(bench.app, `author_${i}`)));
  let written = 0;
  return measure(
    () => feed.POST(signedPostRequest(bench.app, authors[written++ % AUTHORS], "Bench post #fresh")),
    bench.counter,
    { ...profile.writes, expectStatus: 201 },
  );
}
