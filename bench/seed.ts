// Test data: live posts written through the project's own store, and the rest of a chat app's keys, by pipeline.
import { Cluster, type Redis } from "ioredis";
import { nanoid } from "nanoid";
import { ownerFolder } from "../lib/cloudinary/public-id.js";
import { postWrite } from "../lib/feed/keys.js";
import type { Post } from "../lib/schemas.js";
import type { FeedStore, IndexEntry } from "../lib/store/feed-store.js";

// Posts are spread over the last half hour, so none expires while a cell is measured (each takes well under that).
const SPREAD_MS = 30 * 60 * 1000;
// Commands per pipeline when seeding unrelated keys; large enough to seed 200,000 keys in a couple of seconds.
const PIPELINE_SIZE = 5000;
// Concurrent store writes when seeding posts; one connection multiplexes them.
const WRITE_CONCURRENCY = 500;
// Distinct authors among the seeded posts.
const USERS = 50;
// One author writes every fourth post, so their own page is a full one in every cell (as the feed's first page is);
// the other posts rotate through the other USERS - 1.
export const PROLIFIC_AUTHOR = "user_0000";
const PROLIFIC_SHARE = 4;

/** Who wrote the i-th newest seeded post: by position, not by time (times share factors with USERS, and collapse). */
export function seededAuthor(i: number): string {
  const user = i % PROLIFIC_SHARE === 0 ? 0 : 1 + (i % (USERS - 1));
  return `user_${user.toString().padStart(4, "0")}`;
}

export interface PostShape {
  cloudName: string;
  folder: string;
  ttlSeconds: number;
}

/** A post document shaped like the ones the app stores, by `userId`, created at `createdAt`. */
export function makePost(shape: PostShape, createdAt: number, text: string, userId: string): Post {
  const id = nanoid();
  const publicId = `${ownerFolder(shape.folder, userId)}/${id}`;
  const version = Math.floor(createdAt / 1000);
  return {
    id,
    userId,
    username: `Member ${userId.slice(5)}`,
    text,
    mediaUrl: `https://res.cloudinary.com/${shape.cloudName}/image/upload/v${version}/${publicId}.jpg`,
    mediaType: "image",
    cloudinaryPublicId: publicId,
    createdAt: new Date(createdAt).toISOString(),
  };
}

/**
 * Writes `count` live posts with the store's own publishPost (so the data layout is the project's, not a copy of it)
 * and returns their index entries, newest first.
 */
export async function seedPosts(
  store: FeedStore,
  shape: PostShape,
  count: number,
  now: number,
  text: (i: number) => string = (i) => `Sunset over the harbour, take ${i} #evening`,
): Promise<IndexEntry[]> {
  const step = Math.max(1, Math.floor(SPREAD_MS / count));
  const entries: IndexEntry[] = [];
  for (let start = 0; start < count; start += WRITE_CONCURRENCY) {
    const batch = Array.from({ length: Math.min(WRITE_CONCURRENCY, count - start) }, (_, k) => start + k);
    await Promise.all(
      batch.map(async (i) => {
        const createdAt = now - i * step;
        const post = makePost(shape, createdAt, text(i), seededAuthor(i));
        const ageSeconds = Math.floor((now - createdAt) / 1000);
        // A post of that age has that much of its life left.
        const write = { ...postWrite(post, shape.ttlSeconds, now), ttlSeconds: shape.ttlSeconds - ageSeconds };
        const outcome = await store.publishPost(write);
        if (outcome.status !== "created") throw new Error(`seeding ${post.id}: ${outcome.status}`);
        entries[i] = { id: post.id, score: createdAt };
      }),
    );
  }
  return entries;
}

/** One key of the rest of the app: a session (string with a TTL), a chat history (list) or room metadata (hash). */
function unrelatedKeyCommand(i: number): [string, ...(string | number)[]] {
  const kind = i % 10;
  if (kind < 5) return ["set", `session:${i}`, `{"userId":"user_${i % 997}","device":"ios"}`, "EX", 86_400];
  if (kind < 8) return ["rpush", `chat:${i}:messages`, "hi", "how are you?", "see you at 8"];
  return ["hset", `chat:${i}:meta`, "title", `Room ${i}`, "owner", `user_${i % 997}`, "members", "12"];
}

/**
 * `count` keys of the rest of the app, none under `feed:*`, all of which every SCAN step has to walk past.
 */
export async function seedUnrelatedKeys(admin: Redis | Cluster, count: number): Promise<void> {
  await seedByCommand(admin, count, unrelatedKeyCommand);
}

/**
 * Sends `commandFor(i)` for i in [0, count), `batchSize` at a time. On one node they go in pipelines; a cluster client
 * (with auto-pipelining) batches each group per master by itself.
 */
export async function seedByCommand(
  admin: Redis | Cluster,
  count: number,
  commandFor: (i: number) => [string, ...(string | number)[]],
  batchSize = PIPELINE_SIZE,
): Promise<void> {
  for (let start = 0; start < count; start += batchSize) {
    const batch = Array.from({ length: Math.min(batchSize, count - start) }, (_, k) => start + k);
    if (admin instanceof Cluster) {
      await Promise.all(batch.map((i) => admin.call(...commandFor(i))));
      continue;
    }
    const pipeline = admin.pipeline();
    for (const i of batch) pipeline.call(...commandFor(i));
    const failed = ((await pipeline.exec()) ?? []).find(([error]) => error);
    if (failed) throw failed[0];
  }
}
