// Where the feed keeps its data in the shared Redis, and how a stored post is read back.
import { type Post, PostSchema } from "./schemas.js";

export const POST_KEY_PREFIX = "feed:";
// Outside `feed:*` so a SCAN for posts never meets it; it holds ids and scores only, never post content.
export const INDEX_KEY = "feed-index";
// Present once the index has been checked against the `feed:*` keys; score 0 keeps it out of every page.
export const HEALED_MARKER = "!healed";
// Held (with its own short TTL) by the one reader that is rebuilding the index.
export const HEAL_LOCK_KEY = "feed-index:healing";

export const postKey = (id: string): string => `${POST_KEY_PREFIX}${id}`;

/** A stored value, or null when it is missing, corrupt or not a post (foreign data under `feed:*` is skipped). */
export function parsePost(value: unknown): Post | null {
  if (value === null || value === undefined) return null;
  let data = value;
  if (typeof value === "string") {
    try {
      data = JSON.parse(value);
    } catch {
      return null;
    }
  }
  const parsed = PostSchema.safeParse(data);
  return parsed.success ? parsed.data : null;
}
