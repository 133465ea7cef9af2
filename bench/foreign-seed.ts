// Other code's keys under `feed:*` in a shared Redis: user timelines and profiles, and values under post-shaped names.
import type { Cluster, Redis } from "ioredis";
import { seedByCommand } from "./seed.js";

type Command = [string, ...(string | number)[]];

// The incident's timelines: 20 KB strings, each a JSON list of post ids (valid JSON, so a reader that parsed one
// would pay for it in full).
export const TIMELINE_BYTES = 20 * 1024;
// 250 × 20 KB is 5 MB per pipeline: seeding must not be what swells the process whose memory is measured.
const TIMELINE_BATCH = 250;

function timelineValue(): string {
  const entry = '"AbCdEfGhIjKlMnOpQrStU",';
  const body = entry.repeat(Math.floor((TIMELINE_BYTES - 2) / entry.length)).slice(0, -1);
  return `[${body}]`.padEnd(TIMELINE_BYTES, " ");
}

/**
 * Names that pass the rebuild's post-key check (`feed:` and 12 id characters) holding what no post holds: other
 * types, a string longer than any post, and a short string that is not JSON. A rebuild that reads them must skip each.
 */
const POST_SHAPED: Command[] = [
  ["hset", "feed:hash00000000", "owner", "billing", "plan", "pro"],
  ["rpush", "feed:list00000000", "a", "b", "c"],
  ["sadd", "feed:set000000000", "a", "b", "c"],
  ["zadd", "feed:zset00000000", 1, "a", 2, "b"],
  ["set", "feed:big000000000", timelineValue()],
  ["set", "feed:text00000000", "not a post"],
];
export const POST_SHAPED_KEYS = POST_SHAPED.length;

export interface ForeignCounts {
  timelines: number;
  userHashes: number;
}

/** `feed:user:<n>:timeline` strings, `feed:user:<n>` hashes and the post-shaped values, in batches. */
export async function seedForeignKeys(admin: Redis | Cluster, counts: ForeignCounts): Promise<void> {
  const timeline = timelineValue();
  await seedByCommand(admin, counts.timelines, (i) => ["set", `feed:user:${i}:timeline`, timeline], TIMELINE_BATCH);
  await seedByCommand(admin, counts.userHashes, (i) => [
    "hset",
    `feed:user:${i}`,
    "name",
    `Member ${i}`,
    "followers",
    String(i * 7),
    "bio",
    "Harbour photos, mostly at dusk",
  ]);
  await seedByCommand(admin, POST_SHAPED.length, (i) => POST_SHAPED[i]);
}
