// One cell of the matrix (N live posts among M other keys): reads, the baseline, writes, memory and an index rebuild.
import * as feed from "../api/feed/index.js";
import { HEALED_MARKER, INDEX_KEY } from "../lib/feed-keys.js";
import { encodeCursor } from "../lib/feed-page.js";
import type { IndexEntry } from "../lib/store/feed-store.js";
import { type BenchApp, createAuthor, pageRequest, postShape, signedPostRequest } from "./bench-app.js";
import { readPageByScan } from "./literal-recipe.js";
import { type Measurement, measure } from "./measure.js";
import type { Profile } from "./options.js";
import { commandsProcessed, type RedisTarget, readInfo } from "./redis-target.js";
import { seedPosts, seedUnrelatedKeys } from "./seed.js";

export type PageKind = "first 20" | "first 50" | "deep 20";

export interface ReadResult {
  page: PageKind;
  project: Measurement;
  baseline: Measurement;
}

export interface CellResult {
  posts: number;
  otherKeys: number;
  reads: ReadResult[];
  write: Measurement;
  /** The first read after the index was lost: it walks the keyspace once to rebuild it. */
  rebuild: Measurement;
  memoryPerPostBytes: number;
  /** Commands the counting client saw, and the server's own count for the same span (they must agree). */
  countCheck: { client: number; server: number };
}

// Authors the write path rotates through, so the posts are not all one user's.
const AUTHORS = 20;

export async function runCell(
  bench: BenchApp,
  target: RedisTarget,
  profile: Profile,
  cell: { posts: number; otherKeys: number },
  infoOverhead: number,
): Promise<CellResult> {
  const { entries, memoryPerPostBytes } = await seedCell(bench, target, cell);
  const serverBefore = await commandsProcessed(target.admin);
  const clientBefore = bench.counter.total();
  const reads = await measureReads(bench, profile, entries);
  const write = await measureWrites(bench, profile);
  await target.admin.zrem(INDEX_KEY, HEALED_MARKER);
  const rebuild = await measure(() => feed.GET(pageRequest(20)), bench.counter, {
    samples: 1,
    warmup: 0,
    expectStatus: 200,
  });
  const client = bench.counter.total() - clientBefore;
  // Every INFO and the ZREM above were the admin client's; take them out of the server's count.
  const server = (await commandsProcessed(target.admin)) - serverBefore - infoOverhead - 1;
  return { ...cell, reads, write, rebuild, memoryPerPostBytes, countCheck: { client, server } };
}

/** An empty database, then M unrelated keys, then N posts; memory per post is the difference the posts made. */
async function seedCell(bench: BenchApp, target: RedisTarget, cell: { posts: number; otherKeys: number }) {
  const { admin } = target;
  await admin.flushdb();
  await seedUnrelatedKeys(admin, cell.otherKeys);
  const memoryBefore = Number((await readInfo(admin, "memory")).used_memory);
  const entries = await seedPosts(bench.store, postShape(bench), cell.posts, bench.app.feed.now());
  const memoryPerPostBytes = (Number((await readInfo(admin, "memory")).used_memory) - memoryBefore) / cell.posts;
  // The first read after seeding checks the index against the keyspace once; pages are measured after that.
  await feed.GET(pageRequest(20));
  return { entries, memoryPerPostBytes };
}

async function measureReads(bench: BenchApp, profile: Profile, entries: IndexEntry[]): Promise<ReadResult[]> {
  // Deep: the page after the post halfway down the feed (the literal recipe has no cursor: it slices at an offset).
  const depth = Math.floor(entries.length / 2);
  const pages: { page: PageKind; limit: number; cursor?: string; offset: number }[] = [
    { page: "first 20", limit: 20, offset: 0 },
    { page: "first 50", limit: 50, offset: 0 },
    { page: "deep 20", limit: 20, cursor: encodeCursor(entries[depth - 1]), offset: depth },
  ];
  const reads: ReadResult[] = [];
  for (const { page, limit, cursor, offset } of pages) {
    const project = await measure(() => feed.GET(pageRequest(limit, cursor)), bench.counter, {
      ...profile.project,
      expectStatus: 200,
    });
    const baseline = await measure(() => readPageByScan(bench.client, limit, offset), bench.counter, {
      ...profile.baseline,
      expectStatus: 200,
    });
    reads.push({ page, project, baseline });
  }
  return reads;
}

async function measureWrites(bench: BenchApp, profile: Profile): Promise<Measurement> {
  const authors = await Promise.all(Array.from({ length: AUTHORS }, (_, i) => createAuthor(bench.app, `author_${i}`)));
  let written = 0;
  return measure(
    () => feed.POST(signedPostRequest(bench.app, authors[written++ % AUTHORS], "Bench post #fresh")),
    bench.counter,
    { ...profile.writes, expectStatus: 201 },
  );
}

/** Commands the server counts for one INFO stats read (the read itself is counted by the next one). */
export async function measureInfoOverhead(target: RedisTarget): Promise<number> {
  const first = await commandsProcessed(target.admin);
  return (await commandsProcessed(target.admin)) - first;
}
