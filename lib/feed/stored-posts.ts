// Stored posts as pages read them: each distinct stored string is checked once (parsePost, the same schema), and a
// post whose stored string is exactly the JSON a page would write for it is sent as that string, not re-encoded.

import type { Post } from "../schemas.js";
import { MAX_POST_BYTES, parsePost } from "./keys.js";

export interface StoredPost {
  post: Post;
  /** The stored value's size in UTF-8 bytes, for the page's byte budget. */
  bytes: number;
}

// Strings already checked, by total characters: ~8,000 posts of typical size, or 256 of the largest a post can be.
// The same first page is read again on every revalidation, so its posts are checked once, not once per request.
const MAX_CHECKED_CHARS = 4 * 1024 * 1024;

// A post's result is a function of its stored string alone, so a string seen before has the same answer. Kept by id
// (hashing each string as a key cost more than the check saves) with the string, which must match exactly; only posts
// are kept (foreign values are checked again each time, as before), and only strings a post can be.
const checked = new Map<string, { value: string; stored: StoredPost }>();
let checkedChars = 0;
// The JSON a page writes for each checked post, when the stored string is exactly that (JSON.stringify of the parsed
// post: same keys, same order, same escapes). Posts here are frozen, so that stays true of them.
const exactJson = new WeakMap<object, string>();

/**
 * The post stored as `value` under `id`'s key, or null when it is missing, corrupt, not a post (as parsePost says) or
 * another post than `id`'s.
 */
export function readStoredPost(id: string, value: unknown): StoredPost | null {
  if (typeof value !== "string") {
    const post = parsePost(value);
    return post?.id === id ? { post, bytes: Buffer.byteLength(JSON.stringify(post)) } : null;
  }
  const known = checked.get(id);
  if (known?.value === value) return known.stored;
  const post = parsePost(value);
  if (post?.id !== id) return null;
  const stored = Object.freeze({ post: Object.freeze(post), bytes: Buffer.byteLength(value) });
  if (JSON.stringify(post) === value) exactJson.set(stored.post, value);
  if (value.length <= MAX_POST_BYTES) remember(id, value, stored);
  return stored;
}

function remember(id: string, value: string, stored: StoredPost): void {
  const replaced = checked.get(id);
  if (replaced) checkedChars -= replaced.value.length;
  checked.delete(id);
  checked.set(id, { value, stored });
  checkedChars += value.length;
  // Oldest first: posts arrive in time order, so the oldest checked are the first to leave every page.
  for (const [oldest, entry] of checked) {
    if (checkedChars <= MAX_CHECKED_CHARS) break;
    checked.delete(oldest);
    checkedChars -= entry.value.length;
  }
}

/**
 * Exactly `JSON.stringify(page)`, with each item that is a checked post whose stored string is its JSON written as
 * that string: JSON.stringify writes an object as its members in order and an array as its elements joined by ",",
 * so splicing an element's own JSON in its place changes nothing. A page's three members are written by name, in
 * the order every page object has them (lib/feed/paging.ts), which is the order JSON.stringify would take.
 */
export function pageJson(page: { items: unknown[]; nextCursor: string | null; ttlSeconds: number }): string {
  const cursor = page.nextCursor === undefined ? "" : `,"nextCursor":${JSON.stringify(page.nextCursor)}`;
  return `{"items":${itemsJson(page.items)}${cursor},"ttlSeconds":${JSON.stringify(page.ttlSeconds)}}`;
}

function itemsJson(items: unknown[]): string {
  let json = "";
  for (const item of items) {
    const spliced = typeof item === "object" && item !== null ? exactJson.get(item) : undefined;
    json += `${json === "" ? "" : ","}${spliced ?? JSON.stringify(item) ?? "null"}`;
  }
  return `[${json}]`;
}
