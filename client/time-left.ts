// How long a post has left, as people read it ("59m left"), from its creation time and the feed's TTL.
import type { Post } from "../lib/schemas.js";

export function expiresAt(post: Pick<Post, "createdAt">, ttlSeconds: number): number {
  return Date.parse(post.createdAt) + ttlSeconds * 1000;
}

/** Whole units, rounded down, so the label never promises more time than is left. */
export function formatTimeLeft(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  if (seconds >= 3600) return `${Math.floor(seconds / 3600)}h ${Math.floor((seconds % 3600) / 60)}m left`;
  if (seconds >= 60) return `${Math.floor(seconds / 60)}m left`;
  return `${seconds}s left`;
}
