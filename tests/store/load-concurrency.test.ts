// Bounded load through the real handlers on a real redis-server over TCP: hundreds of reads racing tens of posts.
import type { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import * as feed from "../../api/feed/index.js";
import * as uploadSignature from "../../api/feed/upload-signature.js";
import type { FeedPage, UploadSignature } from "../../lib/schemas.js";
import { createTcpClient } from "../../lib/store/tcp-client.js";
import { TcpStore } from "../../lib/store/tcp-store.js";
import { type RedisServer, startRedisServer } from "../support/redis-server.js";
import { cloudinaryUploadFor, jsonRequest, tokenFor, useTestApp } from "../support/test-app.js";

const READERS = 200;
// Readers poll until the writers are done (so reads overlap every post), and never more than this in all.
const MAX_READS = 2000;
const WRITERS = 30;
const POSTS_PER_WRITER = 2;
const POSTS = WRITERS * POSTS_PER_WRITER;
// Smaller than the number of posts, so reading them back crosses several cursors.
const PAGE_LIMIT = 7;

let server: RedisServer;
let client: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  client = createTcpClient(server.url, 2000);
  // One connection shared by every request, as in a warm function; the real clock, so posts get distinct times.
  useTestApp({ REDIS_URL: server.url, RATE_LIMIT: "off" }, { store: new TcpStore(client, 2000), now: Date.now });
});
afterAll(async () => {
  client?.disconnect();
  await server?.stop();
});

type Outcome = { kind: "post"; status: number; id?: string } | { kind: "read"; status: number; page?: FeedPage };

/** The browser's flow: ask for a signature, upload to Cloudinary (its answer simulated), publish. */
async function publish(author: number, text: string): Promise<Outcome> {
  const token = await tokenFor(`load-user-${author}`);
  const signing = await uploadSignature.POST(
    jsonRequest("/api/feed/upload-signature", "POST", { mediaType: "image" }, token),
  );
  if (signing.status !== 200) return { kind: "post", status: signing.status };
  const upload = cloudinaryUploadFor((await signing.json()) as UploadSignature, Math.floor(Date.now() / 1000));
  const response = await feed.POST(jsonRequest("/api/feed", "POST", { text, upload }, token));
  const id = response.status === 201 ? ((await response.json()) as { id: string }).id : undefined;
  return { kind: "post", status: response.status, id };
}

async function readFirstPage(): Promise<Outcome> {
  const response = await feed.GET(jsonRequest("/api/feed?limit=20", "GET"));
  const page = response.status === 200 ? ((await response.json()) as FeedPage) : undefined;
  return { kind: "read", status: response.status, page };
}

async function countPostKeys(): Promise<number> {
  let cursor = "0";
  let count = 0;
  do {
    const [next, keys] = await server.client.scan(cursor, "MATCH", "feed:*", "COUNT", 1000);
    cursor = next;
    count += keys.length;
  } while (cursor !== "0");
  return count;
}

async function readWholeFeed(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor ? `&cursor=${cursor}` : "";
    const response = await feed.GET(jsonRequest(`/api/feed?limit=${PAGE_LIMIT}${query}`, "GET"));
    expect(response.status).toBe(200);
    const page = (await response.json()) as FeedPage;
    ids.push(...page.items.map((post) => post.id));
    cursor = page.nextCursor;
  } while (cursor);
  return ids;
}

it("answers hundreds of concurrent reads racing tens of concurrent posts, and stores exactly the posts made", async () => {
  let writersDone = false;
  const reads: Outcome[] = [];
  const reader = async () => {
    do reads.push(await readFirstPage());
    while (!writersDone && reads.length < MAX_READS);
  };
  const writer = async (author: number) => {
    const outcomes: Outcome[] = [];
    for (let i = 0; i < POSTS_PER_WRITER; i += 1) outcomes.push(await publish(author, `post ${i} by ${author}`));
    return outcomes;
  };
  const readers = Promise.all(Array.from({ length: READERS }, reader));
  const writes = (await Promise.all(Array.from({ length: WRITERS }, (_, author) => writer(author)))).flat();
  writersDone = true;
  await readers;

  const statuses: Record<string, number> = {};
  for (const { kind, status } of [...reads, ...writes])
    statuses[`${kind} ${status}`] = (statuses[`${kind} ${status}`] ?? 0) + 1;
  expect(statuses).toEqual({ "read 200": reads.length, "post 201": POSTS });
  expect(reads.length).toBeGreaterThanOrEqual(READERS);

  // Every page seen during the race was newest first, without duplicates, and the reads saw the feed grow.
  const states = new Set<string>();
  for (const result of reads) {
    if (result.kind !== "read" || !result.page) continue;
    const times = result.page.items.map((post) => Date.parse(post.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(result.page.items.map((post) => post.id)).size).toBe(result.page.items.length);
    states.add(result.page.items.map((post) => post.id).join());
  }
  expect(states.size).toBeGreaterThan(2);

  const posted = writes.flatMap((r) => (r.kind === "post" && r.id ? [r.id] : [])).sort();
  expect(posted).toHaveLength(POSTS);
  expect(await countPostKeys()).toBe(POSTS);
  expect((await readWholeFeed()).sort()).toEqual(posted);
});
