// A page's ETag that one Redis command can confirm: the feed's version when the page was read, when the page changes
// by itself (its next expiry), whether it was complete, and what was asked for. No body is read to answer a 304.
import { createHash } from "node:crypto";
import type { FeedStore } from "../store/feed-store.js";
import { VERSION_KEY } from "./keys.js";

// Part of every tag's scope: bump it when a page's JSON changes shape for the same data, so old tags stop matching.
const PAGE_FORMAT = "1";
// `"<version>.<changes at, base 36 ms, or ->.<c|p>.<scope>"`; the version is digits, or empty when Redis has none.
const TAG_PATTERN = /^(?:W\/)?"(\d*)\.([0-9a-z]+|-)\.([cp])\.([A-Za-z0-9_-]{16})"$/;

export interface PageTag {
  /** The feed's version read before the page (lib/store/scripts.ts bumps it after every change a page can show). */
  version: string;
  /** When the page changes without any write (its next expiry), in ms; null when it holds nothing that expires. */
  changesAt: number | null;
  /** Complete pages may be cached publicly; others (an index being rebuilt) never. */
  complete: boolean;
  /** Which read, with which parameters, under which lifetime and format. */
  scope: string;
}

// Scopes already hashed: the same few reads (the first page above all) come again and again. Emptied when full, so
// cursors, each its own scope, cannot grow it.
const MAX_KNOWN_SCOPES = 1000;
const knownScopes = new Map<string, string>();

/** The scope of a read: its name and parameters (as given), the post lifetime, and the page format. */
export function pageScope(read: string, params: Record<string, unknown>, ttlSeconds: number): string {
  // Known scopes are found by a key that is cheaper to build than the hashed text (no sort, no nested JSON): the same
  // fields, in the order given, each value's type kept by JSON. Only a new key builds the text and hashes it.
  let key = `${read}\n${ttlSeconds}`;
  for (const name in params) key += `\n${name}=${JSON.stringify(params[name])}`;
  let scope = knownScopes.get(key);
  if (scope === undefined) {
    const text = JSON.stringify([PAGE_FORMAT, read, ttlSeconds, Object.entries(params).sort()]);
    scope = createHash("sha256").update(text).digest("base64url").slice(0, 16);
    if (knownScopes.size >= MAX_KNOWN_SCOPES) knownScopes.clear();
    knownScopes.set(key, scope);
  }
  return scope;
}

export function formatPageTag(tag: PageTag): string {
  const changesAt = tag.changesAt === null ? "-" : tag.changesAt.toString(36);
  return `"${tag.version}.${changesAt}.${tag.complete ? "c" : "p"}.${tag.scope}"`;
}

/** The tags of an If-None-Match header that this API could have issued; others are ignored. */
export function parsePageTags(header: string | null): PageTag[] {
  return (header ?? "").split(",").flatMap((text) => {
    const match = TAG_PATTERN.exec(text.trim());
    if (!match) return [];
    const changesAt = match[2] === "-" ? null : Number.parseInt(match[2], 36);
    return [{ version: match[1], changesAt, complete: match[3] === "c", scope: match[4] }];
  });
}

/**
 * The caller's tag for this scope, if the page it names is still the page: not past its next expiry, and the version
 * unchanged. Costs one Redis command (GET of the version), and none when no tag could match; the version read comes
 * back either way, so a page read after it need not read it again.
 */
export async function stillCurrent(
  header: string | null,
  scope: string,
  deps: { store: Pick<FeedStore, "getValues">; now: () => number },
): Promise<{ current?: PageTag; version?: string }> {
  const now = deps.now();
  const candidates = parsePageTags(header).filter(
    (tag) => tag.scope === scope && (tag.changesAt === null || tag.changesAt > now),
  );
  if (candidates.length === 0) return {};
  const [stored] = await deps.store.getValues([VERSION_KEY]);
  const version = String(stored ?? "");
  return { current: candidates.find((tag) => tag.version === version), version };
}
